"""A site's documents, built from what the site really does: the personal data processing
policy, the consent to the collection and processing of personal data (for forms) and the
cookie declaration, each as a title and numbered sections of paragraphs, lists and tables.

The facts come from the site (operator, trackers and embeds with their providers, countries
and cookies, consent term, retention) and from its DocumentInputs (what only the owner
knows); the words from backend/services/document_texts.py. Nothing is said about a service
the site does not have, and a cross-border transfer is named only with the countries the
data really go to. ``render_html`` turns a document into HTML with the autoescaping
template ``documents/document.html``; publishing versions and hosting them is for the
callers (a draft is built afresh from the current configuration every time).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import render_template

from backend.models import CATEGORIES, DocumentInputs, Service, Site
from backend.service_catalog import CATALOG, describe
from backend.services.document_texts import (
    DOCUMENT_LANGUAGES,
    HOME,
    TEXTS,
    days_text,
    months_text,
    working_days_text,
)
from backend.services.publishing import HOME_COUNTRY, service_cookies, service_info

# The documents, by the names their URLs will carry.
DOCUMENTS = ("privacy-policy", "consent", "cookies")
# Kelisim's own storage in the visitor's browser (static/widget/README.md, "The cookie").
OWN_COOKIES = (
    ("kelisim", "k_kelisim", None),
    ("kelisim_shown", "k_shown", "k_session"),
    ("kelisim_unsent", "k_unsent", "k_until_sent"),
    ("kelisim (localStorage)", "k_local", "k_until_sent"),
)


@dataclass
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass
class Items:
    items: list[str]
    kind: str = "items"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    kind: str = "table"


Block = Paragraph | Items | Table


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    """One document in one language; sections are numbered in order when shown."""

    name: str
    language: str
    title: str
    intro: list[Block]
    sections: list[Section]

    def text(self) -> str:
        """Every word of the document as plain text (for tests and for searching)."""
        parts = [self.title, *(_block_text(b) for b in self.intro)]
        for section in self.sections:
            parts.append(section.title)
            parts.extend(_block_text(block) for block in section.blocks)
        return "\n".join(parts)


def _block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Items):
        return "\n".join(block.items)
    return "\n".join(" | ".join(row) for row in [block.headers, *block.rows])


@dataclass
class ServiceFacts:
    """A service of the site as the documents name it, in one language."""

    name: str
    provider: str
    country: str
    purpose: str
    term: str
    category: str
    cookies: list[str]
    webvisor: bool = False
    found: bool = False  # held on the site's pages, not configured

    @property
    def abroad(self) -> bool:
        return bool(self.country) and self.country.lower() not in HOME_COUNTRY


def inputs_of(site: Site, inputs: DocumentInputs | None) -> DocumentInputs:
    """The site's inputs, or empty ones (nothing filled in yet), never saved from here."""
    return inputs if inputs is not None else DocumentInputs(
        hosting_provider="", hosting_country="", hosting_city="", contact_phone="",
        forms=[], measures=[], request_subject="", request_days=None, extra_sections=[],
    )  # fmt: skip


def build(
    name: str,
    site: Site,
    inputs: DocumentInputs | None,
    language: str,
    found_kinds: Iterable[str] = (),
) -> Document:
    """The document ``name`` (one of DOCUMENTS) of ``site`` in ``language``, as a draft.

    ``found_kinds`` are catalog kinds the widget held on the site's pages though the site
    does not configure them: they set cookies once agreed to, so the cookie declaration
    lists them too."""
    if language not in DOCUMENT_LANGUAGES:
        raise ValueError(f"No documents in {language!r}.")
    facts = _Facts(site, inputs_of(site, inputs), language, found_kinds)
    return {"privacy-policy": _policy, "consent": _consent, "cookies": _cookies}[name](facts)


def render_html(document: Document) -> str:
    """The document as an HTML fragment (every fact escaped)."""
    return render_template("documents/document.html", document=document)


