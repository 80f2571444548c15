"""The versions, install, receipts and audit pages run a fixed number of queries, however
many versions, events or entries a site has."""

import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import AuditEntry, RefusedOrigin
from backend.services.stats import local_day
from tests.conftest import post_events
from tests.dashboard.conftest import csrf_token
from tests.factories import make_event, make_service

VISITOR = str(uuid.UUID(int=7))


@contextmanager
def counted():
    """Count the SQL statements run inside the block."""
    statements = []

    def count(*args) -> None:
        statements.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def grow(site, client, people, numbers: range) -> None:
    """Give the site more of everything the pages list: versions, policies, events on
    several versions, refused hosts, audit entries, services."""
    today = local_day(datetime.now(UTC), site.timezone)
    for n in numbers:
        site.consent_days = 100 + n
        site.publish_policy(requires_consent=False, note=f"Правка {n}")
        author = people[("editor", "viewer")[n % 2]]
        db.session.add(
            AuditEntry(site_id=site.id, user=author, action="site.update", details={"n": n})
        )
        db.session.add(RefusedOrigin(site_id=site.id, day=today, host=f"h{n}.kz", count=1))
        make_service(site, "custom", slug=f"custom{n}", options={"src": "https://cdn.kz/x.js"})
        db.session.commit()
        post_events(
            client, make_event(site, consent_id=VISITOR, banner_version=site.config_version)
        )


PAGES = [
    ("GET", "/dashboard/sites/{site}/versions"),
    ("GET", "/dashboard/sites/{site}/install"),
    ("GET", "/dashboard/sites/{site}/audit"),
    ("POST", "/dashboard/sites/{site}/receipts"),
]


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_a_page_runs_as_many_queries_for_a_big_site_as_for_a_small_one(
    client, signed_in, people, method, url
):
    site = people["site"]
    site.domains = ["example.kz"]
    db.session.commit()
    owner = signed_in("owner")
    token = csrf_token(owner, "/dashboard/")
    address = url.format(site=site.public_key)

    def run() -> int:
        with counted() as statements:
            response = owner.open(
                address, method=method, data={"consent_id": VISITOR, "csrf_token": token}
            )
        assert response.status_code == 200
        return len(statements)

    grow(site, client, people, range(1))
    small = run()
    grow(site, client, people, range(1, 7))
    assert run() == small
