"""Banner editor: texts stored only where they differ from the defaults, readable colours,
stale forms, who may save, and a preview that is never cached and records nothing."""

import random
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import AuditEntry, BannerVersion, ConsentEvent, Site
from backend.services.banner import accent_problem
from backend.services.colours import contrast, theme
from backend.services.publishing import shown_appearance
from backend.services.versions import changed_parts
from tests.conftest import built_in_config
from tests.dashboard.conftest import csrf_token, form_as_sent, form_inputs

HOSTILE = "<img src=x onerror=alert(1)>"


def editor_url(site) -> str:
    return f"/dashboard/sites/{site.public_key}/banner"


def form_data(client, site, **fields) -> dict:
    data = dict(form_inputs(client.get(editor_url(site)).get_data(as_text=True)))
    # Checkboxes a browser sends only when ticked.
    data.pop("floating_button", None)
    data.pop("respect_dnt", None)
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def saved(site) -> Site:
    db.session.expire_all()
    return db.session.get(Site, site.id)


def test_saving_stores_only_texts_that_differ_and_records_old_and_new(signed_in, people):
    site = people["site"]
    client = signed_in("editor")
    data = form_data(
        client,
        site,
        **{
            "texts_kk-title": "Біз cookie қолданамыз!",
            "texts_ru-title": "Мы используем файлы cookie",  # the default, as typed
            "texts_en-accept_all": "  ",
            "accent": "#0b57d0",
            "position": "top",
            "floating_button": "y",
        },
    )
    response = client.post(editor_url(site), data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    site = saved(site)
    assert site.texts == {"kk": {"title": "Біз cookie қолданамыз!"}}
    assert site.appearance == {"position": "top", "accent": "#0b57d0", "floating_button": True}
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "banner.update"))
    assert entry.details["texts"] == {"kk": {"title": [None, "Біз cookie қолданамыз!"]}}
    # An empty field is the default again: the override goes, and the log says so.
    data = form_data(client, site, **{"texts_kk-title": ""})
    assert client.post(editor_url(site), data=data).status_code == 302
    assert saved(site).texts == {}


def test_each_text_shows_its_default_in_its_language_with_a_reset(signed_in, people):
    html = signed_in("viewer").get(editor_url(people["site"])).get_data(as_text=True)
    kk_title = re.search(r'id="texts_kk-title"[^>]*placeholder="([^"]+)"', html) or re.search(
        r'placeholder="([^"]+)"[^>]*id="texts_kk-title"', html
    )
    ru_title = re.search(r'id="texts_ru-title"[^>]*placeholder="([^"]+)"', html) or re.search(
        r'placeholder="([^"]+)"[^>]*id="texts_ru-title"', html
    )
    assert ru_title.group(1) == "Мы используем файлы cookie"
    assert kk_title.group(1) != ru_title.group(1)
    assert 'data-reset="texts_kk-title"' in html
    editor = html.split('id="banner-form"')[1]
    assert '<button type="submit">' not in editor  # a viewer previews, but has no Save


@pytest.mark.parametrize("accent", ["#ffff00", "#ffffff", "#f0a000", "#9fd3ff"])
def test_a_colour_too_light_for_the_white_banner_is_refused_and_nothing_saved(
    signed_in, people, accent
):
    site = people["site"]
    client = signed_in("editor")
    response = client.post(editor_url(site), data=form_data(client, site, accent=accent))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "accent-errors" in html and "3.0:1" in html
    assert saved(site).appearance == {}


@pytest.mark.parametrize("accent", ["#1f5fbf", "#000000", "#b3261e", "#1e6b34", "#767676"])
def test_a_dark_enough_colour_is_kept(signed_in, people, accent):
    site = people["site"]
    client = signed_in("editor")
    response = client.post(editor_url(site), data=form_data(client, site, accent=accent))
    assert response.status_code == 302
    assert shown_appearance(saved(site).appearance)["accent"] == accent  # the default: unstored


