"""The in-memory rate-limit counters: still counting, swept, without a thread per hit."""

import time

import limits.storage.memory
from limits import parse, strategies

from backend.ratelimit import MemoryCounters


def counting_timers(monkeypatch) -> list:
    """Record every sweep timer the storage starts."""
    started = []

    class CountedTimer(limits.storage.memory.threading.Timer):
        def start(self) -> None:
            started.append(self)
            super().start()

    monkeypatch.setattr(limits.storage.memory.threading, "Timer", CountedTimer)
    return started


def test_hits_start_a_sweep_at_most_once_a_second(monkeypatch):
    started = counting_timers(monkeypatch)
    limiter = strategies.FixedWindowRateLimiter(MemoryCounters("memory://"))
    limit = parse("1000 per minute")
    for _ in range(30):  # spaced wider than the library's 10 ms timer
        assert limiter.hit(limit, "post_events", "198.51.100.23")
        time.sleep(0.012)
    # The library alone starts one per hit here; the constructor's own counts as one.
    assert len(started) <= 2
    assert limiter.get_window_stats(limit, "post_events", "198.51.100.23").remaining == 970


def test_counters_of_clients_that_left_are_swept(monkeypatch):
    monkeypatch.setattr(MemoryCounters, "SWEEP_SECONDS", 0.05)
    counters = MemoryCounters("memory://")
    limiter = strategies.FixedWindowRateLimiter(counters)
    limit = parse("5 per 1 second")
    limiter.hit(limit, "post_events", "198.51.100.23")
    assert len(counters.storage) == 1
    time.sleep(1.1)  # the first client's window ends; it does not come back
    limiter.hit(limit, "post_events", "203.0.113.7")
    time.sleep(0.2)  # the sweep runs 10 ms after it is scheduled
    keys = list(counters.storage)
    assert len(keys) == 1 and "203.0.113.7" in keys[0]
