"""What a successful import reports back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportResult:
    rows: int
    message: str  # Danish, shown in the app and printed by the CLI
