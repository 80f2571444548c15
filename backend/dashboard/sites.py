"""A site itself: creating it, its settings, deleting it."""

import logging

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from backend.dashboard import bp
from backend.dashboard.access import least_role
from backend.dashboard.editing import save_form
from backend.dashboard.site_forms import (
    ConfigFileForm,
    DeleteSiteForm,
    NewSiteForm,
    SiteSettingsForm,
)
from backend.extensions import db
from backend.models import Role
from backend.services.sites import create_site, delete_site, update_site

log = logging.getLogger(__name__)


@bp.route("/sites/new", methods=["GET", "POST"])
def new_site():
    """Any signed-in person may add a site, and becomes its owner."""
    form = NewSiteForm()
    if form.validate_on_submit():
        site = create_site(
            db.session, current_user, form.name.data, form.domains.data, by=current_user
        )
        db.session.commit()
        flash(_("Site added. Fill in the operator's details: the banner shows them."), "success")
        return redirect(url_for("dashboard.site_settings", site_key=site.public_key))
    return render_template("dashboard/site_new.html", form=form), 422 if form.errors else 200


@bp.route("/sites/<site_key>/settings", methods=["GET", "POST"])
@least_role(Role.VIEWER, POST=Role.EDITOR)
def site_settings():
    """A site's settings: viewers see them, editors and owners change them."""
    site = g.site
    form = SiteSettingsForm.for_site(site) if request.method == "GET" else SiteSettingsForm(site)
    status, changes = save_form(
        form,
        site,
        lambda: update_site(db.session, site, current_user, **form.settings(site)),
        current=lambda: SiteSettingsForm.for_site(site, formdata=None),
    )
    if status is not None:
        return settings_page(form, status)
    if changes:
        flash(_("Settings saved."), "success")
    else:
        flash(_("Nothing changed."), "info")
    return redirect(url_for("dashboard.site_settings", site_key=site.public_key))


def settings_page(
    form: SiteSettingsForm,
    status: int = 200,
    import_form: ConfigFileForm | None = None,
    import_errors: dict[str, str] | None = None,
):
    """The settings page; an owner's has the configuration's import, with the problems of a
    file just refused."""
    return render_template(
        "dashboard/site_settings.html",
        form=form,
        read_only=not g.membership.role.allows(Role.EDITOR),
        import_form=import_form or ConfigFileForm(),
        import_errors=import_errors,
    ), status


@bp.route("/sites/<site_key>/delete", methods=["GET", "POST"])
@least_role(Role.OWNER)
def site_delete():
    """Owners delete a site for good after typing its name."""
    site = g.site
    form = DeleteSiteForm()
    if form.validate_on_submit() and form.confirms(site):
        name = site.name
        # The site's audit log goes with it, so the deletion is noted in the server's log.
        log.info("Site %s (%s) deleted by user %s", site.id, site.public_key, current_user.id)
        delete_site(db.session, site)
        db.session.commit()
        flash(_("The site “%(name)s” and all its records were deleted.", name=name), "success")
        return redirect(url_for("dashboard.index"))
    return render_template("dashboard/site_delete.html", form=form), 422 if form.errors else 200
