"""Configuration as code: a site's whole configuration as one JSON document (format 1,
backend/schemas/site_file.py), exported, and imported into a new site or over an existing
one through the same rules, services and audit log as the dashboard's forms.

A file holds what an owner sets (the site's name, domains and time zone, the operator,
languages, consent lifetime and retention, the banner's look, behaviour and texts, the
trackers and embeds with their options and texts, the owner's inputs for the documents),
never what belongs to the site's records or people: its events, versions, members,
invitations, tokens and links. Texts,
a service's facts and its cookies are written where they differ from the defaults only, as
the site stores them, so that a better default still reaches them."""

import json
from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy.orm import Session, object_session

from backend.models import LANGUAGES, DocumentInputs, Service, Site, User
from backend.schemas.site_file import FORMAT, SiteFileSchema, error_paths
from backend.service_catalog import INFO_FIELDS, KINDS
from backend.services import InvalidInput
from backend.services.audit import record_change
from backend.services.banner import BannerChange, text_overrides, update_banner
from backend.services.document_inputs import INPUT_FIELDS, inputs_for, save_document_inputs
from backend.services.publishing import service_info, shown_appearance
from backend.services.sites import create_site, host_name, update_site, web_address_problem
from backend.services.trackers import (
    TrackerChange,
    catalog_info,
    remove_tracker,
    save_tracker,
)
from backend.site_rules import timezone_choices

# The largest file read: a site with every language's texts and a hundred services is
# well under it.
MAX_FILE_BYTES = 256 * 1024
IMPORT_ACTION = "site.import"


class ConfigError(InvalidInput):
    """A configuration file that cannot be imported; ``fields`` holds each problem by its
    path in the file ("services[2].options.counter_id")."""


def export_config(site: Site) -> dict[str, Any]:
    """The site's configuration as a format 1 document."""
    appearance = shown_appearance(site.appearance)
    return {
        "format": FORMAT,
        "site": {
            "key": site.public_key,
            "name": site.name,
            "domains": list(site.domains),
            "allow_subdomains": site.allow_subdomains,
            "timezone": site.timezone,
        },
        "operator": {
            "legal_name": site.legal_name,
            "bin": site.bin,
            "address": site.address,
            "contact_email": site.contact_email,
            "policy_urls": {
                lang: site.policy_urls[lang] for lang in LANGUAGES if lang in site.policy_urls
            },
        },
        "languages": list(site.languages),
        "default_language": site.default_language,
        "consent": {"days": site.consent_days, "retention_months": site.retention_months},
        "banner": {
            "position": appearance["position"],
            "accent": appearance["accent"],
            "floating_button": appearance["floating_button"],
            "respect_dnt": site.respect_dnt,
            "texts": _own_texts(site.texts),
        },
        "services": [_export_service(service, site.languages) for service in site.services],
        **_export_documents(inputs_for(object_session(site), site)),
    }


def _export_documents(inputs: DocumentInputs | None) -> dict[str, Any]:
    """The documents section, only for a site whose owner saved its document inputs, and in
    it only what is set (a form's recipients too)."""
    if inputs is None:
        return {}
    section = {}
    for name in INPUT_FIELDS:
        value = getattr(inputs, name)
        if name == "forms":
            value = [{key: item for key, item in form.items() if item != ""} for form in value]
        if value not in ("", [], None):
            section[name] = value
    return {"documents": section}


def config_json(config: dict[str, Any]) -> str:
    """A document as the file holds it: UTF-8 JSON, indented, ending with a new line."""
    return json.dumps(config, ensure_ascii=False, indent=2) + "\n"