def test_text_and_links_reach_4_5_to_1_on_every_accent_the_banner_accepts():
    """The banner's own choice of text and link colours keeps 4.5:1 on any accent; what
    refuses a colour is its outline on white (3:1)."""
    for value in range(0, 0x1000000, 0x010307):
        accent = f"#{value:06x}"
        colours = theme(accent)
        assert contrast(accent, colours["on_accent"]) >= 4.5
        assert contrast(colours["link"], "#ffffff") >= 4.5
        assert (accent_problem(accent) is None) == (contrast(accent, "#ffffff") >= 3)


def test_a_text_must_keep_its_placeholder(signed_in, people):
    site = people["site"]
    client = signed_in("editor")
    data = form_data(client, site, **{"texts_ru-consent_term": "Согласие действует полгода"})
    response = client.post(editor_url(site), data=data)
    assert response.status_code == 422
    assert "%(days)s" in response.get_data(as_text=True)
    assert saved(site).texts == {}


def test_a_stale_form_is_refused_with_the_input_kept(signed_in, people):
    site = people["site"]
    client = signed_in("editor")
    data = form_data(client, site, **{"texts_kk-title": "Менің мәтінім"})
    site.name = "Changed meanwhile"
    db.session.commit()
    response = client.post(editor_url(site), data=data)
    assert response.status_code == 409
    assert "Менің мәтінім" in response.get_data(as_text=True)
    assert saved(site).texts == {}


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(signed_in, people):
    site = people["site"]
    client = signed_in("editor")
    data = form_data(client, site, **{"texts_kk-title": "Жаңа"})
    del data["csrf_token"]
    assert client.post(editor_url(site), data=data).status_code == 400
    assert saved(site).texts == {}


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 302), ("editor", 302), ("viewer", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_who_may_save_the_banner(signed_in, people, who, status):
    site = people["site"]
    client = signed_in(who)
    token = csrf_token(client, "/login" if who == "anonymous" else "/dashboard/")
    data = {
        "csrf_token": token,
        "revision": str(site.revision),
        "position": "bottom",
        "accent": "#1f5fbf",
        "texts_kk-title": "Жаңа",
    }
    response = client.post(editor_url(site), data=data)
    assert response.status_code == status
    if who == "anonymous":
        assert response.headers["Location"].startswith("/login")
    assert saved(site).texts == (
        {"kk": {"title": "Жаңа"}} if status == 302 and who in ("owner", "editor") else {}
    )


def preview(client, site, **fields):
    """Post the form to the preview; the URL of the preview page it leads to."""
    data = form_data(client, site, **fields)
    response = client.post(f"{editor_url(site)}/preview", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def path_of(url: str) -> str:
    """The path and query of an absolute URL, as the test client asks for it."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def test_the_preview_is_built_from_the_unsaved_form_and_records_nothing(signed_in, people):
    site = people["site"]
    client = signed_in("viewer")  # previewing changes nothing, so a viewer may
    page_url = preview(client, site, **{"texts_kk-title": HOSTILE}, preview_language="kk")
    page = client.get(page_url)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    loader_url = re.search(r'<script src="([^"]+/w/[^"]+\.js)"', page.get_data(as_text=True))[1]
    loader = client.get(loader_url)
    assert loader.headers["Cache-Control"] == "no-store"
    banner_url = built_in_config(loader.data)["files"] + "banner.kk.js"
    assert "/banner/preview/" in banner_url
    banner = built_in_config(client.get(path_of(banner_url)).data, "banner.js")
    assert banner["texts"]["title"] == HOSTILE
    sink = client.post(path_of(banner["api"] + "/events"), data=b"{}")
    assert sink.status_code == 204 and sink.headers["Cache-Control"] == "no-store"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsentEvent)) == 0
    assert saved(site).texts == {}


def test_a_forged_or_foreign_preview_token_is_not_found(signed_in, people):
    site, other = people["site"], people["other"]
    client = signed_in("owner")
    page_url = preview(client, site)
    assert client.get(page_url.replace("/preview/", "/preview/x")).status_code == 404
    foreign = page_url.replace(site.public_key, other.public_key, 1)
    assert client.get(foreign).status_code == 404  # not a member of the other site


def test_a_preview_too_long_for_a_url_asks_to_save_first(signed_in, people):
    site = people["site"]
    client = signed_in("editor")
    words = random.Random(1)
    cyrillic = "абвгдежзийклмнопрстуфхцчшщыэюяәіңғүұқөһ"
    long_texts = {
        f"texts_{lang}-{key}": "".join(words.choice(cyrillic + " ") for _ in range(500))
        for lang in ("kk", "ru")
        for key in ("description", "data_collected", "necessary_description")
    }
    data = form_data(client, site, **long_texts)
    response = client.post(f"{editor_url(site)}/preview", data=data)
    assert response.status_code == 422
    assert "flash-error" in response.get_data(as_text=True)


def latest_versions(site) -> list[BannerVersion]:
    """The site's banner versions, newest first."""
    return db.session.scalars(
        sa.select(BannerVersion)
        .where(BannerVersion.site_id == site.id)
        .order_by(BannerVersion.version.desc())
    ).all()


def test_a_text_changed_publishes_a_version_that_lists_only_that_text(signed_in, people):
    """The look was never saved (the site's defaults): the form sends the defaults back,
    which is no change of the appearance."""
    site = people["site"]
    client = signed_in("editor")
    data = form_data(client, site, **{"texts_kk-title": "Біз cookie қолданамыз!"})
    assert client.post(editor_url(site), data=data).status_code == 302
    db.session.expire_all()
    newest, before = latest_versions(site)[:2]
    assert changed_parts(before, newest) == ["texts:kk"]
    page = client.get(f"/dashboard/sites/{site.public_key}/versions").get_data(as_text=True)
    assert "внешний вид" not in page  # "appearance", in the editor's language (ru)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "banner.update"))
    assert entry.details["fields"] == {}


def test_saving_the_banner_unchanged_publishes_nothing_and_notes_nothing(signed_in, people):
    site = people["site"]
    client = signed_in("editor")
    versions = len(latest_versions(site))
    assert client.post(editor_url(site), data=form_data(client, site)).status_code == 302
    db.session.expire_all()
    assert len(latest_versions(site)) == versions
    assert (
        db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "banner.update")) is None
    )


