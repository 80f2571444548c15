"""A site's configuration file in the dashboard: exported from the settings page, imported
over the site by its owners, and imported as a new site from the sites list."""

import io
import json

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import Membership, Role, Service, Site
from backend.services.site_config import config_json, export_config
from tests.dashboard.conftest import csrf_token, expected_status, text

HOSTILE = "<script>alert(1)</script>"
# A form of the site, as a file's documents section lists it.
FEEDBACK = {
    "name": "Обратная связь",
    "fields": ["email"],
    "purpose": "feedback",
    "storage_months": 36,
}


def settings_url(site: Site) -> str:
    return f"/dashboard/sites/{site.public_key}/settings"


def upload(client, url: str, data: bytes, page: str, **headers):
    """Send a file through the import form on ``page``, CSRF token included."""
    return client.post(
        url,
        data={"file": (io.BytesIO(data), "kelisim.json"), "csrf_token": csrf_token(client, page)},
        content_type="multipart/form-data",
        headers=headers,
    )


def a_file(source: Site, /, **changes) -> dict:
    """The site's export with a Metrica counter, and ``changes`` to its sections."""
    config = export_config(source)
    config["services"] = [
        {
            "kind": "yandex_metrica",
            "id": "metrica",
            "category": "analytics",
            "managed": False,
            "options": {"counter_id": "12345678", "webvisor": False},
        }
    ]
    for section, values in changes.items():
        config[section] |= values
    return config


@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "outsider"])
def test_everyone_who_sees_the_settings_exports_the_configuration(signed_in, people, who):
    site = people["site"]
    response = signed_in(who).get(f"/dashboard/sites/{site.public_key}/config.json")
    assert response.status_code == expected_status(who, Role.VIEWER, ok=200)
    if response.status_code == 200:
        disposition = response.headers["Content-Disposition"]
        assert disposition == f'attachment; filename="kelisim-{site.public_key}.json"'
        assert response.get_json() == export_config(db.session.get(Site, site.id))


