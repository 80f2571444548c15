"""`flask --app wsgi set-password EMAIL`: an operator who lost access sets a new password."""

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import User
from tests.dashboard.conftest import PASSWORD, sign_in

NEW_PASSWORD = "set from the terminal"


def test_set_password_asks_twice_sets_it_and_ends_the_sessions(runner, signed_in, people):
    session_before = signed_in("owner")
    result = runner.invoke(
        args=["set-password", "Owner@arman.kz"], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "Password set for owner@arman.kz" in result.output
    assert session_before.get("/dashboard/").status_code == 302
    client = signed_in("anonymous")
    assert sign_in(client, "owner@arman.kz", PASSWORD).status_code == 422
    assert sign_in(client, "owner@arman.kz", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("email", "typed", "message"),
    [
        ("nobody@arman.kz", f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n", "No user nobody@arman.kz"),
        ("owner@arman.kz", "short\nshort\n", "Use at least 10 characters."),
        ("owner@arman.kz", "owner@arman.kz\nowner@arman.kz\n", "must not be your e-mail"),
    ],
)
def test_set_password_refuses_and_changes_nothing(runner, signed_in, people, email, typed, message):
    session_before = signed_in("owner")
    result = runner.invoke(args=["set-password", email], input=typed)
    assert result.exit_code == 1
    assert message in result.output
    assert session_before.get("/dashboard/").status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("a", "Use at least 10 characters."),
        ("x" * 201, "Use at most 200 characters."),
        ("new@arman.kz", "must not be your e-mail"),
    ],
)
def test_create_user_keeps_the_rule_of_every_password(runner, app, password, message):
    result = runner.invoke(args=["create-user", "new@arman.kz", "--password", password])

    assert result.exit_code == 1
    assert message in result.output
    assert db.session.scalar(sa.select(User).where(User.email == "new@arman.kz")) is None


def test_create_user_with_a_good_password_can_sign_in(runner, signed_in):
    result = runner.invoke(args=["create-user", "new@arman.kz", "--password", NEW_PASSWORD])

    assert result.exit_code == 0, result.output
    assert sign_in(signed_in("anonymous"), "new@arman.kz", NEW_PASSWORD).status_code == 302
