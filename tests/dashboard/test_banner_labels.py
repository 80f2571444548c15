"""The banner editor names every text by where it appears, each name once, and says what each
placeholder (%(days)s, %(providers)s, %(countries)s) is replaced by, in kk, ru and en."""

import re
from html import unescape

import pytest

from backend.banner_texts import DEFAULT_TEXTS
from backend.dashboard.banner_forms import TEXT_GROUPS

CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
PLACEHOLDERS = {
    "consent_term": "%(days)s",
    "third_parties": "%(providers)s",
    "cross_border": "%(countries)s",
}


def test_every_banner_text_is_in_one_group_of_the_editor():
    keys = [key for _group, labels in TEXT_GROUPS for key in labels]
    assert sorted(keys) == sorted(DEFAULT_TEXTS)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_each_text_has_a_label_of_its_own_and_each_placeholder_a_hint(signed_in, people, language):
    site = people["site"]
    client = signed_in("editor")
    page = client.get(
        f"/dashboard/sites/{site.public_key}/banner", headers={"Accept-Language": language}
    ).get_data(as_text=True)
    for lang in site.languages:
        labels = [
            unescape(label)
            for label in re.findall(rf'<label for="texts_{lang}-\w+">([^<]*)</label>', page)
        ]
        assert len(labels) == len(DEFAULT_TEXTS)
        # No two alike (the receipt's button and the e-mail link were both "Withdraw
        # consent"), none cut short.
        assert len(set(labels)) == len(labels), sorted(labels)
        assert [label for label in labels if label.endswith(("…", "..."))] == []
        if language != "en":
            assert [label for label in labels if not CYRILLIC.search(label)] == []
        for key, placeholder in PLACEHOLDERS.items():
            field = re.search(rf'<(?:input|textarea)[^>]*id="texts_{lang}-{key}"[^>]*>', page)
            assert f'aria-describedby="texts_{lang}-{key}-hint"' in field.group(0)
            hint = re.search(rf'<span class="hint" id="texts_{lang}-{key}-hint">([^<]*)<', page)
            assert placeholder in unescape(hint.group(1))
            if language != "en":
                assert CYRILLIC.search(hint.group(1))
