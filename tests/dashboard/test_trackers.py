"""Trackers page: adding from the catalog with the vendor's ID checked, per-language facts,
duplicates refused, the managed warning, embedded content as its own group (no ID, never
managed, one service per provider), and who may change what."""

import re

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import AuditEntry, BannerVersion, Service, Site
from backend.service_catalog import CATALOG, EMBEDS, PIXEL, SCRIPT, describe
from backend.services import InvalidInput
from backend.services.publishing import public_config
from backend.services.trackers import TrackerChange, save_tracker, vendor_id
from tests.dashboard.conftest import csrf_token, form_as_sent, form_inputs
from tests.factories import make_service

VALID = {
    "yandex_metrica": ["12345", "1234567890"],
    "google_analytics": ["G-ABC123", "G-ABCDEF123456"],
    "google_tag_manager": ["GTM-ABC1234", "GTM-5X7Q"],
    "meta_pixel": ["123456789012345", "1234567890123456"],
    "vk_pixel": ["3162545", "VK-RTRG-457428-4jcvO"],
    "top_mail_ru": ["3162545"],
    "tiktok_pixel": ["C4ABCDEFGHIJ12345678"],
    "custom": ["https://cdn.chat.kz/widget.js"],
}
INVALID = {
    "yandex_metrica": ["1234", "12345678901", "12a45678", ""],
    "google_analytics": ["UA-12345-1", "G-abc123", "G-12345", "G-ABCDEFGHIJKLM"],
    "google_tag_manager": ["GTM-", "gtm-ABC123", "ABC1234"],
    "meta_pixel": ["12345678901234", "12345678901234567", "1234567890123a5"],
    "vk_pixel": ["VK-RTRG-1-abc", "pixel"],
    "top_mail_ru": ["31625a5", "12345678901"],
    "tiktok_pixel": ["C4ABCDEFGHIJ1234567", "c4abcdefghij12345678"],
    "custom": ["http://cdn.chat.kz/widget.js", "javascript:alert(1)", "not a url"],
}


def form_url(site, kind: str) -> str:
    return f"/dashboard/sites/{site.public_key}/trackers/new/{kind}"


def post_tracker(client, url: str, **fields):
    """The form as a browser sends it: everything shown on the page, then ``fields``."""
    page = client.get(url).get_data(as_text=True)
    data = dict(form_inputs(page))
    data.update(fields)
    return client.post(url, data=data)


def services_of(site: Site) -> list[Service]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Service).where(Service.site_id == site.id)))


@pytest.mark.parametrize(("kind", "value"), [(k, v) for k, vs in VALID.items() for v in vs])
def test_a_valid_id_of_each_kind_adds_the_tracker(signed_in, people, kind, value):
    site = people["site"]
    fields = {"vendor_id": value}
    if kind == "custom":
        for lang in site.languages:
            fields.update({f"info_{lang}-{key}": f"Chat {lang}" for key in ("name", "provider")})
            fields.update({f"info_{lang}-country": "Kazakhstan", f"info_{lang}-term": "1 год"})
    response = post_tracker(signed_in("editor"), form_url(site, kind), **fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    (service,) = services_of(site)
    assert service.kind == kind
    assert vendor_id(kind, service.options) == value
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "service.add"))
    assert entry.details["kind"] == kind


@pytest.mark.parametrize(("kind", "value"), [(k, v) for k, vs in INVALID.items() for v in vs])
def test_an_invalid_id_is_refused_with_a_message_and_saves_nothing(signed_in, people, kind, value):
    site = people["site"]
    response = post_tracker(signed_in("editor"), form_url(site, kind), vendor_id=value)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and "vendor_id-errors" in page
    assert services_of(site) == []


def test_the_form_is_in_the_users_language_and_prefilled_from_the_catalog(signed_in, people):
    client = signed_in("editor")
    page = client.get(form_url(people["site"], "yandex_metrica"), headers={"Accept-Language": "kk"})
    html = page.get_data(as_text=True)
    assert "«Яндекс» ЖШС" in html and "ООО «Яндекс»" in html and "Yandex LLC" in html
    assert "Басқарылатын" in html  # "Managed", in Kazakh


