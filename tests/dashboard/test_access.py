"""Who may open which dashboard page: every route × every kind of person.

Each dashboard area adds its routes to ROUTES (conftest.py) with the least role that may use
them."""

import pytest

from backend.dashboard.access import needed
from backend.models import Role
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


def test_every_view_of_a_site_declares_the_least_role_it_needs(app):
    """A view of one site that forgot to declare would answer 500 to everyone."""
    site_rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("dashboard.") and "site_key" in rule.arguments
    ]
    assert len(site_rules) > 20
    for rule in site_rules:
        for method in rule.methods:
            assert needed(rule.endpoint, method) in Role, rule
