"""Receipts: an owner looks up a visitor's consent ID and sees their history with the exact
banner texts of each decision."""

import uuid

import pytest

from backend.extensions import db
from tests.conftest import post_events
from tests.dashboard.conftest import csrf_token
from tests.factories import make_event, make_service


def receipts_url(site) -> str:
    return f"/dashboard/sites/{site.public_key}/receipts"


def look_up(client, site, consent_id: str, token: bool = True):
    data = {"consent_id": consent_id}
    if token:
        data["csrf_token"] = csrf_token(client, "/dashboard/")
    return client.post(receipts_url(site), data=data)


@pytest.fixture
def visitor(client, people) -> str:
    """A visitor who accepted Metrica in Kazakh on the texts the widget served, then withdrew
    after the owner changed the title (a new banner version)."""
    site = people["site"]
    site.domains = ["example.kz"]
    site.texts = {"kk": {"title": "Біз cookie қолданамыз"}}
    make_service(site, "yandex_metrica", options={"counter_id": "12345678", "webvisor": False})
    db.session.commit()
    consent_id = str(uuid.uuid4())
    config = client.get(f"/api/v1/sites/{site.public_key}/config").json
    accepted = make_event(
        site,
        consent_id=consent_id,
        language="kk",
        banner_version=config["version"],
        texts_hash=config["texts_hash"]["kk"],
    )
    assert post_events(client, accepted).status_code == 202
    site.texts = {"kk": {"title": "Жаңа тақырып"}}
    db.session.commit()
    withdrawn = make_event(
        site,
        consent_id=consent_id,
        action="withdraw",
        categories=["necessary"],
        services=[],
        language="kk",
        banner_version=site.config_version,
        texts_hash="f" * 64,  # not what this version says
    )
    assert post_events(client, withdrawn).status_code == 202
    return consent_id


def test_an_owner_sees_the_history_with_the_exact_texts(signed_in, people, visitor):
    response = look_up(signed_in("owner"), people["site"], visitor.upper())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert page.index("Принял всё") < page.index("Отозвал согласие")  # oldest first
    assert "Аналитические, Маркетинговые" in page  # categories named, not coded
    assert "yandex_metrica" in page
    assert "Біз cookie қолданамыз" in page  # the title the acceptance was made on
    assert "Барлығын қабылдау" in page  # its button, as the widget showed it
    assert "150440012344" in page  # the legal notice with the operator's BIN
    assert "посетитель видел именно эти слова" in page
    # The withdrawal's hash does not match its version: said plainly.
    assert "Жаңа тақырып" in page
    assert "не совпадает с текстами версии" in page


def test_a_version_that_was_never_recorded_is_said_so(client, signed_in, people):
    site = people["site"]
    site.domains = ["example.kz"]
    db.session.commit()
    consent_id = str(uuid.uuid4())
    post_events(client, make_event(site, consent_id=consent_id, banner_version=999))
    page = look_up(signed_in("owner"), site, consent_id).get_data(as_text=True)
    assert "Версия баннера 999 не сохранена" in page


def test_the_id_never_lands_in_a_url(signed_in, people):
    page = signed_in("owner").get(receipts_url(people["site"])).get_data(as_text=True)
    assert 'method="post"' in page and 'name="consent_id"' in page


def test_an_unknown_id_says_nothing_is_recorded(signed_in, people, visitor):
    response = look_up(signed_in("owner"), people["site"], str(uuid.uuid4()))
    assert response.status_code == 200
    assert "не записано ни одного согласия" in response.get_data(as_text=True)


def test_a_visitor_of_this_site_is_not_found_on_another(signed_in, people, visitor):
    client = signed_in("outsider")
    response = look_up(client, people["other"], visitor)
    assert response.status_code == 200
    assert "не записано ни одного согласия" in response.get_data(as_text=True)


@pytest.mark.parametrize("bad", ["not-a-uuid", "", "3f2b8c1e-5d4a-4b6f-9e2d-7a1c0b9e8f2"])
def test_a_malformed_id_is_refused_with_a_message(signed_in, people, bad):
    response = look_up(signed_in("owner"), people["site"], bad)
    assert response.status_code == 422
    assert "errors" in response.get_data(as_text=True)


def test_a_lookup_without_the_csrf_token_is_refused(signed_in, people, visitor):
    response = look_up(signed_in("owner"), people["site"], visitor, token=False)
    assert response.status_code == 400
    assert "Біз cookie" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("editor", 403), ("viewer", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_only_owners_look_up_receipts(signed_in, people, visitor, who, status):
    client = signed_in(who)
    page = "/login" if who == "anonymous" else "/dashboard/"
    data = {"consent_id": visitor, "csrf_token": csrf_token(client, page)}
    response = client.post(receipts_url(people["site"]), data=data)
    assert response.status_code == status
    assert ("Біз cookie қолданамыз" in response.get_data(as_text=True)) == (who == "owner")


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_DASHBOARD_RECEIPTS": "2 per minute",
        }

    def test_lookups_are_limited(self, signed_in, people):
        client = signed_in("owner")
        statuses = [
            look_up(client, people["site"], str(uuid.uuid4())).status_code for _ in range(3)
        ]
        assert statuses == [200, 200, 429]
