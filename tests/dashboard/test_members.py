"""Members: invitations by an expiring single-use link, roles, removing, leaving, and the rule
that a site always keeps an owner."""

import re
import threading
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from backend.extensions import db
from backend.models import AuditEntry, Invitation, Membership, Role, User, utcnow
from backend.services import members as members_service
from backend.services.sites import get_or_create_user
from tests.dashboard.conftest import PASSWORD, csrf_token

LINK = re.compile(r'id="invitation-link"[^>]*>([^<]+)</textarea>')


def members_url(site) -> str:
    return f"/dashboard/sites/{site.public_key}/members"


def role_of(site, user) -> Role | None:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(Membership.role).where(
            Membership.site_id == site.id, Membership.user_id == user.id
        )
    )


def member_id(site, user) -> int:
    return db.session.scalar(
        sa.select(Membership.id).where(Membership.site_id == site.id, Membership.user_id == user.id)
    )


def audit_actions(site) -> list[str]:
    """What the site's log noted after its creation."""
    return db.session.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.site_id == site.id, AuditEntry.action != "site.create")
        .order_by(AuditEntry.id)
    ).all()


def post(client, url: str, **data):
    """A POST of a dashboard form, with the session's CSRF token as the page would send it."""
    return client.post(url, data={"csrf_token": csrf_token(client, "/dashboard/"), **data})


def invite(client, site, role: str = "editor", email: str = "") -> str:
    """The path of a new invitation's link, as its owner copies it from the page."""
    response = post(client, f"{members_url(site)}/invite", role=role, email=email)
    assert response.status_code == 200, response.get_data(as_text=True)
    return urlsplit(LINK.search(response.get_data(as_text=True)).group(1)).path


@pytest.fixture
def frozen(monkeypatch):
    """frozen(moment): from now on the invitation rules see ``moment`` as the time."""

    def freeze(moment):
        monkeypatch.setattr("backend.services.members.utcnow", lambda: moment)
        monkeypatch.setattr("backend.dashboard.members.utcnow", lambda: moment)

    return freeze


def test_everyone_on_the_site_sees_the_members_but_only_owners_manage_them(signed_in, people):
    site = people["site"]
    for who in ("viewer", "editor"):
        page = signed_in(who).get(members_url(site)).get_data(as_text=True)
        assert "owner@arman.kz" in page and "viewer@arman.kz" in page
        assert "/members/invite" not in page and "/role" not in page
    owner = signed_in("owner").get(members_url(site)).get_data(as_text=True)
    assert "/members/invite" in owner
    assert f"/members/{member_id(site, people['viewer'])}/role" in owner


def test_an_invitation_link_lets_a_signed_in_person_join_once(signed_in, people):
    site = people["site"]
    path = invite(signed_in("owner"), site, role="viewer")
    token = path.rsplit("/", 1)[1]
    stored = db.session.scalar(sa.select(Invitation).where(Invitation.site_id == site.id))
    assert stored.token_hash != token and len(stored.token_hash) == 64  # only a hash is kept
    assert stored.expires_at - utcnow() > timedelta(days=6, hours=23)

    guest = signed_in("outsider")
    page = guest.get(path).get_data(as_text=True)
    assert "Кинотеатр «Арман»" in page and "Наблюдатель" in page
    response = guest.post(path, data={"csrf_token": csrf_token(guest, path)})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/dashboard/sites/{site.public_key}"
    assert role_of(site, people["outsider"]) == Role.VIEWER
    assert audit_actions(site)[-2:] == ["member.invite", "member.join"]

    again = guest.get(path)
    assert again.status_code == 410
    assert "уже использовано" in again.get_data(as_text=True)


def test_an_expired_invitation_is_refused_with_a_clear_page(signed_in, people, frozen):
    site = people["site"]
    path = invite(signed_in("owner"), site)
    frozen(utcnow() + timedelta(days=7, seconds=1))
    guest = signed_in("outsider")
    response = guest.get(path)
    assert response.status_code == 410
    assert "Срок действия приглашения истёк" in response.get_data(as_text=True)
    post_response = guest.post(path, data={"csrf_token": csrf_token(guest, "/dashboard/")})
    assert post_response.status_code == 410
    assert role_of(site, people["outsider"]) is None
    owner_page = signed_in("owner").get(members_url(site)).get_data(as_text=True)
    assert "/revoke" not in owner_page  # no longer listed as open


