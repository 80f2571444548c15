"""Every dashboard page runs a fixed number of queries, however many sites, trackers and
members there are (no N+1): the same count with one of each and with many."""

import contextlib

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import Membership, Role
from tests.dashboard.conftest import ROUTES
from tests.factories import make_service, make_site

GET_ROUTES = [(url, least) for method, url, least in ROUTES if method == "GET"]


@contextlib.contextmanager
def counted_queries():
    """Count the statements sent to the database meanwhile."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def grow(people, sites: int, trackers: int) -> None:
    """Give the owner more sites, and their site more trackers and members."""
    owner, site = people["owner"], people["site"]
    for _ in range(sites):
        other = make_site()
        db.session.add(Membership(user=owner, site=other, role=Role.OWNER))
        make_service(other, "yandex_metrica", options={"counter_id": "10000000"})
    kinds = ["yandex_metrica", "meta_pixel", "tiktok_pixel", "vk_pixel", "custom"]
    first = len(site.services)
    for n in range(first, first + trackers):
        make_service(
            site,
            kinds[n % len(kinds)],
            slug=f"tracker-{n}",
            options={"counter_id": str(20000000 + n), "pixel_id": str(30000000 + n)},
        )
    db.session.commit()


@pytest.mark.parametrize(("url", "least"), GET_ROUTES)
def test_a_page_runs_as_many_queries_for_many_sites_and_trackers_as_for_one(
    signed_in, people, url, least
):
    client = signed_in("owner")
    url = url.format(site=people["site"].public_key)
    grow(people, sites=1, trackers=1)
    client.get(url)  # warm: first-use work (catalog, snapshot) is not the page's
    with counted_queries() as few:
        assert client.get(url).status_code == 200
    grow(people, sites=10, trackers=10)
    with counted_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), "\n".join(many)
