"""The timed cache forgets an entry after its time to live, and keeps nothing when that is 0."""

from __future__ import annotations

from comptoir.core import timed_cache
from comptoir.core.timed_cache import TimedCache


def test_an_entry_is_kept_for_its_time_to_live_then_forgotten(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(timed_cache.time, "monotonic", lambda: clock[0])
    cache = TimedCache(lambda: 5)
    cache.put("alme", "row")

    clock[0] = 104.9
    kept = cache.get("alme")
    clock[0] = 105.0

    assert (kept, cache.get("alme")) == ("row", None)


def test_a_time_to_live_of_zero_keeps_nothing():
    seconds = [5]
    cache = TimedCache(lambda: seconds[0])
    cache.put("kept", 1)
    seconds[0] = 0
    cache.put("not kept", 2)

    assert (cache.get("kept"), cache.get("not kept")) == (None, None)


def test_a_full_cache_starts_again_empty():
    cache = TimedCache(lambda: 5, max_entries=2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)

    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, None, 3)
