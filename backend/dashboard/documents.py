"""Documents: what only the owner knows for the site's privacy policy, consent and cookie
declaration (viewers read it, editors change it, as other settings), the parts Law No. 94-V
asks for with their articles, and a draft preview of each document in each language."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backend.dashboard import bp
from backend.dashboard.access import least_role
from backend.dashboard.document_forms import DocumentInputsForm
from backend.dashboard.editing import save_form
from backend.extensions import db
from backend.labels import LANGUAGE_NAMES
from backend.models import Role
from backend.services.document_inputs import (
    found_kinds,
    inputs_for,
    requirements,
    save_document_inputs,
)
from backend.services.document_texts import DOCUMENT_LANGUAGES
from backend.services.documents import DOCUMENTS, build, inputs_of

DOCUMENT_NAMES = {
    "privacy-policy": _l("Personal data processing policy"),
    "consent": _l("Consent for forms"),
    "cookies": _l("Cookie declaration"),
}


@bp.route("/sites/<site_key>/documents", methods=["GET", "POST"])
@least_role(Role.VIEWER, POST=Role.EDITOR)
def documents():
    """The owner's inputs for the documents, with what the law asks and links to drafts."""
    site = g.site
    inputs = inputs_of(site, inputs_for(db.session, site))
    if inputs.revision is None:
        inputs.revision = 0  # nothing saved yet: a first save by someone else is noticed
    if request.method == "GET":
        form = DocumentInputsForm.for_inputs(inputs)
    else:
        form = DocumentInputsForm()
    status, changes = save_form(
        form, inputs, lambda: save_document_inputs(db.session, site, current_user, form.inputs())
    )
    if status is not None:
        return render_template(
            "dashboard/documents.html",
            form=form,
            read_only=not g.membership.role.allows(Role.EDITOR),
            requirements=requirements(site, inputs_for(db.session, site)),
            document_names=DOCUMENT_NAMES,
            language_names=LANGUAGE_NAMES,
        ), status
    flash(_("Saved: the drafts below follow.") if changes else _("Nothing changed."),
          "success" if changes else "info")  # fmt: skip
    return redirect(url_for("dashboard.documents", site_key=site.public_key))


@bp.get("/sites/<site_key>/documents/<name>")
@least_role(Role.VIEWER)
def document_preview(name: str):
    """A draft of one document in one language, built from the current configuration."""
    if name not in DOCUMENTS:
        abort(404)
    language = request.args.get("lang", "ru")
    if language not in DOCUMENT_LANGUAGES:
        abort(404)
    site = g.site
    document = build(
        name, site, inputs_for(db.session, site), language, found_kinds(db.session, site)
    )
    return render_template(
        "dashboard/document_preview.html",
        document=document,
        name=name,
        language=language,
        document_names=DOCUMENT_NAMES,
        language_names=LANGUAGE_NAMES,
        documents=DOCUMENTS,
        languages=DOCUMENT_LANGUAGES,
    )
