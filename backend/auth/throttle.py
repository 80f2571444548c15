"""Brute-force limits on signing in, on asking for password-reset links and on signing up.

Figures (config RATELIMIT_SIGN_IN_*, RATELIMIT_PASSWORD_RESET_*, RATELIMIT_SIGN_UP_IP):
- Sign-in, per account: 5 failures per 15 minutes. A person who mistyped waits minutes at
  most; a guesser gets under 500 tries a day, hopeless against a password of 10 or more
  characters. Only failures count, and a successful sign-in clears the account's count.
  The account is the e-mail as typed, whether or not it exists, so that being blocked tells
  nobody which accounts exist.
- Sign-in, per IP: 30 failures per 15 minutes. Mobile operators put thousands of
  subscribers behind one address (carrier-grade NAT), so an address is not a person: the
  figure lets a whole office mistype now and then, and still stops one address from
  spraying one password over many accounts. Success does not clear it (one's own account
  would otherwise reset the count between guesses at others).
- Password-reset requests: every request counts, as each may send a letter: 5 per e-mail
  per hour (nobody's mailbox is flooded), 30 per IP per hour.
- Sign-up (when open): 10 accounts per IP per hour.
While blocked, nothing is checked: not the password, not whether the account exists.
The counters are fixed windows (backend/ratelimit.py): at a window's edge twice a limit can
pass in a row, which changes none of the figures per day. Counted in memory, each of the
KELISIM_RATELIMIT_PROCESSES processes allows its share (rounded up: with 4 workers an
account gets 2 failures per worker, at most 8 in all, where 4 full limits would allow 20);
counted in Redis, the figures hold exactly.
"""

import hashlib
from dataclasses import dataclass

from flask import current_app, request

from backend.ratelimit import current_limits, parse_limit


@dataclass(frozen=True)
class Throttle:
    """Counters of one action: per account (config key, or None) and per IP (config key)."""

    action: str
    account_limit: str | None
    ip_limit: str


SIGN_IN = Throttle("sign_in", "RATELIMIT_SIGN_IN_ACCOUNT", "RATELIMIT_SIGN_IN_IP")
PASSWORD_RESET = Throttle(
    "password_reset", "RATELIMIT_PASSWORD_RESET_ACCOUNT", "RATELIMIT_PASSWORD_RESET_IP"
)
SIGN_UP = Throttle("sign_up", None, "RATELIMIT_SIGN_UP_IP")


def _account_counter(throttle: Throttle, email: str) -> tuple:
    # A digest, so that the counters' storage (Redis) holds no e-mail addresses.
    key = hashlib.sha256(email.encode()).hexdigest()[:32]
    return _limit(throttle.account_limit), f"{throttle.action}:account", key


def _limit(config_key: str):
    """The configured limit as this process enforces it (its share, with memory counters)."""
    return parse_limit(current_app.config[config_key], current_limits().processes)


def _counters(throttle: Throttle, email: str) -> list[tuple]:
    ip = (_limit(throttle.ip_limit), f"{throttle.action}:ip")
    counters = [(*ip, request.remote_addr or "")]
    if throttle.account_limit is not None:
        counters.append(_account_counter(throttle, email))
    return counters


def seconds_blocked(throttle: Throttle, email: str = "") -> int | None:
    """How long this e-mail or this address must wait before trying again; None: no wait."""
    limits = current_limits()
    if not limits.enabled:
        return None
    waits = [limits.seconds_until_allowed(*counter) for counter in _counters(throttle, email)]
    return max((wait for wait in waits if wait is not None), default=None)


def count_attempt(throttle: Throttle, email: str = "") -> None:
    """Count one attempt (a failed sign-in, a reset request, a sign-up)."""
    limits = current_limits()
    if limits.enabled:
        for counter in _counters(throttle, email):
            limits.count(*counter)


def forget_account(throttle: Throttle, email: str) -> None:
    """The account's owner proved who they are: their earlier failures no longer count."""
    limits = current_limits()
    if limits.enabled:
        limits.forget(*_account_counter(throttle, email))
