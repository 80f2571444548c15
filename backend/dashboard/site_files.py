"""A site's configuration as a file: exported, imported over the site, or imported as a new
site (backend/services/site_config.py has the rules)."""

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from backend.dashboard import bp
from backend.dashboard.access import least_role
from backend.dashboard.routes import sites_page
from backend.dashboard.site_forms import ConfigFileForm, SiteSettingsForm
from backend.dashboard.sites import settings_page
from backend.downloads import file_response
from backend.extensions import db
from backend.models import Role, Site
from backend.services.site_config import (
    MAX_FILE_BYTES,
    ConfigError,
    config_json,
    export_config,
    import_config,
    read_config_file,
)

JSON = "application/json; charset=utf-8"
# A request larger than this is refused (413) before it is read; a file between the file's
# own limit and this one is read up to that limit and refused in the page.
MAX_REQUEST_BYTES = 4 * MAX_FILE_BYTES


@bp.url_value_preprocessor
def bound_uploads(endpoint: str | None, values: dict | None) -> None:
    """The imports' own bound on a request's size, set before anything reads the body (the
    CSRF check does, before the view)."""
    if endpoint in ("dashboard.site_import", "dashboard.site_import_new"):
        request.max_content_length = MAX_REQUEST_BYTES


@bp.get("/sites/<site_key>/config.json")
@least_role(Role.VIEWER)
def site_export():
    """The site's configuration as one JSON file (kelisim-<key>.json)."""
    site = g.site
    response = file_response(
        [config_json(export_config(site))], JSON, f"kelisim-{site.public_key}.json"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/sites/<site_key>/config")
@least_role(Role.OWNER)
def site_import():
    """Owners replace the site's whole configuration with a file's."""
    site = g.site
    form = ConfigFileForm()
    errors = _import(form, site)[1]
    if errors is None:
        flash(_("The configuration was imported. The banner shows it now."), "success")
        return redirect(url_for("dashboard.site_settings", site_key=site.public_key))
    return settings_page(
        SiteSettingsForm.for_site(site, formdata=None), 422, import_form=form, import_errors=errors
    )


@bp.post("/sites/import")
def site_import_new():
    """Any signed-in person may add a site from a file, and becomes its owner."""
    form = ConfigFileForm()
    site, errors = _import(form, None)
    if errors is None:
        flash(_("Site added from the file. Check its settings and install it."), "success")
        return redirect(url_for("dashboard.site_settings", site_key=site.public_key))
    return sites_page(422, import_form=form, import_errors=errors)


def _import(form: ConfigFileForm, site: Site | None) -> tuple[Site | None, dict | None]:
    """Import the form's file over ``site`` (None: as a new site owned by the person) and
    commit: (the site, None); or (None, the problems by path) when the file was refused,
    and nothing is kept."""
    if not form.validate_on_submit():
        messages = [str(message) for messages in form.errors.values() for message in messages]
        return None, {"": " ".join(messages)}
    try:
        document = read_config_file(form.file.data.stream.read(MAX_FILE_BYTES + 1))
        imported = import_config(
            db.session, document, current_user, site=site, owner=None if site else current_user
        )
    except ConfigError as error:
        db.session.rollback()
        return None, error.fields
    db.session.commit()
    return imported, None