def test_only_texts_that_differ_from_the_catalog_are_stored_and_each_language_is_its_own(
    app, signed_in, people
):
    site = people["site"]
    response = post_tracker(
        signed_in("editor"),
        form_url(site, "yandex_metrica"),
        vendor_id="12345678",
        **{"info_ru-provider": "ООО «Яндекс» (Москва)", "cookies": "_ym_uid\n_ym_d"},
    )
    assert response.status_code == 302
    (service,) = services_of(site)
    assert service.options["info"] == {"ru": {"provider": "ООО «Яндекс» (Москва)"}}
    assert service.options["cookies"] == ["_ym_uid", "_ym_d"]
    config = public_config(db.session.get(Site, site.id), "https://k.kz/")
    info = config["services"][0]["info"]
    assert info["ru"]["provider"] == "ООО «Яндекс» (Москва)"
    assert info["kk"]["provider"] == "«Яндекс» ЖШС"  # the catalog's, still
    assert config["services"][0]["cookies"] == ["_ym_uid", "_ym_d"]
    assert "info" not in config["services"][0]["options"]


def test_the_same_tracker_twice_is_refused(signed_in, people):
    site = people["site"]
    make_service(site, "google_analytics", options={"measurement_id": "G-ABC123"})
    db.session.commit()
    response = post_tracker(
        signed_in("editor"), form_url(site, "google_analytics"), vendor_id="G-ABC123"
    )
    assert response.status_code == 422
    assert "vendor_id-errors" in response.get_data(as_text=True)
    assert len(services_of(site)) == 1


def test_a_taken_name_is_refused(signed_in, people):
    site = people["site"]
    make_service(site, "google_analytics", slug="stats", options={"measurement_id": "G-ABC123"})
    db.session.commit()
    response = post_tracker(
        signed_in("editor"), form_url(site, "yandex_metrica"), vendor_id="12345678", slug="stats"
    )
    assert response.status_code == 422
    assert len(services_of(site)) == 1


@pytest.mark.parametrize(
    ("kind", "value"), [("top_mail_ru", "3162545"), ("vk_pixel", "VK-RTRG-457428-4jcvO")]
)
def test_a_tracker_kelisim_cannot_load_is_refused_as_managed(signed_in, people, kind, value):
    site = people["site"]
    url = form_url(site, kind)
    response = post_tracker(signed_in("editor"), url, vendor_id=value, managed="managed")
    assert response.status_code == 422
    assert services_of(site) == []


def test_a_held_top_mail_ru_tag_waits_for_its_own_service(app, people):
    site = people["site"]
    make_service(site, "top_mail_ru", slug="top", options={"counter_id": "3162545"})
    db.session.commit()
    from backend.services.publishing import loader_config

    (service,) = loader_config(public_config(site, "https://k.kz/"), "")["services"]
    # The loader gives a pasted tag whose URL starts with src to this service.
    assert service["src"] == "https://top-fwz1.mail.ru/js/code.js"
    assert service["category"] == "analytics"


def test_editing_changes_the_service_and_records_old_and_new(signed_in, people):
    site = people["site"]
    service = make_service(site, "yandex_metrica", options={"counter_id": "12345678"})
    db.session.commit()
    url = f"/dashboard/sites/{site.public_key}/trackers/{service.id}"
    response = post_tracker(signed_in("editor"), url, vendor_id="87654321", category="functional")
    assert response.status_code == 302
    (service,) = services_of(site)
    assert (service.options["counter_id"], service.category) == ("87654321", "functional")
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "service.update"))
    assert entry.details["fields"]["category"] == ["analytics", "functional"]


