"""Dashboard fixtures: CSRF on as in production, a site with a member of every role, an
outsider who owns another site, and clients signed in as each of them."""

import re

import pytest
from flask.testing import FlaskClient

from backend.extensions import db
from backend.models import Membership, Role
from backend.services.sites import get_or_create_user
from tests.factories import make_site

PASSWORD = "correct horse battery"
CSRF_FIELD = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture
def app_config() -> dict:
    return {"WTF_CSRF_ENABLED": True}


class OwnContextClient(FlaskClient):
    """Each request in an app context of its own, as under a real server: the test's context
    would otherwise lend every request the same `g` (and so one CSRF token that was never
    put in the session) and the same database session."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = OwnContextClient
    return app.test_client()


def csrf_token(client, url: str) -> str:
    """The CSRF token of the form on the page at ``url``, as a browser would send it."""
    response = client.get(url)
    match = CSRF_FIELD.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({response.status_code})"
    return match.group(1)


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign in through the form, CSRF token included."""
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client, "/login")},
    )


@pytest.fixture
def people(app) -> dict:
    """A site with an owner, an editor and a viewer, and an outsider who owns another site."""
    site = make_site(name="Кинотеатр «Арман»", domains=["arman.kz"])
    other = make_site(name="Other agency site", domains=["other.kz"])
    users = {}
    for role in Role:
        user, _ = get_or_create_user(db.session, f"{role.value}@arman.kz", PASSWORD)
        db.session.add(Membership(user=user, site=site, role=role))
        users[role.value] = user
    outsider, _ = get_or_create_user(db.session, "outsider@other.kz", PASSWORD)
    db.session.add(Membership(user=outsider, site=other, role=Role.OWNER))
    users["outsider"] = outsider
    db.session.commit()
    return {"site": site, "other": other, **users}


@pytest.fixture
def signed_in(app, people):
    """signed_in(who) -> a test client signed in as people[who]; "anonymous" signs nobody in."""

    def client_for(who: str):
        app.test_client_class = OwnContextClient
        client = app.test_client()
        if who != "anonymous":
            response = sign_in(client, people[who].email)
            assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return client_for
