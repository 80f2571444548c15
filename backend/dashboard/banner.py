"""Banner editor: texts per language, look and behaviour, with a live preview of the real
widget built from the form before it is saved.

The preview is stateless: the unsaved banner travels in a signed token in the preview's
URLs, so the loader's request for banner.js (and texts.js) can land on any worker. Under
that URL the preview answers the widget's own paths: its loader, banner and texts files,
and an events endpoint that stores nothing."""

from dataclasses import asdict
from typing import Any

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms.fields.choices import SelectChoice

from backend.banner_texts import texts_for
from backend.dashboard import bp
from backend.dashboard.access import least_role
from backend.dashboard.banner_forms import TEXT_GROUPS, WIDTHS, BannerForm, banner_form_class
from backend.dashboard.editing import save_form
from backend.delivery import delivery
from backend.delivery.snapshot import PublishedSite
from backend.extensions import csrf, db
from backend.labels import LANGUAGE_NAMES
from backend.models import Role, Site
from backend.services import InvalidInput
from backend.services.banner import BannerChange, draft_config, text_overrides, update_banner
from backend.services.publishing import DEFAULT_ACCENT

PREVIEW_FRAME = "banner-preview"
PREVIEW_SALT = "kelisim.banner-preview"
# How long a preview's URL works: the page and the files its widget loads from it.
PREVIEW_SECONDS = 3600
# The token rides in the preview's URLs, and servers refuse long request lines (gunicorn:
# 4094 bytes): past this, the preview asks to save first rather than break.
PREVIEW_MAX_TOKEN = 3500
JAVASCRIPT = "application/javascript"


@bp.route("/sites/<site_key>/banner", methods=["GET", "POST"])
@least_role(Role.VIEWER, POST=Role.EDITOR)
def banner():
    """The banner editor; editors save, viewers look and preview."""
    site = g.site
    form = _form(site)
    status, _saved = save_form(
        form,
        site,
        lambda: update_banner(db.session, site, current_user, form.change(site.languages)),
        _show_errors,
        current=lambda: _form(site, formdata=None),
    )
    if status is None:
        flash(_("Saved. Visitors get the change within minutes."), "success")
        return redirect(url_for("dashboard.banner", site_key=site.public_key))
    return render_template(
        "dashboard/banner.html",
        form=form,
        defaults={lang: texts_for(lang) for lang in site.languages},
        text_groups=TEXT_GROUPS,
        frame=PREVIEW_FRAME,
        widths=WIDTHS,
        can_edit=g.membership.role.allows(Role.EDITOR),
    ), status


@bp.post("/sites/<site_key>/banner/preview")
@least_role(Role.VIEWER)
def banner_preview():
    """The form as it is, unsaved, turned into a preview (into the editor's frame)."""
    site = g.site
    form = _form(site)
    try:
        if not form.validate():
            raise InvalidInput(_("The preview was not updated."))
        change = form.change(site.languages)
        change.texts = text_overrides(change.texts)
        draft_config(site, "/", change)  # the same checks as saving
    except InvalidInput as error:
        _show_errors(form, error)
        errors = [*form.form_errors, *_field_errors(form)]
        return _no_store(render_template("dashboard/banner_preview.html", errors=errors), 422)
    token = _serializer().dumps({"site": site.public_key, "change": asdict(change)})
    if len(token) > PREVIEW_MAX_TOKEN:
        errors = [_("Too many changed texts to preview before saving: save, then preview.")]
        return _no_store(render_template("dashboard/banner_preview.html", errors=errors), 422)
    language = form.preview_language.data
    target = url_for(
        "dashboard.banner_preview_page", site_key=site.public_key, token=token, l=language
    )
    return redirect(target, 303)


