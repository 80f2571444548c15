"""Who works on a site: invitations by link, roles, and the rule that a site keeps an owner.

Each change is noted in the site's audit log here, with the person who made it."""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backend.models import Invitation, Membership, Role, Site, User, utcnow
from backend.services import DomainError
from backend.services.audit import record_change
from backend.services.tokens import token_hash

INVITATION_LIFETIME = timedelta(days=7)


class LastOwner(DomainError):
    """The change would leave the site without an owner, and so without anyone to manage it."""


class InvitationUnusable(DomainError):
    """The invitation was accepted, revoked or has expired."""


class AlreadyMember(DomainError):
    """The person is a member of the site already."""


def invite(
    session: Session, site: Site, by: User, role: Role, email: str | None = None
) -> tuple[Invitation, str]:
    """A new invitation by ``by`` and the secret token for its link (shown once, never
    stored)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation = Invitation(
        site=site,
        token_hash=token_hash(token),
        email=email.strip().lower() if email else None,
        role=role,
        invited_by=by,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    session.add(invitation)
    session.flush()  # the audit entry names the invitation by its id
    record_change(
        session, site, by, "member.invite", invitation=invitation.id, email=invitation.email,
        role=invitation.role.value,
    )  # fmt: skip
    return invitation, token


def find_invitation(session: Session, token: str) -> Invitation | None:
    """The invitation a link's token stands for, whatever its state."""
    return session.scalar(sa.select(Invitation).where(Invitation.token_hash == token_hash(token)))


def pending_invitations(session: Session, site: Site) -> list[Invitation]:
    """The site's invitations that can still be accepted, newest first."""
    return list(
        session.scalars(
            sa.select(Invitation)
            .where(
                Invitation.site_id == site.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def accept(session: Session, invitation: Invitation, user: User) -> Membership:
    """Make ``user`` a member with the invitation's role, using the invitation up."""
    now = utcnow()
    if invitation.state(now) != "pending":
        raise InvitationUnusable("This invitation can no longer be used.")
    if membership_of(session, invitation.site, user) is not None:
        raise AlreadyMember("You are already a member of this site.")
    # One conditional UPDATE, so that two people opening the same link at once cannot both
    # get in: only the first changes the row.
    used = session.execute(
        sa.update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(accepted_at=now, accepted_by_id=user.id)
        .execution_options(synchronize_session="fetch")
    )
    if used.rowcount != 1:
        raise InvitationUnusable("This invitation can no longer be used.")
    membership = Membership(site=invitation.site, user=user, role=invitation.role)
    session.add(membership)
    record_change(
        session, invitation.site, user, "member.join", invitation=invitation.id,
        role=membership.role.value,
    )  # fmt: skip
    return membership


def revoke(session: Session, invitation: Invitation, by: User | None) -> bool:
    """The invitation's link stops working; False if it could not be used anyway."""
    if invitation.state(utcnow()) != "pending":
        return False
    invitation.revoked_at = utcnow()
    record_change(session, invitation.site, by, "invitation.revoke", invitation=invitation.id)
    return True


def membership_of(session: Session, site: Site, user: User) -> Membership | None:
    return session.scalar(
        sa.select(Membership).where(Membership.site_id == site.id, Membership.user_id == user.id)
    )


def change_role(session: Session, membership: Membership, by: User | None, role: Role) -> Role:
    """Give the member another role; returns the old one."""
    old = membership.role
    if old == role:
        return old
    if old == Role.OWNER:
        _keep_an_owner(session, membership)
    membership.role = role
    record_change(
        session, membership.site, by, "member.role", member=membership.user.email,
        role=[old.value, role.value],
    )  # fmt: skip
    return old


def remove(session: Session, membership: Membership, by: User | None) -> None:
    """Take the member off the site (also how a member leaves: ``by`` is then they)."""
    if membership.role == Role.OWNER:
        _keep_an_owner(session, membership)
    site, email = membership.site, membership.user.email
    session.delete(membership)
    record_change(session, site, by, "member.remove", member=email)


def _keep_an_owner(session: Session, leaving: Membership) -> None:
    """Refuse a change that takes away the site's last owner.

    Two owners demoting (or removing) each other at once must not both pass the count, so
    the count runs under a lock the other must wait for. The owners' rows are claimed with
    a write that changes nothing, before they are counted: on PostgreSQL it locks those
    rows (as SELECT … FOR UPDATE would), on SQLite, which has no row locks and ignores FOR
    UPDATE, any write takes the database's write lock for the rest of the transaction. The
    second change waits there until the first commits, then counts what it left."""
    site_owners = (Membership.site_id == leaving.site_id, Membership.role == Role.OWNER)
    session.execute(
        sa.update(Membership)
        .where(*site_owners)
        .values(role=Membership.role)
        .execution_options(synchronize_session=False)
    )
    owners = session.scalars(sa.select(Membership.id).where(*site_owners)).all()
    if set(owners) <= {leaving.id}:
        raise LastOwner("A site needs at least one owner.")