def _own_texts(texts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The banner texts an owner changed, as the banner's rules keep them, in the order of
    the languages."""
    try:
        own = text_overrides(texts)
    except InvalidInput:  # stored before a default gained a placeholder: kept as stored
        own = texts
    return {lang: dict(own[lang]) for lang in LANGUAGES if own.get(lang)}


def _export_service(service: Service, languages: list[str]) -> dict[str, Any]:
    kind = KINDS[service.kind]
    entry: dict[str, Any] = {
        "kind": service.kind,
        "id": service.slug,
        "category": service.category,
        "managed": service.managed,
        "options": {
            key: service.options[key] for key in kind.option_fields if key in service.options
        },
    }
    shown = service_info(service, languages)
    catalog = catalog_info(service.kind, languages)
    info = {}
    for lang in languages:
        own = {
            key: shown[lang][key]
            for key in INFO_FIELDS
            if shown[lang][key].strip() and shown[lang][key] != catalog[lang][key]
        }
        if own:
            info[lang] = own
    if info:
        entry["info"] = info
    cookies = service.options.get("cookies")
    if cookies is not None and list(cookies) != list(kind.cookies):
        entry["cookies"] = list(cookies)
    return entry


def read_config_file(data: bytes) -> dict[str, Any]:
    """A file's bytes as a document, not yet checked; ConfigError if they are no JSON
    object or too large."""
    if len(data) > MAX_FILE_BYTES:
        raise ConfigError(
            _("The file was not imported."),
            fields={
                "(file)": _("The file is larger than %(size)d KB.", size=MAX_FILE_BYTES // 1024)
            },
        )
    if not data.strip():
        raise ConfigError(
            _("The file was not imported."), fields={"(file)": _("The file is empty.")}
        )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        problem = _("The file is not UTF-8 text.")
    except json.JSONDecodeError as error:
        problem = _(
            "The file is not valid JSON: line %(line)d, column %(column)d.",
            line=error.lineno,
            column=error.colno,
        )
    except RecursionError:
        problem = _("The file is nested too deeply.")
    else:
        if isinstance(document, dict):
            return document
        problem = _("The file must hold one JSON object, as an export writes it.")
    raise ConfigError(_("The file was not imported."), fields={"(file)": problem})


def import_config(
    session: Session,
    document: Any,
    user: User | None,
    *,
    site: Site | None = None,
    owner: User | None = None,
) -> Site:
    """Apply a document to ``site`` (its whole configuration replaced) or to a new site
    owned by ``owner``, as ``user`` (None: the command line), and note it in the audit log.

    Raises ConfigError with every problem found, by path; the caller then rolls back, so
    that nothing of a refused file is kept. Never commits: the commit publishes the site's
    new banner version and files, as a dashboard save does."""
    try:
        data = SiteFileSchema().load(document)
    except ValidationError as error:
        raise ConfigError(
            _("The file was not imported."), fields=error_paths(error.messages)
        ) from None
    current_zone = site.timezone if site is not None else Site.__table__.c.timezone.default.arg
    settings, errors = _settings(data, current_zone)
    if errors:
        raise ConfigError(_("The file was not imported."), fields=errors)
    if site is None:
        if owner is None:
            raise ConfigError(
                _("The file was not imported."), fields={"(file)": _("A new site needs an owner.")}
            )
        name, domains = settings.pop("name"), settings.pop("domains")
        site = create_site(session, owner, name, domains, by=user, **settings)
        session.flush()  # the new site's own defaults (appearance, texts) filled in
    else:
        update_site(session, site, user, **settings)
    errors |= _replace_services(session, site, user, data["services"])
    errors |= _replace_banner(session, site, user, data["banner"])
    if data["documents"] is not None:
        errors |= _replace_documents(session, site, user, data["documents"])
    if errors:
        raise ConfigError(_("The file was not imported."), fields=errors)
    record_change(session, site, user, IMPORT_ACTION, format=FORMAT, services=len(data["services"]))
    return site


def _settings(data: dict[str, Any], current_zone: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The site's columns from a checked document, and the problems the site's own rules
    find in it (host names, links, the time zone), by path."""
    errors = {}
    domains = []
    for index, domain in enumerate(data["site"]["domains"]):
        try:
            domains.append(host_name(domain))
        except InvalidInput:
            errors[f"site.domains[{index}]"] = _(
                "“%(domain)s” is not a domain name such as arman.kz: write it without "
                "https://, a port or a path.",
                domain=domain,
            )
    policy_urls = {}
    for lang, url in data["operator"]["policy_urls"].items():
        if not url:
            continue
        problem = web_address_problem(url)
        if problem:
            errors[f"operator.policy_urls.{lang}"] = str(problem)
        policy_urls[lang] = url
    if data["site"]["timezone"] not in timezone_choices(current_zone):
        errors["site.timezone"] = _("Not a time zone Kelisim offers, such as Asia/Almaty.")
    operator = data["operator"]
    settings = {
        "name": data["site"]["name"].strip(),
        "domains": list(dict.fromkeys(domains)),
        "allow_subdomains": data["site"]["allow_subdomains"],
        "legal_name": operator["legal_name"].strip(),
        "bin": operator["bin"],
        "address": operator["address"].strip(),
        "contact_email": operator["contact_email"].strip().lower(),
        "policy_urls": policy_urls,
        "languages": [lang for lang in LANGUAGES if lang in data["languages"]],
        "default_language": data["default_language"],
        "timezone": data["site"]["timezone"],
        "consent_days": data["consent"]["days"],
        "retention_months": data["consent"]["retention_months"],
    }
    if not settings["name"]:
        errors["site.name"] = _("Give the site a name.")
    return settings, errors


# Where a tracker rule's complaint points in a service's entry (backend/services/trackers.py).
SERVICE_FIELDS = {"slug": "id", "category": "category", "managed": "managed", "kind": "kind"}


def _replace_services(
    session: Session, site: Site, user: User | None, entries: list[dict[str, Any]]
) -> dict[str, str]:
    """The site's services become the file's: one of the same name and kind is changed in
    place, the others removed, the new ones added; problems by path."""
    wanted = {(entry["id"], entry["kind"]) for entry in entries}
    for service in list(site.services):
        if (service.slug, service.kind) not in wanted:
            remove_tracker(session, site, user, service)
    errors = {}
    taken: set[int] = set()  # the site's services changed so far (an entry twice is refused)
    for position, entry in enumerate(entries):
        kind = KINDS[entry["kind"]]
        existing = next(
            (
                s
                for s in site.services
                if (s.slug, s.kind) == (entry["id"], entry["kind"]) and id(s) not in taken
            ),
            None,
        )
        change = TrackerChange(
            kind=entry["kind"],
            slug=entry["id"],
            category=entry["category"],
            managed=entry["managed"],
            options=dict(entry["options"]),
            info={lang: dict(entry["info"].get(lang) or {}) for lang in site.languages},
            cookies=list(kind.cookies) if entry["cookies"] is None else entry["cookies"],
        )
        path = f"services[{position}]"
        try:
            service = save_tracker(session, site, user, change, existing)
        except InvalidInput as error:
            for name, message in error.fields.items():
                if name == "vendor_id":
                    errors[f"{path}.options.{kind.option_fields[0]}"] = message
                else:
                    errors[f"{path}.{SERVICE_FIELDS.get(name, name)}"] = message
            if not error.fields:
                errors[path] = error.message
            continue
        taken.add(id(service))
        service.position = position
    return errors


def _replace_banner(
    session: Session, site: Site, user: User | None, banner: dict[str, Any]
) -> dict[str, str]:
    """The banner's look, behaviour and texts become the file's (a language the file has no
    texts for gets the defaults); problems by path."""
    change = BannerChange(
        texts={lang: dict(banner["texts"].get(lang) or {}) for lang in LANGUAGES},
        position=banner["position"],
        accent=banner["accent"],
        floating_button=banner["floating_button"],
        respect_dnt=banner["respect_dnt"],
    )
    try:
        update_banner(session, site, user, change)
    except InvalidInput as error:
        fields = error.fields or {"": error.message}
        return {
            f"banner.texts.{name}" if "." in name else f"banner.{name}".rstrip("."): message
            for name, message in fields.items()
        }
    return {}


def _replace_documents(
    session: Session, site: Site, user: User | None, documents: dict[str, Any]
) -> dict[str, str]:
    """The site's document inputs become the file's, through the Documents form's rules
    (texts trimmed as the form trims them); problems by path."""
    values = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in documents.items()
    }
    values["forms"] = [
        {**form, "name": form["name"].strip(), "recipients": form["recipients"].strip(),
         "fields": list(dict.fromkeys(form["fields"]))}
        for form in documents["forms"]
    ]  # fmt: skip
    values["measures"] = list(dict.fromkeys(documents["measures"]))
    values["extra_sections"] = [
        {**section, "title": section["title"].strip(),
         "text": section["text"].replace("\r\n", "\n").strip()}
        for section in documents["extra_sections"]
    ]  # fmt: skip
    try:
        save_document_inputs(session, site, user, values)
    except InvalidInput as error:
        return {f"documents.{name}": message for name, message in error.fields.items()} or {
            "documents": error.message
        }
    return {}
