"""Shared table shapes for pages."""

from __future__ import annotations

import pandas as pd

from trivsel.org import LEVEL_NAMES


def unit_tree(units: pd.DataFrame) -> pd.DataFrame:
    """Units in tree order, names indented by depth, with the Danish level name."""
    depth = units["depth"] - units["depth"].min()
    return pd.DataFrame(
        {
            "Enhed": [("\u2003" * d) + name for d, name in zip(depth, units["unit_name"])],
            "Niveau": [LEVEL_NAMES[min(d, len(LEVEL_NAMES) - 1)] for d in units["depth"]],
            "Enheds-id": units["unit_id"],
        },
        index=units.index,
    )
