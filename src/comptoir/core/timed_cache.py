"""A small per-process cache whose entries expire: for rows that change rarely and are read on
every request (a brand, a catalog page). Each process holds its own; nothing is shared."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any


class TimedCache:
    """A dict whose entries are forgotten `seconds()` after they were stored (0: nothing is kept).

    `seconds` is read at each call, so a setting can change it; the cache empties itself when it
    reaches `max_entries`, which bounds its memory whatever the keys requests make up.
    """

    def __init__(self, seconds: Callable[[], float], *, max_entries: int = 1000):
        self._seconds = seconds
        self._max_entries = max_entries
        self._entries: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable) -> Any | None:
        entry = self._entries.get(key)
        if entry is None or time.monotonic() - entry[0] >= self._seconds():
            return None
        return entry[1]

    def put(self, key: Hashable, value: Any) -> None:
        if self._seconds() <= 0:
            return
        if len(self._entries) >= self._max_entries:
            self._entries.clear()
        self._entries[key] = (time.monotonic(), value)
