"""POST /api/v1/events: what lands in the database, and what bad input gets instead."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import MAX_CONSENT_DAYS, ConsentEvent, DailyStat
from tests.conftest import ORIGIN, post_events
from tests.factories import IN_SIX_MONTHS, make_event, make_site

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
EVENT_COLUMNS = {
    "id", "site_id", "created_at", "action", "categories", "services", "policy_version",
    "banner_version", "texts_hash", "language", "layer", "signal", "expires_at",
    "device_class", "consent_hash",
}  # fmt: skip


def stored_events() -> list[ConsentEvent]:
    return list(db.session.scalars(sa.select(ConsentEvent).order_by(ConsentEvent.id)))


def test_beacon_event_is_stored_anonymized(client, site):
    body = make_event(site)
    response = post_events(
        client, body, **{"User-Agent": IPHONE, "X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "198.51.100.23"},
    )  # fmt: skip
    assert response.status_code == 202
    assert response.json == {"accepted": 1}

    [row] = stored_events()
    assert row.site_id == site.id
    assert row.action == "accept_all"
    assert row.categories == ["analytics", "marketing", "necessary"]
    assert row.services == ["google_analytics", "yandex_metrica"]
    assert row.device_class == "mobile"
    assert row.language == "kk"
    assert row.expires_at.isoformat() == IN_SIX_MONTHS
    # Nothing identifying is kept: no IP, no user-agent string, no raw consent ID.
    assert {c.name for c in ConsentEvent.__table__.columns} == EVENT_COLUMNS
    raw = db.session.execute(sa.text("SELECT * FROM consent_events")).one()
    stored = " ".join(str(value) for value in raw)
    for secret in (body["consent_id"], "198.51.100.23", "203.0.113.7", "iPhone", "Mozilla"):
        assert secret not in stored
    assert len(row.consent_hash) == 64


def test_batch_is_stored_and_counted_in_daily_stats(client, site):
    visitor = str(uuid.uuid4())
    batch = {
        "events": [
            make_event(site, consent_id=None, action="shown", categories=[], services=[]),
            make_event(site, consent_id=visitor, action="custom", categories=["analytics"]),
            make_event(site, action="reject_all", categories=[], services=[], language="ru"),
        ]
    }
    response = post_events(client, batch, content_type="application/json")
    assert response.status_code == 202
    assert response.json == {"accepted": 3}
    assert [e.action for e in stored_events()] == ["shown", "custom", "reject_all"]

    stats = {s.language: s for s in db.session.scalars(sa.select(DailyStat).order_by(DailyStat.id))}
    assert (stats["kk"].shown, stats["kk"].custom, stats["kk"].granted_analytics) == (1, 1, 1)
    assert stats["kk"].granted_marketing == 0
    assert (stats["ru"].reject_all, stats["ru"].granted_analytics) == (1, 0)
    assert {s.device_class for s in stats.values()} == {"desktop"}


def test_an_impression_is_stored_without_any_identifier(client, site):
    impression = make_event(site, action="shown", categories=[], services=[], expires_at=None)
    del impression["consent_id"]
    assert post_events(client, impression).status_code == 202
    # Earlier widgets sent the visitor's ID with it: accepted, and not kept either.
    with_id = impression | {"consent_id": str(uuid.uuid4())}
    assert post_events(client, with_id).status_code == 202
    assert [(e.action, e.consent_hash) for e in stored_events()] == [("shown", None)] * 2
    [row] = db.session.scalars(sa.select(DailyStat)).all()
    assert row.shown == 2


def test_daily_stats_accumulate_across_requests(client, site):
    for _ in range(3):
        assert post_events(client, make_event(site)).status_code == 202
    assert (
        post_events(client, make_event(site, action="withdraw", categories=[])).status_code == 202
    )
    [row] = db.session.scalars(sa.select(DailyStat)).all()
    assert (row.accept_all, row.withdraw, row.granted_analytics, row.granted_marketing) == (
        3, 1, 3, 3,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (IPHONE, "mobile"),
        (
            "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
            "tablet",
        ),
        ("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", "bot"),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
            "desktop",
        ),
        ("", "desktop"),
    ],
)
def test_device_class_is_derived_from_user_agent(client, site, user_agent, device):
    assert post_events(client, make_event(site), **{"User-Agent": user_agent}).status_code == 202
    assert stored_events()[0].device_class == device


def test_subdomains_need_the_explicit_setting(client):
    strict = make_site(domains=["kino.kz"])
    lenient = make_site(domains=["school.kz"], allow_subdomains=True)
    db.session.commit()
    assert post_events(client, make_event(strict), origin="https://www.kino.kz").status_code == 403
    assert post_events(client, make_event(strict), origin="https://kino.kz:8443").status_code == 202
    assert (
        post_events(client, make_event(lenient), origin="https://lessons.school.kz").status_code
        == 202
    )
    assert (
        post_events(client, make_event(lenient), origin="https://evilschool.kz").status_code == 403
    )


def test_cors_lets_the_sites_own_pages_read_the_answer(client, site):
    response = post_events(client, make_event(site))
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    preflight = client.options(
        "/api/v1/events",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]


HUGE_INTEGER_MARK = "HUGE-INTEGER"


def days_from_now(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def _bad_inputs():
    """(name, build(site) -> kwargs for post_events(), expected status, expected error code)."""
    return [
        ("malformed json", lambda s: {"body": '{"site": '}, 400, "malformed_json"),
        ("not utf-8", lambda s: {"body": b"\xff\xfe{}"}, 400, "malformed_json"),
        ("json array", lambda s: {"body": [make_event(s)]}, 422, "invalid_input"),
        ("nested too deep", lambda s: {"body": "[" * 8000 + "]" * 8000}, 400, "malformed_json"),
        ("wrong type", lambda s: {"body": make_event(s, policy_version="1")}, 422, "invalid_input"),
        ("bad action", lambda s: {"body": make_event(s, action="maybe")}, 422, "invalid_input"),
        ("decision without a consent ID",
         lambda s: {"body": make_event(s, consent_id=None)}, 422, "invalid_input"),
        ("bad category", lambda s: {"body": make_event(s, categories=["ads"])},
         422, "invalid_input"),
        ("bad consent id", lambda s: {"body": make_event(s, consent_id="123")},
         422, "invalid_input"),
        ("missing field",
         lambda s: {"body": {k: v for k, v in make_event(s).items() if k != "action"}},
         422, "invalid_input"),
        ("unknown field", lambda s: {"body": make_event(s, ip="198.51.100.1")},
         422, "invalid_input"),
        ("far expiry", lambda s: {"body": make_event(s, expires_at="2099-01-01T00:00:00Z")}, 422,
         "invalid_input"),
        ("expiry past 13 months",
         lambda s: {"body": make_event(s, expires_at=days_from_now(MAX_CONSENT_DAYS + 2))},
         422, "invalid_input"),
        ("expiry in year 1", lambda s: {"body": make_event(s, expires_at="0001-01-01T00:00:00Z")},
         422, "invalid_input"),
        ("expiry in year 1 east of UTC",
         lambda s: {"body": make_event(s, expires_at="0001-01-01T00:00:00+14:00")},
         422, "invalid_input"),
        ("expiry in year 9999 west of UTC",
         lambda s: {"body": make_event(s, expires_at="9999-12-31T23:59:59-14:00")},
         422, "invalid_input"),
        ("expired", lambda s: {"body": make_event(s, expires_at=days_from_now(-2))}, 422,
         "invalid_input"),
        ("integer of 4301 digits",
         lambda s: {"body": json.dumps(make_event(s, policy_version=HUGE_INTEGER_MARK))
                    .replace(f'"{HUGE_INTEGER_MARK}"', "1" * 4301)},
         400, "malformed_json"),
        ("unknown site", lambda s: {"body": make_event(s, site="no-such-site")},
         404, "unknown_site"),
        ("NUL in site key", lambda s: {"body": make_event(s, site="a\u0000b")},
         422, "invalid_input"),
        ("foreign origin", lambda s: {"body": make_event(s), "origin": "https://evil.example"}, 403,
         "origin_not_allowed"),
        ("missing origin", lambda s: {"body": make_event(s), "origin": None}, 403,
         "origin_not_allowed"),
        ("unparsable origin", lambda s: {"body": make_event(s), "origin": "http://["}, 403,
         "origin_not_allowed"),
        ("oversized body", lambda s: {"body": make_event(s) | {"pad": "y" * 20000}}, 413,
         "request_entity_too_large"),
        ("wrong content type", lambda s: {"body": make_event(s), "content_type": "application/xml"},
         415,
         "unsupported_media_type"),
        ("form post",
         lambda s: {"body": "site=x", "content_type": "application/x-www-form-urlencoded"},
         415, "unsupported_media_type"),
        ("batch too large", lambda s: {"body": {"events": [make_event(s)] * 21}},
         422, "invalid_input"),
        ("empty batch", lambda s: {"body": {"events": []}}, 422, "invalid_input"),
        ("batch with one bad event",
         lambda s: {"body": {"events": [make_event(s), make_event(s, language="de")]}},
         422, "invalid_input"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("build", "status", "code"),
    [case[1:] for case in _bad_inputs()],
    ids=[case[0] for case in _bad_inputs()],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(client, site, build, status, code):
    kwargs = build(site)
    response = post_events(client, kwargs.pop("body"), **kwargs)
    assert response.status_code == status
    assert response.is_json
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    assert stored_events() == []
    assert db.session.scalars(sa.select(DailyStat)).all() == []


def test_field_errors_name_the_field(client, site):
    response = post_events(client, make_event(site, policy_version="1", language="de", extra=1))
    fields = response.json["error"]["fields"]
    assert set(fields) == {"policy_version", "language", "extra"}


class TestRateLimit:
    @pytest.fixture(params=["memory://", "redis://127.0.0.1:6379"])
    def app_config(self, request):
        """In memory for one server, in Redis for several."""
        return {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_EVENTS": "3 per minute",
            "RATELIMIT_STORAGE_URL": request.param,
        }

    @pytest.fixture(autouse=True)
    def fresh_counters(self, app):
        app.extensions["kelisim.rate_limits"].reset()

    def test_too_many_requests_from_one_ip(self, client, site):
        statuses = [post_events(client, make_event(site)).status_code for _ in range(5)]
        assert statuses == [202, 202, 202, 429, 429]
        response = post_events(client, make_event(site))
        assert response.json["error"]["code"] == "too_many_requests"
        assert 1 <= int(response.headers["Retry-After"]) <= 60
        assert len(stored_events()) == 3
        # Another address has its own allowance.
        other = client.post(
            "/api/v1/events",
            data=json.dumps(make_event(site)),
            content_type="text/plain",
            headers={"Origin": "https://example.kz"},
            environ_base={"REMOTE_ADDR": "192.0.2.7"},
        )
        assert other.status_code == 202


class TestRateLimitStorageDown:
    @pytest.fixture
    def app_config(self):
        # Nothing listens on port 1: every counter operation fails.
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URL": "redis://127.0.0.1:1"}

    def test_a_consent_is_still_recorded(self, client, site):
        assert post_events(client, make_event(site)).status_code == 202
        assert len(stored_events()) == 1


@pytest.mark.parametrize(
    ("services", "kept"),
    [
        (["-2-3"], []),
        (["meta_pixel"], []),
        (["yandex_metrica", "meta_pixel"], ["yandex_metrica"]),
        (["google_analytics.webvisor"], []),
    ],
)
def test_a_service_the_site_does_not_configure_is_left_out(client, site, services, kept):
    """The decision is stored; an id that is not the site's never reaches its rows (nor its
    events.csv, where `-2-3` would be a formula)."""
    response = post_events(client, make_event(site, services=services))

    assert response.status_code == 202
    assert [event.services for event in stored_events()] == [kept]


def test_a_decision_sent_after_its_service_was_removed_is_kept(client, site):
    """A resend from the widget's queue, or a loader cached for five minutes, may grant a
    service the owner has just removed: the visitor's decision still counts."""
    event = make_event(site)
    removed = next(service for service in site.services if service.slug == "google_analytics")
    db.session.delete(removed)
    db.session.commit()

    response = post_events(client, event)

    assert response.status_code == 202
    assert [row.services for row in stored_events()] == [["yandex_metrica"]]


def test_what_the_widget_grants_is_accepted(client, site):
    """Every service of the site, and Metrica's session recording as "<id>.webvisor"."""
    granted = ["yandex_metrica", "yandex_metrica.webvisor", "google_analytics"]

    response = post_events(client, make_event(site, services=granted))

    assert response.status_code == 202
    assert stored_events()[0].services == sorted(granted)