@pytest.mark.parametrize("vendor_id", ["12345678", "not-an-id"])
def test_a_stale_form_is_refused_with_the_input_kept(signed_in, people, vendor_id):
    """One order for every form saved over a site (backend/dashboard/editing.py): stale
    first (409), with the fields' errors shown beside the note."""
    site = people["site"]
    client = signed_in("editor")
    url = form_url(site, "yandex_metrica")
    data = dict(form_inputs(client.get(url).get_data(as_text=True)), vendor_id=vendor_id)
    site.name = "Changed meanwhile"
    db.session.commit()
    response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "сайт изменил кто-то другой" in page
    assert f'value="{vendor_id}"' in page
    assert ("vendor_id-errors" in page) == (vendor_id == "not-an-id")
    assert services_of(site) == []
    again = client.post(url, data=dict(data, revision=str(site.revision)))
    assert again.status_code == (302 if vendor_id == "12345678" else 422)


def test_removing_a_tracker(signed_in, people):
    site = people["site"]
    service = make_service(site, "meta_pixel", options={"pixel_id": "123456789012345"})
    db.session.commit()
    client = signed_in("editor")
    token = csrf_token(client, f"/dashboard/sites/{site.public_key}/trackers")
    response = client.post(
        f"/dashboard/sites/{site.public_key}/trackers/{service.id}/remove",
        data={"csrf_token": token, "revision": str(site.revision)},
    )
    assert response.status_code == 302
    assert services_of(site) == []
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "service.remove"))
    assert entry.details["options"] == {"pixel_id": "123456789012345"}


def test_the_list_warns_next_to_each_managed_tracker(signed_in, people):
    site = people["site"]
    make_service(site, "google_analytics", managed=True, options={"measurement_id": "G-ABC123"})
    make_service(site, "yandex_metrica", options={"counter_id": "12345678"})
    db.session.commit()
    html = (
        signed_in("viewer")
        .get(f"/dashboard/sites/{site.public_key}/trackers")
        .get_data(as_text=True)
    )
    assert html.count('class="warning tracker-twice"') == 1
    assert "G-ABC123" in html and "12345678" in html
    assert "Добавить трекер" not in html  # a viewer sees, but is offered no change


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(signed_in, people):
    site = people["site"]
    client = signed_in("editor")
    response = client.post(form_url(site, "yandex_metrica"), data={"vendor_id": "12345678"})
    assert response.status_code == 400
    assert services_of(site) == []


def test_the_add_list_offers_trackers_then_embedded_content_and_never_a_pixel(signed_in, people):
    """Embeds are services of their own group; a pixel waits for its tracker's service (or
    its category) and is never one."""
    site = people["site"]
    client = signed_in("editor")
    page = client.get(f"/dashboard/sites/{site.public_key}/trackers/new").get_data(as_text=True)
    offered = re.findall(rf"/dashboard/sites/{site.public_key}/trackers/new/([\w.-]+)", page)
    trackers = [key for key, kind in CATALOG.items() if kind.type == SCRIPT]
    assert offered == trackers + list(EMBEDS)
    assert trackers[-1] == "custom" and "youtube" in EMBEDS
    embedded = page[page.index('<h2 id="embedded">Встроенный контент</h2>') :]
    for name in ("YouTube", "Rutube", "VK Видео", "Яндекс Карты", "2ГИС", "Telegram"):
        assert name in embedded, name
    assert "Яндекс Метрика" not in embedded
    for key, kind in CATALOG.items():
        if kind.type == PIXEL:
            assert str(kind.name) not in page
            assert client.get(form_url(site, key)).status_code == 404, key
    assert services_of(site) == []


def test_the_trackers_page_links_to_the_embedded_content_group(signed_in, people):
    site = people["site"]
    page = (
        signed_in("editor")
        .get(f"/dashboard/sites/{site.public_key}/trackers")
        .get_data(as_text=True)
    )
    assert f'href="/dashboard/sites/{site.public_key}/trackers/new#embedded"' in page
    assert "Добавить встроенный контент" in page


