"""The catalogs are complete: each holds exactly the template's messages, every one
translated and none fuzzy; kk and ru leave nothing in English."""

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


PLACEHOLDER = re.compile(r"%\(\w+\)s")


def messages(language: str | None):
    """The messages of a language's catalog, or of the template (None)."""
    path = TRANSLATIONS / (f"{language}/LC_MESSAGES/messages.po" if language else "messages.pot")
    with open(path, "rb") as po:
        return [m for m in read_po(po, locale=language) if m.id]


def texts(value) -> tuple:
    """A message's id or string as a tuple (plural messages have several)."""
    return value if isinstance(value, tuple) else (value,)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_message_of_the_template_is_translated_and_none_is_fuzzy(language):
    catalog = messages(language)
    assert {m.id for m in catalog} == {m.id for m in messages(None)}
    assert [m.id for m in catalog if not all(texts(m.string))] == []
    assert [m.id for m in catalog if m.fuzzy] == []
    unformatted = [
        m.id for m in catalog if PLACEHOLDER.search(texts(m.id)[0]) and not m.python_format
    ]
    assert unformatted == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_message_is_left_in_english(language):
    def english(message) -> bool:
        if any(LEGAL_NAME.search(text) for text in texts(message.id)):
            return False
        has_words = any(LATIN_WORD.search(KEPT.sub("", text)) for text in texts(message.id))
        return has_words and not all(CYRILLIC.search(text) for text in texts(message.string))

    assert [m.id for m in messages(language) if english(m)] == []
