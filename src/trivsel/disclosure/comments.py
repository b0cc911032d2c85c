"""Free-text comments: shown only for large enough groups, shuffled, undated, names removed."""

from __future__ import annotations

import random
import re
from functools import cache, lru_cache
from importlib import resources

NAME_MARK = "[navn]"

# A word with any words hyphen-joined to it ("Anne-Mette", "Jørgen-gruppen") and a genitive apostrophe:
# "'s" after any word, a bare "'" only after s, x or z ("Lars'", "Max'").
_WORD = re.compile(r"(?P<chain>[^\W\d_]+(?:-[^\W\d_]+)*)(?P<genitive>['’][sS]\b|(?<=[sxzSXZ])['’])?")
# What may stand between a sentence's end and its first word: spaces, quotes, brackets, dashes, bullets.
_BEFORE_WORD = frozenset(" \t\r\xa0\"'«»“”„‘’([{-–—•*")
_SENTENCE_END = frozenset(".!?…\n")
_NAME, _NAME_OR_WORD = 2, 1


@cache
def _lines(filename: str) -> frozenset[str]:
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=16)
def _vocabulary(extra_names: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The names to redact, and those of them that are also everyday words; the caller's names are sure names."""
    extra = {n.lower() for n in extra_names}
    return _lines("fornavne.txt") | extra, _lines("almindelige_ord.txt") - extra


def _starts_sentence(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in _BEFORE_WORD:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _capitalised(word: str) -> bool:
    return word[0].isupper() and not word[1:].isupper()


def redact_names(text: str, extra_names: frozenset[str] = frozenset()) -> str:
    """The text with every first name replaced by NAME_MARK, in one pass over its words.

    A name goes in any case, in the genitive (Mettes, Mette's, Lars') and as either half of a double
    name. A name that is also an everyday word (almindelige_ord.txt: dag, per, hans, rose) goes only
    when it is capitalised and does not start a sentence, or is hyphen-joined to another name.
    """
    names, words = _vocabulary(frozenset(extra_names))

    def kind(part: str) -> int:
        low = part.lower()
        if low in names:
            base = low
        elif low[-1] == "s" and low[:-1] in names:
            base = low[:-1]
        else:
            return 0
        return _NAME_OR_WORD if low in words or base in words else _NAME

    def replace(match: re.Match) -> str:
        chain = match["chain"]
        if "-" not in chain and not kind(chain):
            return match[0]  # most words: no name, nothing more to look at
        parts = chain.split("-")
        kinds = [kind(p) for p in parts]
        if not any(kinds):
            return match[0]
        sure = _NAME in kinds
        is_name = [
            k == _NAME
            or (k == _NAME_OR_WORD and _capitalised(p) and (sure or i > 0 or not _starts_sentence(text, match.start())))
            for i, (p, k) in enumerate(zip(parts, kinds))
        ]
        if all(is_name):
            return NAME_MARK
        shown = "-".join(NAME_MARK if n else p for p, n in zip(parts, is_name))
        return shown if is_name[-1] else shown + (match["genitive"] or "")

    return _WORD.sub(replace, text)


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
