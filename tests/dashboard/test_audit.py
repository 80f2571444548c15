"""The audit log: newest first, 50 a page, who/when/what in plain words, every field and
value in the reader's language."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import AuditEntry, User
from tests.dashboard.conftest import csrf_token, form_inputs

DETAIL = re.compile(r'<span class="detail">(.*?)</span>', re.S)


def audit_url(site, page: int | None = None) -> str:
    url = f"/dashboard/sites/{site.public_key}/audit"
    return f"{url}?page={page}" if page else url


def add_entries(site, user, count: int) -> None:
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    for n in range(count):
        db.session.add(
            AuditEntry(
                site_id=site.id,
                user=user,
                created_at=start + timedelta(minutes=n),
                action="site.update",
                details={"fields": {"name": [f"Имя {n}", f"Имя {n + 1}"]}},
            )
        )
    db.session.commit()


def test_entries_are_listed_newest_first_in_plain_words(signed_in, people):
    site = people["site"]
    add_entries(site, people["editor"], 2)
    db.session.add(
        AuditEntry(
            site_id=site.id,
            user=None,
            created_at=datetime(2026, 11, 2, tzinfo=UTC),
            action="policy.publish",
            details={"version": 2, "requires_consent": True, "note": "<script>x</script>"},
        )
    )
    db.session.commit()
    page = signed_in("owner").get(audit_url(site)).get_data(as_text=True)
    assert page.index("Опубликовал версию политики") < page.index("Изменил настройки сайта")
    assert page.index("Название сайта: Имя 1 → Имя 2") < page.index("Название сайта: Имя 0 → Имя 1")
    assert "Нужно новое согласие: да" in page
    assert "Примечание: &lt;script&gt;x&lt;/script&gt;" in page  # text, never HTML
    assert "editor<wbr>@arman.kz" in page and "система" in page
    # Almaty time, written as the reader's language writes dates (with no-break spaces).
    assert "2 нояб. 2026 г., 05:00:00" in page.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_log_is_paginated_by_50(signed_in, people):
    site = people["site"]
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.site_id == site.id))  # its creation
    add_entries(site, people["owner"], 51)
    client = signed_in("owner")
    first = client.get(audit_url(site)).get_data(as_text=True)
    assert first.count("Изменил настройки сайта") == 50
    assert "Имя 50 → Имя 51" in first and "Имя 0 → Имя 1" not in first
    assert "Страница 1 из 2" in first and "page=2" in first
    second = client.get(audit_url(site, 2)).get_data(as_text=True)
    assert second.count("Изменил настройки сайта") == 1 and "Имя 0 → Имя 1" in second


def test_a_page_past_the_end_or_garbage_is_no_error(signed_in, people):
    client = signed_in("owner")
    assert client.get(audit_url(people["site"], 99)).status_code == 200
    assert client.get(audit_url(people["site"]) + "?page=abc").status_code == 200


def details(page: str) -> list[str]:
    """The lines of the log's Details column, as text."""
    return [unescape(line) for line in DETAIL.findall(page)]


def change_settings_and_banner(client, site) -> None:
    """Save new operator details, domains, policy addresses and languages, then a banner
    with a Kazakh title, another position and the Do Not Track switch, through the forms."""
    settings = f"/dashboard/sites/{site.public_key}/settings"
    data = dict(form_inputs(client.get(settings).get_data(as_text=True)))
    data |= {
        "csrf_token": csrf_token(client, settings),
        "domains": "arman.kz\nwww.arman.kz",
        "legal_name": "ТОО «Арман Кино»",
        "allow_subdomains": "y",
        "policy_urls-kk": "https://arman.kz/kk/privacy",
        "languages": ["kk", "ru"],
        "default_language": "kk",
    }
    assert client.post(settings, data=data).status_code == 302
    banner = f"/dashboard/sites/{site.public_key}/banner"
    data = dict(form_inputs(client.get(banner).get_data(as_text=True)))
    data.pop("floating_button", None)  # unticked boxes are not sent
    data |= {"texts_kk-title": "Біз cookie қолданамыз!", "position": "top", "respect_dnt": "y"}
    assert client.post(banner, data=data).status_code == 302


