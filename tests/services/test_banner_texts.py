"""Banner default texts and the service catalog are fully translated to kk and ru."""

import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import Babel

from backend.banner_texts import DEFAULT_TEXTS, texts_for
from backend.service_catalog import CATALOG, KINDS, describe

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
LANGUAGES = ("kk", "ru", "en")
PLACEHOLDER = re.compile(r"%\(\w+\)s")
LATIN_WORD = re.compile(r"[A-Za-z]+")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
# Latin words a kk / ru banner text may keep: the loanword "cookie" (as Kazakh and Russian
# sites write it) and the proper name of the GPC signal.
ALLOWED_LATIN = {"cookie", "global", "privacy", "control"}


def _msgid(text) -> str:
    """The English msgid behind a lazy string, untranslated."""
    # LazyString keeps gettext's arguments; str() would already translate.
    return text._args[0]


@pytest.fixture
def babel_app(tmp_path):
    """A bare Flask app whose Babel reads catalogs compiled from the repo's .po files."""
    # Compile here so the test never depends on a prior `pybabel compile`.
    for language in LANGUAGES:
        with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
            catalog = read_po(po, locale=language)
        target = tmp_path / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        with (target / "messages.mo").open("wb") as mo:
            write_mo(mo, catalog)
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(tmp_path)
    Babel(app)
    with app.app_context():
        yield app


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_text_is_translated(babel_app, language):
    english = texts_for("en")
    texts = texts_for(language)
    assert texts.keys() == DEFAULT_TEXTS.keys()
    for key, text in texts.items():
        assert type(text) is str
        assert text and text != english[key], key
        assert CYRILLIC.search(text), key
        latin = {word.lower() for word in LATIN_WORD.findall(PLACEHOLDER.sub("", text))}
        assert latin <= ALLOWED_LATIN, (key, latin - ALLOWED_LATIN)


def test_english_texts_are_the_defaults(babel_app):
    assert texts_for("en") == {key: str(text) for key, text in DEFAULT_TEXTS.items()}


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_are_left_for_the_widget(babel_app, language):
    texts = texts_for(language)
    assert "%(days)s" in texts["consent_term"]
    assert "%(countries)s" in texts["cross_border"]
    assert "%(providers)s" in texts["third_parties"]
    for key, msgid in DEFAULT_TEXTS.items():
        assert PLACEHOLDER.findall(texts[key]) == PLACEHOLDER.findall(_msgid(msgid)), key


def test_banner_speaks_kazakh_and_russian(babel_app):
    kk, ru = texts_for("kk"), texts_for("ru")
    assert kk["accept_all"] == "Барлығын қабылдау"
    assert kk["reject_all"] == "Барлығынан бас тарту"
    assert kk["settings"] == "Баптаулар"
    assert ru["accept_all"] == "Принять все"
    assert ru["reject_all"] == "Отклонить все"
    assert ru["settings"] == "Настройки"


def test_overrides_replace_known_keys_only(babel_app):
    overrides = {"title": "Cookie файлдары туралы", "no_such_key": "x", "back": "  "}
    texts = texts_for("kk", overrides)
    assert texts["title"] == "Cookie файлдары туралы"
    assert "no_such_key" not in texts
    # A blank override falls back to the default rather than an empty button.
    assert texts["back"] == texts_for("kk")["back"]
    assert texts.keys() == DEFAULT_TEXTS.keys()


def test_unknown_language_falls_back_to_english(babel_app):
    assert texts_for("de") == texts_for("en")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(CATALOG))
def test_describe_returns_every_field(babel_app, kind, language):
    info = describe(kind, language)
    assert info.keys() == {"name", "provider", "country", "cookies", "purpose", "term"}
    assert all(type(info[field]) is str for field in info.keys() - {"cookies"})
    assert all(type(cookie) is str for cookie in info["cookies"])
    assert info["purpose"]
    if kind != "custom":  # the site owner fills in a custom script's facts
        assert info["name"] and info["provider"] and info["country"] and info["term"]
    if language != "en":
        english = describe(kind, "en")
        for field in ("purpose", "country", "term"):
            assert info[field] != english[field] or not english[field], field