@pytest.mark.parametrize("kind", list(EMBEDS))
def test_each_embed_provider_is_added_with_its_category_and_texts_and_no_id(
    signed_in, people, kind
):
    site = people["site"]
    client = signed_in("editor")
    form = client.get(form_url(site, kind)).get_data(as_text=True)
    assert 'name="vendor_id"' not in form and 'name="managed"' not in form
    assert "Новый встроенный контент" in form
    assert "Kelisim никогда не загружает встроенный контент сам" in form
    fields = dict(form_inputs(form))
    assert fields["category"] == "functional" and fields["slug"] == kind
    assert fields["info_ru-provider"] == str(describe(kind, "ru")["provider"])
    response = post_tracker(client, form_url(site, kind))
    assert response.status_code == 302, response.get_data(as_text=True)
    (service,) = services_of(site)
    assert (service.kind, service.slug, service.category) == (kind, kind, "functional")
    assert (service.managed, service.options) == (False, {})
    assert vendor_id(kind, service.options) == ""
    (published,) = public_config(db.session.get(Site, site.id), "https://k.kz/")["services"]
    assert (published["id"], published["kind"], published["managed"]) == (kind, kind, False)
    assert published["info"]["kk"] == {
        key: value for key, value in describe(kind, "kk").items() if key != "cookies"
    }
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "service.add"))
    assert entry.details["kind"] == kind


def test_an_embeds_category_name_and_texts_are_the_owners_per_language(signed_in, people):
    site = people["site"]
    client = signed_in("editor")
    response = post_tracker(
        client,
        form_url(site, "youtube"),
        slug="trailers",
        category="marketing",
        **{"info_ru-name": "Трейлеры на YouTube", "info_kk-purpose": "Трейлерлерді көрсетеді."},
    )
    assert response.status_code == 302
    (service,) = services_of(site)
    assert (service.slug, service.category) == ("trailers", "marketing")
    assert service.options == {
        "info": {
            "ru": {"name": "Трейлеры на YouTube"},
            "kk": {"purpose": "Трейлерлерді көрсетеді."},
        }
    }
    page = client.get(f"/dashboard/sites/{site.public_key}/trackers").get_data(as_text=True)
    embeds = page[page.index('id="embedded-title"') :]
    assert "<strong>Трейлеры на YouTube</strong>" in embeds
    assert 'YouTube · <span class="nowrap">data-consent=</span>"trailers"' in embeds
    assert "Маркетинговые" in embeds
    url = f"/dashboard/sites/{site.public_key}/trackers/{service.id}"
    edit = client.get(url).get_data(as_text=True)
    assert 'value="Трейлеры на YouTube"' in edit and 'name="vendor_id"' not in edit
    assert post_tracker(client, url, category="functional").status_code == 302
    (service,) = services_of(site)
    assert service.category == "functional" and service.options["info"]["ru"]


def test_embedded_content_is_listed_by_itself_without_loaded_by_or_id(signed_in, people):
    site = people["site"]
    make_service(site, "yandex_metrica", options={"counter_id": "12345678"})
    make_service(site, "2gis")
    db.session.commit()
    page = signed_in("viewer").get(f"/dashboard/sites/{site.public_key}/trackers")
    html = page.get_data(as_text=True)
    trackers, embeds = html.split('id="embedded-title"')
    assert "12345678" in trackers and "2ГИС" not in trackers
    assert '</span>"2gis"</span>' in embeds and "Яндекс Метрика" not in embeds
    assert "Кто загружает" not in embeds and "<code" not in embeds
    assert "Добавить встроенный контент" not in html  # a viewer is offered no change


