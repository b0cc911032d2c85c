"""What an importer tells the user when it rejects a file: row, column and reason, in Danish."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True, order=True)
class Problem:
    row: int | None  # row number as the user sees it in the file (the header is row 1)
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"række {self.row}")
        if self.column:
            where.append(f"kolonne {self.column}")
        prefix = ", ".join(where)
        return f"{prefix[:1].upper()}{prefix[1:]}: {self.reason}" if prefix else self.reason


class ImportRejected(Exception):
    """The file was rejected as a whole; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.row or 0, p.column or "", p.reason))
        super().__init__(self.summary())

    def summary(self, limit: int = 5) -> str:
        shown = "; ".join(str(p) for p in self.problems[:limit])
        more = len(self.problems) - limit
        tail = f" (og {more} fejl mere)" if more > 0 else ""
        return f"Filen er afvist, og intet er gemt. {len(self.problems)} fejl: {shown}{tail}"

    def table(self) -> pd.DataFrame:
        """The problems as a table for the upload page."""
        return pd.DataFrame(
            {
                "Række": [p.row for p in self.problems],
                "Kolonne": [p.column or "" for p in self.problems],
                "Fejl": [p.reason for p in self.problems],
            }
        )
