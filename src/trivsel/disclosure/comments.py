"""Free-text comments: shown only for large enough groups, shuffled, undated, names removed."""

from __future__ import annotations

import random
import re
from functools import cache
from importlib import resources

NAME_MARK = "[navn]"


@cache
def _common_first_names() -> frozenset[str]:
    text = resources.files(__package__).joinpath("fornavne.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def redact_names(text: str, extra_names: frozenset[str] = frozenset()) -> str:
    names = _common_first_names() | {n.lower() for n in extra_names}

    def replace(match: re.Match) -> str:
        return NAME_MARK if match.group(0).lower() in names else match.group(0)

    return re.sub(r"\b[A-ZÆØÅ][a-zæøåé]+\b", replace, text)


def visible_comments(
    comments: list[str], respondents: int, threshold: int, extra_names: frozenset[str] = frozenset()
) -> list[str] | None:
    """The comments to show for a group, or None when the group is under the comment threshold.

    The order is shuffled with the system's randomness, so it says nothing about who answered
    when; the caller never passes dates.
    """
    if respondents < threshold:
        return None
    shown = [redact_names(c, extra_names) for c in comments if c and c.strip()]
    random.SystemRandom().shuffle(shown)
    return shown
