"""Form fields as a screen reader meets them: every hint and error message of a field is
named by its control's aria-describedby."""

import re

import pytest

from tests.dashboard.conftest import ROUTES, csrf_token, form_inputs

FIELD = re.compile(r'<(p|div) class="field[^"]*">(.*?)</\1>', re.S)


def undescribed(page: str) -> list[str]:
    """The fields' hints and errors (by id) that no control of their field names."""
    missing = []
    for _, field in FIELD.findall(page):
        described = " ".join(re.findall(r'aria-describedby="([^"]*)"', field)).split()
        for message in re.findall(r'<span class="(?:hint|errors)"(?: id="([^"]+)")?', field):
            if message not in described:
                missing.append(message or "a message without an id")
    return missing


@pytest.mark.parametrize("url", [url for method, url, _ in ROUTES if method == "GET"])
def test_every_hint_is_read_with_its_control(signed_in, people, url):
    page = signed_in("owner").get(url.format(site=people["site"].public_key)).text
    assert undescribed(page) == []


@pytest.mark.parametrize("url", [url for method, url, _ in ROUTES if method == "GET"])
def test_no_two_elements_of_a_page_share_an_id(signed_in, people, url):
    """A label's `for` and a hint's aria-describedby find the first element of an id: a
    second one (the tokens page had two `name` fields) is unlabelled for a screen reader."""
    page = signed_in("owner").get(url.format(site=people["site"].public_key)).text
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_errors_and_hints_of_a_refused_form_are_read_with_their_controls(signed_in, people):
    client = signed_in("owner")
    url = f"/dashboard/sites/{people['site'].public_key}/settings"
    data = dict(form_inputs(client.get(url).text), contact_email="not-an-email", bin="1")
    data["csrf_token"] = csrf_token(client, url)

    page = client.post(url, data=data).text

    assert 'id="contact_email-errors"' in page and 'id="bin-errors"' in page
    assert undescribed(page) == []
