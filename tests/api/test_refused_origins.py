"""Events refused for their Origin are counted per site, local day and host, so the owner can
see them; the 403 stays, and nothing but the host is kept."""

from datetime import UTC, datetime

import sqlalchemy as sa

from backend.extensions import db
from backend.models import RefusedOrigin
from backend.services.diagnostics import MAX_HOSTS_PER_DAY, count_refused_origin
from backend.services.stats import local_day
from tests.conftest import post_events
from tests.factories import make_event


def counts(site) -> dict[tuple, int]:
    rows = db.session.scalars(sa.select(RefusedOrigin).where(RefusedOrigin.site_id == site.id))
    return {(row.day, row.host): row.count for row in rows}


def test_a_refused_event_adds_one_for_its_host_and_day(client, site):
    today = local_day(datetime.now(UTC), site.timezone)
    for _ in range(2):
        response = post_events(
            client,
            make_event(site),
            origin="https://mirror.example.net:8443",
            environ_base={"REMOTE_ADDR": "198.51.100.23"},
        )
        assert response.status_code == 403
        assert response.json["error"]["code"] == "origin_not_allowed"
    post_events(client, make_event(site), origin=None)
    post_events(client, make_event(site), origin="http://192.0.2.10:8080")
    post_events(client, make_event(site), origin="http://[2001:db8::1]")
    assert (
        post_events(client, make_event(site)).status_code == 202
    )  # the site's own page: not counted

    assert counts(site) == {(today, "mirror.example.net"): 2, (today, ""): 1, (today, "[ip]"): 2}
    stored = " ".join(
        str(v) for row in db.session.execute(sa.text("SELECT * FROM refused_origins")) for v in row
    )
    for kept_nowhere in ("198.51.100.23", "8443", "192.0.2.10", "2001:db8"):
        assert kept_nowhere not in stored


def test_the_hosts_counted_per_site_and_day_are_bounded(app, site):
    day = datetime(2026, 12, 1).date()
    with db.engine.begin() as connection:
        for n in range(MAX_HOSTS_PER_DAY):
            assert count_refused_origin(connection, site.id, day, f"h{n}.example")
        assert not count_refused_origin(connection, site.id, day, "one-too-many.example")
        assert count_refused_origin(connection, site.id, day, "h0.example")  # known: counted
        assert count_refused_origin(connection, site.id, day, "x" * 1000) is False
    assert len(counts(site)) == MAX_HOSTS_PER_DAY
    assert counts(site)[(day, "h0.example")] == 2


def test_a_long_host_is_cut_to_the_longest_dns_name(app, site):
    day = datetime(2026, 12, 1).date()
    with db.engine.begin() as connection:
        count_refused_origin(connection, site.id, day, "a" * 1000)
    assert counts(site) == {(day, "a" * 253): 1}
