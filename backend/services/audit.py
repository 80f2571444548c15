"""The audit log: who changed what on a site, and when."""

from typing import Any

from sqlalchemy.orm import Session

from backend.models import AuditEntry, Site, User


def record_change(
    session: Session, site: Site, user: User | None, action: str, **details: Any
) -> AuditEntry:
    """Note a change to ``site`` by ``user`` (None: the command line or the system).

    ``action`` is a dotted name ("site.update", "service.add", "member.invite"); ``details``
    say what changed, e.g. {"fields": {"name": ["old", "new"]}}. Never pass visitors' data."""
    entry = AuditEntry(site=site, user=user, action=action, details=details)
    session.add(entry)
    return entry


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }
