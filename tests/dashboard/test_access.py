"""Who may open which dashboard page: every route × every kind of person.

Each dashboard area adds its routes to ROUTES (conftest.py) with the least role that may use
them."""

import pytest

from tests.dashboard.conftest import PEOPLE, ROUTES, expected_status


@pytest.mark.parametrize(("method", "url", "least"), ROUTES)
@pytest.mark.parametrize("who", PEOPLE)
def test_every_route_answers_each_person_as_their_role_allows(
    signed_in, people, who, method, url, least
):
    client = signed_in(who)
    response = client.open(url.format(site=people["site"].public_key), method=method)
    assert response.status_code == expected_status(who, least, ok=200)
    if who == "anonymous":
        assert response.headers["Location"].startswith("/login")
    if response.status_code in (403, 404):
        assert people["site"].name not in response.get_data(as_text=True)
