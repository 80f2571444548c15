"""The audit log of a site: who changed what, and when (owners only)."""

import sqlalchemy as sa
from flask import g, render_template
from sqlalchemy.orm import selectinload

from backend.dashboard import bp
from backend.dashboard.access import least_role
from backend.dashboard.audit_details import describe
from backend.extensions import db
from backend.labels import AUDIT_ACTION_NAMES
from backend.models import AuditEntry, Role
from backend.routing import page_number

ENTRIES_PER_PAGE = 50


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
