"""A per-session limit on wrong codes: after five, each further try waits 5 s, 10 s, 20 s … up to 5 min.

Only distinct wrong codes count, so a rerun of a page with a wrong code in its link counts once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from time import monotonic

import streamlit as st

from trivsel import code_guesses
from trivsel.store import Store
from trivsel.surveys.rounds import hash_code


@dataclass
class _Tries:
    wrong: set[str] = field(default_factory=set)  # hashes of the distinct wrong codes
    next_try: float = 0.0  # monotonic time before which a try is refused


def _tries(kind: str) -> _Tries:
    return st.session_state.setdefault(f"wrong_codes_{kind}", _Tries())


def wait_message(kind: str) -> str | None:
    """A Danish refusal while this session must wait, else None (then look the code up)."""
    left = math.ceil(_tries(kind).next_try - monotonic())
    if left <= 0:
        return None
    return f"For mange forkerte koder. Vent {left} {'sekund' if left == 1 else 'sekunder'}, og prøv igen."


def note_wrong(store: Store, kind: str, code: str) -> None:
    tries = _tries(kind)
    digest = hash_code(code)
    if digest in tries.wrong:
        return
    tries.wrong.add(digest)
    code_guesses.record_wrong(store, kind, len(tries.wrong))
    tries.next_try = monotonic() + code_guesses.wait_seconds(len(tries.wrong))
