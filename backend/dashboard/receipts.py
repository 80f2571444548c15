"""Receipts: an owner looks up a visitor's consent ID and sees that visitor's history on the
site, with the exact banner texts each decision was made on."""

from uuid import UUID

from flask import current_app, g, render_template

from backend.dashboard import bp
from backend.dashboard.access import least_role
from backend.dashboard.banner_forms import TEXT_LABELS
from backend.dashboard.versions_forms import ReceiptLookupForm
from backend.extensions import db
from backend.labels import CATEGORY_NAMES, EVENT_ACTION_NAMES
from backend.models import Role
from backend.ratelimit import rate_limited
from backend.services.anonymize import consent_id_key
from backend.services.consent import receipt
from backend.services.versions import resolve_receipt


def _page(form: ReceiptLookupForm, lines=None, status=200):
    response = render_template(
        "dashboard/receipts.html",
        form=form,
        lines=lines,
        action_names=EVENT_ACTION_NAMES,
        category_names=CATEGORY_NAMES,
        text_names=TEXT_LABELS,
    )
    # A visitor's history is not for any cache.
    return response, status, {"Cache-Control": "no-store"}


@bp.get("/sites/<site_key>/receipts")
@least_role(Role.OWNER)
def receipts():
    """The form that asks for a visitor's consent ID."""
    return _page(ReceiptLookupForm())


@bp.post("/sites/<site_key>/receipts")
@least_role(Role.OWNER)
@rate_limited("RATELIMIT_DASHBOARD_RECEIPTS")
def receipts_lookup():
    """A visitor's history on this site under the consent ID they read in the banner."""
    site = g.site
    form = ReceiptLookupForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    consent_id = str(UUID(form.consent_id.data))
    events = receipt(db.session, site.id, consent_id, consent_id_key(current_app.config))
    return _page(form, resolve_receipt(db.session, site, events))
