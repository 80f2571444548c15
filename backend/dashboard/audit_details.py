"""An audit entry's details as lines in the reader's language.

Each recorded field is named by the label its form gives it (labels.py for the few that no
form has); values read as people read them: yes or no, languages, roles and categories by
name, lists joined, a dash for nothing. A change of a nested value (a banner text, a
tracker's options, the policy addresses) is one line per part that changed, e.g.
"Banner text (Kazakh) · Title: old → new". What the code once recorded and no longer knows
is shown as recorded rather than dropped."""

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from flask_babel import gettext as _
from wtforms.fields.core import UnboundField

from backend.dashboard.banner_forms import TEXT_LABELS, BannerForm
from backend.dashboard.document_forms import DocumentInputsForm
from backend.dashboard.member_forms import InviteForm
from backend.dashboard.site_forms import PolicyUrlsForm, SiteSettingsForm
from backend.dashboard.token_forms import TokenForm
from backend.dashboard.tracker_forms import ID_LABELS, INFO_LABELS, TrackerForm
from backend.labels import (
    AUDIT_DETAIL_NAMES,
    CATEGORY_NAMES,
    LANGUAGE_IN_BRACKETS,
    LANGUAGE_NAMES,
    ROLE_NAMES,
)
from backend.models import Role
from backend.service_catalog import EMBED, KINDS

SEPARATOR = " · "
ROLES = {role.value: role for role in Role}


@cache
def form_labels(form_class: type) -> dict[str, Any]:
    """The label of each field a form class declares, by the field's name (lazy strings,
    so one look per process serves every language)."""
    labels = {}
    for name in dir(form_class):
        field = getattr(form_class, name)
        if not isinstance(field, UnboundField):
            continue
        # The first argument, or a keyword (a FormField's first argument is its form).
        label = field.kwargs.get("label") or (field.args[0] if field.args else None)
        if label is not None:
            labels[name] = label
    return labels


def choice_labels(field: UnboundField) -> dict[str, Any]:
    return {choice.value: choice.label for choice in field.kwargs["choices"]}


def _field_names() -> dict[str, Any]:
    names = {}
    for form_class in (InviteForm, TrackerForm, BannerForm, SiteSettingsForm, DocumentInputsForm):
        names |= form_labels(form_class)
    return (
        names
        | ID_LABELS
        | AUDIT_DETAIL_NAMES
        | {
            "webvisor": _("Webvisor (session recording), as the visitor allows"),
            "consent_mode": _("Google Consent Mode"),
            "managed": _("Loaded by"),
        }
    )


def _value_names() -> dict[str, Callable[[Any], Any]]:
    """How the values of some fields are named (the rest: _plain)."""
    positions = choice_labels(BannerForm.position)
    modes = {"basic": _("Basic: the tag loads only after consent")} | {
        "advanced": _("Advanced: the tag loads at once and sends cookieless pings")
    }
    return {
        "languages": lambda codes: [LANGUAGE_NAMES.get(code, code) for code in codes],
        "default_language": lambda code: LANGUAGE_NAMES.get(code, code),
        "category": lambda value: CATEGORY_NAMES.get(value, value),
        "role": lambda value: ROLE_NAMES.get(ROLES.get(value), value),
        "position": lambda value: positions.get(value, value),
        "consent_mode": lambda value: modes.get(value, value),
        "kind": lambda kind: (KINDS[kind].name or _("Custom script")) if kind in KINDS else kind,
        "managed": lambda managed: _("Managed") if managed else _("Held"),
    }


