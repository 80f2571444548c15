"""Shared links: a site's overview, read-only, for people without an account (a board, an
auditor), behind an optional password; revoked links answer 404."""

from flask import abort, make_response, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l

from backend.export import shared_bp
from backend.export.forms import SharedPasswordForm
from backend.extensions import db
from backend.models import SharedLink
from backend.overview import overview_page
from backend.overview.forms import PERIOD_FIELDS
from backend.ratelimit import rate_limited
from backend.services.tokens import shared_link

UNLOCKED = "shared_links"  # session key: the ids of the links whose password was given
WRONG_PASSWORD = _l("That is not the password of this link.")


def live_link(secret: str) -> SharedLink:
    link = shared_link(db.session, secret)
    if link is None:
        abort(404)
    return link


def private(answer):
    """The secret is in the URL: keep it out of search engines and other sites' logs."""
    response = make_response(answer)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@shared_bp.get("/<secret>")
def shared_overview(secret: str):
    """The site's overview, or the password form first where the link has a password."""
    link = live_link(secret)
    if link.password_hash and link.id not in session.get(UNLOCKED, []):
        return private(password_page(link, SharedPasswordForm(formdata=None)))
    return private(overview_page("export/shared.html", link.site, link=link))


@shared_bp.post("/<secret>")
@rate_limited("RATELIMIT_SHARED_PASSWORD")
def unlock_shared_overview(secret: str):
    """Check the link's password; once right, the link opens for this browser's session."""
    link = live_link(secret)
    form = SharedPasswordForm()
    if not form.validate():
        return private(password_page(link, form, 422))
    if not link.check_password(form.password.data):
        form.password.errors.append(WRONG_PASSWORD)
        return private(password_page(link, form, 403))
    session[UNLOCKED] = [*session.get(UNLOCKED, []), link.id][-20:]
    # Back to the period that was asked for: the period form's fields and nothing else (url_for
    # reads `_scheme`, `_external`, `_method`, … as its own arguments, not the query's).
    period = {name: value for name, value in request.args.items() if name in PERIOD_FIELDS}
    return redirect(url_for("shared.shared_overview", secret=secret, **period))


def password_page(link: SharedLink, form: SharedPasswordForm, status: int = 200):
    return render_template("export/shared_password.html", link=link, form=form), status
