"""The app as a deployer and a newcomer meet it: configuration, CLI, demo and error pages."""

import json
import re

import pytest
import sqlalchemy as sa

from backend import errors
from backend.extensions import db
from backend.models import Membership, Service, Site, User
from backend.services import DomainError
from tests.factories import make_site


def test_demo_is_idempotent_and_prints_where_to_look(runner, client):
    first = runner.invoke(args=["demo", "--json"])
    second = runner.invoke(args=["demo", "--json"])
    assert first.exit_code == 0, first.output
    details = json.loads(first.output)
    assert json.loads(second.output) == details
    assert db.session.scalar(sa.select(sa.func.count(Site.id))) == 1
    site = db.session.scalar(sa.select(Site))
    assert sorted(s.kind for s in site.services) == ["google_analytics", "yandex_metrica"]
    assert details["demo_url"].endswith(f"/demo/{details['site_key']}")

    assert client.get("/demo").headers["Location"] == f"/demo/{details['site_key']}"
    page = client.get(f"/demo/{details['site_key']}?lang=kk")
    assert page.status_code == 200
    html = page.data.decode()
    assert '<html lang="kk">' in html
    head = html[html.index("<head>") : html.index("</head>")]
    # The widget comes first in <head>, before the pasted Metrica snippet.
    assert head.index(f"/w/{details['site_key']}.js") < head.index("mc.yandex.ru/metrika/tag.js")
    assert "data-kelisim-open" in html

    human = runner.invoke(args=["demo"])
    assert f"Dashboard sign-in:  {details['sign_in_url']}" in human.output
    assert details["password"] in human.output
    # The printed sign-in works and leads to the demo site.
    login = details["sign_in_url"].removeprefix("http://127.0.0.1:5000")
    signed_in = client.post(
        login, data={"email": details["email"], "password": details["password"]}
    )
    assert signed_in.headers["Location"] == "/dashboard/"
    assert "Kelisim demo cinema" in client.get("/dashboard/").get_data(as_text=True)


def test_the_demo_operator_has_a_bin_the_settings_form_accepts(runner):
    from backend.site_rules import bin_is_valid

    runner.invoke(args=["demo"])
    site = db.session.scalar(sa.select(Site))
    assert bin_is_valid(site.bin)


def test_demo_page_before_the_demo_exists_is_a_404(client):
    assert client.get("/demo").status_code == 404


def test_create_user_and_site_from_the_cli(runner):
    result = runner.invoke(
        args=["create-user", "Owner@Kino.kz"], input="secret-password\nsecret-password\n"
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["create-site", "Kino", "--domain", "kino.kz", "--owner", "owner@kino.kz",
              "--metrica", "123", "--ga4", "G-1"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    key = re.search(r"Site key: (\S+)", result.output).group(1)
    site = db.session.scalar(sa.select(Site).where(Site.public_key == key))
    assert site.domains == ["kino.kz"]
    assert {(s.kind, s.managed) for s in site.services} == {
        ("yandex_metrica", False), ("google_analytics", True),
    }  # fmt: skip
    membership = db.session.scalar(sa.select(Membership))
    assert (membership.user.email, membership.role) == ("owner@kino.kz", "owner")
    assert membership.user.check_password("secret-password")
    assert f'src="http://127.0.0.1:5000/w/{key}.js"' in result.output


def test_create_site_prints_the_snippet_of_the_server_it_is_given(runner):
    runner.invoke(args=["create-user", "owner@kino.kz"], input="secret-password\n" * 2)
    result = runner.invoke(
        args=["create-site", "Kino", "--domain", "kino.kz", "--owner", "owner@kino.kz",
              "--host", "192.0.2.1", "--port", "8000"]
    )  # fmt: skip
    key = re.search(r"Site key: (\S+)", result.output).group(1)
    assert f'src="http://192.0.2.1:8000/w/{key}.js"' in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["create-site", "Kino", "--domain", "kino.kz", "--owner", "nobody@kino.kz"],
        ["create-site", "Kino", "--domain", "https://kino.kz/", "--owner", "owner@kino.kz"],
    ],
)
def test_create_site_refuses_bad_input(runner, args):
    runner.invoke(args=["create-user", "owner@kino.kz"], input="owner-password\nowner-password\n")
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert db.session.scalar(sa.select(sa.func.count(Site.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Service.id))) == 0


def test_purge_command_reports(runner):
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0
    assert "Purged 0 events" in result.output


def test_purge_deletes_expired_events_batch_by_batch_and_keeps_the_rest(runner, site):
    from datetime import UTC, datetime, timedelta

    from backend.models import ConsentEvent
    from tests.factories import record_event

    now = datetime.now(UTC)
    for days in (1, 30, 365 * 3 + 10, 365 * 3 + 20, 365 * 3 + 30, 365 * 3 + 40, 365 * 4):
        record_event(site, now - timedelta(days=days))
    db.session.commit()

    result = runner.invoke(args=["purge", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "Purged 5 events from 1 sites." in result.output
    kept = db.session.scalars(sa.select(ConsentEvent.created_at)).all()
    assert sorted(now - moment for moment in kept) == [timedelta(days=1), timedelta(days=30)]


def test_pages_get_html_errors_without_a_stack_trace(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "ru"})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Traceback" not in response.text
    assert '<html lang="ru">' in response.text and "Такой страницы нет." in response.text
    assert 'href="/">' in response.text  # a way on: home
    # No session is started for it (a visitor's browser asking for a favicon gets no cookie);
    # someone who has one (signed in, or has been to a form) can switch the language there.
    assert "Set-Cookie" not in response.headers and 'class="languages"' not in response.text
    client.get("/login")
    assert 'class="languages"' in client.get("/no-such-page").text


def test_an_unexpected_error_is_a_clean_500(app, client):
    @app.get("/api/v1/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json["error"]["code"] == "internal_server_error"
    assert "secret detail" not in response.data.decode()


def test_users_are_unique_by_email(app):
    db.session.add_all(
        [User(email="a@b.kz", password_hash="x"), User(email="a@b.kz", password_hash="y")]
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("host", ["..", "a" * 300, "exa..mple.kz"])
@pytest.mark.parametrize("path", ["/", "/no-such-page", "/login"])
def test_a_malformed_host_is_a_clear_400(client, host, path):
    response = client.get(path, headers={"Host": host})
    assert response.status_code == 400
    assert "Traceback" not in response.text
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]


def test_every_domain_error_has_one_answer_and_no_http_of_its_own(app):
    """backend/errors.py maps each domain error to a status and code; the errors themselves
    say only what went wrong."""
    for cls in [DomainError, *_subclasses(DomainError)]:
        status, code = errors.domain_answer(cls("message"))
        assert 400 <= status < 600 and code
        assert not hasattr(cls, "status") and not hasattr(cls, "code"), cls


def test_the_demo_page_shows_the_demo_site_only(runner, client, site):
    """Another site's banner and managed trackers never run on Kelisim's own origin, nor
    those of a site someone named like the demo."""
    namesake = make_site(name="Kelisim demo cinema", domains=["namesake.kz"])
    db.session.commit()
    details = json.loads(runner.invoke(args=["demo", "--json"]).output)

    assert client.get(f"/demo/{details['site_key']}").status_code == 200
    assert client.get("/demo").headers["Location"] == f"/demo/{details['site_key']}"
    for other in (site.public_key, namesake.public_key, "unknown-key"):
        response = client.get(f"/demo/{other}")
        assert response.status_code == 404
        assert f"/w/{other}" not in response.text  # its widget is not on the page
