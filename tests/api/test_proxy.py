"""Behind a reverse proxy: the real client, its own rate-limit allowance, per-process shares."""

import secrets

import pytest

from backend import create_app
from backend.extensions import db
from tests.conftest import config_for_tests, post_events
from tests.factories import make_event

PROXY = "10.0.0.1"  # every request reaches the app from the proxy's address


def random_client() -> str:
    """An address no other test run uses (Redis counters outlive a run)."""
    return f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"


def from_client(client, site, address: str, forwarded_for: str | None = None):
    return post_events(
        client,
        make_event(site),
        environ_base={"REMOTE_ADDR": PROXY},
        **{"X-Forwarded-For": forwarded_for or address},
    )


class TestBehindOneProxy:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_EVENTS": "2 per minute", "PROXY_HOPS": 1}

    def test_each_visitor_has_their_own_allowance(self, client, site):
        visitors = [random_client() for _ in range(5)]
        assert [from_client(client, site, v).status_code for v in visitors] == [202] * 5
        again = [from_client(client, site, visitors[0]).status_code for _ in range(2)]
        assert again == [202, 429]

    def test_a_made_up_forwarded_for_does_not_buy_a_new_allowance(self, client, site):
        # The proxy appends the real address to what the client sent; only that one counts.
        real = random_client()
        statuses = [
            from_client(client, site, real, f"{random_client()}, {real}").status_code
            for _ in range(3)
        ]
        assert statuses == [202, 202, 429]


class TestWithoutProxy:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_EVENTS": "2 per minute"}

    def test_forwarded_for_is_ignored(self, client, site):
        statuses = [from_client(client, site, random_client()).status_code for _ in range(3)]
        assert statuses == [202, 202, 429]


class TestMemoryCountersPerProcess:
    @pytest.fixture
    def app_config(self):
        return {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_EVENTS": "8 per minute",
            "RATELIMIT_PROCESSES": 4,
        }

    def test_each_process_allows_its_share(self, client, site):
        statuses = [from_client(client, site, PROXY).status_code for _ in range(3)]
        assert statuses == [202, 202, 429]


def test_redis_counters_are_shared_by_every_process(database_url, site):
    config = config_for_tests(
        database_url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_EVENTS="2 per minute",
        RATELIMIT_STORAGE_URL="redis://127.0.0.1:6379",
        RATELIMIT_PROCESSES=4,  # ignored: the counters are shared
        PROXY_HOPS=1,
    )
    apps = [create_app(config) for _ in range(2)]
    visitor = random_client()
    try:
        statuses = [
            from_client(apps[i % 2].test_client(), site, visitor).status_code for i in range(3)
        ]
    finally:
        for app in apps:
            with app.app_context():
                db.engine.dispose()
    assert statuses == [202, 202, 429]
