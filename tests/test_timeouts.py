"""A hung database or Redis: requests answer within the documented bounds, an event is
answered 503 only when it was not stored, and the banner's loader comes from the cache.

The app talks to PostgreSQL and Redis through a relay the test freezes (tests/relay.py): the
bytes stop, nothing is closed, as with a stopped server or a network that drops packets."""

import socket
import threading
from collections.abc import Callable

import psycopg
import pytest
import sqlalchemy as sa

from backend import create_app
from backend.database import ANSWER_GRACE_SECONDS
from backend.extensions import db
from backend.models import ConsentEvent, Membership, Role
from backend.ratelimit import REDIS_TIMEOUT_SECONDS, current_limits
from backend.services.sites import get_or_create_user
from tests.conftest import POSTGRES_URL, config_for_tests, post_events, postgres_url
from tests.factories import make_event, make_site
from tests.relay import Relay, relay_to

# Short timeouts keep the run short; libpq's connect timeout is 2 s at least.
CONNECT_TIMEOUT = 2
STATEMENT_TIMEOUT = 1.0
ANSWER = STATEMENT_TIMEOUT + ANSWER_GRACE_SECONDS
# What a request may take beyond its bound on a busy shared machine.
MARGIN = 1.5
PASSWORD = "correct horse battery"
SCHEMA = "kelisim_timeouts"
_tables_made: set[str] = set()


def answer_within(seconds: float, call: Callable):
    """call()'s result; the test fails if it has none within ``seconds``."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = call()
        except BaseException as error:  # handed to the test below
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"no answer within {seconds:g} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


@pytest.fixture
def direct() -> sa.Engine:
    """This run's schema, reached without the relay."""
    engine = sa.create_engine(postgres_url(SCHEMA))
    yield engine
    engine.dispose()


@pytest.fixture
def database_relay() -> Relay:
    url = sa.engine.make_url(POSTGRES_URL)
    with relay_to(url.host or "127.0.0.1", url.port or 5432) as relay:
        yield relay


@pytest.fixture
def timeouts() -> dict:
    """The database timeouts of the app under test; a test may ask for the defaults."""
    return {
        "DATABASE_CONNECT_TIMEOUT": CONNECT_TIMEOUT,
        "DATABASE_STATEMENT_TIMEOUT": STATEMENT_TIMEOUT,
    }


@pytest.fixture
def app_config() -> dict:
    return {}


@pytest.fixture
def app(database_relay, direct, timeouts, app_config, tmp_path):
    """The app on PostgreSQL through the relay; the widget cache always stale, so that each
    request asks the database (WIDGET_CACHE_SECONDS=0 would keep nothing)."""
    url = sa.engine.make_url(postgres_url(SCHEMA)).set(port=database_relay.port)
    if "PUBLIC_URL" in app_config:
        app_config = app_config | {"PUBLISHED_DIR": tmp_path / "published"}
    config = config_for_tests(
        url.render_as_string(hide_password=False),
        WIDGET_CACHE_SECONDS=1e-6,
        **timeouts,
        **app_config,
    )
    if SCHEMA not in _tables_made:
        db.metadata.drop_all(direct)
        db.metadata.create_all(direct)
        _tables_made.add(SCHEMA)
    app = create_app(config)
    with app.app_context():
        yield app
        database_relay.thaw()
        publisher = app.extensions["kelisim.delivery"].publisher
        assert publisher is None or publisher.wait(timeout=30)
        db.session.remove()
        db.engine.dispose()
    with direct.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(sa.delete(table))


@pytest.fixture
def site(app):
    site = make_site(domains=["example.kz"])
    db.session.commit()
    return site


def stored(direct: sa.Engine) -> int:
    """Consent events in the database."""
    with direct.connect() as connection:
        return connection.scalar(sa.select(sa.func.count()).select_from(ConsentEvent.__table__))


def test_an_event_for_a_frozen_database_is_answered_503_in_time_and_not_stored(
    app, site, database_relay, direct
):
    client = app.test_client()
    assert post_events(client, make_event(site)).status_code == 202
    event = make_event(site)
    database_relay.freeze()

    response = answer_within(ANSWER + MARGIN, lambda: post_events(client, event))
    assert response.status_code == 503
    assert response.json["error"]["code"] == "not_recorded"
    assert int(response.headers["Retry-After"]) > 0

    database_relay.thaw()
    assert stored(direct) == 1


@pytest.mark.parametrize("timeouts", [{}], ids=["documented defaults"])
def test_the_documented_statement_timeout_bounds_an_event(app, site, database_relay, timeouts):
    """3 s connect, 5 s statement: an event waits no longer than the statement's 5 s."""
    client = app.test_client()
    assert post_events(client, make_event(site)).status_code == 202
    event = make_event(site)
    database_relay.freeze()

    answer = app.config["DATABASE_STATEMENT_TIMEOUT"] + ANSWER_GRACE_SECONDS
    assert answer == 5.5
    response = answer_within(answer + MARGIN, lambda: post_events(client, event))
    assert response.status_code == 503


def test_an_acknowledged_event_is_in_the_database(app, site, direct):
    response = post_events(app.test_client(), make_event(site))
    assert response.status_code == 202
    assert stored(direct) == 1


def test_an_event_whose_commit_answer_is_lost_is_acknowledged(app, site, database_relay, direct):
    """The database commits, its answer never comes: the writer asks whether it committed."""
    client = app.test_client()
    database_relay.freeze_answers_after(b"COMMIT\x00")
    event = make_event(site)

    bound = ANSWER + CONNECT_TIMEOUT + MARGIN
    response = answer_within(bound, lambda: post_events(client, event))
    assert database_relay.markers_seen.is_set()
    assert response.status_code == 202
    assert stored(direct) == 1


