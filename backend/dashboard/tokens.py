"""The API tokens tab (owners only): read tokens for the stats API and read-only shared
links to the site's overview, each shown once when made, and revoked here."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from backend.dashboard import bp
from backend.dashboard.access import least_role
from backend.dashboard.token_forms import RevokeTokenForm, SharedLinkForm, TokenForm
from backend.extensions import db
from backend.models import ApiToken, Role, SharedLink
from backend.services.tokens import (
    create_shared_link,
    create_token,
    revoke_token,
    shared_links,
    site_tokens,
)


def tokens_page(status: int = 200, **shown):
    """The tokens page; ``shown`` may carry a form with errors, or a secret made just now."""
    page = {
        "form": TokenForm(formdata=None),
        "link_form": SharedLinkForm(formdata=None),
        "revoke_form": RevokeTokenForm(),
        "tokens": site_tokens(db.session, g.site),
        "links": shared_links(db.session, g.site),
        "secret": None,
        "link_url": None,
    } | shown
    return render_template("dashboard/tokens.html", **page), status


@bp.get("/sites/<site_key>/tokens")
@least_role(Role.OWNER)
def tokens():
    """The site's read tokens for the stats API and its shared links, with forms for new
    ones."""
    return tokens_page()


@bp.post("/sites/<site_key>/tokens")
@least_role(Role.OWNER)
def create_api_token():
    """Make a token and show it, this once."""
    form = TokenForm()
    if not form.validate():
        return tokens_page(422, form=form)
    _token, secret = create_token(db.session, g.site, current_user, form.name.data)
    db.session.commit()
    return tokens_page(201, secret=secret)


@bp.post("/sites/<site_key>/shared-links")
@least_role(Role.OWNER)
def create_shared_overview_link():
    """Make a read-only link to the overview and show it, this once."""
    form = SharedLinkForm()
    if not form.validate():
        return tokens_page(422, link_form=form)
    _link, secret = create_shared_link(
        db.session, g.site, current_user, form.name.data, form.password.data
    )
    db.session.commit()
    url = url_for("shared.shared_overview", secret=secret, _external=True)
    return tokens_page(201, link_url=url)


def revoke(model: type[ApiToken] | type[SharedLink], item_id: int):
    """Revoke a site's token or shared link, and go back to the list. (The form holds only
    the CSRF token, which the app checks before any view.)"""
    item = db.session.scalar(
        sa.select(model).where(model.id == item_id, model.site_id == g.site.id)
    )
    if item is None:
        abort(404)
    if revoke_token(db.session, item, current_user, datetime.now(UTC)):
        db.session.commit()
        flash(gettext("“%(name)s” is revoked.", name=item.name), "success")
    return redirect(url_for("dashboard.tokens", site_key=g.site.public_key))


@bp.post("/sites/<site_key>/tokens/<int:token_id>/revoke")
@least_role(Role.OWNER)
def revoke_api_token(token_id: int):
    """Revoke a token: scripts using it get 401 from now on."""
    return revoke(ApiToken, token_id)


@bp.post("/sites/<site_key>/shared-links/<int:link_id>/revoke")
@least_role(Role.OWNER)
def revoke_shared_link(link_id: int):
    """Revoke a shared link: it answers 404 from now on."""
    return revoke(SharedLink, link_id)
