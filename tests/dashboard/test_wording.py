"""Small things that read wrong in Kazakh and Russian: one English word with two meanings,
a date that ends a sentence, two words for "button", file names, labels on a phone, a token
to copy, and a reserved e-mail domain refused without a reason."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from backend.extensions import db
from backend.models import User
from tests.dashboard.conftest import seed, today

CATALOGS = Path(__file__).parents[2] / "translations"


def speaking(people, who: str, language: str) -> None:
    """``who`` reads the dashboard in ``language`` from now on."""
    db.session.get(User, people[who].id).locale = language
    db.session.commit()


def header_cells(page: str) -> list[str]:
    return re.findall(r'<th scope="col">([^<]*)</th>', page)


@pytest.mark.parametrize(
    ("language", "noun", "verb"), [("ru", "Изменение", "Изменить"), ("kk", "Өзгеріс", "Өзгерту")]
)
def test_the_overviews_change_column_is_a_noun_and_the_members_one_a_verb(
    signed_in, people, language, noun, verb
):
    site = people["site"]
    seed(site, today(), 4, 2)
    speaking(people, "owner", language)
    client = signed_in("owner")
    overview = client.get(f"/dashboard/sites/{site.public_key}").get_data(as_text=True)
    members = client.get(f"/dashboard/sites/{site.public_key}/members").get_data(as_text=True)
    assert noun in header_cells(overview) and verb not in header_cells(overview)
    assert verb in header_cells(members) and noun not in header_cells(members)


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_period_sentence_ends_with_one_full_stop(signed_in, people, language):
    site = people["site"]
    speaking(people, "viewer", language)
    page = signed_in("viewer").get(f"/dashboard/sites/{site.public_key}").get_data(as_text=True)
    [sentence] = re.findall(r"<p>([^<]*– [^<]*– [^<]*)</p>", page)
    sentence = sentence.strip()
    assert sentence.endswith(".") and not sentence.endswith(".."), sentence
    if language == "ru":
        assert re.search(r"\d{4}\s?г\.$", sentence), sentence  # "… 7 дек. 2026 г.", not "г.."


def test_kazakh_says_tuyme_for_a_button_everywhere():
    with open(CATALOGS / "kk" / "LC_MESSAGES" / "messages.po", "rb") as file:
        catalog = read_po(file)
    texts = [message.string for message in catalog if message.id and message.string]
    assert not [text for text in texts if "батырма" in str(text)]
    assert len([text for text in texts if "түйме" in str(text)]) >= 8


def test_comma_and_semicolon_downloads_have_different_names(signed_in, people):
    client = signed_in("viewer")
    url = f"/dashboard/sites/{people['site'].public_key}/stats.csv?from=2026-11-01&to=2026-11-30"
    names = {
        sep: client.get(f"{url}&sep={sep}").headers["Content-Disposition"]
        for sep in ("comma", "semicolon")
    }
    key = people["site"].public_key
    assert names["comma"] == f'attachment; filename="kelisim-{key}-2026-11-01-2026-11-30.csv"'
    assert names["semicolon"] == (
        f'attachment; filename="kelisim-{key}-2026-11-01-2026-11-30-semicolon.csv"'
    )
