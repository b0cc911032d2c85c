"""Figures pages ask for on every rerun, kept until the database changes.

A Streamlit page reruns on every click, and dashboards ask for the same whole-tree summary
several times per run. A result is kept under the store's generation, which changes with every
committed write (an import, a setting, a submitted answer), so a kept result is never stale; a
figure made without the survey answers is kept under the generation that answers do not move.
Kept results are shared between sessions. Figures are kept after disclosure control, and each
page still picks out only what its user may see; the respondent scores they are made from
(views.surveys.respondents) are kept too, and no page or export shows those rows.

A file's generation only moves forward, so its results from an older generation can never be asked
for again: they are dropped as soon as a result of a newer one is kept (during a survey round every
answer moves the generation on, and the dead results held memory for nothing until the cache was full).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from trivsel.store.database import Store

T = TypeVar("T")
MAX_ENTRIES = 256  # a few pages × periods × units, and ten years of survey rounds, one entry per round

# (file, reads_answers, generation, name, *args, item) -> result
_entries: OrderedDict[tuple, object] = OrderedDict()
_newest: dict[tuple[str, bool], int] = {}  # per file and kind of generation, the newest a result is kept for
_lock = threading.Lock()


def memoised(
    store: Store, name: str, args: tuple[Hashable, ...], compute: Callable[[], T], *, reads_answers: bool = True
) -> T:
    """compute(), or the result it gave for the same name and args at the store's current generation."""
    return memoised_each(store, name, args, [None], lambda _: {None: compute()}, reads_answers=reads_answers)[None]


def memoised_each(
    store: Store,
    name: str,
    args: tuple[Hashable, ...],
    items: list[Hashable],
    compute: Callable[[list], dict],
    *,
    reads_answers: bool = True,
) -> dict:
    """{item: result} for each item; compute(missing) works out the items not kept yet in one call.

    Each item's result is kept on its own, so a later call for some of them (one round of a
    trend's forty) finds it. A figure made without the survey answers (`reads_answers` false: the absence
    figures, the unit tree) is kept under Store.generation_apart_from_answers, so answers do not drop it.
    """
    generation = store.generation if reads_answers else store.generation_apart_from_answers
    part = (store.key, reads_answers)
    keys = {item: (*part, generation, name, *args, item) for item in items}
    with _lock:
        found = {item: _entries[key] for item, key in keys.items() if key in _entries}
        for item in found:
            _entries.move_to_end(keys[item])
    missing = [item for item in items if item not in found]
    if missing:
        computed = compute(missing)  # outside the lock: two sessions may compute the same thing once each
        found |= computed
        with _lock:
            newest = _newest.get(part, generation)
            if generation > newest:
                for key in [key for key in _entries if key[:2] == part and key[2] < generation]:
                    del _entries[key]
            if generation >= newest:  # not kept when a write came while it was computed: it is dead already
                _newest[part] = generation
                _entries.update((keys[item], computed[item]) for item in missing)
                while len(_entries) > MAX_ENTRIES:
                    _entries.popitem(last=False)
    return {item: found[item] for item in items}


def forget() -> None:
    """Drop every kept result, the unit tree included (benchmarks time the work a first visit does)."""
    with _lock:
        _entries.clear()
        _newest.clear()