def _plain(value: Any) -> str:
    """A value as plain text: yes/no, lists joined, a dash for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dict):  # one this module does not know: still no braces
        return "; ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    return str(value)


class Describer:
    """Turns one entry's details into lines; made per request, in the reader's language."""

    def __init__(self, action: str) -> None:
        self.names = _field_names()
        if action.startswith(("token.", "shared_link.")):
            self.names["name"] = form_labels(TokenForm)["name"]
        self.values = _value_names()

    def label(self, name: str, names: Mapping[str, Any] | None = None) -> str:
        return str((names or self.names).get(name, name))

    def show(self, name: str, value: Any) -> str:
        if value is not None and name in self.values:
            value = self.values[name](value)
        return _plain(value)

    def value_lines(self, name: str, value: Any, prefix: str = "") -> list[str]:
        """What a value was or is, one line per part when it has parts."""
        if isinstance(value, dict) and value and self.parts(name) is not None:
            return self.change_lines(name, {}, value, prefix, changed_only=False)
        return [f"{prefix}{self.label(name)}: {self.show(name, value)}"]

    def change_lines(
        self,
        name: str,
        old: Any,
        new: Any,
        prefix: str = "",
        changed_only: bool = True,
        names: Mapping[str, Any] | None = None,
    ) -> list[str]:
        """A change as a line "field: old → new", or one such line per part that changed
        when the value has parts."""
        label = self.label(name, names)
        sub = self.parts(name)
        if sub is None or not isinstance(old, dict | None) or not isinstance(new, dict | None):
            return [f"{prefix}{label}: {self.show(name, old)} → {self.show(name, new)}"]
        old, new = old or {}, new or {}
        inner_prefix, inner_names, heading = sub
        lines = []
        for key in [*old, *(key for key in new if key not in old)]:
            if changed_only and old.get(key) == new.get(key):
                continue
            head = prefix + (heading(key) + SEPARATOR if heading else inner_prefix)
            if changed_only or isinstance(old.get(key) or new.get(key), dict):
                lines += self.change_lines(
                    key, old.get(key), new.get(key), head, changed_only, inner_names
                )
            else:  # what a new thing holds
                label = self.label(key, inner_names)
                lines.append(f"{head}{label}: {self.show(key, new.get(key))}")
        return lines

    def parts(self, name: str):
        """(prefix, names of the parts, a heading per key or None) of a value with parts,
        or None for a value this module does not know."""
        if name in ("appearance", "options"):  # their parts are fields in their own right
            return "", self.names, None
        if name == "policy_urls":
            return f"{self.label(name)}{SEPARATOR}", form_labels(PolicyUrlsForm), None
        if name in ("info", "texts"):  # {language: {key: text}}
            return "", None, self.text_heading
        if name in LANGUAGE_IN_BRACKETS:  # a tracker's facts in one language
            return "", INFO_LABELS, None
        return None

    @staticmethod
    def text_heading(language: str) -> str:
        return _(
            "Banner text (%(language)s)",
            language=LANGUAGE_IN_BRACKETS.get(language, language),
        )


def describe(action: str, details: dict[str, Any]) -> list[str]:
    """An entry's details as lines: "field: old → new" for changed fields, "field: value"
    for the rest (see backend/services/audit.record_change)."""
    describer = Describer(action)
    kind = KINDS.get(details.get("kind")) if isinstance(details.get("kind"), str) else None
    if kind is not None and kind.type == EMBED:
        # Embedded content: named as such; Kelisim never loads it and it has no options of
        # its own, so "loaded by" and empty options would say nothing.
        describer.names["kind"] = _("Embedded content")
        details = {
            name: value
            for name, value in details.items()
            if name != "managed" and not (name == "options" and not value)
        }
    lines = []
    for name, value in details.items():
        if name == "fields" and isinstance(value, dict):
            for field, change in value.items():
                if isinstance(change, list) and len(change) == 2:
                    lines += describer.change_lines(field, *change)
                else:
                    lines += describer.value_lines(field, change)
        elif name == "texts" and isinstance(value, dict):
            for language, texts in value.items():
                heading = describer.text_heading(language) + SEPARATOR
                for key, change in (texts or {}).items():
                    # None: the default text, which the owner had not changed or changed back to.
                    old, new = (
                        _("default text") if text is None else text
                        for text in (change if isinstance(change, list) else (None, change))
                    )
                    lines += describer.change_lines(key, old, new, heading, names=TEXT_LABELS)
        elif name == "role" and isinstance(value, list) and len(value) == 2:
            lines += describer.change_lines(name, *value)
        else:
            lines += describer.value_lines(name, value)
    return lines