class _Facts:
    """What a site's documents say, gathered once per document and language."""

    def __init__(
        self, site: Site, inputs: DocumentInputs, language: str, found_kinds: Iterable[str]
    ) -> None:
        self.site, self.inputs, self.language = site, inputs, language
        self.t = TEXTS[language]
        self.services = [self._service(service) for service in site.services]
        configured = {service.kind for service in site.services}
        self.found = [
            self._found(kind) for kind in dict.fromkeys(found_kinds) if kind not in configured
        ]

    def _service(self, service: Service) -> ServiceFacts:
        info = service_info(service, [self.language])[self.language]
        return ServiceFacts(
            name=info["name"] or service.slug,
            provider=info["provider"],
            country=info["country"],
            purpose=info["purpose"],
            term=info["term"],
            category=service.category,
            cookies=service_cookies(service),
            webvisor=service.kind == "yandex_metrica" and bool(service.options.get("webvisor")),
        )

    def _found(self, kind: str) -> ServiceFacts:
        info = describe(kind, self.language)
        return ServiceFacts(
            name=info["name"],
            provider=info["provider"],
            country=info["country"],
            purpose=info["purpose"],
            term=info["term"],
            category=CATALOG[kind].default_category,
            cookies=list(info["cookies"]),
            found=True,
        )

    # The site
    @property
    def site_name(self) -> str:
        return ", ".join(self.site.domains) or self.site.name

    @property
    def webvisor(self) -> bool:
        return any(service.webvisor for service in self.services)

    @property
    def consent_term(self) -> str:
        days = self.site.consent_days
        months = round(days * 12 / 365)
        if months and months * 365 // 12 == days:
            return months_text(months, self.language)
        return days_text(days, self.language)

    # The owner's inputs
    @property
    def hosting_country(self) -> str:
        return self.inputs.hosting_country or ""

    def country_name(self, code: str) -> str:
        return self.t["countries"].get(code, self.t["unknown_country"])

    @property
    def hosting_place(self) -> str:
        parts = [self.inputs.hosting_city, self.country_name(self.hosting_country)]
        return ", ".join(part for part in parts if part)

    @property
    def forms(self) -> list[dict[str, Any]]:
        return list(self.inputs.forms or [])

    def form_fields(self, form: dict[str, Any]) -> str:
        return ", ".join(self.t["fields"].get(key, key) for key in form.get("fields", []))

    def form_purpose(self, form: dict[str, Any]) -> str:
        return self.t["purposes"].get(form.get("purpose", ""), "")

    def form_term(self, form: dict[str, Any]) -> str:
        return months_text(int(form.get("storage_months") or 0), self.language)

    def operator_items(self) -> list[str]:
        t, site = self.t, self.site
        pairs = [
            ("label_name", site.legal_name),
            ("label_bin", site.bin),
            ("label_address", site.address),
            ("label_email", site.contact_email),
            ("label_phone", self.inputs.contact_phone),
        ]
        return [f"{t[label]}: {value}" for label, value in pairs if value]

    def cross_border(self) -> tuple[list[str], list[str]]:
        """The countries other than Kazakhstan that visitors' data go to: those of the
        optional services (after consent), and those of the necessary ones (without)."""
        optional = _unique(
            s.country for s in self.services if s.abroad and s.category != "necessary"
        )
        necessary = _unique(
            s.country for s in self.services if s.abroad and s.category == "necessary"
        )
        return optional, necessary


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def _fill(text: str, **values: Any) -> str:
    return text.format(**values)


def _operator_section(f: _Facts, title: str) -> Section:
    return Section(title, [Paragraph(f.t["operator_intro"]), Items(f.operator_items())])


