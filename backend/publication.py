"""Publication: what a commit changed for a site's visitors is published, by one listener
on the database session that create_app registers.

Before the commit, every site the transaction touched (itself, a service, a policy) gets a
new banner version if its visitors would now see something else, or if its snapshot's own
columns moved (services/versions.publish_changes decides, comparing with the current
version: a rename publishes nothing). After the commit, the sites with a new config version
are handed to this process's publisher, which writes their files behind the request, and
served from memory meanwhile; a deleted site's files are removed.
"""

from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from backend.delivery import Delivery
from backend.delivery.snapshot import SNAPSHOT_COLUMNS
from backend.extensions import db
from backend.models import AuditEntry, PolicyVersion, Service, Site
from backend.services.versions import publish_changes

# session.info keys, each for one transaction: the sites touched (id → whether a snapshot
# column moved), who changed each (as the audit entry beside the change says), the sites
# with a new config version (key → version), and the sites deleted (keys).
TOUCHED = "kelisim.touched"
CHANGED_BY = "kelisim.changed_by"
PUBLISHED = "kelisim.published"
REMOVED = "kelisim.removed"


def _site_id(obj: Service | PolicyVersion) -> int | None:
    """The site of a service or policy, also when it was just taken out of the site."""
    history = sa.inspect(obj).attrs.site_id.history
    return obj.site_id or next(iter(history.deleted), None)


def _collect(session: Session, flush_context: Any) -> None:
    """Note what this flush changed (the history of each object is still there)."""
    info = session.info
    touched = info.setdefault(TOUCHED, {})
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Site):
            attrs = sa.inspect(obj).attrs
            if obj in session.deleted:
                info.setdefault(REMOVED, set()).add(obj.public_key)
                continue
            moved = obj in session.new or any(
                attrs[column].history.has_changes() for column in SNAPSHOT_COLUMNS
            )
            touched[obj.id] = touched.get(obj.id, False) or moved
            if obj in session.new or attrs.config_version.history.has_changes():
                info.setdefault(PUBLISHED, {})[obj.public_key] = obj.config_version
        elif isinstance(obj, Service | PolicyVersion):
            site_id = _site_id(obj)
            if site_id is not None:
                touched.setdefault(site_id, False)
        elif isinstance(obj, AuditEntry) and obj in session.new:
            info.setdefault(CHANGED_BY, {})[obj.site_id] = obj.user_id


def _publish_versions(session: Session) -> None:
    """A banner version for every touched site whose visitors would see a change."""
    session.flush()  # the commit's own flush comes after this hook
    touched = session.info.pop(TOUCHED, {})
    changed_by = session.info.pop(CHANGED_BY, {})
    for site_id, moved in sorted(touched.items()):
        site = session.get(Site, site_id)
        if site is not None:  # not deleted in the same transaction
            publish_changes(session, site, changed_by.get(site_id), moved)


def _hand_over(session: Session) -> None:
    """Serve the committed versions at once, and have their files written behind."""
    session.info.pop(TOUCHED, None)  # what the commit's own flush noted is published
    published = session.info.pop(PUBLISHED, {})
    removed = session.info.pop(REMOVED, set())
    if not (published or removed) or not has_app_context():
        return
    delivery: Delivery = current_app.extensions["kelisim.delivery"]
    for key, version in published.items():
        delivery.sites.committed(key, version)
        if delivery.publisher is not None:
            delivery.publisher.publish(key)
    for key in removed:
        delivery.sites.committed(key, 0)
        if delivery.files is not None:
            delivery.files.remove(key)


def _forget(session: Session, previous_transaction: Any) -> None:
    """What a rolled back transaction changed was never visible: nothing to publish."""
    if not previous_transaction.nested:
        for key in (TOUCHED, CHANGED_BY, PUBLISHED, REMOVED):
            session.info.pop(key, None)


LISTENERS = (
    ("after_flush", _collect),
    ("before_commit", _publish_versions),
    ("after_commit", _hand_over),
    ("after_soft_rollback", _forget),
)


def init_app(app: Flask) -> None:
    """Listen to the app's database session (once: every app shares its factory)."""
    for name, listener in LISTENERS:
        if not sa.event.contains(db.session, name, listener):
            sa.event.listen(db.session, name, listener)
