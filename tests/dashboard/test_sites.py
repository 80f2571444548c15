"""Creating a site, its settings page and deleting it, as owners, editors and viewers see them."""

import re
from html import unescape

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import (
    AuditEntry,
    ConsentEvent,
    DailyStat,
    Invitation,
    Membership,
    Role,
    Site,
    utcnow,
)
from backend.services import members as members_service
from backend.site_rules import bin_is_valid, consent_days
from tests.dashboard.conftest import PEOPLE, csrf_token, expected_status, form_as_sent
from tests.factories import record_event

REVISION_FIELD = re.compile(r'name="revision" type="hidden" value="(\d+)"')
ENGLISH = {"Accept-Language": "en"}
SITE_COLUMNS = [column.key for column in Site.__table__.columns]


def settings_url(site) -> str:
    return f"/dashboard/sites/{site.public_key}/settings"


def site_row(site_id: int) -> dict:
    """The site's row as the database holds it, read past the session."""
    db.session.expire_all()
    site = db.session.get(Site, site_id)
    return {name: getattr(site, name) for name in SITE_COLUMNS}


def settings_form(client, site) -> dict:
    """What the settings page's form would send if saved as it was shown, made valid."""
    page = client.get(settings_url(site)).get_data(as_text=True)
    return {
        "csrf_token": csrf_token(client, settings_url(site)),
        "revision": REVISION_FIELD.search(page).group(1),
        "name": "Кинотеатр «Арман»",
        "domains": "arman.kz\nwww.arman.kz",
        "legal_name": "ТОО «Арман Кино»",
        "bin": "940140000385",
        "address": "Алматы, пр. Абая, 10",
        "contact_email": "privacy@arman.kz",
        "policy_urls-kk": "https://arman.kz/kk/privacy",
        "policy_urls-ru": "https://arman.kz/ru/privacy",
        "languages": ["kk", "ru"],
        "default_language": "kk",
        "timezone": "Asia/Almaty",
        "consent_months": "6",
        "retention_months": "36",
    }


@pytest.mark.parametrize("number", ["940140000385", "990140004654", "100140000408"])
def test_real_format_bins_with_their_check_digit_are_valid(number):
    # The first two are registered BINs; the third needs the second set of weights.
    assert bin_is_valid(number)


@pytest.mark.parametrize(
    "number",
    [
        "940140000386",  # last digit changed
        "940140000358",  # two digits swapped
        "123456789012",
        "100000000280",  # 10 under both sets of weights: never issued
    ],
)
def test_bins_with_a_wrong_check_digit_are_invalid(number):
    assert not bin_is_valid(number)


def test_consent_lifetime_in_months_fits_the_databases_limit_of_395_days():
    assert consent_days(6) == 182
    assert consent_days(13) == 395


def test_a_signed_in_person_adds_a_site_becomes_its_owner_and_lands_on_its_settings(
    signed_in, people
):
    client = signed_in("outsider")
    assert "/dashboard/sites/new" in client.get("/dashboard/").get_data(as_text=True)
    response = client.post(
        "/dashboard/sites/new",
        data={
            "csrf_token": csrf_token(client, "/dashboard/sites/new"),
            "name": "Онлайн-школа «Білім»",
            "domains": "Білім.kz\nWWW.bilim-school.KZ.\n",
        },
    )
    site = db.session.scalar(sa.select(Site).where(Site.name == "Онлайн-школа «Білім»"))
    assert response.status_code == 302
    assert response.headers["Location"] == settings_url(site)
    assert site.domains == ["www.bilim-school.kz", "xn--90aud6hb.kz"]
    owner = db.session.scalar(sa.select(Membership).where(Membership.site_id == site.id))
    assert (owner.user_id, owner.role) == (people["outsider"].id, Role.OWNER)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.site_id == site.id))
    assert entry.action == "site.create"
    page = client.get(settings_url(site)).get_data(as_text=True)
    assert "xn--90aud6hb.kz" in page


@pytest.mark.parametrize(
    ("domains", "message"),
    [
        ("https://arman.kz/", "is not a domain name such as arman.kz"),
        ("arman.kz:8080", "is not a domain name such as arman.kz"),
        ("arman .kz", "is not a domain name such as arman.kz"),
        ("", "Give at least one domain"),
        ("\n".join(f"s{n}.arman.kz" for n in range(21)), "At most 20 domains"),
    ],
)
def test_a_new_site_with_bad_domains_is_refused_and_not_created(
    signed_in, people, domains, message
):
    client = signed_in("outsider")
    before = db.session.scalar(sa.select(sa.func.count(Site.id)))
    response = client.post(
        "/dashboard/sites/new",
        data={"csrf_token": csrf_token(client, "/dashboard/"), "name": "Арман", "domains": domains},
        headers=ENGLISH,
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="Арман"' in page  # the input is kept
    assert db.session.scalar(sa.select(sa.func.count(Site.id))) == before


def test_an_editor_saves_the_settings_and_the_audit_log_has_old_and_new_values(signed_in, people):
    site = people["site"]
    client = signed_in("editor")
    data = settings_form(client, site)
    response = client.post(settings_url(site), data=data)
    assert response.status_code == 302
    row = site_row(site.id)
    assert row["name"] == "Кинотеатр «Арман»"
    assert row["domains"] == ["arman.kz", "www.arman.kz"]
    assert row["bin"] == "940140000385"
    assert row["policy_urls"] == {
        "kk": "https://arman.kz/kk/privacy",
        "ru": "https://arman.kz/ru/privacy",
    }
    assert (row["languages"], row["default_language"]) == (["kk", "ru"], "kk")
    assert row["consent_days"] == 182
    entry = db.session.scalar(
        sa.select(AuditEntry).where(
            AuditEntry.site_id == site.id, AuditEntry.action == "site.update"
        )
    )
    assert entry.user_id == people["editor"].id
    assert entry.details["fields"]["bin"] == ["150440012344", "940140000385"]
    assert "name" not in entry.details["fields"]  # unchanged fields are not listed
    assert "Настройки сохранены" in client.get(settings_url(site)).get_data(as_text=True)


def test_saved_operator_details_and_languages_reach_the_widget(signed_in, people, client):
    site = people["site"]
    editor = signed_in("editor")
    data = settings_form(editor, site) | {"allow_subdomains": "y", "consent_months": "13"}
    assert editor.post(settings_url(site), data=data).status_code == 302
    config = client.get(f"/api/v1/sites/{site.public_key}/config").get_json()
    assert config["operator"]["name"] == "ТОО «Арман Кино»"
    assert config["operator"]["bin"] == "940140000385"
    assert config["operator"]["policy_urls"]["kk"] == "https://arman.kz/kk/privacy"
    assert (config["languages"], config["default_language"]) == (["kk", "ru"], "kk")
    assert config["consent_days"] == 395
    assert site_row(site.id)["allow_subdomains"] is True


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bin", "940140000386", "The check digit (the last one) does not match"),
        ("bin", "94014000038", "A BIN has 12 digits"),
        ("bin", "94014000038A", "A BIN has 12 digits"),
        ("policy_urls-ru", "javascript:alert(1)", "starting with https:// or http://"),
        ("policy_urls-kk", "ftp://arman.kz/privacy", "starting with https:// or http://"),
        ("policy_urls-kk", "arman.kz/privacy", "starting with https:// or http://"),
        ("consent_months", "14", "From 1 to 13 months"),
        ("consent_months", "0", "From 1 to 13 months"),
        ("consent_months", "six", "Give a whole number of months"),
        ("retention_months", "121", "From 1 to 120 months"),
        ("contact_email", "privacy-at-arman.kz", "Give an e-mail address such as"),
        ("languages", [], "Choose at least one language"),
        ("default_language", "en", "Choose one of the banner's languages"),
        ("domains", "arman.kz/ru", "is not a domain name such as arman.kz"),
        ("domains", "<b>arman</b>.kz", "“&lt;b&gt;arman&lt;/b&gt;.kz” is not a domain"),
        ("name", "  ", "Give the site a name"),
    ],
)
def test_each_bad_value_is_refused_with_its_reason_nothing_saved_and_the_input_kept(
    signed_in, people, field, value, message
):
    site = people["site"]
    client = signed_in("owner")
    data = settings_form(client, site)
    data["legal_name"] = "ТОО «Новое имя»"  # a valid change that must not be saved either
    data[field] = value
    before = site_row(site.id)
    response = client.post(settings_url(site), data=data, headers=ENGLISH)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "ТОО «Новое имя»" in page
    assert site_row(site.id) == before


def test_a_nul_character_in_any_field_is_refused_and_saves_nothing(signed_in, people, client):
    """PostgreSQL cannot store one (the save failed with a 500 there); no form may send one."""
    site = people["site"]
    owner = signed_in("owner")
    data = settings_form(owner, site) | {"legal_name": "ТОО\x00 «Арман»"}
    before = site_row(site.id)
    response = owner.post(settings_url(site), data=data, headers=ENGLISH)
    assert response.status_code == 400
    assert "held a NUL character" in response.get_data(as_text=True)
    assert site_row(site.id) == before
    # Signed out too, in the person's language: the sign-in form.
    response = client.post(
        "/login",
        data={"email": "a\x00@b.kz", "password": "x", "csrf_token": csrf_token(client, "/login")},
        headers={"Accept-Language": "ru"},
    )
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)


def test_validation_messages_are_in_the_users_language(signed_in, people):
    site = people["site"]
    client = signed_in("owner")
    data = settings_form(client, site) | {"consent_months": "14", "bin": "940140000386"}
    page = client.post(settings_url(site), data=data).get_data(as_text=True)  # ru by default
    assert "От 1 до 13 месяцев" in page
    assert "Контрольная цифра" in page
    kk = client.post(settings_url(site), data=data, headers={"Accept-Language": "kk"})
    assert "айға дейін" in kk.get_data(as_text=True)


def test_a_viewer_sees_the_settings_read_only_and_an_editor_can_save(signed_in, people):
    site = people["site"]
    viewer = signed_in("viewer").get(settings_url(site)).get_data(as_text=True)
    assert re.search(r'<fieldset class="plain" disabled>', viewer)
    assert 'type="submit">Сохранить' not in viewer
    assert "arman.kz" in viewer
    editor = signed_in("editor").get(settings_url(site)).get_data(as_text=True)
    assert '<fieldset class="plain" disabled>' not in editor
    assert 'type="submit">Сохранить' in editor
    assert "Удалить сайт" not in editor  # owners only


def test_a_second_editor_saving_an_older_form_is_told_and_overwrites_nothing(signed_in, people):
    site = people["site"]
    first, second = signed_in("editor"), signed_in("owner")
    first_form, second_form = settings_form(first, site), settings_form(second, site)

    first_form["legal_name"] = "ТОО «Первый»"
    assert first.post(settings_url(site), data=first_form).status_code == 302

    second_form["legal_name"] = "ТОО «Второй»"
    second_form["address"] = "Астана, ул. Сарайшық, 5"
    response = second.post(settings_url(site), data=second_form)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "сайт изменил кто-то другой" in page
    assert "ТОО «Второй»" in page and "Астана, ул. Сарайшық, 5" in page  # their input kept
    row = site_row(site.id)
    assert row["legal_name"] == "ТОО «Первый»"
    assert row["address"] == "Алматы, пр. Абая, 10"

    # After a look, saving the form as now shown (it carries the new revision) goes through.
    second_form["revision"] = REVISION_FIELD.search(page).group(1)
    assert second.post(settings_url(site), data=second_form).status_code == 302
    assert site_row(site.id)["legal_name"] == "ТОО «Второй»"


def add_records(site) -> None:
    """A consent event and a day's aggregate of the site, as the event writer records them."""
    record_event(site, utcnow())
    db.session.commit()


def count(model, site_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(model.site_id == site_id))


