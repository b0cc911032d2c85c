"""Figures pages ask for on every rerun, kept until the database changes.

A Streamlit page reruns on every click, and dashboards ask for the same whole-tree summary
several times per run. A result is kept under the store's generation, which changes with every
committed write (an import, a setting, a submitted answer), so a kept result is never stale.
Kept results are shared between sessions. Figures are kept after disclosure control, and each
page still picks out only what its user may see; the respondent scores they are made from
(views.surveys.respondents) are kept too, and no page or export shows those rows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from trivsel.store.database import Store

T = TypeVar("T")
MAX_ENTRIES = 256  # a few pages × periods × units, and ten years of survey rounds, one entry per round

_entries: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()


def memoised(store: Store, name: str, args: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """compute(), or the result it gave for the same name and args at the store's current generation."""
    return memoised_each(store, name, args, [None], lambda _: {None: compute()})[None]


def memoised_each(
    store: Store, name: str, args: tuple[Hashable, ...], items: list[Hashable], compute: Callable[[list], dict]
) -> dict:
    """{item: result} for each item; compute(missing) works out the items not kept yet in one call.

    Each item's result is kept on its own, so a later call for some of them (one round of a
    trend's forty) finds it.
    """
    generation = store.generation
    keys = {item: (generation, name, *args, item) for item in items}
    with _lock:
        found = {item: _entries[key] for item, key in keys.items() if key in _entries}
        for item in found:
            _entries.move_to_end(keys[item])
    missing = [item for item in items if item not in found]
    if missing:
        computed = compute(missing)  # outside the lock: two sessions may compute the same thing once each
        with _lock:
            for item in missing:
                _entries[keys[item]] = found[item] = computed[item]
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    return {item: found[item] for item in items}


def forget() -> None:
    """Drop every kept result, the unit tree included (benchmarks time the work a first visit does)."""
    with _lock:
        _entries.clear()
