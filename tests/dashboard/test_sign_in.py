"""Signing in and out of the dashboard."""

import pytest

from tests.dashboard.conftest import PASSWORD, csrf_token, sign_in


def test_the_demo_style_sign_in_leads_to_the_sites(client, people):
    response = sign_in(client, "OWNER@arman.kz ", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "Кинотеатр «Арман»" in page
    assert "Other agency site" not in page


@pytest.mark.parametrize(
    ("email", "password", "language", "message"),
    [
        ("owner@arman.kz", "wrong password", "ru", "Неверная электронная почта или пароль."),
        ("nobody@arman.kz", PASSWORD, "kk", "Электрондық пошта немесе құпиясөз қате."),
        ("owner@arman.kz", "", "en", "This field is required."),
    ],
)
def test_a_wrong_sign_in_says_so_in_the_browsers_language_and_signs_nobody_in(
    client, people, email, password, language, message
):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    response = sign_in(client, email, password)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert client.get("/dashboard/").status_code == 302


def test_sign_in_without_the_csrf_token_is_refused(client, people):
    response = client.post("/login", data={"email": "owner@arman.kz", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.parametrize(
    ("target", "landing"),
    [
        ("/dashboard/sites/KEY", "/dashboard/sites/KEY"),
        ("https://evil.example/", "/dashboard/"),
        ("//evil.example/", "/dashboard/"),
        ("/\\evil.example/", "/dashboard/"),
        # Browsers drop tabs and line breaks: these are "//evil.example" to them.
        ("/\t/evil.example", "/dashboard/"),
        ("/\t\t/evil.example", "/dashboard/"),
        ("/\n/evil.example", "/dashboard/"),
        ("/\r\n/x", "/dashboard/"),  # a line break would end the Location header
        ("/ /evil.example", "/dashboard/"),
        ("/dashboard/?a=/%09/x", "/dashboard/?a=/%09/x"),  # encoded, it is data
    ],
)
def test_after_sign_in_only_a_path_on_this_server_is_followed(client, people, target, landing):
    landing = landing.replace("KEY", people["site"].public_key)
    target = target.replace("KEY", people["site"].public_key)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "owner@arman.kz", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == landing


def test_sign_out_needs_a_post_with_the_token(signed_in):
    client = signed_in("owner")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/dashboard/").status_code == 200
    token = csrf_token(client, "/dashboard/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_a_copied_session_cookie_opens_nothing_after_sign_out(signed_in, app):
    client = signed_in("owner")
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/dashboard/").status_code == 200
    token = csrf_token(client, "/dashboard/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    response = copy.get("/dashboard/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
