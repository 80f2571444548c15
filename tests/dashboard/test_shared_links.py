"""Shared links: an owner makes a read-only link to a site's overview, optionally with a
password; people without an account open it; a revoked link is gone."""

import re

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import AuditEntry, SharedLink
from tests.dashboard.conftest import EN, csrf_token, seed, text, today


@pytest.fixture
def site(people):
    """The people's site, with a day of consents."""
    seed(people["site"], today(), 5, 2)
    db.session.commit()
    return people["site"]


def make_link(client, site, name="Board", password="", token=True):
    url = f"/dashboard/sites/{site.public_key}/shared-links"
    data = {"name": name, "password": password}
    if token:
        data["csrf_token"] = csrf_token(client, "/dashboard/")
    return client.post(url, data=data, headers=EN)


def link_in(response) -> str:
    return re.search(r"<code>(http://[^<]+/shared/[^<]+)</code>", response.text).group(1)


def test_anyone_with_the_link_sees_the_overview_and_nothing_else(signed_in, site):
    response = make_link(signed_in("owner"), site)
    assert response.status_code == 201
    url = link_in(response).removeprefix("http://localhost")

    shared = signed_in("anonymous").get(f"{url}?period=7", headers=EN)

    assert shared.status_code == 200
    page = text(shared)
    assert "Figures and their formulas" in page and '<svg class="chart"' in page
    assert "Download" not in page and "/w/" not in page and "Sign out" not in page
    assert shared.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in shared.headers["X-Robots-Tag"]
    stored = db.session.scalars(sa.select(SharedLink)).one()
    assert url.rsplit("/", 1)[1] not in stored.token_hash
    made = sa.select(AuditEntry.action).where(AuditEntry.action != "site.create")
    assert db.session.scalars(made).all() == ["shared_link.create"]


def test_a_password_link_opens_only_with_its_password(signed_in, site):
    url = link_in(make_link(signed_in("owner"), site, password="board-2026!")).removeprefix(
        "http://localhost"
    )
    visitor = signed_in("anonymous")

    asked = visitor.get(url, headers=EN)
    wrong = visitor.post(
        url, data={"password": "guess", "csrf_token": csrf_token(visitor, url)}, headers=EN
    )
    empty = visitor.post(url, data={"password": "", "csrf_token": csrf_token(visitor, url)})
    right = visitor.post(
        url, data={"password": "board-2026!", "csrf_token": csrf_token(visitor, url)}
    )

    assert asked.status_code == 200 and 'type="password"' in asked.text
    assert "Figures and their formulas" not in asked.text
    assert wrong.status_code == 403
    assert "That is not the password of this link." in wrong.text
    assert "Figures and their formulas" not in wrong.text
    assert empty.status_code == 422
    assert right.status_code == 302
    assert "Figures and their formulas" in visitor.get(url, headers=EN).text
    assert "Figures and their formulas" not in signed_in("anonymous").get(url, headers=EN).text


def test_a_revoked_or_unknown_link_is_404(signed_in, site):
    owner = signed_in("owner")
    url = link_in(make_link(owner, site)).removeprefix("http://localhost")
    link = db.session.scalars(sa.select(SharedLink)).one()

    revoked = owner.post(
        f"/dashboard/sites/{site.public_key}/shared-links/{link.id}/revoke",
        data={"csrf_token": csrf_token(owner, "/dashboard/")},
    )

    assert revoked.status_code == 302
    assert signed_in("anonymous").get(url).status_code == 404
    assert signed_in("anonymous").get("/shared/not-a-link").status_code == 404


@pytest.mark.parametrize(("who", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
def test_only_owners_make_shared_links(signed_in, site, who, status):
    assert make_link(signed_in(who), site).status_code == status
    assert db.session.scalar(sa.select(sa.func.count(SharedLink.id))) == 0


@pytest.mark.parametrize(
    ("name", "password", "token", "status"),
    [
        ("", "", True, 422),
        ("Board", "short", True, 422),
        ("x" * 101, "", True, 422),
        ("Board", "", False, 400),  # no CSRF token: not a form the app can read
    ],
)
def test_a_bad_shared_link_form_makes_nothing(signed_in, site, name, password, token, status):
    response = make_link(signed_in("owner"), site, name, password, token)

    assert response.status_code == status
    assert db.session.scalar(sa.select(sa.func.count(SharedLink.id))) == 0
