"""The dashboard's language: the user's choice, else the browser's cookie, else its
Accept-Language, else Russian; chosen with a small form on every page."""

import re

import pytest

from backend.extensions import db
from backend.models import User
from tests.dashboard.conftest import PASSWORD, csrf_token, sign_in

HTML_LANG = re.compile(r'<html lang="(\w+)">')


def stored_language(user: User) -> str | None:
    """The user's language as the database has it now."""
    db.session.expire_all()
    return db.session.get(User, user.id).locale


def page_language(client, url: str) -> str:
    return HTML_LANG.search(client.get(url).get_data(as_text=True)).group(1)


def choose(client, language: str, page: str):
    return client.post(
        "/language",
        data={"language": language, "next": page, "csrf_token": csrf_token(client, page)},
    )


@pytest.mark.parametrize(
    ("cookie", "accept", "expected"),
    [(None, None, "ru"), (None, "en-US,en;q=0.9", "en"), ("kk", "en", "kk"), ("xx", "en", "en")],
)
def test_an_anonymous_page_speaks_the_cookie_then_the_browser_then_russian(
    client, cookie, accept, expected
):
    if cookie:
        client.set_cookie("kelisim_language", cookie)
    if accept:
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = accept
    assert page_language(client, "/login") == expected


def test_choosing_on_the_sign_in_page_is_remembered_in_the_browser(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    page = client.get("/login").get_data(as_text=True)
    assert 'action="/language"' in page
    response = choose(client, "kk", "/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    cookie = response.headers["Set-Cookie"]
    assert "kelisim_language=kk" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="kk">' in page
    assert "Kelisim жүйесіне кіру" in page


def test_a_users_choice_is_kept_across_signing_out_and_in_on_another_browser(
    signed_in, people, app
):
    client = signed_in("editor")
    assert 'action="/language"' in client.get("/dashboard/").get_data(as_text=True)
    assert choose(client, "kk", "/dashboard/").headers["Location"] == "/dashboard/"
    assert stored_language(people["editor"]) == "kk"
    assert page_language(client, "/dashboard/") == "kk"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/dashboard/")})
    assert page_language(client, "/login") == "kk"  # this browser remembers

    other_browser = app.test_client()
    other_browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert page_language(other_browser, "/login") == "en"
    sign_in(other_browser, "editor@arman.kz", PASSWORD)
    assert page_language(other_browser, "/dashboard/") == "kk"


def test_the_users_choice_comes_before_the_browsers(signed_in, people):
    people["viewer"].locale = "en"
    db.session.commit()
    client = signed_in("viewer")
    client.set_cookie("kelisim_language", "kk")
    assert page_language(client, "/dashboard/") == "en"


def test_a_language_chosen_before_signing_in_shows_after_it_without_becoming_the_users(
    client, people
):
    """A shared computer's choice is not written into the account of whoever signs in."""
    choose(client, "kk", "/login")
    sign_in(client, "viewer@arman.kz")
    assert page_language(client, "/dashboard/") == "kk"
    assert stored_language(people["viewer"]) is None


def test_the_account_page_sets_the_language_too(signed_in, people):
    client = signed_in("owner")
    assert 'value="kk" lang="kk"' in client.get("/account").get_data(as_text=True)
    assert choose(client, "en", "/account").headers["Location"] == "/account"
    assert stored_language(people["owner"]) == "en"


@pytest.mark.parametrize("language", ["de", "", "kk; drop"])
def test_an_unknown_language_is_refused_and_changes_nothing(signed_in, people, language):
    client = signed_in("owner")
    response = choose(client, language, "/dashboard/")
    assert response.status_code == 422
    assert stored_language(people["owner"]) is None
    assert client.get_cookie("kelisim_language") is None


@pytest.mark.parametrize("target", ["//evil.example/", "/\t/evil.example", "/\n/x"])
def test_the_next_page_is_always_on_this_server(client, target):
    token = csrf_token(client, "/login")
    response = client.post(
        "/language", data={"language": "en", "next": target, "csrf_token": token}
    )
    assert response.headers["Location"] == "/dashboard/"


@pytest.mark.parametrize("url", ["/login", "/forgot", "/login?next=/account"])
def test_the_pages_for_people_not_signed_in_carry_the_switcher(client, url):
    page = client.get(url).get_data(as_text=True)
    assert 'action="/language"' in page
    assert f'name="next" value="{url}"' in page


def test_a_form_page_shown_after_a_post_switches_back_to_itself(client):
    token = csrf_token(client, "/login")
    page = client.post("/login", data={"email": "x@arman.kz", "password": "y", "csrf_token": token})
    assert 'name="next" value="/login"' in page.get_data(as_text=True)
