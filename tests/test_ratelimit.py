"""The in-memory rate-limit counters: still counting, swept, without a thread per hit."""

import time

import limits.storage.memory
from limits import parse, strategies

from backend import ratelimit
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


def sweeps_done(started: list) -> None:
    """Wait until every sweep started so far has run."""
    for timer in started:
        timer.join(5)
        assert not timer.is_alive()


def test_hits_start_a_sweep_at_most_once_a_second(monkeypatch):
    started = counting_timers(monkeypatch)
    limiter = strategies.FixedWindowRateLimiter(MemoryCounters("memory://"))
    limit = parse("1000 per minute")
    for _ in range(30):
        assert limiter.hit(limit, "post_events", "198.51.100.23")
        # The library would start another timer on the next hit, its last one having run.
        sweeps_done(started)
    # The library alone starts one per hit here; the constructor's own counts as one.
    assert len(started) <= 2
    assert limiter.get_window_stats(limit, "post_events", "198.51.100.23").remaining == 970


class Clock:
    """Wall and monotonic time that move only when told."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    monotonic = time


def test_counters_of_clients_that_left_are_swept(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    monkeypatch.setattr(ratelimit, "time", clock)
    started = counting_timers(monkeypatch)
    counters = MemoryCounters("memory://")
    limiter = strategies.FixedWindowRateLimiter(counters)
    limit = parse("5 per 1 second")
    limiter.hit(limit, "post_events", "198.51.100.23")
    assert len(counters.storage) == 1
    sweeps_done(started)

    clock.now += MemoryCounters.SWEEP_SECONDS + 0.1  # the first client's window ends
    limiter.hit(limit, "post_events", "203.0.113.7")
    sweeps_done(started)  # the sweep this hit started
    keys = list(counters.storage)
    assert len(keys) == 1 and "203.0.113.7" in keys[0]
