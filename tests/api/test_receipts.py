"""POST /api/v1/sites/<key>/receipts: a visitor's own history, asked from the site's pages."""

import json
import uuid

import pytest

from backend.extensions import db
from tests.conftest import ORIGIN, post_events
from tests.factories import make_event, make_site


def ask(client, site_key: str, body, *, origin=ORIGIN, content_type="application/json"):
    headers = {"Origin": origin} if origin else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        f"/api/v1/sites/{site_key}/receipts", data=data, content_type=content_type, headers=headers
    )


def test_receipt_lists_the_visitors_events_in_order(client, site):
    visitor = str(uuid.uuid4())
    post_events(client, make_event(site, consent_id=visitor, action="accept_all"))
    post_events(
        client, make_event(site, consent_id=visitor, action="withdraw", categories=[], services=[])
    )
    post_events(client, make_event(site))  # someone else

    response = ask(client, site.public_key, {"consent_id": visitor.upper()})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.json["consent_id"] == visitor
    assert [e["action"] for e in response.json["events"]] == ["accept_all", "withdraw"]
    first = response.json["events"][0]
    assert first["categories"] == ["analytics", "marketing", "necessary"]
    assert first["created_at"].endswith("+00:00")
    assert "consent_hash" not in first and "device_class" not in first


def test_the_consent_id_is_never_in_a_url(client, site):
    visitor = str(uuid.uuid4())
    post_events(client, make_event(site, consent_id=visitor))
    assert client.get(f"/api/v1/sites/{site.public_key}/receipts/{visitor}").status_code == 404
    as_beacon = ask(client, site.public_key, {"consent_id": visitor}, content_type="text/plain")
    assert as_beacon.status_code == 200


def test_receipt_is_per_site(client, site):
    visitor = str(uuid.uuid4())
    post_events(client, make_event(site, consent_id=visitor))
    other = make_site(domains=["example.kz"])
    db.session.commit()
    response = ask(client, other.public_key, {"consent_id": visitor})
    assert response.status_code == 404
    assert response.json["error"]["code"] == "no_receipt"


NOBODY = {"consent_id": "00000000-0000-4000-8000-000000000000"}


@pytest.mark.parametrize(
    ("key", "body", "kwargs", "status", "code"),
    [
        ("{key}", NOBODY, {}, 404, "no_receipt"),
        ("{key}", {"consent_id": "not-a-uuid"}, {}, 422, "invalid_input"),
        ("{key}", {}, {}, 422, "invalid_input"),
        ("{key}", NOBODY | {"extra": 1}, {}, 422, "invalid_input"),
        ("{key}", "{", {}, 400, "malformed_json"),
        ("{key}", NOBODY, {"content_type": "application/xml"}, 415, "unsupported_media_type"),
        ("{key}", {"consent_id": "x" * 2000}, {}, 413, "request_entity_too_large"),
        ("{key}", NOBODY, {"origin": "https://evil.example"}, 403, "origin_not_allowed"),
        ("{key}", NOBODY, {"origin": None}, 403, "origin_not_allowed"),
        ("{key}", NOBODY, {"origin": "null"}, 403, "origin_not_allowed"),
        ("nope", NOBODY, {}, 404, "unknown_site"),
        ("a%00b", NOBODY, {}, 404, "unknown_site"),
    ],
)
def test_receipt_errors(client, site, key, body, kwargs, status, code):
    response = ask(client, key.format(key=site.public_key), body, **kwargs)
    assert response.status_code == status
    assert response.json["error"]["code"] == code


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [(ORIGIN, True), ("https://evil.example", False), ("null", False), ("http://[", False)],
)
def test_preflights_answer_only_a_sites_own_origins(client, site, origin, allowed):
    for path in ("/api/v1/events", f"/api/v1/sites/{site.public_key}/receipts"):
        response = client.options(
            path, headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
        )
        assert response.status_code == 204
        assert ("Access-Control-Allow-Origin" in response.headers) is allowed, path
        if allowed:
            assert response.headers["Access-Control-Allow-Origin"] == origin
            assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_RECEIPTS": "2 per minute"}

    @pytest.fixture(autouse=True)
    def fresh_counters(self, app):
        app.extensions["kelisim.rate_limits"].reset()

    def test_receipt_lookups_are_rate_limited(self, client, site):
        statuses = [ask(client, site.public_key, NOBODY).status_code for _ in range(3)]
        assert statuses == [404, 404, 429]