def test_saving_again_after_a_colleagues_change_keeps_both_texts(signed_in, people):
    """Two colleagues edit the banner: one the Kazakh title, the other, on a form opened
    before, the Russian one and the look. The second is told what the first changed, and
    saving the form they then get keeps both."""
    site = people["site"]
    first, second = signed_in("editor"), signed_in("owner")
    first_form = form_as_sent(first.get(editor_url(site)).get_data(as_text=True))
    second_form = form_as_sent(second.get(editor_url(site)).get_data(as_text=True))

    first_form["texts_kk-title"] = "Біз cookie қолданамыз!"
    assert first.post(editor_url(site), data=first_form).status_code == 302

    second_form["texts_ru-title"] = "Мы используем cookie!"
    second_form["position"] = "top"
    response = second.post(editor_url(site), data=second_form)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    box = unescape(
        re.search(r'<section class="warning colleague-changes".*?</section>', page, re.S).group(0)
    )
    assert "Қазақша · Заголовок" in box
    assert "Было: (текст по умолчанию) → Сейчас: Біз cookie қолданамыз!" in box
    assert "Русский" not in box and "Положение" not in box  # the owner's own edits
    again = form_as_sent(page)
    assert again["texts_kk-title"] == "Біз cookie қолданамыз!"
    assert (again["texts_ru-title"], again["position"]) == ("Мы используем cookie!", "top")
    assert saved(site).texts == {"kk": {"title": "Біз cookie қолданамыз!"}}

    assert second.post(editor_url(site), data=again).status_code == 302
    site = saved(site)
    assert site.texts == {
        "kk": {"title": "Біз cookie қолданамыз!"},
        "ru": {"title": "Мы используем cookie!"},
    }
    assert site.appearance["position"] == "top"
