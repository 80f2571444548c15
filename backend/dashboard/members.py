"""A site's members: the list, invitations by link, roles, removing and leaving; and the
page where an invitation's link is accepted."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy.orm import contains_eager

from backend.dashboard import bp
from backend.dashboard.access import least_role
from backend.dashboard.member_forms import InviteForm, NewAccountForm, RoleForm
from backend.extensions import db
from backend.labels import ROLE_NAMES
from backend.models import Invitation, Membership, Role, Site, User, utcnow
from backend.services import members as members_service
from backend.services.members import AlreadyMember, InvitationUnusable, LastOwner
from backend.services.sites import get_or_create_user
from backend.web import base_url

# /invite/<token> is outside /dashboard: people open it before they have an account.
invitations_bp = Blueprint("invitations", __name__)


def _last_owner_message() -> str:
    return _(
        "A site needs at least one owner. Make another member an owner first, or delete the site."
    )


@bp.get("/sites/<site_key>/members")
@least_role(Role.VIEWER)
def members():
    """Everyone on the site sees who works on it; owners see the invitations too."""
    return _members_page()


def _members_page(status: int = 200, **extra):
    site = g.site
    people = db.session.scalars(
        sa.select(Membership)
        .join(Membership.user)
        .options(contains_eager(Membership.user))
        .where(Membership.site_id == site.id)
        .order_by(sa.func.lower(User.email))
    ).all()
    is_owner = g.membership.role == Role.OWNER
    owners = sum(1 for person in people if person.role == Role.OWNER)
    extra.setdefault("invite_form", InviteForm())
    return render_template(
        "dashboard/members.html",
        people=people,
        last_owner=owners == 1,
        invitations=members_service.pending_invitations(db.session, site) if is_owner else [],
        **extra,
    ), status


@bp.post("/sites/<site_key>/members/invite")
@least_role(Role.OWNER)
def invite_member():
    """Owners make a link to join; it is shown once, only its hash is kept."""
    form = InviteForm()
    if not form.validate_on_submit():
        return _members_page(422, invite_form=form)
    invitation, token = members_service.invite(
        db.session, g.site, current_user, form.role.data, form.email.data
    )
    db.session.commit()
    link = base_url().rstrip("/") + url_for("invitations.accept", token=token)
    # Rendered, not redirected: the link must not travel in a cookie or be shown twice.
    return _members_page(invitation_link=link, new_invitation=invitation)


def _site_member(site: Site, member_id: int) -> Membership:
    target = db.session.get(Membership, member_id)
    if target is None or target.site_id != site.id:
        abort(404)
    return target


@bp.post("/sites/<site_key>/members/<int:member_id>/role")
@least_role(Role.OWNER)
def change_member_role(member_id: int):
    """Owners give a member another role; the last owner keeps theirs."""
    target = _site_member(g.site, member_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the roles."), "error")
        return _members_page(422)
    try:
        old = members_service.change_role(db.session, target, current_user, form.role.data)
    except LastOwner:
        db.session.rollback()
        flash(_last_owner_message(), "error")
        return _members_page(409)
    if old != target.role:
        db.session.commit()
        flash(
            _(
                "%(email)s is now: %(role)s.",
                email=target.user.email,
                role=ROLE_NAMES[target.role],
            ),
            "success",
        )
    return redirect(url_for("dashboard.members", site_key=g.site.public_key))


@bp.post("/sites/<site_key>/members/<int:member_id>/remove")
@least_role(Role.OWNER)
def remove_member(member_id: int):
    """Owners take a member off the site; the last owner cannot be removed."""
    return _remove(_site_member(g.site, member_id))


@bp.post("/sites/<site_key>/members/leave")
@least_role(Role.VIEWER)
def leave_site():
    """Any member may leave a site, except its last owner."""
    return _remove(g.membership)


def _remove(target: Membership):
    site = g.site
    email = target.user.email
    try:
        members_service.remove(db.session, target, current_user)
    except LastOwner:
        db.session.rollback()
        flash(_last_owner_message(), "error")
        return _members_page(409)
    db.session.commit()
    if target is g.membership:
        flash(_("You left “%(name)s”.", name=site.name), "success")
        return redirect(url_for("dashboard.index"))
    flash(_("%(email)s was removed from the site.", email=email), "success")
    return redirect(url_for("dashboard.members", site_key=site.public_key))


@bp.post("/sites/<site_key>/invitations/<int:invitation_id>/revoke")
@least_role(Role.OWNER)
def revoke_invitation(invitation_id: int):
    """Owners take back a link before it is used."""
    site = g.site
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.site_id != site.id:
        abort(404)
    if members_service.revoke(db.session, invitation, current_user):
        db.session.commit()
        flash(_("The invitation was revoked: its link no longer works."), "success")
    return redirect(url_for("dashboard.members", site_key=site.public_key))


@invitations_bp.route("/invite/<token>", methods=["GET", "POST"])
def accept(token: str):
    """Join a site by an invitation's link: signed in, at once; otherwise after signing in,
    or with a new account for the invited e-mail."""
    invitation = members_service.find_invitation(db.session, token)
    if invitation is None:
        return _invitation_page("unknown", None, 404)
    state = invitation.state(utcnow())
    if state != "pending":
        return _invitation_page(state, invitation, 410)

    if current_user.is_authenticated:
        if invitation.email and invitation.email != current_user.email:
            return _invitation_page("other_account", invitation, 403)
        if members_service.membership_of(db.session, invitation.site, current_user):
            return _invitation_page("member", invitation)
        if request.method == "POST":  # CSRF is checked app-wide
            return _join(invitation, current_user)
        return _invitation_page("join", invitation)

    account_exists = invitation.email is not None and db.session.scalar(
        sa.select(sa.exists().where(User.email == invitation.email))
    )
    if account_exists:
        return _invitation_page("sign_in", invitation)
    form = NewAccountForm(data={"email": invitation.email})
    if invitation.email:
        # The invited address is the account's, whatever the form says.
        form.email.data = invitation.email
    if form.validate_on_submit():
        user, created = get_or_create_user(db.session, form.email.data, form.password.data)
        if created:
            db.session.flush()
            session.clear()  # a fresh session, as on signing in
            login_user(user)
            return _join(invitation, user)
        form.email.errors.append(_("An account with this e-mail exists: sign in instead."))
    return _invitation_page("sign_up", invitation, 422 if form.errors else 200, form=form)


def _join(invitation: Invitation, user: User):
    site = invitation.site
    try:
        membership = members_service.accept(db.session, invitation, user)
    except (InvitationUnusable, AlreadyMember):
        db.session.rollback()
        return _invitation_page("accepted", None, 410)
    db.session.commit()
    flash(
        _("You joined “%(name)s” as: %(role)s.", name=site.name, role=ROLE_NAMES[membership.role]),
        "success",
    )
    return redirect(url_for("dashboard.site_overview", site_key=site.public_key))


def _invitation_page(state: str, invitation: Invitation | None, status: int = 200, **extra):
    return render_template(
        "dashboard/members_invitation.html",
        state=state,
        invitation=invitation,
        role_names=ROLE_NAMES,
        **extra,
    ), status
