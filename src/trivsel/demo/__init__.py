"""The demo municipality, in three parts: the units, staff, sickness absence and demo users
(`municipality`, which also loads everything), the trivsel rounds with their answers (`surveys`) and
the supervision requests (`supervision`).

Deterministic: the same seed and the same `today` give the same database.
"""

from trivsel.demo.municipality import (
    DEMO_PASSWORD,
    DEMO_USERS,
    FTE_WEIGHTS,
    HISTORY_START,
    JOB_WEIGHTS,
    DemoData,
    generate,
    is_empty,
    load,
)

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "FTE_WEIGHTS",
    "HISTORY_START",
    "JOB_WEIGHTS",
    "DemoData",
    "generate",
    "is_empty",
    "load",
]
