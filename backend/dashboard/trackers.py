"""Trackers page: the services a site's banner gates, trackers and embedded content (videos,
maps, posts, forms), added from the catalog and edited."""

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from backend.dashboard import bp
from backend.dashboard.access import least_role
from backend.dashboard.editing import save_form
from backend.dashboard.tracker_forms import RemoveTrackerForm, TrackerForm, tracker_form_class
from backend.extensions import db
from backend.labels import CATEGORY_NAMES
from backend.models import Role, Service, Site
from backend.service_catalog import EMBED, KINDS, ServiceKind
from backend.services.publishing import service_cookies, service_info
from backend.services.trackers import catalog_info, remove_tracker, save_tracker, vendor_id


@bp.get("/sites/<site_key>/trackers")
@least_role(Role.VIEWER)
def trackers():
    """Every service of the site: what it is, its category, who loads it, its ID; the
    embedded content by itself (nothing of that is loaded by Kelisim or has an ID)."""
    site = g.site
    language = _shown_language(site)
    remove_form = RemoveTrackerForm()
    remove_form.shown_for(site)
    return render_template(
        "dashboard/trackers.html",
        services=[s for s in site.services if KINDS[s.kind].type != EMBED],
        embeds=[s for s in site.services if KINDS[s.kind].type == EMBED],
        infos={s.id: service_info(s, site.languages)[language] for s in site.services},
        kinds=KINDS,
        vendor_id=vendor_id,
        category_names=CATEGORY_NAMES,
        remove_form=remove_form,
        can_edit=g.membership.role.allows(Role.EDITOR),
    )


@bp.get("/sites/<site_key>/trackers/new")
@least_role(Role.EDITOR)
def tracker_kinds():
    """The catalog to pick the new tracker's kind from: trackers, then embedded content,
    where a provider the site has already leads to its service (one per provider)."""
    return render_template(
        "dashboard/trackers_kinds.html",
        kinds=[kind for kind in KINDS.values() if kind.type != EMBED],
        embeds=[kind for kind in KINDS.values() if kind.type == EMBED],
        configured={s.kind: s for s in g.site.services if KINDS[s.kind].type == EMBED},
        category_names=CATEGORY_NAMES,
    )


@bp.route("/sites/<site_key>/trackers/new/<kind>", methods=["GET", "POST"])
@least_role(Role.EDITOR)
def tracker_add(kind: str):
    """A new tracker of one kind, its facts pre-filled from the catalog in each language."""
    if kind not in KINDS:
        abort(404)
    return _edit(g.site, KINDS[kind], None)


@bp.route("/sites/<site_key>/trackers/<int:service_id>", methods=["GET", "POST"])
@least_role(Role.EDITOR)
def tracker_edit(service_id: int):
    """One tracker of the site, as the banner shows it, to change."""
    service = _service(g.site, service_id)
    return _edit(g.site, KINDS[service.kind], service)


@bp.post("/sites/<site_key>/trackers/<int:service_id>/remove")
@least_role(Role.EDITOR)
def tracker_remove(service_id: int):
    """Take a tracker off the site."""
    site = g.site
    service = _service(site, service_id)
    slug = service.slug
    form = RemoveTrackerForm()
    status, _removed = save_form(
        form, site, lambda: remove_tracker(db.session, site, current_user, service)
    )
    if status is not None:  # the form holds only the revision: stale (409)
        return render_template("dashboard/stale.html", message=" ".join(form.form_errors)), status
    flash(_("Removed %(name)s.", name=slug), "success")
    return redirect(url_for("dashboard.trackers", site_key=site.public_key))


def _service(site: Site, service_id: int) -> Service:
    service = next((s for s in site.services if s.id == service_id), None)
    if service is None:
        abort(404)
    return service


def _edit(site: Site, kind: ServiceKind, service: Service | None):
    """Show and save the form of a tracker of ``kind`` (a new one when ``service`` is None)."""
    form_class = tracker_form_class(kind, site.languages)
    form = form_class(data=_form_data(site, kind, service))

    def save() -> Service:
        change = form.change(kind, site.languages)
        return save_tracker(db.session, site, current_user, change, service)

    def current() -> TrackerForm:
        return form_class(formdata=None, data=_form_data(site, kind, service))

    status, _service = save_form(form, site, save, current=current if service else None)
    if status is None:
        flash(_("Saved. Visitors get the change within minutes."), "success")
        return redirect(url_for("dashboard.trackers", site_key=site.public_key))
    return render_template(
        "dashboard/trackers_form.html",
        form=form,
        kind=kind,
        service=service,
    ), status


def _form_data(site: Site, kind: ServiceKind, service: Service | None) -> dict:
    """What the form starts from: the service as the banner shows it, or a new one of
    ``kind`` with the catalog's facts."""
    if service is None:
        slug = kind.kind
        taken = {s.slug for s in site.services}
        number = 2
        while slug in taken:
            slug, number = f"{kind.kind}_{number}", number + 1
        info = catalog_info(kind.kind, site.languages)
        data = {"slug": slug, "category": kind.default_category, "managed": "held"}
        cookies = list(kind.cookies)
    else:
        info = service_info(service, site.languages)
        options = service.options
        data = {
            "slug": service.slug,
            "category": service.category,
            "managed": "managed" if service.managed else "held",
            "vendor_id": vendor_id(service.kind, options),
            "webvisor": bool(options.get("webvisor")),
            "consent_mode": options.get("consent_mode", "basic"),
        }
        cookies = service_cookies(service)
    data["cookies"] = "\n".join(cookies)
    for lang, facts in info.items():
        data[f"info_{lang}"] = {key: facts[key] for key in facts if key != "cookies"}
    return data


def _shown_language(site: Site) -> str:
    """The dashboard's language if the site speaks it, else the site's default."""
    language = str(get_locale())
    return language if language in site.languages else site.default_language