def _policy(f: _Facts) -> Document:
    t = f.t
    sections = []
    general = _operator_section(f, t["general"])
    general.blocks.insert(0, Paragraph(_fill(t["general_intro"], site=f.site_name, law=t["law"])))
    sections.append(general)
    sections.append(Section(t["terms"], [Items(list(t["terms_items"]))]))

    # What is collected and why (Art. 7, 8 §4, 12 §1)
    data = Section(t["data"], [Paragraph(t["data_record"])])
    optional = [s for s in f.services if s.category != "necessary"]
    necessary = [s for s in f.services if s.category == "necessary"]

    def item(s: ServiceFacts) -> str:
        country = s.country or t["unknown_country"]
        return _fill(
            t["service_item"], name=s.name, provider=s.provider, country=country,
            purpose=s.purpose.rstrip("."),
        )  # fmt: skip

    if optional:
        data.blocks += [Paragraph(t["data_services"]), Items([item(s) for s in optional])]
    if necessary:
        data.blocks += [Paragraph(t["data_necessary"]), Items([item(s) for s in necessary])]
    if not f.services:
        data.blocks.append(Paragraph(t["no_services"]))
    if f.webvisor:
        data.blocks.append(Paragraph(t["webvisor"]))
    if f.forms:
        data.blocks.append(Paragraph(t["data_forms"]))
        data.blocks.append(Items([_form_item(f, form) for form in f.forms]))
    sections.append(data)

    # Consent and its withdrawal (Art. 7, 8)
    consent = Section(t["consent"], [Paragraph(t["consent_basis"])])
    consent.blocks.append(Paragraph(_fill(t["consent_term"], term=f.consent_term)))
    if f.forms:
        consent.blocks.append(Paragraph(t["consent_forms"]))
    sections.append(consent)
    withdraw = Section(t["withdraw"], [Paragraph(t["withdraw_how"])])
    if f.site.contact_email:
        withdraw.blocks.append(Paragraph(_email_sentence(f, "withdraw_email", None)))
    withdraw.blocks.append(Paragraph(t["withdraw_limits"]))
    sections.append(withdraw)

    # Third parties and cross-border transfer (Art. 8 §4, 16)
    third = Section(t["third"])
    if f.services:
        third.blocks.append(Paragraph(t["third_intro"]))
        rows = [
            [s.name, s.provider, s.country or t["unknown_country"], t["categories"][s.category]]
            for s in f.services
        ]
        third.blocks.append(Table(list(t["third_headers"]), rows))
    else:
        third.blocks.append(Paragraph(t["no_third"]))
    abroad_optional, abroad_necessary = f.cross_border()
    if abroad_optional:
        countries = ", ".join(abroad_optional)
        third.blocks.append(Paragraph(_fill(t["cross_border_consent"], countries=countries)))
    if abroad_necessary:
        countries = ", ".join(abroad_necessary)
        third.blocks.append(Paragraph(_fill(t["cross_border_necessary"], countries=countries)))
    hosted_abroad = f.hosting_country not in ("", HOME)
    if hosted_abroad:
        country = f.country_name(f.hosting_country)
        third.blocks.append(Paragraph(_fill(t["cross_border_hosting"], country=country)))
    if not (abroad_optional or abroad_necessary or hosted_abroad):
        third.blocks.append(Paragraph(t["no_cross_border"]))
    sections.append(third)

    # Storage (Art. 12)
    storage = Section(t["storage"])
    where = ", ".join(part for part in (f.inputs.hosting_provider, f.hosting_place) if part)
    if f.hosting_country == HOME:
        storage.blocks.append(Paragraph(_fill(t["storage_kz"], where=where)))
    elif hosted_abroad:
        storage.blocks.append(Paragraph(_fill(t["storage_abroad"], where=where)))
    retention = months_text(f.site.retention_months, f.language)
    storage.blocks.append(Paragraph(_fill(t["storage_records"], term=retention)))
    if f.forms:
        storage.blocks.append(Paragraph(_fill(t["storage_forms"], section=t["data"])))
    storage.blocks.append(Paragraph(t["storage_cookies"]))
    sections.append(storage)

    # Protection (Art. 22)
    measures = [t["measures"][key] for key in f.inputs.measures or [] if key in t["measures"]]
    if measures:
        measures[-1] = measures[-1].rstrip(";") + "."
        sections.append(
            Section(t["protection"], [Paragraph(t["protection_intro"]), Items(measures)])
        )
    else:
        sections.append(Section(t["protection"], [Paragraph(t["protection_plain"])]))

    # Rights and requests (Art. 24)
    sections.append(
        Section(t["rights"], [Paragraph(t["rights_intro"]), Items(list(t["rights_items"]))])
    )
    sections.append(Section(t["requests"], _request_blocks(f)))
    sections.append(Section(t["changes"], [Paragraph(t["changes_text"])]))

    # The owner's own sections in this language
    for extra in f.inputs.extra_sections or []:
        if extra.get("language") == f.language and extra.get("title"):
            paragraphs = [p.strip() for p in str(extra.get("text", "")).split("\n\n")]
            sections.append(Section(extra["title"], [Paragraph(p) for p in paragraphs if p]))
    return Document("privacy-policy", f.language, t["policy_title"], [], sections)


def _form_item(f: _Facts, form: dict[str, Any]) -> str:
    return _fill(
        f.t["form_item"], name=form.get("name", ""), fields=f.form_fields(form),
        purpose=f.form_purpose(form), term=f.form_term(form),
    )  # fmt: skip


def _email_sentence(f: _Facts, key: str, plain: str | None) -> str:
    subject = f.inputs.request_subject
    if not subject and plain:
        return _fill(f.t[plain], email=f.site.contact_email)
    subject = subject or f.t["withdraw"]
    return _fill(f.t[key], email=f.site.contact_email, subject=subject)


