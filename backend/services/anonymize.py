"""Turning what a request reveals into the little an event may keep."""

import hashlib
import hmac
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from user_agents import parse as parse_user_agent


@lru_cache(maxsize=4096)
def device_class(user_agent: str | None) -> str:
    """desktop, mobile, tablet or bot; the user-agent string itself is never stored."""
    if not user_agent:
        return "desktop"
    agent = parse_user_agent(user_agent[:512])
    if agent.is_bot:
        return "bot"
    if agent.is_tablet:
        return "tablet"
    if agent.is_mobile:
        return "mobile"
    return "desktop"


def consent_id_key(config: Mapping[str, Any]) -> bytes:
    """The HMAC key for consent IDs, from the app's config: CONSENT_ID_KEY when set, else
    derived from SECRET_KEY (so the same IDs hash the same in every face and process)."""
    return _consent_id_key(config["SECRET_KEY"], config["CONSENT_ID_KEY"])


@lru_cache(maxsize=4)
def _consent_id_key(secret_key: str, configured: str | None) -> bytes:
    if configured:
        return configured.encode()
    return hmac.new(secret_key.encode(), b"kelisim consent-id key", hashlib.sha256).digest()


def consent_hash(key: bytes, consent_id: str) -> str:
    """Keyed hash of a visitor's consent ID, so only its holder can find its history."""
    return hmac.new(key, consent_id.lower().encode(), hashlib.sha256).hexdigest()