@bp.get("/sites/<site_key>/banner/preview/<token>/")
@least_role(Role.VIEWER)
def banner_preview_page(token: str):
    """A page that embeds the widget, first in <head>, as an operator's page would."""
    site = g.site
    published = _draft(site, token)
    language = published.language(request.args.get("l"))
    loader = url_for(
        "dashboard.banner_preview_file",
        site_key=site.public_key,
        token=token,
        name=f"{site.public_key}.js",
    )
    html = render_template("dashboard/banner_preview.html", language=language, loader=loader)
    return _no_store(html, 200)


@bp.get("/sites/<site_key>/banner/preview/<token>/w/<path:name>")
@least_role(Role.VIEWER)
def banner_preview_file(token: str, name: str):
    """The widget's files of the preview: the same templates and configs as visitors get."""
    site = g.site
    published = _draft(site, token)
    key = site.public_key
    if name == f"{key}.js":
        representation = published.file("loader.js")
    else:
        folder, _, file = name.rpartition("/")
        wanted = folder == f"{key}/{published.release}"
        representation = published.banner_file(file) if wanted else None
    if representation is None:
        abort(404)
    return _no_store(representation.body, 200, JAVASCRIPT)


@bp.post("/sites/<site_key>/banner/preview/<token>/api/v1/events")
@csrf.exempt  # the widget's beacon carries no token; nothing is stored
@least_role(Role.VIEWER)
def banner_preview_events(token: str):
    """Where the preview's widget sends its events: answered, never recorded."""
    return _no_store("", 204)


def _form(site: Site, **kwargs: Any) -> BannerForm:
    """The editor's form for ``site``, starting from what is saved (blank: the default);
    ``formdata=None`` leaves out what the request sent."""
    look = site.appearance
    data = {
        "position": look.get("position", "bottom"),
        "accent": look.get("accent", DEFAULT_ACCENT),
        "floating_button": bool(look.get("floating_button")),
        "respect_dnt": site.respect_dnt,
        "preview_language": site.default_language,
    }
    for lang in site.languages:
        data[f"texts_{lang}"] = dict(site.texts.get(lang) or {})
    form = banner_form_class(site.languages)(data=data, **kwargs)
    form.preview_language.choices = [
        SelectChoice(lang, LANGUAGE_NAMES[lang]) for lang in site.languages
    ]
    return form


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=PREVIEW_SALT)


def _draft(site: Site, token: str) -> PublishedSite:
    """The site as the preview's token says it would be, or 404 for a bad or old token."""
    try:
        payload = _serializer().loads(token, max_age=PREVIEW_SECONDS)
    except BadData:
        abort(404)
    if payload.get("site") != site.public_key:
        abort(404)
    base = url_for(
        "dashboard.banner_preview_page", site_key=site.public_key, token=token, _external=True
    )
    try:
        config = draft_config(site, base, BannerChange(**payload["change"]))
    except (InvalidInput, TypeError):
        abort(404)
    return PublishedSite.of(site, config, delivery().templates)


def _no_store(body, status: int, mimetype: str = "text/html"):
    """A preview answer no cache keeps: it shows what is not saved."""
    response = current_app.response_class(body, status=status, mimetype=mimetype)
    response.headers["Cache-Control"] = "no-store"
    return response


def _show_errors(form: BannerForm, error: InvalidInput) -> None:
    """The rule's complaints next to the fields they concern ("kk.title": a text)."""
    for name, message in error.fields.items():
        lang, _dot, key = name.partition(".")
        field = form[f"texts_{lang}"][key] if key else form[name]
        field.errors = [*field.errors, message]
    form.form_errors.append(error.message)


def _field_errors(form: BannerForm) -> list[str]:
    """Every field's errors, each after its label, for the preview frame."""
    found = []
    for field in form:
        if field.type == "FormField":
            for sub in field:
                found += [f"{field.label.text} · {sub.label.text}: {e}" for e in sub.errors]
        elif field.name != "csrf_token":
            found += [f"{field.label.text}: {e}" for e in field.errors]
    return found
