"""The release rule: no figure about a survey round's answers leaves while answers can still arrive.

Two looks at an open round's results, one answer apart, differ by exactly that answer. So until a
round has closed, every cell of its results is withheld, whatever its size; only the response
counts and rates (which say who took part, not what they answered) are shown, under the threshold.
"""

from __future__ import annotations

import pandas as pd

from trivsel.disclosure.rules import Protected, _nullable

NOT_RELEASED = "ikke_lukket"


def withheld(cells: pd.DataFrame, *, threshold: int, noun: str, count: str, values: list[str]) -> Protected:
    """The cells with every count and value blanked and marked as not released."""
    out = cells.copy()
    out["suppression_reason"] = pd.Series(NOT_RELEASED, index=out.index, dtype=object)
    out["suppressed"] = True
    for column in [count, *values]:
        out[column] = pd.Series(pd.NA, index=out.index, dtype=_nullable(out[column]))
    return Protected(out, threshold, noun)
