"""What a site's owner tells Kelisim for the documents (hosting, forms, protection measures,
requests, own sections): reading and saving it, checked, with the audit log noting each
change; and which of the parts Law No. 94-V asks for the site still lacks."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from backend.models import DocumentInputs, FoundTracker, Site, User
from backend.services import InvalidInput
from backend.services.audit import changed_fields, record_change
from backend.services.document_texts import (
    DOCUMENT_LANGUAGES,
    FORM_FIELDS,
    FORM_PURPOSES,
    HOME,
    HOSTING_COUNTRIES,
    MEASURES,
)

INPUT_FIELDS = (
    "hosting_provider", "hosting_country", "hosting_city", "contact_phone", "forms",
    "measures", "request_subject", "request_days", "extra_sections",
)  # fmt: skip
MAX_FORMS = 10
MAX_SECTIONS = 10
MAX_STORAGE_MONTHS = 120


def inputs_for(session: Session, site: Site) -> DocumentInputs | None:
    """The site's saved inputs, None before the owner first saved them."""
    return session.scalar(sa.select(DocumentInputs).where(DocumentInputs.site_id == site.id))


def found_kinds(session: Session, site: Site) -> list[str]:
    """Catalog kinds the widget held on the site's pages (whatever the day)."""
    query = sa.select(FoundTracker.kind).where(FoundTracker.site_id == site.id).distinct()
    return sorted(session.scalars(query))


def save_document_inputs(
    session: Session, site: Site, user: User | None, values: dict[str, Any]
) -> dict[str, list]:
    """Set the site's document inputs; returns what changed as {field: [old, new]}."""
    _check(values)
    inputs = inputs_for(session, site)
    if inputs is None:
        inputs = DocumentInputs(site_id=site.id)
        session.add(inputs)
        before: dict[str, Any] = {}
    else:
        before = {name: getattr(inputs, name) for name in INPUT_FIELDS}
    values = {name: values[name] for name in INPUT_FIELDS}
    changes = changed_fields(before, values)
    for name, value in values.items():
        setattr(inputs, name, value)
    if changes:
        record_change(session, site, user, "documents.update", fields=changes)
    return changes


def _check(values: dict[str, Any]) -> None:
    """Refuse what no document could say: keys the texts do not know, terms out of range."""
    errors = {}
    if values["hosting_country"] not in ("", *HOSTING_COUNTRIES):
        errors["hosting_country"] = _("Choose a country from the list.")
    if len(values["forms"]) > MAX_FORMS:
        errors["forms"] = _("At most %(count)d forms.", count=MAX_FORMS)
    for form in values["forms"]:
        if not set(form["fields"]) <= set(FORM_FIELDS) or form["purpose"] not in FORM_PURPOSES:
            errors["forms"] = _("Choose the data and purpose of each form from the lists.")
        if not 1 <= form["storage_months"] <= MAX_STORAGE_MONTHS:
            errors["forms"] = _("From 1 to %(max)d months.", max=MAX_STORAGE_MONTHS)
    if not set(values["measures"]) <= set(MEASURES):
        errors["measures"] = _("Choose measures from the list.")
    if len(values["extra_sections"]) > MAX_SECTIONS:
        errors["extra_sections"] = _("At most %(count)d sections.", count=MAX_SECTIONS)
    if any(s["language"] not in DOCUMENT_LANGUAGES for s in values["extra_sections"]):
        errors["extra_sections"] = _("Choose the section's language from the list.")
    if errors:
        raise InvalidInput(_("The documents' details were not saved."), fields=errors)


@dataclass
class Requirement:
    """A part of the documents that Law No. 94-V asks for, and whether the site has it."""

    part: str
    article: str
    source: str
    # "ok", "missing" (something to fill in) or "warning" (filled, but the law asks more)
    state: str
    note: str = ""


def requirements(site: Site, inputs: DocumentInputs | None) -> list[Requirement]:
    """What the documents must contain, the article it comes from, where Kelisim takes it
    and whether the site has it yet, for the dashboard's help box."""
    has_forms = bool(inputs and inputs.forms)
    country = inputs.hosting_country if inputs else ""
    storage_state = "ok" if country == HOME else "warning" if country else "missing"
    storage_note = {
        "missing": _("Say where the site's servers are."),
        "warning": _(
            "The servers are outside Kazakhstan: Article 12 asks for personal data to be "
            "stored in a database in Kazakhstan, and the documents say where they are."
        ),
    }.get(storage_state, "")
    operator_ok = bool(site.legal_name and site.bin and site.address and site.contact_email)
    return [
        Requirement(
            _("The operator's name and BIN, address and contacts"),
            _("Article 8, paragraph 4"),
            _("Settings"),
            "ok" if operator_ok else "missing",
            "" if operator_ok else _("Fill in the operator's details in Settings."),
        ),
        Requirement(
            _("Purposes and the list of data collected"),
            _("Article 8, paragraph 4; Article 12, paragraph 1"),
            _("Trackers; forms below"),
            "ok",
            "" if has_forms else _("If the site has forms, list them below."),
        ),
        Requirement(
            _("Term of consent and of storage"),
            _("Article 8, paragraph 4; Article 12, paragraph 2"),
            _("Settings (consent lifetime, records); forms below"),
            "ok",
        ),
        Requirement(
            _("Third parties and cross-border transfer, with countries"),
            _("Article 8, paragraph 4; Article 16"),
            _("Trackers and embeds (their providers and countries)"),
            "ok",
        ),
        Requirement(
            _("Storage of personal data in Kazakhstan"),
            _("Article 12, paragraph 2"),
            _("Hosting, below"),
            storage_state,
            storage_note,
        ),
        Requirement(
            _("Protection measures"),
            _("Article 22"),
            _("Protection, below"),
            "ok" if inputs and inputs.measures else "missing",
            "" if inputs and inputs.measures else _("Tick the measures you take."),
        ),
        Requirement(
            _("The subject's rights and how to exercise them"),
            _("Article 24"),
            _("Settings (e-mail); requests, below"),
            "ok" if site.contact_email else "missing",
            "" if site.contact_email else _("Give a contact e-mail in Settings."),
        ),
        Requirement(
            _("Withdrawal of consent and its limits"),
            _("Article 8, paragraphs 1 and 2"),
            _("Written by Kelisim"),
            "ok",
        ),
    ]