@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "outsider", "anonymous"])
def test_only_owners_import_over_a_site(signed_in, people, who):
    site = people["site"]
    client = signed_in(who)
    document = config_json(a_file(site, site={"name": "Арман Кино"})).encode()
    page = {"outsider": "/dashboard/", "anonymous": "/login"}.get(who, settings_url(site))
    token = csrf_token(client, page)
    response = client.post(
        f"/dashboard/sites/{site.public_key}/config",
        data={"file": (io.BytesIO(document), "kelisim.json"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    expected = 302 if who == "anonymous" else expected_status(who, Role.OWNER, ok=302)
    assert response.status_code == expected
    db.session.expire_all()
    imported = db.session.get(Site, site.id)
    assert (imported.name == "Арман Кино") == (who == "owner")
    if who == "owner":
        assert response.headers["Location"] == settings_url(site)
        assert [s.slug for s in imported.services] == ["metrica"]


def test_the_settings_page_offers_export_to_all_and_import_to_owners(signed_in, people):
    site = people["site"]
    for who, can_import in (("owner", True), ("editor", False), ("viewer", False)):
        page = text(signed_in(who).get(settings_url(site), headers={"Accept-Language": "en"}))
        assert f"/dashboard/sites/{site.public_key}/config.json" in page
        assert (f'action="/dashboard/sites/{site.public_key}/config#import"' in page) == can_import


def refused_in_russian(client, site: Site, document: dict) -> str:
    """The page answering an import of ``document`` over ``site`` in Russian, checked to be
    a refusal (422) that left the site's configuration as it was."""
    before = export_config(db.session.get(Site, site.id))
    response = upload(
        client,
        f"/dashboard/sites/{site.public_key}/config",
        json.dumps(document).encode(),
        settings_url(site),
        **{"Accept-Language": "ru"},
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert export_config(db.session.get(Site, site.id)) == before
    return text(response)


def test_a_refused_file_is_explained_in_the_page_in_the_persons_language(signed_in, people):
    site = people["site"]
    client = signed_in("owner")
    document = a_file(site)
    document["services"][0]["options"]["counter_id"] = "12ab"
    document["consent"]["days"] = "182"
    page = refused_in_russian(client, site, document)
    assert "<code>services[0].options.counter_id</code>: Это не ID этого трекера" in page
    assert "<code>consent.days</code>" in page
    # The settings form beside it still shows the site as it is.
    assert "arman.kz</textarea>" in page


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"{", "not valid JSON"),
        (b" " * (256 * 1024 + 1), "larger than 256 KB"),
        (b"", "The file is empty"),
    ],
    ids=["malformed", "oversize", "empty"],
)
def test_a_file_that_cannot_be_read_is_refused_in_the_page(signed_in, people, data, problem):
    site = people["site"]
    client = signed_in("owner")
    response = upload(
        client,
        f"/dashboard/sites/{site.public_key}/config",
        data,
        settings_url(site),
        **{"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert problem in text(response)


def test_a_request_far_beyond_the_limit_is_refused_before_it_is_read(signed_in, people):
    site = people["site"]
    response = signed_in("owner").post(
        f"/dashboard/sites/{site.public_key}/config",
        data=b"-" * (2 * 1024 * 1024),
        content_type="multipart/form-data; boundary=x",
    )
    assert response.status_code == 413
    assert db.session.get(Site, site.id).services == []


def test_a_new_site_from_a_file_is_owned_by_whoever_imports_it(signed_in, people):
    client = signed_in("outsider")
    document = a_file(people["site"], site={"name": f"Копия {HOSTILE}", "domains": ["kopiya.kz"]})
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Site))
    response = upload(
        client, "/dashboard/sites/import", config_json(document).encode(), "/dashboard/"
    )
    assert response.status_code == 302
    site = db.session.scalar(sa.select(Site).where(Site.name == f"Копия {HOSTILE}"))
    assert response.headers["Location"] == settings_url(site)
    membership = db.session.scalar(sa.select(Membership).where(Membership.site_id == site.id))
    assert (membership.user_id, membership.role) == (people["outsider"].id, Role.OWNER)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Site)) == count + 1
    # Texts from a file are shown as text, never as HTML.
    for page in (client.get("/dashboard/"), client.get(settings_url(site))):
        html = page.get_data(as_text=True)
        assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_refused_new_site_is_not_made(signed_in, people):
    client = signed_in("outsider")
    document = a_file(people["site"], site={"domains": ["not a domain"]})
    counts = [
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Site, Service, Membership)
    ]
    response = upload(
        client,
        "/dashboard/sites/import",
        config_json(document).encode(),
        "/dashboard/",
        **{"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert "<code>site.domains[0]</code>" in text(response)
    assert counts == [
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Site, Service, Membership)
    ]


def test_the_audit_log_names_the_import(signed_in, people):
    site = people["site"]
    client = signed_in("owner")
    upload(
        client,
        f"/dashboard/sites/{site.public_key}/config",
        config_json(a_file(site)).encode(),
        settings_url(site),
    )
    page = text(
        client.get(f"/dashboard/sites/{site.public_key}/audit", headers={"Accept-Language": "en"})
    )
    assert "Imported a configuration file" in page
    assert "Added a tracker" in page


def test_document_inputs_from_a_file_reach_the_documents_page_and_the_audit_log(signed_in, people):
    site = people["site"]
    client = signed_in("owner")
    document = a_file(site)
    document["documents"] = {
        "hosting_country": "kz",
        "forms": [FEEDBACK],
        "request_subject": HOSTILE,
    }
    response = upload(
        client,
        f"/dashboard/sites/{site.public_key}/config",
        config_json(document).encode(),
        settings_url(site),
    )
    assert response.status_code == 302
    page = client.get(f"/dashboard/sites/{site.public_key}/documents").get_data(as_text=True)
    assert 'value="Обратная связь"' in page
    assert HOSTILE not in page and "&lt;script&gt;" in page
    audit = text(
        client.get(f"/dashboard/sites/{site.public_key}/audit", headers={"Accept-Language": "en"})
    )
    assert "Imported a configuration file" in audit


def test_a_refused_documents_section_is_explained_by_path_and_changes_nothing(signed_in, people):
    site = people["site"]
    client = signed_in("owner")
    document = a_file(site)
    document["documents"] = {
        "hosting_country": "xx",
        "forms": [
            FEEDBACK,
            {"name": "Заявка", "fields": ["phone"], "purpose": "callback",
             "storage_months": 999},
        ],
    }  # fmt: skip
    page = refused_in_russian(client, site, document)
    assert "<code>documents.hosting_country</code>: Выберите страну из списка." in page
    assert "<code>documents.forms[1].storage_months</code>" in page
    assert "documents" not in export_config(db.session.get(Site, site.id))