def test_a_revoked_invitation_and_an_unknown_link_are_refused(signed_in, people):
    site = people["site"]
    owner = signed_in("owner")
    path = invite(owner, site)
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.site_id == site.id))
    response = post(owner, f"/dashboard/sites/{site.public_key}/invitations/{invitation.id}/revoke")
    assert response.status_code == 302
    assert audit_actions(site)[-1] == "invitation.revoke"
    guest = signed_in("outsider")
    assert guest.get(path).status_code == 410
    unknown = guest.get("/invite/not-a-real-token")
    assert unknown.status_code == 404
    assert "ссылка недействительна" in unknown.get_data(as_text=True)


def test_an_invitation_for_an_e_mail_is_for_that_account_only(signed_in, people):
    site = people["site"]
    path = invite(signed_in("owner"), site, email="Director@Arman.kz")
    guest = signed_in("outsider")
    response = guest.get(path)
    assert response.status_code == 403
    assert "director@arman.kz" in response.get_data(as_text=True)
    assert (
        guest.post(path, data={"csrf_token": csrf_token(guest, "/dashboard/")}).status_code == 403
    )
    assert role_of(site, people["outsider"]) is None


def test_a_member_opening_an_invitation_is_told_they_are_already_one(signed_in, people):
    site = people["site"]
    path = invite(signed_in("owner"), site)
    response = signed_in("viewer").get(path)
    assert response.status_code == 200
    assert "Вы уже участник этого сайта" in response.get_data(as_text=True)
    assert role_of(site, people["viewer"]) == Role.VIEWER


def test_someone_without_an_account_creates_one_from_the_invitation_and_joins(signed_in, people):
    # No sign-up page is involved: the invitation itself lets them make an account.
    site = people["site"]
    path = invite(signed_in("owner"), site, role="editor", email="new@arman.kz")
    guest = signed_in("anonymous")
    page = guest.get(path).get_data(as_text=True)
    assert 'value="new@arman.kz"' in page and "/login?next=" in page
    token = csrf_token(guest, path)

    short = guest.post(
        path, data={"csrf_token": token, "password": "short", "password_again": "short"}
    )
    assert short.status_code == 422
    assert db.session.scalar(sa.select(User).where(User.email == "new@arman.kz")) is None

    response = guest.post(
        path,
        data={
            "csrf_token": token,
            "email": "someone-else@evil.example",  # the invited address wins
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "new@arman.kz"))
    assert role_of(site, user) == Role.EDITOR
    assert guest.get("/dashboard/").status_code == 200  # signed in
    assert (
        db.session.scalar(sa.select(User).where(User.email == "someone-else@evil.example")) is None
    )


def test_someone_with_an_account_signs_in_first_and_comes_back_to_the_invitation(signed_in, people):
    site = people["site"]
    path = invite(signed_in("owner"), site, email="outsider@other.kz")
    guest = signed_in("anonymous")
    page = guest.get(path).get_data(as_text=True)
    assert "Войдите, чтобы принять" in page and "password_again" not in page
    login_url = f"/login?next={path}"
    assert login_url in page
    login = guest.post(
        login_url,
        data={
            "email": "outsider@other.kz",
            "password": PASSWORD,
            "csrf_token": csrf_token(guest, "/login"),
        },
    )
    assert login.headers["Location"] == path
    assert guest.post(path, data={"csrf_token": csrf_token(guest, path)}).status_code == 302
    assert role_of(site, people["outsider"]) == Role.EDITOR


def test_an_owner_changes_a_role_and_the_change_is_logged(signed_in, people):
    site = people["site"]
    owner = signed_in("owner")
    url = f"{members_url(site)}/{member_id(site, people['viewer'])}/role"
    response = post(owner, url, role="editor")
    assert response.status_code == 302
    assert role_of(site, people["viewer"]) == Role.EDITOR
    entry = db.session.scalar(
        sa.select(AuditEntry).where(
            AuditEntry.site_id == site.id, AuditEntry.action == "member.role"
        )
    )
    assert entry.details == {"member": "viewer@arman.kz", "role": ["viewer", "editor"]}
    assert post(owner, url, role="admin").status_code == 422
    assert role_of(site, people["viewer"]) == Role.EDITOR


def test_an_owner_removes_a_member(signed_in, people):
    site = people["site"]
    owner = signed_in("owner")
    response = post(owner, f"{members_url(site)}/{member_id(site, people['editor'])}/remove")
    assert response.status_code == 302
    assert role_of(site, people["editor"]) is None
    assert audit_actions(site)[-1] == "member.remove"
    assert signed_in("editor").get(members_url(site)).status_code == 404


def only_owner(people) -> None:
    """Leave people["owner"] as the site's only owner (the factory made another)."""
    db.session.execute(
        sa.delete(Membership).where(
            Membership.site_id == people["site"].id,
            Membership.role == Role.OWNER,
            Membership.user_id != people["owner"].id,
        )
    )
    db.session.commit()