# Each expected line once; the banner's lines first (newest first).
EXPECTED = {
    "ru": [
        "Текст баннера (на казахском) · Заголовок: текст по умолчанию → Біз cookie қолданамыз!",
        "Расположение: Внизу страницы → Вверху страницы",
        "Считать Do Not Track отказом: нет → да",
        "Домены: arman.kz → arman.kz, www.arman.kz",
        "Принимать согласия и с поддоменов (например, shop.arman.kz): нет → да",
        "Юридическое наименование оператора: ТОО «Арман» → ТОО «Арман Кино»",
        "Политика конфиденциальности · На казахском: — → https://arman.kz/kk/privacy",
        "Языки баннера: Русский → Қазақша, Русский",
        "Язык по умолчанию: Русский → Қазақша",
    ],
    "kk": [
        "Баннер мәтіні (қазақша) · Тақырып: әдепкі мәтін → Біз cookie қолданамыз!",
        "Орны: Беттің төменгі жағында → Беттің жоғарғы жағында",
        "Do Not Track сигналын бас тарту деп есептеу: жоқ → иә",
        "Домендер: arman.kz → arman.kz, www.arman.kz",
        "Ішкі домендерден де келісім қабылдау (мысалы shop.arman.kz): жоқ → иә",
        "Оператордың заңды атауы: ТОО «Арман» → ТОО «Арман Кино»",
        "Құпиялылық саясаты · Қазақ тілінде: — → https://arman.kz/kk/privacy",
        "Баннер тілдері: Русский → Қазақша, Русский",
        "Әдепкі тіл: Русский → Қазақша",
    ],
}


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_settings_and_banner_changes_read_in_the_owners_language(signed_in, people, language):
    site = people["site"]
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.site_id == site.id))
    db.session.get(User, people["owner"].id).locale = language
    site.legal_name, site.languages, site.default_language = "ТОО «Арман»", ["ru"], "ru"
    site.appearance = {"position": "bottom", "accent": "#1f5fbf", "floating_button": False}
    db.session.commit()
    client = signed_in("owner")
    change_settings_and_banner(client, site)
    lines = details(client.get(audit_url(site)).get_data(as_text=True))
    for line in EXPECTED[language]:
        assert lines.count(line) == 1, (line, lines)
    text = re.sub(r"https://\S+", "", "\n".join(lines))
    # No field names, JSON or untranslated yes/no as recorded.
    assert not re.search(r"[{}\[\]\"]|\b[a-z]+_[a-z_]+\b|\b(?:true|false|null|None)\b", text)
    assert not re.search(r"\b(?:domains|title|appearance|position|kk|ru|yes|no)\b", text)


@pytest.mark.parametrize(
    ("action", "details_", "expected"),
    [
        (
            "service.add",
            {
                "kind": "google_analytics",
                "slug": "ga4",
                "category": "analytics",
                "managed": True,
                "options": {
                    "measurement_id": "G-ABC123",
                    "consent_mode": "basic",
                    "info": {"kk": {"name": "Талдау"}},
                    "cookies": ["_ga", "_ga_*"],
                },
            },
            [
                "Вид трекера: Google Аналитика 4",
                "Категория: Аналитические",
                "Кто загружает: Управляемый",
                "Текст баннера (на казахском) · Название: Талдау",
                "Какие cookie он устанавливает: _ga, _ga_*",
            ],
        ),
        (
            "service.update",
            {
                "slug": "ga4",
                "fields": {"managed": [True, False], "options": [{}, {"webvisor": True}]},
            },
            ["Кто загружает: Управляемый → Удерживаемый"],
        ),
        (
            "member.role",
            {"member": "a@arman.kz", "role": ["owner", "editor"]},
            ["Роль: Владелец → Редактор"],
        ),
        ("shared_link.create", {"name": "Совет", "password": True}, ["Защищена паролем: да"]),
    ],
)
def test_trackers_members_and_links_read_in_plain_words(
    signed_in, people, action, details_, expected
):
    site = people["site"]
    db.session.add(AuditEntry(site_id=site.id, user=None, action=action, details=details_))
    db.session.commit()
    lines = details(signed_in("owner").get(audit_url(site)).get_data(as_text=True))
    for line in expected:
        assert line in lines, (line, lines)
    assert not re.search(r"[{}\[\]]|\b[a-z]+_[a-z_]+\b|\b(?:True|False|None)\b", "\n".join(lines))


def test_an_address_wraps_at_its_at_sign_only(signed_in, people):
    site = people["site"]
    add_entries(site, people["editor"], 1)
    page = signed_in("owner").get(audit_url(site)).get_data(as_text=True)
    assert '<td data-label="Кто" class="who">editor<wbr>@arman.kz</td>' in page


@pytest.mark.parametrize(
    ("action", "details_", "expected"),
    [
        (
            "service.add",
            {
                "kind": "2gis",
                "slug": "map",
                "category": "functional",
                "managed": False,
                "options": {},
            },
            ["Встроенный контент: 2ГИС", "Имя в data-consent: map", "Категория: Функциональные"],
        ),
        (
            "service.remove",
            {"slug": "video", "kind": "vk_video", "managed": False, "options": {}},
            ["Имя в data-consent: video", "Встроенный контент: VK Видео"],
        ),
    ],
    ids=["added", "removed"],
)
def test_embedded_content_is_named_as_such_and_never_loaded_by_anyone(
    signed_in, people, action, details_, expected
):
    """An embed has no ID and Kelisim never loads it: no "loaded by", no empty options."""
    site = people["site"]
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.site_id == site.id))
    db.session.add(AuditEntry(site_id=site.id, user=None, action=action, details=details_))
    db.session.commit()
    lines = details(signed_in("owner").get(audit_url(site)).get_data(as_text=True))
    assert sorted(lines) == sorted(expected)  # PostgreSQL's JSONB keeps no key order
