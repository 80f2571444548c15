"""Who may open which dashboard page: every route × every kind of person.

Each dashboard area adds its routes to ROUTES with the least role that may use them."""

import pytest

from backend.dashboard.access import needed
from backend.models import Role

# (method, URL with {site} for the site's key, least role; None: any signed-in user)
ROUTES = [
    ("GET", "/dashboard/", None),
    ("GET", "/dashboard/sites/{site}", Role.VIEWER),
    ("GET", "/account", None),
    ("GET", "/dashboard/sites/new", None),
    ("GET", "/dashboard/sites/{site}/settings", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/delete", Role.OWNER),
    ("GET", "/dashboard/sites/{site}/members", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/versions", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/versions/1", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/install", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/receipts", Role.OWNER),
    ("GET", "/dashboard/sites/{site}/audit", Role.OWNER),
    ("GET", "/dashboard/sites/{site}/trackers", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/trackers/new", Role.EDITOR),
    ("GET", "/dashboard/sites/{site}/trackers/new/yandex_metrica", Role.EDITOR),
    ("GET", "/dashboard/sites/{site}/banner", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/tokens", Role.OWNER),
    ("GET", "/dashboard/sites/{site}/stats.csv?from=2026-11-01&to=2026-11-30", Role.VIEWER),
    ("GET", "/dashboard/sites/{site}/events.csv?from=2026-11-01&to=2026-11-30", Role.OWNER),
]
PEOPLE = ["owner", "editor", "viewer", "outsider", "anonymous"]


def expected_status(who: str, least: Role | None, ok: int) -> int:
    if who == "anonymous":
        return 302  # to the sign-in page
    if least is None:
        return ok
    if who == "outsider":
        return 404  # another site's member does not learn that this site exists
    return ok if Role(who).allows(least) else 403


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
