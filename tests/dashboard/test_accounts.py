"""One's own account: changing the password, resetting a forgotten one, open sign-up, the
session cookie, and the CSRF token on every account form."""

import email
import email.policy
import logging
import queue
import re
import socket

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from itsdangerous import TimestampSigner

from backend import create_app
from backend.extensions import db
from backend.models import User
from tests.conftest import config_for_tests
from tests.dashboard.conftest import PASSWORD, OwnContextClient, csrf_token, sign_in

NEW_PASSWORD = "a much longer new secret"
LINK = re.compile(r"http://localhost(/reset/[\w.-]+)")


@pytest.fixture
def client(client):
    """An anonymous client whose browser asks for English."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def signed_in(signed_in):
    """signed_in(who), in a browser that asks for English."""

    def english_client_for(who: str):
        client = signed_in(who)
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return english_client_for


def stored(email: str) -> User:
    """The user as the database has it now."""
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def change_password(client, current: str, new: str, confirm: str | None = None):
    return client.post(
        "/account",
        data={
            "current_password": current,
            "password": new,
            "confirm": new if confirm is None else confirm,
            "csrf_token": csrf_token(client, "/account"),
        },
    )


def test_the_header_links_to_the_account_page(signed_in):
    page = signed_in("viewer").get("/dashboard/").get_data(as_text=True)
    assert 'href="/account"' in page
    account = signed_in("viewer").get("/account").get_data(as_text=True)
    assert "viewer@arman.kz" in account
    assert 'name="current_password"' in account


def test_changing_the_password_ends_the_other_sessions_only(signed_in, people):
    here, elsewhere = signed_in("owner"), signed_in("owner")
    response = change_password(here, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert "other sessions have been signed out" in here.get("/account").get_data(as_text=True)
    assert here.get("/dashboard/").status_code == 200
    assert elsewhere.get("/dashboard/").status_code == 302
    assert stored("owner@arman.kz").check_password(NEW_PASSWORD)
    assert stored("owner@arman.kz").password_changed_at is not None


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong password", NEW_PASSWORD, None, "This is not your current password."),
        (PASSWORD, "short", None, "Use at least 10 characters."),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!", "The two passwords differ."),
        (PASSWORD, "Owner@Arman.kz", None, "The password must not be your e-mail address."),
        (PASSWORD, "x" * 201, None, "Use at most 200 characters."),
        ("", NEW_PASSWORD, None, "This field is required."),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(
    signed_in, people, current, new, confirm, message
):
    client, elsewhere = signed_in("owner"), signed_in("owner")
    before = stored("owner@arman.kz").password_hash
    response = change_password(client, current, new, confirm)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored("owner@arman.kz").password_hash == before
    assert elsewhere.get("/dashboard/").status_code == 200


def ask_for_link(client, email: str):
    return client.post(
        "/forgot", data={"email": email, "csrf_token": csrf_token(client, "/forgot")}
    )


def logged_link(caplog) -> str:
    links = LINK.findall(caplog.text)
    assert len(links) == 1, caplog.text
    caplog.clear()
    return links[0]


def set_new_password(client, link: str, password: str = NEW_PASSWORD):
    return client.post(
        link,
        data={"password": password, "confirm": password, "csrf_token": csrf_token(client, link)},
    )


def test_a_reset_link_from_the_log_sets_a_new_password_once(client, signed_in, people, caplog):
    caplog.set_level(logging.INFO, logger="backend.mail")
    old_session = signed_in("editor")
    assert ask_for_link(client, " Editor@arman.kz").status_code == 302
    assert "To: editor@arman.kz" in caplog.text
    link = logged_link(caplog)

    page = client.get(link)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "editor@arman.kz" in page.get_data(as_text=True)
    response = set_new_password(client, link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200  # signed in by the reset
    assert old_session.get("/dashboard/").status_code == 302  # the old session ended

    stranger = client.application.test_client()
    refused = stranger.get(link)
    assert refused.status_code == 410
    assert "Эта ссылка больше не действует" in refused.get_data(as_text=True)  # ru by default
    assert stored("editor@arman.kz").check_password(NEW_PASSWORD)
    assert sign_in(stranger, "editor@arman.kz", PASSWORD).status_code == 422


def test_a_used_link_cannot_set_a_password_again(client, people, caplog):
    caplog.set_level(logging.INFO, logger="backend.mail")
    ask_for_link(client, "viewer@arman.kz")
    link = logged_link(caplog)
    other_tab = client.application.test_client()
    token = csrf_token(other_tab, link)  # opened before the link was used
    assert set_new_password(client, link).status_code == 302
    third = "third password!"
    again = other_tab.post(link, data={"password": third, "confirm": third, "csrf_token": token})
    assert again.status_code == 410
    assert stored("viewer@arman.kz").check_password(NEW_PASSWORD)


def test_a_link_older_than_an_hour_is_refused(client, people, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="backend.mail")
    signed_at = TimestampSigner.get_timestamp
    # The link is signed an hour and a minute ago.
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: signed_at(self) - 3660)
    ask_for_link(client, "viewer@arman.kz")
    monkeypatch.undo()
    link = logged_link(caplog)
    before = stored("viewer@arman.kz").password_hash
    response = client.get(link)
    assert response.status_code == 410
    assert "Ask for a new link" in response.get_data(as_text=True)
    assert set_new_password(client, link).status_code == 410
    assert stored("viewer@arman.kz").password_hash == before


@pytest.mark.parametrize("link", ["/reset/nonsense", "/reset/eyJ1c2VyIjoxfQ.Z1.abc"])
def test_a_made_up_link_is_not_found(client, people, link):
    assert client.get(link).status_code == 404


def test_asking_for_a_link_tells_nobody_whether_the_account_exists(client, people, caplog):
    caplog.set_level(logging.INFO, logger="backend.mail")
    answers = []
    for address in ("owner@arman.kz", "nobody@arman.kz"):
        response = ask_for_link(client, address)
        answers.append((response.status_code, response.headers["Location"]))
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        answers.append(re.sub(r'value="[^"]+"', "", page))  # the page minus its CSRF token
    assert answers[0:2] == answers[2:4]
    assert "If an account with this e-mail exists" in answers[1]
    assert len(LINK.findall(caplog.text)) == 1  # only the real account got a letter


class LetterBox:
    """Letters received by a local SMTP server."""

    def __init__(self) -> None:
        self.letters: queue.Queue = queue.Queue()

    async def handle_DATA(self, server, session, envelope) -> str:
        self.letters.put(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp_server():
    """An SMTP server on 127.0.0.1: .port, and .next_letter() waits for a letter."""
    box = LetterBox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    controller.next_letter = lambda: email.message_from_bytes(
        box.letters.get(timeout=10), policy=email.policy.default
    )
    yield controller
    controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_letter_goes_by_smtp_in_the_users_language(client, people, smtp_server):
    app = client.application
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_STARTTLS=False)
    people["viewer"].locale = "kk"
    db.session.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    assert ask_for_link(client, "viewer@arman.kz").status_code == 302
    letter = smtp_server.next_letter()
    assert letter["To"] == "viewer@arman.kz"
    assert letter["Subject"] == "Kelisim үшін жаңа құпиясөз орнату"
    body = letter.get_content()
    assert "viewer@arman.kz" in body
    link = LINK.search(body).group(1)
    assert set_new_password(client, link).status_code == 302
    assert stored("viewer@arman.kz").check_password(NEW_PASSWORD)


def test_sign_up_is_not_there_unless_opened(client, people):
    assert client.get("/signup").status_code == 404
    token = csrf_token(client, "/login")
    assert client.post("/signup", data={"csrf_token": token}).status_code == 404
    assert "/signup" not in client.get("/login").get_data(as_text=True)


def sign_up(client, email: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    data = {"email": email, "password": password, "confirm": confirm or password}
    return client.post("/signup", data={**data, "csrf_token": csrf_token(client, "/signup")})


def test_open_sign_up_creates_an_account_and_signs_in(client, people):
    client.application.config["OPEN_SIGNUP"] = True
    assert 'href="/signup"' in client.get("/login").get_data(as_text=True)
    response = sign_up(client, "New.Person@arman.kz ")
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    assert stored("new.person@arman.kz").check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("owner@arman.kz", NEW_PASSWORD, "An account with this e-mail already exists."),
        ("not an address", NEW_PASSWORD, "Enter an e-mail address."),
        ("short@arman.kz", "short", "Use at least 10 characters."),
    ],
)
def test_a_refused_sign_up_says_why_and_creates_nobody(client, people, email, password, message):
    client.application.config["OPEN_SIGNUP"] = True
    before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    response = sign_up(client, email, password)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.parametrize(("environment", "secure"), [("production", True), ("development", False)])
def test_the_session_cookie_is_http_only_lax_and_secure_in_production(
    database_url, people, environment, secure, tmp_path
):
    # Production needs its public URL (and publishes widget files there).
    config = config_for_tests(
        database_url,
        ENVIRONMENT=environment,
        PUBLIC_URL="https://consent.example.kz",
        PUBLISHED_DIR=tmp_path,
    )
    app = create_app(config)
    app.test_client_class = OwnContextClient
    client = app.test_client()
    with app.app_context():
        response = sign_in(client, "owner@arman.kz")
        db.engine.dispose()
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert ("Secure" in cookie) is secure


def test_signing_in_starts_a_new_session(client, people):
    client.get("/login")
    before = client.get_cookie("session").value
    sign_in(client, "owner@arman.kz")
    assert client.get_cookie("session").value != before


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (
            "/account",
            {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        ),
        ("/language", {"language": "kk"}),
        ("/forgot", {"email": "owner@arman.kz"}),
        ("/signup", {"email": "new@arman.kz", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
        ("RESET", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
    ],
)
def test_every_account_form_refuses_a_post_without_its_csrf_token(
    signed_in, people, caplog, url, data
):
    caplog.set_level(logging.INFO, logger="backend.mail")
    client = signed_in("owner") if url in ("/account", "/language") else signed_in("anonymous")
    client.application.config["OPEN_SIGNUP"] = True
    if url == "RESET":
        ask_for_link(client, "owner@arman.kz")
        url = logged_link(caplog)
    before = stored("owner@arman.kz")
    hash_before, locale_before = before.password_hash, before.locale
    users_before = db.session.scalar(sa.select(sa.func.count()).select_from(User))

    response = client.post(url, data=data)
    assert response.status_code == 400
    after = stored("owner@arman.kz")
    assert (after.password_hash, after.locale) == (hash_before, locale_before)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == users_before
    assert client.get_cookie("kelisim_language") is None
    assert LINK.findall(caplog.text) == []


@pytest.mark.parametrize("url", ["/login", "/forgot", "/signup"])
@pytest.mark.parametrize(
    ("typed", "status", "message"),
    [
        # A NUL character is refused in any form before the form is read (errors.py).
        ("a\x00b@arman.kz", 400, "held a NUL character"),
        ("owner@arman.kz\r\nBcc: x@example.kz", 422, "Enter an e-mail address."),
        ("a" * 250 + "@arman.kz", 422, "Field cannot be longer than 254 characters."),
        ("   ", 422, "This field is required."),
    ],
)
def test_a_mistyped_email_is_refused_before_any_lookup(
    client, people, caplog, url, typed, status, message
):
    caplog.set_level(logging.INFO, logger="backend.mail")
    client.application.config["OPEN_SIGNUP"] = True
    users = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    data = {"email": typed, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = client.post(url, data={**data, "csrf_token": csrf_token(client, url)})
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == users
    assert LINK.findall(caplog.text) == []


@pytest.mark.parametrize("session_user", ["{id}", "{id}:", "{id}:not-the-token", "x:{token}"])
def test_a_session_without_the_users_current_token_is_signed_out(client, people, session_user):
    """Sessions from before the upgrade carry a bare id; none may pass for the user."""
    owner = people["owner"]
    sign_in(client, owner.email)
    assert client.get("/dashboard/").status_code == 200
    with client.session_transaction() as session:
        session["_user_id"] = session_user.format(id=owner.id, token=owner.session_token)
    assert client.get("/dashboard/").status_code == 302
