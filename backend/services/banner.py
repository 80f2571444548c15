"""The rules for a site's banner: its texts per language (stored only where they differ
from the defaults), its look, whose colours must stay readable, and its behaviour."""

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from backend.banner_texts import texts_for
from backend.models import Site, User
from backend.services import InvalidInput
from backend.services.audit import changed_fields, record_change
from backend.services.colours import WHITE, contrast, theme
from backend.services.publishing import public_config, shown_appearance, texts_hash
from backend.site_rules import ACCENT_PATTERN, POSITIONS

PLACEHOLDER = re.compile(r"%\(\w+\)s")


@dataclass
class BannerChange:
    """The banner as an editor left the form: texts as typed (blank: the default)."""

    texts: dict[str, dict[str, str]]
    position: str
    accent: str
    floating_button: bool
    respect_dnt: bool


def accent_problem(accent: str) -> str | None:
    """Why the banner could not use ``accent`` readably, or None.

    The banner puts black or white text on the accent and uses it for links on white
    (colours.theme picks both for 4.5:1); it also draws the outlines of the "Reject all"
    and "Settings" buttons and the toggles in it, on white, which need 3:1 (WCAG 1.4.11)."""
    colours = theme(accent)
    checks = (
        (contrast(accent, colours["on_accent"]), 4.5, _("text on buttons of this colour")),
        (contrast(colours["link"], WHITE), 4.5, _("links")),
        (contrast(accent, WHITE), 3.0, _("button outlines and toggles on the white banner")),
    )
    for ratio, needed, what in checks:
        if ratio < needed:
            return _(
                "This colour is too light: %(what)s would reach only %(ratio).1f:1 against "
                "at least %(needed).1f:1 that people with low vision need. Pick a darker shade.",
                what=what,
                ratio=ratio,
                needed=needed,
            )
    return None


def text_overrides(texts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Only the texts that differ from the defaults, per language; the defaults' placeholders
    (%(days)s and the like) must stay in an owner's text."""
    overrides: dict[str, dict[str, str]] = {}
    errors = {}
    for lang, given in texts.items():
        defaults = texts_for(lang)
        for key, value in given.items():
            value = (value or "").strip()
            if key not in defaults or not value or value == defaults[key]:
                continue
            missing = set(PLACEHOLDER.findall(defaults[key])) - set(PLACEHOLDER.findall(value))
            if missing:
                errors[f"{lang}.{key}"] = _(
                    "Keep %(placeholders)s in the text: the banner puts the value there.",
                    placeholders=", ".join(sorted(missing)),
                )
            overrides.setdefault(lang, {})[key] = value
    if errors:
        raise InvalidInput(_("The banner was not saved."), fields=errors)
    return overrides


def appearance(site: Site, change: BannerChange) -> dict[str, Any]:
    """The site's appearance with the change applied (keys this form does not edit kept)."""
    if change.position not in POSITIONS or not re.fullmatch(ACCENT_PATTERN, change.accent):
        raise InvalidInput(_("The banner was not saved."))
    problem = accent_problem(change.accent)
    if problem:
        raise InvalidInput(_("The banner was not saved."), fields={"accent": problem})
    wanted = {
        "position": change.position,
        "accent": change.accent.lower(),
        "floating_button": change.floating_button,
    }
    # A value the banner already shows is left as stored (or not stored: the default), so
    # that saving the form's defaults back is no change, published or noted.
    shown = shown_appearance(site.appearance)
    look = dict(site.appearance)
    look.update({key: value for key, value in wanted.items() if value != shown[key]})
    return look


def update_banner(session: Session, site: Site, user: User | None, change: BannerChange) -> None:
    """Save the banner's texts, look and behaviour, and note old and new in the audit log."""
    overrides = text_overrides(change.texts)
    look = appearance(site, change)
    # Texts of languages the form did not show (the site stopped offering them) are kept.
    texts = {lang: t for lang, t in site.texts.items() if lang not in change.texts}
    texts.update(overrides)
    before = {"appearance": site.appearance, "respect_dnt": site.respect_dnt}
    after = {"appearance": look, "respect_dnt": change.respect_dnt}
    changed_texts = _text_changes(site.texts, texts)
    changed = changed_fields(before, after)
    if not changed_texts and not changed:
        return
    site.texts = texts
    site.appearance = look
    site.respect_dnt = change.respect_dnt
    record_change(session, site, user, "banner.update", texts=changed_texts, fields=changed)


def _text_changes(
    old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]
) -> dict[str, dict[str, list[str | None]]]:
    """{language: {key: [old, new]}} for each text that changed (None: the default)."""
    changes = {}
    for lang in old.keys() | new.keys():
        before, after = old.get(lang) or {}, new.get(lang) or {}
        fields = {
            key: [before.get(key), after.get(key)]
            for key in sorted(before.keys() | after.keys())
            if before.get(key) != after.get(key)
        }
        if fields:
            changes[lang] = fields
    return changes


def draft_config(site: Site, base_url: str, change: BannerChange) -> dict[str, Any]:
    """The site's public config as it would be with ``change`` saved; nothing is written."""
    overrides = text_overrides(change.texts)
    config = public_config(site, base_url)
    texts = {lang: texts_for(lang, overrides.get(lang)) for lang in site.languages}
    config["texts"] = texts
    config["texts_hash"] = {lang: texts_hash(t) for lang, t in texts.items()}
    config["appearance"] = appearance(site, change)
    config["respect_dnt"] = change.respect_dnt
    return config