def test_the_delete_page_says_what_is_lost_and_a_wrong_name_deletes_nothing(signed_in, people):
    site = people["site"]
    add_records(site)
    client = signed_in("owner")
    url = f"/dashboard/sites/{site.public_key}/delete"
    page = client.get(url).get_data(as_text=True)
    assert "404" in page and "событие согласия" in page and "экспортируйте" in page
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "name": "Арман"})
    assert response.status_code == 422
    assert "Это не название сайта" in response.get_data(as_text=True)
    assert db.session.get(Site, site.id) is not None
    assert count(ConsentEvent, site.id) == 1


def test_deleting_a_site_removes_its_records_and_members_and_its_widget_answers_404(
    signed_in, people, client
):
    site = people["site"]
    site_id, key = site.id, site.public_key
    add_records(site)
    assert client.get(f"/w/{key}.js").status_code == 200
    owner = signed_in("owner")
    url = f"/dashboard/sites/{key}/delete"
    response = owner.post(
        url, data={"csrf_token": csrf_token(owner, url), "name": " Кинотеатр «Арман» "}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"
    db.session.expire_all()
    assert db.session.get(Site, site_id) is None
    for model in (ConsentEvent, DailyStat, Membership, AuditEntry):
        assert count(model, site_id) == 0
    assert client.get(f"/w/{key}.js").status_code == 404
    assert f"/dashboard/sites/{key}" not in owner.get("/dashboard/").get_data(as_text=True)
    assert db.session.get(Site, people["other"].id) is not None  # other sites untouched


def post_routes(people) -> list[tuple[str, dict, Role | None, int]]:
    """Every POST of sites and members: URL, a form its least role may send, that role, and
    the status that role gets (a refused form still shows the route let them in)."""
    site = people["site"]
    key = site.public_key
    invitation, _ = members_service.invite(db.session, site, people["owner"], Role.VIEWER)
    db.session.commit()
    viewer = db.session.scalar(
        sa.select(Membership.id).where(
            Membership.site_id == site.id, Membership.user_id == people["viewer"].id
        )
    )
    return [
        ("/dashboard/sites/new", {"name": "Білім", "domains": "bilim.kz"}, None, 302),
        (f"/dashboard/sites/{key}/settings", {"revision": str(site.revision)}, Role.EDITOR, 422),
        (f"/dashboard/sites/{key}/delete", {"name": "not the name"}, Role.OWNER, 422),
        (f"/dashboard/sites/{key}/members/invite", {"role": "viewer"}, Role.OWNER, 200),
        (f"/dashboard/sites/{key}/members/{viewer}/role", {"role": "editor"}, Role.OWNER, 302),
        (f"/dashboard/sites/{key}/members/{viewer}/remove", {}, Role.OWNER, 302),
        (f"/dashboard/sites/{key}/members/leave", {}, Role.VIEWER, 302),
        (f"/dashboard/sites/{key}/invitations/{invitation.id}/revoke", {}, Role.OWNER, 302),
    ]


POST_ROUTE_NAMES = ["new", "settings", "delete", "invite", "role", "remove", "leave", "revoke"]


@pytest.mark.parametrize("route", range(len(POST_ROUTE_NAMES)), ids=POST_ROUTE_NAMES)
@pytest.mark.parametrize("who", PEOPLE)
def test_every_post_answers_each_person_as_their_role_allows(signed_in, people, who, route):
    url, data, least, ok = post_routes(people)[route]
    client = signed_in(who)
    token = csrf_token(client, "/login" if who == "anonymous" else "/dashboard/")
    response = client.post(url, data={"csrf_token": token, **data})
    assert response.status_code == expected_status(who, least, ok)
    if who == "anonymous":
        assert response.headers["Location"].startswith("/login")


def database_state(site_id: int) -> tuple:
    """What any of these forms could change."""
    members = db.session.execute(
        sa.select(Membership.user_id, Membership.role).where(Membership.site_id == site_id)
    ).all()
    invitations = db.session.execute(
        sa.select(Invitation.id, Invitation.revoked_at).where(Invitation.site_id == site_id)
    ).all()
    return site_row(site_id), sorted(members), sorted(invitations), count(AuditEntry, site_id)


@pytest.mark.parametrize("route", range(len(POST_ROUTE_NAMES)), ids=POST_ROUTE_NAMES)
def test_every_post_without_its_csrf_token_is_refused_and_changes_nothing(signed_in, people, route):
    url, data, _least, _ok = post_routes(people)[route]
    sites = db.session.scalar(sa.select(sa.func.count(Site.id)))
    before = database_state(people["site"].id)
    response = signed_in("owner").post(url, data=data)
    assert response.status_code == 400
    assert database_state(people["site"].id) == before
    assert db.session.scalar(sa.select(sa.func.count(Site.id))) == sites


def test_a_time_zone_set_elsewhere_is_shown_and_kept_on_saving(signed_in, people):
    site = people["site"]
    site.timezone = "Europe/Moscow"  # as the command line may set it
    db.session.commit()
    client = signed_in("owner")
    page = client.get(settings_url(site)).get_data(as_text=True)
    assert '<option selected value="Europe/Moscow">' in page
    data = settings_form(client, site) | {"timezone": "Europe/Moscow"}
    assert client.post(settings_url(site), data=data).status_code == 302
    assert site_row(site.id)["timezone"] == "Europe/Moscow"
    refused = client.post(
        settings_url(site), data=settings_form(client, site) | {"timezone": "Mars/Base"}
    )
    assert refused.status_code == 422


def test_saving_again_after_a_colleagues_change_keeps_it(signed_in, people):
    """Two colleagues open the settings; one changes the address, the other the legal
    name. The second is refused (409), told what the first changed, and the form they get
    holds the new address with their own name on top: saving it keeps both changes."""
    site = people["site"]
    first, second = signed_in("editor"), signed_in("owner")
    first_form = form_as_sent(first.get(settings_url(site)).get_data(as_text=True))
    second_form = form_as_sent(second.get(settings_url(site)).get_data(as_text=True))
    address, legal_name = site.address, site.legal_name

    first_form["address"] = "Астана, ул. Сарайшық, 5"
    assert first.post(settings_url(site), data=first_form).status_code == 302

    second_form["legal_name"] = "ТОО «Второй»"
    response = second.post(settings_url(site), data=second_form)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert site_row(site.id)["legal_name"] == legal_name  # nothing saved
    changes = re.search(r'<section class="warning colleague-changes".*?</section>', page, re.S)
    box = unescape(changes.group(0))
    assert "Адрес оператора" in box  # the field, labelled in the owner's language (ru)
    assert f"Было: {address} → Сейчас: Астана, ул. Сарайшық, 5" in box
    assert "Юридическое название" not in box  # only what the other person changed
    shown = form_as_sent(page)
    assert shown["address"] == "Астана, ул. Сарайшық, 5"  # theirs, taken in
    assert shown["legal_name"] == "ТОО «Второй»"  # mine, kept on top

    assert second.post(settings_url(site), data=shown).status_code == 302
    row = site_row(site.id)
    assert (row["address"], row["legal_name"]) == ("Астана, ул. Сарайшық, 5", "ТОО «Второй»")


def test_a_second_save_after_a_conflict_is_refused_again_if_the_site_moved_again(signed_in, people):
    site = people["site"]
    first, second = signed_in("editor"), signed_in("owner")
    second_form = form_as_sent(second.get(settings_url(site)).get_data(as_text=True))
    for address in ("Астана, ул. Сарайшық, 5", "Шымкент, ул. Байтурсынова, 1"):
        first_form = form_as_sent(first.get(settings_url(site)).get_data(as_text=True))
        first_form["address"] = address
        assert first.post(settings_url(site), data=first_form).status_code == 302
        second_form["name"] = "Арман"
        response = second.post(settings_url(site), data=second_form)
        assert response.status_code == 409
        second_form = form_as_sent(response.get_data(as_text=True))
    assert second_form["address"] == "Шымкент, ул. Байтурсынова, 1"
    assert second.post(settings_url(site), data=second_form).status_code == 302
    row = site_row(site.id)
    assert (row["address"], row["name"]) == ("Шымкент, ул. Байтурсынова, 1", "Арман")