def _request_blocks(f: _Facts) -> list[Block]:
    t = f.t
    blocks: list[Block] = []
    if f.site.contact_email:
        blocks.append(Paragraph(_email_sentence(f, "requests_email", "requests_email_plain")))
    if f.site.address:
        blocks.append(Paragraph(_fill(t["requests_post"], address=f.site.address)))
    if f.inputs.contact_phone:
        blocks.append(Paragraph(_fill(t["requests_phone"], phone=f.inputs.contact_phone)))
    if f.inputs.request_days:
        days = working_days_text(f.inputs.request_days, f.language)
        blocks.append(Paragraph(_fill(t["requests_days"], days=days)))
    return blocks


def _consent(f: _Facts) -> Document:
    """The consent a form's sender gives (Art. 8 §4: operator, data, term, third parties,
    cross-border transfer, dissemination, withdrawal)."""
    t = f.t
    intro = [Paragraph(_fill(t["c_intro"], site=f.site_name))]
    sections = [Section(t["c_operator"], [Items(f.operator_items())])]
    if not f.forms:
        sections.append(Section(t["c_data"], [Paragraph(t["c_no_forms"])]))
        return Document("consent", f.language, t["consent_title"], intro, sections)
    rows = [
        [form.get("name", ""), f.form_fields(form), f.form_purpose(form), f.form_term(form)]
        for form in f.forms
    ]
    data = Section(t["c_data"], [Table(list(t["c_headers"]), rows)])
    if f.webvisor:
        data.blocks.append(Paragraph(t["c_webvisor"]))
    sections.append(data)
    sections.append(Section(t["c_term"], [Paragraph(t["c_term_text"])]))

    third = Section(t["c_third"])
    private = [form.get("name", "") for form in f.forms if not form.get("recipients")]
    for form in f.forms:
        if form.get("recipients"):
            text = _fill(t["c_recipients"], name=form["name"], recipients=form["recipients"])
            third.blocks.append(Paragraph(text))
    if private:
        names = ("”, “" if f.language == "en" else "», «").join(private)
        key = "c_no_recipients_one" if len(private) == 1 else "c_no_recipients"
        third.blocks.append(Paragraph(_fill(t[key], names=names)))
    if f.inputs.hosting_provider:
        provider = f.inputs.hosting_provider
        third.blocks.append(Paragraph(_fill(t["c_hosting"], provider=provider)))
    third.blocks.append(Paragraph(t["c_public"]))
    sections.append(third)

    if f.hosting_country == HOME:
        sections.append(Section(t["c_cross"], [Paragraph(t["c_cross_none"])]))
    elif f.hosting_country:
        country = f.country_name(f.hosting_country)
        cross = Paragraph(_fill(t["c_cross_hosting"], country=country))
        sections.append(Section(t["c_cross"], [cross]))
    withdraw = Section(t["c_withdraw"])
    if f.site.contact_email:
        withdraw.blocks.append(Paragraph(_email_sentence(f, "c_withdraw_email", None)))
    withdraw.blocks.append(Paragraph(t["withdraw_limits"]))
    sections.append(withdraw)
    return Document("consent", f.language, t["consent_title"], intro, sections)


def _cookies(f: _Facts) -> Document:
    """Every cookie and storage key of the site by category: Kelisim's own, its services'
    and those of known trackers found on its pages."""
    t = f.t
    intro = [Paragraph(_fill(t["k_intro"], site=f.site_name))]
    own_country = f.country_name(f.hosting_country) if f.hosting_country else t["k_none"]
    own = f.site.legal_name or f.site.name
    rows: dict[str, list[list[str]]] = {category: [] for category in CATEGORIES}
    for name, purpose, term in OWN_COOKIES:
        lifetime = f.consent_term if term is None else t[term]
        rows["necessary"].append(
            [name, f"{t['k_consent_tool']} ({own})", t[purpose], lifetime, own_country]
        )
    for s in [*f.services, *f.found]:
        purpose = f"{s.purpose} {t['k_found']}" if s.found else s.purpose
        who = f"{s.name} ({s.provider})" if s.provider else s.name
        country = s.country or t["unknown_country"]
        for cookie in s.cookies or [t["k_none"]]:
            rows[s.category].append([cookie, who, purpose, s.term, country])
    sections = []
    for category in CATEGORIES:
        if not rows[category]:
            continue
        blocks: list[Block] = [Paragraph(t["category_texts"][category])]
        blocks.append(Table(list(t["k_headers"]), rows[category]))
        if any(s.webvisor and s.category == category for s in f.services):
            blocks.append(Paragraph(t["webvisor"]))
        sections.append(Section(t["categories"][category], blocks))
    sections.append(Section(t["k_change"], [Paragraph(t["k_change_text"])]))
    sections.append(Section(t["c_operator"], [Items(f.operator_items())]))
    return Document("cookies", f.language, t["cookies_title"], intro, sections)