def test_an_event_whose_fate_is_unknown_is_answered_503_and_its_resend_stored_once(
    app, site, database_relay, direct
):
    """The commit's answer is lost and the database then freezes, so nobody can tell: 503,
    and the widget's resend of the decision is stored once."""
    client = app.test_client()
    database_relay.freeze_answers_after(b"COMMIT\x00")
    event = make_event(site)
    freezer = threading.Thread(
        target=lambda: database_relay.markers_seen.wait(30) and database_relay.freeze()
    )
    freezer.start()

    bound = ANSWER + CONNECT_TIMEOUT + MARGIN
    response = answer_within(bound, lambda: post_events(client, event))
    freezer.join()
    assert response.status_code == 503

    database_relay.thaw()
    assert stored(direct) == 1  # it had committed
    # The widget resends the decision on a later page view, served by another process.
    other = create_app(config_for_tests(postgres_url(SCHEMA)))
    with other.app_context():
        assert post_events(other.test_client(), event).status_code == 202
        db.engine.dispose()
    assert stored(direct) == 1


def test_a_dashboard_page_answers_503_in_time(app, site, database_relay):
    user, _ = get_or_create_user(db.session, "owner@example.kz", PASSWORD)
    db.session.add(Membership(user=user, site=site, role=Role.OWNER))
    db.session.commit()
    client = app.test_client()
    client.post("/login", data={"email": "owner@example.kz", "password": PASSWORD})
    page = f"/dashboard/sites/{site.public_key}/settings"
    assert client.get(page).status_code == 200
    database_relay.freeze()

    # Its connection may be a new one (the test's own is in use).
    response = answer_within(max(ANSWER, CONNECT_TIMEOUT) + MARGIN, lambda: client.get(page))
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert 'class="languages"' in response.text  # its header asked the database nothing


@pytest.mark.parametrize(
    "app_config",
    [{}, {"PUBLIC_URL": "https://consent.example.kz"}],
    ids=["cached in the process", "published files"],
)
def test_the_loader_is_served_from_the_cache(app, site, database_relay):
    client = app.test_client()
    loader = f"/w/{site.public_key}.js"
    before = client.get(loader)
    assert before.status_code == 200
    publisher = app.extensions["kelisim.delivery"].publisher
    assert publisher is None or publisher.wait(timeout=30)
    database_relay.freeze()

    response = answer_within(ANSWER + MARGIN, lambda: client.get(loader))
    assert response.status_code == 200
    assert response.data == before.data


def test_bounded_connections_close_on_psycopgs_own_timeout():
    """BoundedConnection catches psycopg's private `_WaitTimeout`: an upgrade that renames
    it fails here, not in production."""
    assert issubclass(psycopg.errors._WaitTimeout, psycopg.OperationalError)


# -- Redis -------------------------------------------------------------------------------


@pytest.fixture
def redis_relay() -> Relay:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=3).close()
    except OSError as error:
        pytest.skip(f"Redis not reachable on 127.0.0.1:6379: {error}")
    with relay_to("127.0.0.1", 6379) as relay:
        yield relay


@pytest.fixture
def limited_app(redis_relay, tmp_path):
    """The app on SQLite with its rate limits counted in Redis, through the relay."""
    config = config_for_tests(
        f"sqlite:///{tmp_path / 'kelisim.sqlite3'}",
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URL=f"redis://127.0.0.1:{redis_relay.port}",
    )
    app = create_app(config)
    with app.app_context():
        db.create_all()
        yield app
        redis_relay.thaw()
        db.session.remove()
        db.engine.dispose()


def test_redis_waits_are_bounded_and_not_retried(limited_app):
    pool = current_limits().storage.storage.connection_pool
    assert pool.connection_kwargs["socket_timeout"] == REDIS_TIMEOUT_SECONDS
    assert pool.connection_kwargs["socket_connect_timeout"] == REDIS_TIMEOUT_SECONDS
    assert pool.connection_kwargs["retry"].get_retries() == 0


@pytest.mark.parametrize("warm", [True, False], ids=["connected", "connecting"])
def test_a_rate_limited_request_is_allowed_in_time_while_redis_is_frozen(
    limited_app, redis_relay, warm
):
    site = make_site(domains=["example.kz"])
    db.session.commit()
    client = limited_app.test_client()
    if warm:
        assert post_events(client, make_event(site)).status_code == 202
    event = make_event(site)
    redis_relay.freeze()

    bound = REDIS_TIMEOUT_SECONDS + MARGIN
    response = answer_within(bound, lambda: post_events(client, event))
    assert response.status_code == 202


def test_a_frozen_redis_costs_one_request_its_timeout_not_every_one(limited_app, redis_relay):
    site = make_site(domains=["example.kz"])
    db.session.commit()
    client = limited_app.test_client()
    events = [make_event(site) for _ in range(9)]
    redis_relay.freeze()

    first = answer_within(REDIS_TIMEOUT_SECONDS + MARGIN, lambda: post_events(client, events[0]))
    assert first.status_code == 202
    # Eight more, asking Redis each, would take four seconds.
    answers = answer_within(
        REDIS_TIMEOUT_SECONDS + MARGIN, lambda: [post_events(client, e) for e in events[1:]]
    )
    assert [answer.status_code for answer in answers] == [202] * 8