def test_a_configured_embed_provider_leads_to_its_service_not_a_second_one(signed_in, people):
    """The widget gives every frame of a provider to the site's one service of its kind."""
    site = people["site"]
    service = make_service(site, "rutube", slug="films")
    db.session.commit()
    client = signed_in("editor")
    page = client.get(f"/dashboard/sites/{site.public_key}/trackers/new").get_data(as_text=True)
    assert form_url(site, "rutube") not in page
    assert f"/dashboard/sites/{site.public_key}/trackers/{service.id}" in page
    assert "Уже есть на этом сайте как «films»" in page
    response = post_tracker(client, form_url(site, "rutube"), slug="rutube")
    assert response.status_code == 422
    assert "У этого сайта уже есть этот поставщик" in response.get_data(as_text=True)
    assert len(services_of(site)) == 1


@pytest.mark.parametrize("who", ["owner", "editor"])
def test_embedded_content_is_never_necessary(signed_in, people, who):
    site = people["site"]
    response = post_tracker(signed_in(who), form_url(site, "google_maps"), category="necessary")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "category-errors" in page and "никогда не бывает необходимым" in page
    assert "Встроенный контент передаёт данные" in page
    assert services_of(site) == []


def test_an_embed_posted_as_managed_is_kept_held(signed_in, people):
    """The form has no "who loads it": a value sent anyway changes nothing."""
    site = people["site"]
    response = post_tracker(signed_in("editor"), form_url(site, "vk_video"), managed="managed")
    assert response.status_code == 302
    (service,) = services_of(site)
    assert service.managed is False


def test_the_service_rules_refuse_a_managed_embed(app, people):
    site = people["site"]
    change = TrackerChange(
        kind="youtube", slug="youtube", category="functional", managed=True, options={}
    )
    with pytest.raises(InvalidInput) as refused:
        save_tracker(db.session, site, None, change, None)
    assert set(refused.value.fields) == {"managed"}


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 302), ("editor", 302), ("viewer", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_who_may_add_a_tracker(signed_in, people, who, status):
    site = people["site"]
    client = signed_in(who)
    # A viewer's and an outsider's token comes from a page they may open.
    token = csrf_token(client, "/login" if who == "anonymous" else "/dashboard/")
    response = client.post(
        form_url(site, "yandex_metrica"),
        data={
            "csrf_token": token,
            "revision": str(site.revision),
            "vendor_id": "12345678",
            "slug": "yandex_metrica",
            "category": "analytics",
            "managed": "held",
        },
    )
    assert response.status_code == status
    if who == "anonymous":
        assert response.headers["Location"].startswith("/login")
    assert len(services_of(site)) == (1 if who in ("owner", "editor") else 0)


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("editor", 200), ("viewer", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_who_may_open_and_remove_a_tracker(signed_in, people, who, status):
    site = people["site"]
    service = make_service(site, "yandex_metrica", options={"counter_id": "12345678"})
    db.session.commit()
    client = signed_in(who)
    url = f"/dashboard/sites/{site.public_key}/trackers/{service.id}"
    assert client.get(url).status_code == status
    token = csrf_token(client, "/login" if who == "anonymous" else "/dashboard/")
    removed = client.post(f"{url}/remove", data={"csrf_token": token, "revision": site.revision})
    assert removed.status_code == (302 if status == 200 else status)
    assert len(services_of(site)) == (0 if status == 200 else 1)


def test_another_sites_tracker_is_not_found(signed_in, people):
    theirs = make_service(people["other"], "yandex_metrica", options={"counter_id": "12345678"})
    db.session.commit()
    url = f"/dashboard/sites/{people['site'].public_key}/trackers/{theirs.id}"
    assert signed_in("owner").get(url).status_code == 404


CHAT_SCRIPT = "https://cdn.chat.kz/widget.js"


def custom_fields(site, **fields) -> dict:
    """A custom script's form: its URL and what the banner says of it in every language."""
    data = {"vendor_id": CHAT_SCRIPT}
    for lang in site.languages:
        data.update({f"info_{lang}-{key}": f"Chat {lang}" for key in ("name", "provider")})
        data.update({f"info_{lang}-country": "Kazakhstan", f"info_{lang}-term": "1 год"})
    return data | fields


def versions_count(site) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(BannerVersion.site_id == site.id))


def audit_of(site, action: str) -> list[AuditEntry]:
    return db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.site_id == site.id, AuditEntry.action == action)
    ).all()


