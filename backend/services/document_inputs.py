"""What a site's owner tells Kelisim for the documents (hosting, forms, protection measures,
requests, own sections): reading and saving it, checked, with the audit log noting each
change; and which of the parts Law No. 94-V asks for the site still lacks."""

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
MAX_REQUEST_DAYS = 30
MAX_PHONE = 50
MAX_FORM_NAME = 100
MAX_RECIPIENTS = 300
MAX_SECTION_TITLE = 200
MAX_SECTION_TEXT = 5000
TEXT_LIMITS = {
    "hosting_provider": 300, "hosting_city": 100, "request_subject": 200,
}  # fmt: skip
PHONE = re.compile(r"\+?[0-9 ()-]{5,30}")
# Shown by the Documents form beside its fields too (backend/dashboard/document_forms.py).
FORM_NAME_MISSING = _l("Give the form a name.")
FORM_FIELDS_MISSING = _l("Tick the data the form collects.")
STORAGE_RANGE = _l("From 1 to %(max)d months.", max=MAX_STORAGE_MONTHS)
REQUEST_DAYS_RANGE = _l("From 1 to 30 days.")  # MAX_REQUEST_DAYS
CHOICES = _l("Choose the data and purpose of each form from the lists.")
SECTION_TITLE_MISSING = _l("Give the section a title.")
SECTION_TEXT_MISSING = _l("Write the section's text.")


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
    problems = document_problems(values)
    if problems:
        raise InvalidInput(_("The documents' details were not saved."), fields=problems)


def phone_problem(phone: str) -> Any:
    """What is wrong with a phone for requests (optional), or None."""
    if len(phone) > MAX_PHONE:
        return _l("At most %(count)d characters.", count=MAX_PHONE)
    if phone and not PHONE.fullmatch(phone):
        return _l("Give a phone number such as +7 727 123 45 67.")
    return None


def _too_long(text: str, limit: int) -> Any:
    return _l("At most %(count)d characters.", count=limit) if len(text) > limit else None


def document_problems(values: dict[str, Any]) -> dict[str, str]:
    """Everything no document could say, by path ("forms[1].storage_months"): the rules the
    Documents form shows beside its fields, and the configuration file's documents section
    is held to (backend/services/site_config.py)."""
    errors: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        errors[name] = _too_long(values[name], limit)
    if values["hosting_country"] not in ("", *HOSTING_COUNTRIES):
        errors["hosting_country"] = _("Choose a country from the list.")
    errors["contact_phone"] = phone_problem(values["contact_phone"])
    if len(values["forms"]) > MAX_FORMS:
        errors["forms"] = _("At most %(count)d forms.", count=MAX_FORMS)
    for index, form in enumerate(values["forms"]):
        path = f"forms[{index}]"
        errors[f"{path}.name"] = (
            _too_long(form["name"], MAX_FORM_NAME) if form["name"] else FORM_NAME_MISSING
        )
        if not form["fields"]:
            errors[f"{path}.fields"] = FORM_FIELDS_MISSING
        elif not set(form["fields"]) <= set(FORM_FIELDS):
            errors[f"{path}.fields"] = CHOICES
        if form["purpose"] not in FORM_PURPOSES:
            errors[f"{path}.purpose"] = CHOICES
        if not 1 <= form["storage_months"] <= MAX_STORAGE_MONTHS:
            errors[f"{path}.storage_months"] = STORAGE_RANGE
        errors[f"{path}.recipients"] = _too_long(form["recipients"], MAX_RECIPIENTS)
    if not set(values["measures"]) <= set(MEASURES):
        errors["measures"] = _("Choose measures from the list.")
    days = values["request_days"]
    if days is not None and not 1 <= days <= MAX_REQUEST_DAYS:
        errors["request_days"] = REQUEST_DAYS_RANGE
    if len(values["extra_sections"]) > MAX_SECTIONS:
        errors["extra_sections"] = _("At most %(count)d sections.", count=MAX_SECTIONS)
    for index, section in enumerate(values["extra_sections"]):
        path = f"extra_sections[{index}]"
        if section["language"] not in DOCUMENT_LANGUAGES:
            errors[f"{path}.language"] = _("Choose the section's language from the list.")
        errors[f"{path}.title"] = (
            _too_long(section["title"], MAX_SECTION_TITLE)
            if section["title"]
            else SECTION_TITLE_MISSING
        )
        errors[f"{path}.text"] = (
            _too_long(section["text"], MAX_SECTION_TEXT)
            if section["text"]
            else SECTION_TEXT_MISSING
        )
    return {name: str(message) for name, message in errors.items() if message}


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
