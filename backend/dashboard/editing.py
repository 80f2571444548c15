"""Saving a form that changes a site, as every such view does it: checked, refused when
someone else changed the site meanwhile, saved through a service, committed."""

from collections.abc import Callable
from typing import Any

from backend.dashboard.forms import SiteChangeForm
from backend.extensions import db
from backend.models import Site
from backend.services import InvalidInput


def show_rule_errors(form: SiteChangeForm, error: InvalidInput) -> None:
    """A rule's complaints next to the fields they name, its message above the form."""
    for name, message in error.fields.items():
        if name in form:
            form[name].errors = [*form[name].errors, message]
        else:
            form.form_errors.append(message)
    form.form_errors.append(error.message)


def save_form(
    form: SiteChangeForm,
    site: Site,
    save: Callable[[], Any],
    show_errors: Callable[[SiteChangeForm, InvalidInput], None] = show_rule_errors,
    current: Callable[[], SiteChangeForm] | None = None,
) -> tuple[int | None, Any]:
    """Show or save a form that changes ``site``: (None, what ``save`` returned) once that
    service call is committed; else (status, None) to show the form with: 200 on GET, 409
    for a stale form, 422 for bad input.

    A form that edits what the site holds passes ``current``, the form as it would be shown
    now (filled from the site, not from the request). A stale one then catches up with it
    (SiteChangeForm.catch_up): the current values in every field the person did not edit,
    their edits on top, what someone else changed listed field by field, and the current
    revision, so that saving again overwrites nothing unseen. Without ``current`` (a form
    that adds or removes something) the input stays as sent.

    The order of the checks: the fields are checked first, then the revision, and a stale
    form is answered 409 before any 422, with the field errors shown beside the note. A form
    filled in over an older state of the site must be looked at again against the current
    one, whatever else is wrong with it (its errors may be artifacts of that older state),
    and this way one round trip shows everything to fix. The service's own rules run last,
    on input that passed both (their complaints are 422 too)."""
    if not form.is_submitted():
        form.shown_for(site)
        return 200, None
    valid = form.validate()
    if form.is_stale(site, current):
        return 409, None
    if not valid:
        return 422, None
    try:
        result = save()
    except InvalidInput as error:
        show_errors(form, error)
        return 422, None
    # A save racing past is_stale ends in StaleDataError: the blueprint answers it with 409.
    db.session.commit()
    return None, result
