"""Figures pages ask for on every rerun, kept until the database changes.

A Streamlit page reruns on every click, and dashboards ask for the same whole-tree summary
several times per run. A result is kept under the store's generation, which changes with every
committed write (an import, a setting, a submitted answer), so a kept result is never stale.
Kept results are shared between sessions: they are already protected, and each page still
picks out only what its user may see.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from trivsel.store import Store

T = TypeVar("T")
MAX_ENTRIES = 64  # a few pages × periods × units; a national summary is a few MB

_entries: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()


def memoised(store: Store, name: str, args: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """compute(), or the result it gave for the same name and args at the store's current generation."""
    key = (store.generation, name, *args)
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
    value = compute()  # outside the lock: two sessions may compute the same thing once each
    with _lock:
        _entries[key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def forget() -> None:
    """Drop every kept result (benchmarks time the work a first visit does)."""
    with _lock:
        _entries.clear()
