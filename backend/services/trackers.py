"""The rules for a site's trackers: adding, changing and removing them, with the facts the
banner shows about each kept as the owner's differences from the catalog."""

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from backend.models import Role, Service, Site, User
from backend.service_catalog import EMBED, INFO_FIELDS, KINDS, describe
from backend.services import InvalidInput
from backend.services.audit import changed_fields, record_change
from backend.services.members import membership_of
from backend.services.sites import add_service

# The name pages use in data-consent="…"; a dot is kept for sub-choices ("<id>.webvisor").
SLUG_PATTERN = r"[a-z0-9_-]{1,64}"
LEGACY_VK_PIXEL = re.compile(r"VK-RTRG-")
# What runs before any choice and after "Reject all". It holds only what the site cannot
# work without (a sign-in, a basket, a payment form): a catalog tracker, which measures or
# advertises, never; a custom script only when an owner puts it there, and the audit log
# names it (NECESSARY_SCRIPT).
NECESSARY = "necessary"
NECESSARY_SCRIPT = "service.necessary"


@dataclass
class TrackerChange:
    """What an editor asks for: a tracker as the form describes it."""

    kind: str
    slug: str
    category: str
    managed: bool
    # The vendor's ID (or a custom script's URL) first, then the kind's other options.
    options: dict[str, Any]
    # {language: {field: text}} for the languages the site speaks, as the owner left them.
    info: dict[str, dict[str, str]] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)


def vendor_id(kind: str, options: dict[str, Any]) -> str:
    """The service's ID at its vendor (a custom script's URL); "" for a kind that has none
    (an embed: the loader knows its provider's URLs from the catalog)."""
    fields = KINDS[kind].option_fields
    return str(options.get(fields[0]) or "") if fields else ""


def is_embed(kind: str) -> bool:
    """Whether services of ``kind`` are embedded content (videos, maps, posts, forms)."""
    return KINDS[kind].type == EMBED


def catalog_info(kind: str, languages: list[str]) -> dict[str, dict[str, Any]]:
    """The catalog's facts about a kind in each language, as a form starts from them."""
    return {lang: describe(kind, lang) for lang in languages}


def save_tracker(
    session: Session, site: Site, user: User | None, change: TrackerChange, service: Service | None
) -> Service:
    """Add a tracker (``service`` None) or change one, and note it in the audit log.

    Only what differs from the catalog is stored, so that a better catalog text still
    reaches every service whose owner left it alone."""
    kind = KINDS.get(change.kind)
    if kind is None:
        raise InvalidInput(_("Unknown kind of tracker."))
    _check(site, change, service)
    options = dict(change.options)
    overrides = {}
    for lang, described in catalog_info(change.kind, site.languages).items():
        given = change.info.get(lang) or {}
        ours = {
            key: given[key].strip()
            for key in INFO_FIELDS
            if given.get(key, "").strip() and given[key].strip() != described[key]
        }
        if ours:
            overrides[lang] = ours
    if overrides:
        options["info"] = overrides
    if list(change.cookies) != list(kind.cookies):
        options["cookies"] = list(change.cookies)
    values = {
        "slug": change.slug,
        "category": change.category,
        "managed": change.managed,
        "options": options,
    }
    before = {name: getattr(service, name) for name in values} if service else None
    necessary_script = _check_necessary(session, site, user, change, before, values)
    if service is None:
        service = add_service(site, change.kind, **values)
        record_change(session, site, user, "service.add", kind=change.kind, **values)
    else:
        for name, value in values.items():
            setattr(service, name, value)
        changed = changed_fields(before, values)
        if changed:
            record_change(session, site, user, "service.update", slug=service.slug, fields=changed)
    if necessary_script:
        record_change(
            session,
            site,
            user,
            NECESSARY_SCRIPT,
            slug=change.slug,
            src=vendor_id("custom", options),
        )
    return service


def remove_tracker(session: Session, site: Site, user: User | None, service: Service) -> None:
    """Take a tracker off the site; the widget stops loading and listing it."""
    record_change(
        session,
        site,
        user,
        "service.remove",
        slug=service.slug,
        kind=service.kind,
        managed=service.managed,
        options=dict(service.options),
    )
    site.services.remove(service)


def _check_necessary(
    session: Session,
    site: Site,
    user: User | None,
    change: TrackerChange,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> bool:
    """Keep the necessary category to what runs without consent by right (NECESSARY).

    An editor may take a custom script out of it or remove it, but not put one there nor
    change one that is there (its URL could then be any script): both are refused with the
    form's other errors (InvalidInput, 422 in the dashboard), not as a forbidden page, since
    the editor may use the form and only this value of it is an owner's. What an owner puts
    there, or changes there, is noted in the audit log by its own action: True when so."""
    if change.category != NECESSARY:
        return False
    if is_embed(change.kind):
        raise InvalidInput(
            _("The embedded content was not saved."),
            fields={
                "category": _(
                    "Embedded content sends visitors' data to its provider as soon as it "
                    "loads: it is never necessary, visitors must agree to it first. Choose "
                    "another category."
                )
            },
        )
    if change.kind != "custom":
        raise InvalidInput(
            _("The tracker was not saved."),
            fields={
                "category": _(
                    "A tracker from the catalog measures visits or shows ads: it is never "
                    "necessary, visitors must agree to it first. Choose another category."
                )
            },
        )
    if before == after:
        return False  # saved again unchanged: nothing new runs
    if user is not None:  # None: the command line, the server's own operator
        membership = membership_of(session, site, user)
        if membership is None or membership.role != Role.OWNER:
            raise InvalidInput(
                _("The tracker was not saved."),
                fields={
                    "category": _(
                        "Only an owner of the site can put a custom script in Necessary or "
                        "change one that is there: it runs on every visitor's page without "
                        "consent. Choose another category, or ask an owner."
                    )
                },
            )
    return True


def _check(site: Site, change: TrackerChange, service: Service | None) -> None:
    """Refuse what would make two services of one name, one tracker counted twice, or two
    services of one embed provider."""
    kind = KINDS[change.kind]
    errors = {}
    if not re.fullmatch(SLUG_PATTERN, change.slug):
        errors["slug"] = _("Use lower-case Latin letters, digits, _ and -, at most 64.")
    others = [s for s in site.services if s is not service]
    if any(s.slug == change.slug for s in others):
        errors["slug"] = _("Another service of this site already has this name.")
    if kind.type == EMBED:
        # The widget gives every frame and script of the provider to the site's service of
        # its kind (its slug is their consent key): a second one would never be asked for.
        if change.managed:
            errors["managed"] = _(
                "Kelisim never loads embedded content itself: the provider's code stays on "
                "your pages."
            )
        if any(s.kind == change.kind for s in others):
            errors["kind"] = _(
                "This site already has this provider: change the one it has instead."
            )
        if errors:
            raise InvalidInput(_("The embedded content was not saved."), fields=errors)
        return
    wanted = vendor_id(change.kind, change.options)
    if any(s.kind == change.kind and vendor_id(s.kind, s.options) == wanted for s in others):
        errors["vendor_id"] = _(
            "This site already has this tracker: the same one twice would count every visit twice."
        )
    if change.managed and (not kind.can_manage or LEGACY_VK_PIXEL.match(wanted)):
        errors["managed"] = _(
            "Kelisim cannot load this tracker itself: keep its tag on your pages, held."
        )
    if errors:
        raise InvalidInput(_("The tracker was not saved."), fields=errors)
