"""Saving a form that changes a site, as the trackers and banner pages do it: checked, refused
when someone else changed the site meanwhile, saved through a service, committed."""

from collections.abc import Callable

from flask import flash
from flask_babel import gettext as _

from backend.dashboard.forms import SiteChangeForm
from backend.extensions import db
from backend.models import Site
from backend.services import InvalidInput


def submit(
    form: SiteChangeForm,
    site: Site,
    save: Callable[[], object],
    show_errors: Callable[[SiteChangeForm, InvalidInput], None],
) -> int | None:
    """None once ``save`` (a service call) is committed; else the status to show the form
    with: 200 on GET, 422 for bad input, 409 for a stale form (the input kept in it)."""
    if not form.is_submitted():
        form.shown_for(site)
        return 200
    if not form.validate():
        return 422
    if form.is_stale(site):
        return 409
    try:
        save()
    except InvalidInput as error:
        show_errors(form, error)
        return 422
    db.session.commit()
    flash(_("Saved. Visitors get the change within minutes."), "success")
    return None
