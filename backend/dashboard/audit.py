"""The audit log of a site: who changed what, and when (owners only)."""

import json
from typing import Any

import sqlalchemy as sa
from flask import g, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from backend.dashboard import bp
from backend.dashboard.access import least_role
from backend.extensions import db
from backend.labels import AUDIT_ACTION_NAMES
from backend.models import AuditEntry, Role
from backend.routing import page_number

ENTRIES_PER_PAGE = 50
# Names of recorded details and fields as owners read them; others are shown as recorded.
DETAIL_NAMES = {
    "version": _l("version"),
    "requires_consent": _l("requires new consent"),
    "note": _l("note"),
}


def show_value(value: Any) -> str:
    """A recorded value as plain text: lists joined, yes/no, a dash for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list) and all(isinstance(item, str | int) for item in value):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def detail_name(name: str) -> str:
    return str(DETAIL_NAMES.get(name, name))


def describe(details: dict[str, Any]) -> list[str]:
    """An entry's details as lines: "field: old → new" for changed fields, "name: value"
    for the rest (see backend/services/audit.record_change)."""
    lines = []
    for name, value in details.items():
        if name == "fields" and isinstance(value, dict):
            lines += [
                f"{detail_name(field)}: {show_value(change[0])} → {show_value(change[1])}"
                if isinstance(change, list) and len(change) == 2
                else f"{detail_name(field)}: {show_value(change)}"
                for field, change in value.items()
            ]
        else:
            lines.append(f"{detail_name(name)}: {show_value(value)}")
    return lines


@bp.get("/sites/<site_key>/audit")
@least_role(Role.OWNER)
def audit():
    """The site's audit log, newest first, 50 entries a page."""
    entries = db.paginate(
        sa.select(AuditEntry)
        .where(AuditEntry.site_id == g.site.id)
        .options(selectinload(AuditEntry.user))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()),
        per_page=ENTRIES_PER_PAGE,
        page=page_number(),
        error_out=False,
    )
    return render_template(
        "dashboard/audit.html",
        entries=entries,
        action_names=AUDIT_ACTION_NAMES,
        describe=describe,
    )
