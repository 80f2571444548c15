"""The kk and ru catalogs are complete: every message translated, none fuzzy, none left in
English."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Placeholders and names that stay as they are in every language.
KEPT = re.compile(r"%\(\w+\)s|\{\w+\}|Kelisim|OpenAPI|API|Webvisor|BIN|GPC|DNT|<head>")
# Foreign companies' registered names, which are written as registered.
LEGAL_NAME = re.compile(r"(LLC|Inc\.|Ltd\.)$")


def messages(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return [m for m in read_po(po, locale=language) if m.id]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_message_is_translated_and_none_is_fuzzy(language):
    untranslated = [m.id for m in messages(language) if not m.string or not all(m.string)]
    fuzzy = [m.id for m in messages(language) if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_message_is_left_in_english(language):
    def english(message) -> bool:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if any(LEGAL_NAME.search(text) for text in ids):
            return False
        has_words = any(LATIN_WORD.search(KEPT.sub("", text)) for text in ids)
        return has_words and not all(CYRILLIC.search(text) for text in strings)

    assert [m.id for m in messages(language) if english(m)] == []


def test_the_catalogs_hold_every_message_of_the_template():
    with open(TRANSLATIONS / "messages.pot", "rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    for language in ("kk", "ru", "en"):
        assert template <= {m.id for m in messages(language)}, language
