"""Brute-force limits: per account and per address on signing in and on asking for reset
links, with a 429 that says in the person's language when to try again."""

import logging
import re

import pytest

from backend.models import User
from tests.dashboard.conftest import PASSWORD, csrf_token, sign_in

WAIT = {
    "en": re.compile(r"Too many attempts\. Try again in 1[45] min\."),
    "ru": re.compile(r"Слишком много попыток\. Повторите через 1[45] мин\."),
    "kk": re.compile(r"Әрекет тым көп\. 1[45] минуттан кейін қайталаңыз\."),
}


@pytest.fixture
def app_config() -> dict:
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True}


def fail_to_sign_in(client, email: str, times: int) -> None:
    for _ in range(times):
        assert sign_in(client, email, "not the password").status_code == 422


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_sixth_failure_on_an_account_blocks_it_without_checking_the_password(
    client, people, monkeypatch, language
):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    fail_to_sign_in(client, "owner@arman.kz", 5)
    checked = []
    monkeypatch.setattr(User, "check_password", lambda self, password: checked.append(password))
    response = sign_in(client, "owner@arman.kz", PASSWORD)
    assert response.status_code == 429
    assert WAIT[language].search(response.get_data(as_text=True))
    assert 800 < int(response.headers["Retry-After"]) <= 900
    assert checked == []
    assert client.get("/dashboard/").status_code == 302


def test_an_account_limit_blocks_that_account_only(client, people):
    fail_to_sign_in(client, "owner@arman.kz", 5)
    assert sign_in(client, "OWNER@arman.kz", PASSWORD).status_code == 429
    assert sign_in(client, "editor@arman.kz", PASSWORD).status_code == 302


def test_signing_in_clears_the_accounts_failures(client, people):
    fail_to_sign_in(client, "owner@arman.kz", 4)
    assert sign_in(client, "owner@arman.kz", PASSWORD).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/dashboard/")})
    fail_to_sign_in(client, "owner@arman.kz", 4)
    assert sign_in(client, "owner@arman.kz", PASSWORD).status_code == 302


def test_an_address_limit_blocks_every_account_from_that_address(client, people):
    client.application.config["RATELIMIT_SIGN_IN_IP"] = "3 per 15 minutes"
    for email in ("owner@arman.kz", "editor@arman.kz", "nobody@arman.kz"):
        fail_to_sign_in(client, email, 1)
    assert sign_in(client, "viewer@arman.kz", PASSWORD).status_code == 429
    client.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert sign_in(client, "viewer@arman.kz", PASSWORD).status_code == 302


def ask_for_link(client, email: str):
    token = csrf_token(client, "/forgot")
    return client.post("/forgot", data={"email": email, "csrf_token": token})


@pytest.mark.parametrize("email", ["owner@arman.kz", "nobody@arman.kz"])
def test_reset_requests_are_limited_alike_for_accounts_that_exist_or_not(
    client, people, caplog, email
):
    caplog.set_level(logging.INFO, logger="backend.mail")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    for _ in range(5):
        assert ask_for_link(client, email).status_code == 302
    response = ask_for_link(client, email)
    assert response.status_code == 429
    assert "Too many attempts. Try again in" in response.get_data(as_text=True)
    assert caplog.text.count("/reset/") == (5 if email == "owner@arman.kz" else 0)


def test_reset_requests_are_limited_per_address(client, people):
    client.application.config["RATELIMIT_PASSWORD_RESET_IP"] = "2 per hour"
    assert ask_for_link(client, "owner@arman.kz").status_code == 302
    assert ask_for_link(client, "editor@arman.kz").status_code == 302
    assert ask_for_link(client, "viewer@arman.kz").status_code == 429


def test_guessing_the_current_password_on_the_account_page_is_limited(signed_in, people):
    client = signed_in("owner")
    data = {
        "current_password": "a guess",
        "password": "new password 1",
        "confirm": "new password 1",
    }
    for _ in range(5):
        data["csrf_token"] = csrf_token(client, "/account")
        assert client.post("/account", data=data).status_code == 422
    data.update(current_password=PASSWORD, csrf_token=csrf_token(client, "/account"))
    assert client.post("/account", data=data).status_code == 429


@pytest.mark.parametrize(
    "app_config",
    [{"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True, "RATELIMIT_PROCESSES": 4}],
)
def test_with_memory_counters_each_of_the_processes_allows_its_share(client, people):
    # 5 failures per 15 minutes over 4 workers counting apart: 2 in each, 8 at most in all.
    fail_to_sign_in(client, "owner@arman.kz", 2)
    assert sign_in(client, "owner@arman.kz", PASSWORD).status_code == 429