def test_the_last_owner_can_neither_be_demoted_nor_removed_nor_leave(signed_in, people):
    site = people["site"]
    only_owner(people)
    owner = signed_in("owner")
    own_id = member_id(site, people["owner"])
    attempts = [
        (f"{members_url(site)}/{own_id}/role", {"role": "editor"}),
        (f"{members_url(site)}/{own_id}/remove", {}),
        (f"{members_url(site)}/leave", {}),
    ]
    page = owner.get(members_url(site)).get_data(as_text=True)
    assert "единственный владелец" in page
    for url, data in attempts:
        response = post(owner, url, **data)
        assert response.status_code == 409
        assert "У сайта должен быть хотя бы один владелец" in response.get_data(as_text=True)
        assert role_of(site, people["owner"]) == Role.OWNER
    assert audit_actions(site) == []


def test_with_a_second_owner_an_owner_may_step_down_and_any_member_may_leave(signed_in, people):
    site = people["site"]
    only_owner(people)
    owner = signed_in("owner")
    post(owner, f"{members_url(site)}/{member_id(site, people['editor'])}/role", role="owner")
    response = post(owner, f"{members_url(site)}/leave")
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"
    assert role_of(site, people["owner"]) is None
    viewer = signed_in("viewer")
    assert post(viewer, f"{members_url(site)}/leave").status_code == 302
    assert role_of(site, people["viewer"]) is None


def test_two_people_accepting_one_link_at_once_join_once(people):
    site = people["site"]
    invitation, _ = members_service.invite(db.session, site, people["owner"], Role.VIEWER)
    db.session.commit()
    with Session(db.engine, expire_on_commit=False) as other:
        # The second person's request read the invitation before the first accepted it.
        their_copy = other.get(Invitation, invitation.id)
        other.commit()
        members_service.accept(db.session, invitation, people["outsider"])
        db.session.commit()
        second, _ = get_or_create_user(other, "second@arman.kz", PASSWORD)
        with pytest.raises(members_service.InvitationUnusable):
            members_service.accept(other, their_copy, second)
        other.rollback()
    assert role_of(site, people["outsider"]) == Role.VIEWER
    assert db.session.scalar(sa.select(User).where(User.email == "second@arman.kz")) is None


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_accepting_without_the_csrf_token_is_refused_and_joins_nobody(signed_in, people, who):
    site = people["site"]
    path = invite(signed_in("owner"), site, email="" if who == "outsider" else "new@arman.kz")
    guest = signed_in(who)
    form = {"password": PASSWORD, "password_again": PASSWORD}
    assert guest.post(path, data=form).status_code == 400
    assert role_of(site, people["outsider"]) is None
    assert db.session.scalar(sa.select(User).where(User.email == "new@arman.kz")) is None
    assert guest.get(path).status_code == 200  # the link still works


def demote_at_once(engine, target: int, by: int, start: threading.Barrier, outcomes: list) -> None:
    """One owner's request demoting another, in its own connection: it reads the
    membership, waits for the other request to have read too, then demotes."""
    with Session(engine) as session:
        membership = session.get(Membership, target)
        actor = session.get(User, by)
        start.wait()
        try:
            members_service.change_role(session, membership, actor, Role.EDITOR)
            session.commit()
            outcomes.append("demoted")
        except members_service.LastOwner:
            session.rollback()
            outcomes.append("refused")


def test_two_owners_demoting_each_other_at_once_leave_one_owner(people):
    """The last-owner rule holds when the checks of two demotions run at the same moment:
    each in its own thread and connection, as two requests would, many rounds (before the
    write lock was taken first, SQLite let both through in most rounds)."""
    site = people["site"]
    only_owner(people)
    owner, editor = people["owner"].id, people["editor"].id
    ids = [member_id(site, people["owner"]), member_id(site, people["editor"])]
    engine = db.engine  # the threads have no app context
    for _round in range(25):
        db.session.execute(
            sa.update(Membership).where(Membership.id.in_(ids)).values(role=Role.OWNER)
        )
        db.session.commit()
        start, outcomes = threading.Barrier(2), []
        threads = [
            threading.Thread(target=demote_at_once, args=(engine, ids[0], editor, start, outcomes)),
            threading.Thread(target=demote_at_once, args=(engine, ids[1], owner, start, outcomes)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        db.session.expire_all()
        owners = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Membership)
            .where(Membership.site_id == site.id, Membership.role == Role.OWNER)
        )
        assert sorted(outcomes) == ["demoted", "refused"], outcomes
        assert owners == 1
