"""Rate limits, counted by the `limits` library in memory or Redis: per IP on the public API,
and under any key (an account, an address) for the dashboard's sign-in (backend/auth/throttle.py).

The client IP (the real one behind KELISIM_PROXY_HOPS proxies) is a counter key there, for a
minute at most (a quarter of an hour for sign-in failures), and is stored nowhere else.
Memory counters are per process: each process allows its share of a limit
(KELISIM_RATELIMIT_PROCESSES), Redis counters are shared.
Flask-Limiter, built on the same library, runs request hooks for every request and
evaluates its limits anew each time: on a trivial view, in-process, Flask-Limiter 4.1 added
about 95 µs of CPU per request and this module 8 µs (2026-11; a hello-world request under
gunicorn costs about 300 µs in all). Here a limited view pays one counter increment and
nothing else pays anything.

Redis that is down or hung must not stop a visitor's consent or a sign-in: every call gives
up after REDIS_TIMEOUT_SECONDS, is not tried again, and the request is allowed; for
STORAGE_REST_SECONDS after a failure the storage is not asked at all (allowed, uncounted), so
a hung Redis costs one request that long, not every one. A URL's own `socket_timeout` /
`socket_connect_timeout` query parameters win over these.
"""

import logging
import math
import time
from collections.abc import Callable
from functools import lru_cache, wraps

from flask import Flask, current_app, request
from limits import RateLimitItem, parse, storage, strategies
from redis.backoff import NoBackoff
from redis.retry import Retry
from werkzeug.exceptions import TooManyRequests

log = logging.getLogger(__name__)

# A counter increment on Redis takes well under a millisecond; a request waits this long at
# most for one that does not answer (redis-py would otherwise wait for ever, and retry).
REDIS_TIMEOUT_SECONDS = 0.5
REDIS_OPTIONS = {
    "socket_timeout": REDIS_TIMEOUT_SECONDS,
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    "retry": Retry(NoBackoff(), 0),
}
STORAGE_REST_SECONDS = 2.0


@lru_cache(maxsize=16)
def parse_limit(text: str, processes: int = 1) -> RateLimitItem:
    """The limit as one of ``processes`` processes counting apart enforces it."""
    limit = parse(text)
    if processes <= 1:
        return limit
    return type(limit)(math.ceil(limit.amount / processes), limit.multiples, limit.namespace)


class MemoryCounters(storage.MemoryStorage):
    """limits' in-memory storage, sweeping out expired counters at most once a second.

    The library starts a timer thread for its sweep on every hit once the last one has run,
    10 ms later: up to 100 threads a second per worker under load, and each hit that starts
    one waits for the new thread to take the GIL from the busy request threads. A counter
    is dropped when read after its window anyway; the sweep only frees the memory of
    clients that did not come back, which a second's delay cannot hurt.
    """

    SWEEP_SECONDS = 1.0

    def __init__(self, uri: str | None = None, **options) -> None:
        self._next_sweep = 0.0
        super().__init__(uri, **options)

    # Overrides the library's private scheduling hook; tests/test_ratelimit.py notices if
    # an upgrade renames it.
    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_SECONDS
            super()._MemoryStorage__schedule_expiry()


class RateLimits:
    """The counters of one app: enabled or not, and where they live."""

    def __init__(self, app: Flask) -> None:
        self.enabled = app.config["RATELIMIT_ENABLED"]
        url = app.config["RATELIMIT_STORAGE_URL"]
        in_memory = url.startswith("memory://")
        if in_memory:
            self.storage: storage.Storage = MemoryCounters(url)
        elif url.startswith(("redis://", "rediss://", "redis+unix://")):
            self.storage = storage.storage_from_string(url, **REDIS_OPTIONS)
        else:
            self.storage = storage.storage_from_string(url)
        # Processes counting apart, each allowing its share of a limit.
        self.processes = max(1, app.config["RATELIMIT_PROCESSES"]) if in_memory else 1
        self.strategy = strategies.FixedWindowRateLimiter(self.storage)
        self._failed_at = -math.inf  # time.monotonic() of the storage's last failure

    def _resting(self) -> bool:
        """Whether the storage failed so lately that it is not asked."""
        return time.monotonic() - self._failed_at < STORAGE_REST_SECONDS

    def seconds_blocked(self, limit: RateLimitItem, scope: str, client: str) -> int | None:
        """Count one request; None while the client is within the limit, else how many
        seconds until its window ends."""
        return self._seconds_to_wait(self.strategy.hit, limit, scope, client)

    def seconds_until_allowed(self, limit: RateLimitItem, scope: str, key: str) -> int | None:
        """Count nothing; None while ``key`` has hits left under the limit, else how many
        seconds until its window ends."""
        return self._seconds_to_wait(self.strategy.test, limit, scope, key)

    def _seconds_to_wait(self, within, limit: RateLimitItem, scope: str, key: str) -> int | None:
        if self._resting():
            return None
        try:
            if within(limit, scope, key):
                return None
            reset_time = self.strategy.get_window_stats(limit, scope, key).reset_time
        except Exception:
            # Redis down must not turn a visitor's consent, or a sign-in, into an error.
            self._failed_at = time.monotonic()
            log.exception("Rate limit storage failed; request allowed")
            return None
        return max(1, math.ceil(reset_time - time.time()))

    def count(self, limit: RateLimitItem, scope: str, key: str) -> None:
        """Count one hit for ``key``, over the limit or not."""
        if self._resting():
            return
        try:
            self.strategy.hit(limit, scope, key)
        except Exception:
            self._failed_at = time.monotonic()
            log.exception("Rate limit storage failed; hit not counted")

    def forget(self, limit: RateLimitItem, scope: str, key: str) -> None:
        """Start ``key``'s count afresh."""
        if self._resting():
            return
        try:
            self.strategy.clear(limit, scope, key)
        except Exception:
            self._failed_at = time.monotonic()
            log.exception("Rate limit storage failed; count not cleared")

    def reset(self) -> None:
        self.storage.reset()


def init_app(app: Flask) -> None:
    app.extensions["kelisim.rate_limits"] = RateLimits(app)


def current_limits() -> RateLimits:
    """The counters of the app handling this request."""
    return current_app.extensions["kelisim.rate_limits"]


def client_address() -> str:
    return request.remote_addr or ""


def rate_limited(
    config_key: str,
    key: Callable[[], str] = client_address,
    scope: str | None = None,
    per: str = "from one address",
) -> Callable:
    """Limit a view by the limit in app.config[config_key] ("120 per minute"), per client
    IP, or per ``key()`` (said in the 429 as ``per``); views sharing a ``scope`` share a
    count (by default each view counts its own)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def limited_view(*args, **kwargs):
            limits = current_limits()
            if limits.enabled:
                limit = parse_limit(current_app.config[config_key], limits.processes)
                wait = limits.seconds_blocked(limit, scope or view.__name__, key())
                if wait is not None:
                    raise TooManyRequests(
                        f"More than {current_app.config[config_key]} {per}; try again later.",
                        retry_after=wait,
                    )
            return view(*args, **kwargs)

        return limited_view

    return decorator