def test_describe_names_the_real_entities(babel_app):
    assert describe("yandex_metrica", "kk")["provider"] == "«Яндекс» ЖШС"
    assert describe("yandex_metrica", "ru")["provider"] == "ООО «Яндекс»"
    assert describe("yandex_metrica", "en")["country"] == "Russia"
    assert describe("google_analytics", "ru")["country"] == "США"
    assert describe("tiktok_pixel", "kk")["country"] == "Сингапур"
    assert "_ym_uid" in describe("yandex_metrica", "kk")["cookies"]
    assert describe("google_tag_manager", "en")["cookies"] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_withdraw_button_and_the_mail_request_have_their_own_labels(babel_app, language):
    texts = texts_for(language)
    assert texts["withdraw"] != texts["request_withdraw"]


def test_the_catalogs_names_are_in_the_banners_language(babel_app):
    assert describe("yandex_metrica", "ru")["name"] == "Яндекс Метрика"
    assert describe("yandex_metrica", "kk")["name"] == "Яндекс Метрика"
    assert describe("yandex_metrica", "en")["name"] == "Yandex.Metrica"
    # Every name has a word in Cyrillic in kk and ru (a brand such as TikTok stays as it is
    # written), but Top@Mail.ru's, which its vendor writes so in Russian too.
    for language in ("kk", "ru"):
        for kind in {k for k, v in KINDS.items() if v.type == "script"} - {"custom", "top_mail_ru"}:
            assert CYRILLIC.search(describe(kind, language)["name"]), (kind, language)


def test_embeds_and_pixels_are_named_and_described_in_each_language(babel_app):
    # A brand its vendor writes in Latin letters everywhere stays so; every other name and
    # every purpose has its own words in kk and ru.
    brands = {"youtube", "rutube", "telegram", "instagram"}
    for key, kind in CATALOG.items():
        if kind.type == "script":
            continue
        english = describe(key, "en")
        for language in ("kk", "ru"):
            info = describe(key, language)
            assert CYRILLIC.search(info["purpose"]), (key, language)
            if key not in brands:
                assert CYRILLIC.search(info["name"]) and info["name"] != english["name"], key
    assert describe("2gis", "kk")["name"] == "2ГИС"
    assert describe("2gis", "ru")["provider"] == "ООО «ДубльГИС»"
    assert describe("rutube", "ru")["provider"] == "ООО «Руформ»"
    assert describe("telegram", "kk")["country"] == "Британдық Виргин аралдары"
    assert describe("yandex_maps", "kk")["provider"] == "«Яндекс» ЖШС"
    assert describe("youtube", "en")["cookies"][:2] == ["YSC", "VISITOR_INFO1_LIVE"]


def test_catalog_kinds_are_consistent():
    categories = {"analytics", "marketing", "functional"}
    trackers = {key for key, kind in KINDS.items() if kind.type == "script"}
    assert trackers == {
        "yandex_metrica",
        "google_analytics",
        "google_tag_manager",
        "meta_pixel",
        "vk_pixel",
        "top_mail_ru",
        "tiktok_pixel",
        "custom",
    }
    for key in trackers:
        kind = KINDS[key]
        assert kind.kind == key
        assert kind.default_category in categories
        assert kind.option_fields
        # The example the form shows is an ID the form accepts.
        assert kind.kind == "custom" or re.fullmatch(kind.id_pattern, kind.id_example)


def _read_catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def test_template_holds_every_default_text():
    template = _read_catalog(TRANSLATIONS / "messages.pot")
    msgids = {_msgid(text) for text in DEFAULT_TEXTS.values()}
    assert msgids <= {message.id for message in template}