def test_an_editor_cannot_put_a_custom_script_in_necessary(signed_in, people):
    """It would run on every visitor's page before any choice and after "Reject all"."""
    site = people["site"]
    versions = versions_count(site)
    url = form_url(site, "custom")
    response = post_tracker(signed_in("editor"), url, **custom_fields(site, category="necessary"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "category-errors" in page and "Только владелец сайта" in page  # ru, the default
    assert CHAT_SCRIPT in page  # the input is kept
    assert services_of(site) == []
    assert versions_count(site) == versions
    assert audit_of(site, "service.add") == []


def test_an_owner_puts_a_custom_script_in_necessary_and_the_log_names_it(signed_in, people):
    site = people["site"]
    page = signed_in("owner").get(form_url(site, "custom")).get_data(as_text=True)
    assert "category-hint" in page and "даже после «Отклонить все»" in page  # the warning
    versions = versions_count(site)
    fields = custom_fields(site, category="necessary")
    response = post_tracker(signed_in("owner"), form_url(site, "custom"), **fields)
    assert response.status_code == 302
    (service,) = services_of(site)
    assert service.category == "necessary"
    assert versions_count(site) == versions + 1
    (entry,) = audit_of(site, "service.necessary")
    assert entry.user_id == people["owner"].id
    assert entry.details == {"slug": service.slug, "src": CHAT_SCRIPT}


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"vendor_id": "https://evil.example/any.js"}, 422),
        ({"info_ru-purpose": "Другое"}, 422),
        ({}, 302),  # saved again unchanged
        ({"category": "functional"}, 302),  # taken out: it then waits for consent
    ],
    ids=["new URL", "new text", "unchanged", "taken out"],
)
def test_an_editor_may_only_take_a_necessary_script_out(signed_in, people, change, status):
    site = people["site"]
    fields = custom_fields(site, category="necessary")
    assert post_tracker(signed_in("owner"), form_url(site, "custom"), **fields).status_code == 302
    (service,) = services_of(site)
    versions = versions_count(site)
    url = f"/dashboard/sites/{site.public_key}/trackers/{service.id}"
    response = post_tracker(signed_in("editor"), url, **change)
    assert response.status_code == status
    (stored,) = services_of(site)
    if status == 422:
        assert (stored.category, stored.options["src"]) == ("necessary", CHAT_SCRIPT)
        assert versions_count(site) == versions
    assert len(audit_of(site, "service.necessary")) == 1  # the owner's


@pytest.mark.parametrize("who", ["owner", "editor"])
def test_a_catalog_tracker_is_never_necessary(signed_in, people, who):
    site = people["site"]
    response = post_tracker(
        signed_in(who), form_url(site, "google_analytics"), vendor_id="G-ABC123",
        category="necessary", managed="managed",
    )  # fmt: skip
    assert response.status_code == 422
    assert "никогда не бывает необходимым" in response.get_data(as_text=True)
    assert services_of(site) == []


def test_a_tracker_form_stale_from_a_change_elsewhere_keeps_every_edit(signed_in, people):
    """The site changed, but none of the tracker's fields: the 409 says so, keeps the
    person's edits, and saving again goes through."""
    site = people["site"]
    service = make_service(site, "yandex_metrica", options={"counter_id": "12345678"})
    db.session.commit()
    client = signed_in("editor")
    url = f"/dashboard/sites/{site.public_key}/trackers/{service.id}"
    data = form_as_sent(client.get(url).get_data(as_text=True)) | {"vendor_id": "87654321"}
    site.name = "Changed meanwhile"
    db.session.commit()
    response = client.post(url, data=data)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "изменение было в другом месте сайта" in page
    again = form_as_sent(page)
    assert again["vendor_id"] == "87654321"
    assert client.post(url, data=again).status_code == 302
    (stored,) = services_of(site)
    assert stored.options["counter_id"] == "87654321"
