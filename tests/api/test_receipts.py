"""GET /api/v1/sites/<key>/receipts/<consent_id>: a visitor's own history."""

import uuid

import pytest

from backend.extensions import db
from tests.api.test_events import event, post
from tests.factories import make_site


def test_receipt_lists_the_visitors_events_in_order(client, site):
    visitor = str(uuid.uuid4())
    post(client, event(site, consent_id=visitor, action="accept_all"))
    post(client, event(site, consent_id=visitor, action="withdraw", categories=[], services=[]))
    post(client, event(site))  # someone else

    response = client.get(f"/api/v1/sites/{site.public_key}/receipts/{visitor.upper()}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json["consent_id"] == visitor
    assert [e["action"] for e in response.json["events"]] == ["accept_all", "withdraw"]
    first = response.json["events"][0]
    assert first["categories"] == ["analytics", "marketing", "necessary"]
    assert first["created_at"].endswith("+00:00")
    assert "consent_hash" not in first and "device_class" not in first


def test_receipt_is_per_site(client, site):
    visitor = str(uuid.uuid4())
    post(client, event(site, consent_id=visitor))
    other = make_site()
    db.session.commit()
    response = client.get(f"/api/v1/sites/{other.public_key}/receipts/{visitor}")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "no_receipt"


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/sites/{key}/receipts/00000000-0000-4000-8000-000000000000", 404, "no_receipt"),
        ("/api/v1/sites/{key}/receipts/not-a-uuid", 400, "invalid_consent_id"),
        ("/api/v1/sites/nope/receipts/00000000-0000-4000-8000-000000000000", 404, "unknown_site"),
        ("/api/v1/sites/a%00b/receipts/00000000-0000-4000-8000-000000000000", 404, "unknown_site"),
    ],
)
def test_receipt_errors(client, site, path, status, code):
    response = client.get(path.format(key=site.public_key))
    assert response.status_code == status
    assert response.json["error"]["code"] == code


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_RECEIPTS": "2 per minute"}

    @pytest.fixture(autouse=True)
    def fresh_counters(self, app):
        app.extensions["kelisim.rate_limits"].reset()

    def test_receipt_lookups_are_rate_limited(self, client, site):
        url = f"/api/v1/sites/{site.public_key}/receipts/{uuid.uuid4()}"
        assert [client.get(url).status_code for _ in range(3)] == [404, 404, 429]
