"""Small things that read wrong in Kazakh and Russian: one English word with two meanings,
a date that ends a sentence, two words for "button", file names, labels on a phone, a token
to copy, and a reserved e-mail domain refused without a reason."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from backend.extensions import db
from backend.models import User
from tests.dashboard.conftest import csrf_token, form_inputs, seed, today

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


@pytest.mark.parametrize("address", ["analyst@arman.test", "a@kelisim.local", "a@localhost"])
def test_an_invitation_to_a_reserved_domain_says_why_it_is_refused(signed_in, people, address):
    site = people["site"]
    client = signed_in("owner")
    url = f"/dashboard/sites/{site.public_key}/members/invite"
    response = client.post(
        url, data={"csrf_token": csrf_token(client, "/dashboard/"), "email": address}
    )
    assert response.status_code == 422
    assert "зарезервирован и не получает почту" in response.get_data(as_text=True)


def test_a_reserved_contact_address_says_why_and_a_mistyped_one_keeps_its_message(
    signed_in, people
):
    site = people["site"]
    client = signed_in("editor")
    url = f"/dashboard/sites/{site.public_key}/settings"
    data = dict(form_inputs(client.get(url).get_data(as_text=True)))
    data |= {"csrf_token": csrf_token(client, url), "languages": list(site.languages)}
    reserved = client.post(url, data=data | {"contact_email": "privacy@arman.test"})
    assert reserved.status_code == 422
    assert "зарезервирован и не получает почту" in reserved.get_data(as_text=True)
    typo = client.post(url, data=data | {"contact_email": "privacy@"})
    assert typo.status_code == 422
    page = typo.get_data(as_text=True)
    assert "зарезервирован" not in page and "privacy@arman.kz" in page  # its own example


def test_the_trackers_table_labels_every_cell_and_marks_ids(signed_in, people):
    site = people["site"]
    client = signed_in("viewer")
    url = f"/dashboard/sites/{site.public_key}/trackers/new/google_analytics"
    editor = signed_in("editor")
    data = dict(form_inputs(editor.get(url).get_data(as_text=True)))
    data |= {"csrf_token": csrf_token(editor, url), "vendor_id": "G-ABCDEF1234"}
    assert editor.post(url, data=data).status_code == 302
    page = client.get(f"/dashboard/sites/{site.public_key}/trackers").get_data(as_text=True)
    row = re.search(r"<tr[^>]*>((?:(?!</tr>).)*G-ABCDEF1234.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>", row)
    assert len(cells) == 4 and all("data-label=" in cell for cell in cells), cells
    assert '<code class="vendor-id">G-ABCDEF1234</code>' in page


def test_a_new_token_has_a_copy_button_and_stays_selectable_without_it(signed_in, people):
    client = signed_in("owner")
    url = f"/dashboard/sites/{people['site'].public_key}/tokens"
    page = client.post(url, data={"name": "Отчёт", "csrf_token": csrf_token(client, url)}).text
    assert re.search(r'<pre class="snippet token" id="new-token"><code>kls_[^<]+</code>', page)
    button = re.search(r'<button type="button"[^>]*data-copy="new-token"[^>]*>([^<]+)<', page)
    assert button and button.group(1) == "Скопировать токен"
    assert 'id="new-token-status" role="status"' in page


# In a real Chromium


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_on_a_phone_tracker_cells_say_what_they_are_and_ids_stay_whole(signed_in_page, live, width):
    _, base, key = live
    signed_in_page.set_viewport_size({"width": width, "height": 844})
    signed_in_page.goto(f"{base}/dashboard/sites/{key}/trackers")
    code = signed_in_page.locator("table.trackers code", has_text="G-DEMO123456")
    expect(code).to_be_visible()
    assert code.evaluate("element => element.getClientRects().length") == 1  # one line
    cell = code.locator("xpath=..")
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    if width == 390:
        assert label == '"ID: "', label
        expect(signed_in_page.locator("table.trackers thead")).to_be_hidden()
    else:
        assert label == "none", label


@pytest.mark.browser
def test_the_copy_button_puts_a_new_token_on_the_clipboard(signed_in_page, live):
    _, base, key = live
    signed_in_page.goto(f"{base}/dashboard/sites/{key}/tokens")
    signed_in_page.locator("main [name=name]").first.fill("Отчёт")  # the token form comes first
    signed_in_page.get_by_role("button", name="Создать токен").click()
    secret = signed_in_page.locator("#new-token").inner_text()
    assert secret.startswith("kls_")
    signed_in_page.get_by_role("button", name="Скопировать токен").click()
    expect(signed_in_page.locator("#new-token-status")).to_have_text("Скопировано.")
    assert signed_in_page.evaluate("navigator.clipboard.readText()") == secret
