"""Benchmark of the dashboard's pages: server time and queries per page for one user of an
agency with 100 sites × 10 trackers (DESIGN.md, "Budgets": ≤ 50 ms each, a fixed number of
queries).

Run by hand (not part of the test suite), from the repository root:

    .venv/bin/python bench/dashboard.py [--db sqlite|postgresql|both] [--requests N]

The app runs in-process; each page is requested N times through Flask's test client, signed
in as the agency's user, each request in an app context of its own as under a server. It
prints, for every GET page of the dashboard (found in the URL map, so new pages are measured
without changing this file): the median and 90th percentile of wall time and of CPU time per
request, the number of SQL statements, and whether the 50 ms budget holds. The test client
adds a little work of its own (building the WSGI environ, reading the body), so the figures
are a slight over-estimate of what a server spends.

PostgreSQL: database `test` on 127.0.0.1:5432 (trust auth), schema `kelisim_bench_dashboard`,
dropped and recreated at the start and dropped at the end.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.models import Membership, Role  # noqa: E402
from backend.services.sites import add_service, create_site, get_or_create_user  # noqa: E402

SITES = 100
TRACKERS = 10
BUDGET_MS = 50.0
PG_SCHEMA = "kelisim_bench_dashboard"
PG_DSN = "host=127.0.0.1 port=5432 dbname=test"
PG_URL = f"postgresql+psycopg://127.0.0.1:5432/test?options=-csearch_path%3D{PG_SCHEMA}"
EMAIL, PASSWORD = "agency@bench.kz", "bench-password-0123"
KINDS = (
    ("yandex_metrica", {"counter_id": "12345678", "webvisor": False}),
    ("google_analytics", {"measurement_id": "G-BENCH12345"}),
    ("google_tag_manager", {"container_id": "GTM-BENCH1"}),
    ("meta_pixel", {"pixel_id": "123456789012345"}),
    ("vk_pixel", {"pixel_id": "3456789"}),
    ("tiktok_pixel", {"pixel_id": "ABCDEFGHIJKLMNOPQRST"}),
)


def seed() -> str:
    """The agency's user, owner of SITES sites with TRACKERS trackers and two more members
    each; returns the key of the last site."""
    owner, _ = get_or_create_user(db.session, EMAIL, PASSWORD)
    colleagues = [get_or_create_user(db.session, f"m{n}@bench.kz", PASSWORD)[0] for n in (1, 2)]
    key = ""
    for n in range(SITES):
        site = create_site(
            db.session,
            owner,
            f"Site {n:03d}",
            [f"site{n}.bench.kz"],
            legal_name=f"ТОО «Клиент {n}»",
            bin="150440012344",
            by=None,
        )
        for role, user in zip((Role.EDITOR, Role.VIEWER), colleagues, strict=True):
            site.memberships.append(Membership(user=user, role=role))
        for t in range(TRACKERS):
            kind, options = KINDS[t % len(KINDS)]
            add_service(site, kind, slug=f"{kind}-{t}", options=dict(options))
        db.session.flush()
        key = site.public_key
    db.session.commit()
    return key


def dashboard_pages(app, site_key: str) -> list[str]:
    """Every GET page of the dashboard that needs at most a site key (downloads such as
    events.csv, which need a period, are files rather than pages)."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("dashboard.") or "GET" not in rule.methods:
                continue
            if set(rule.arguments) - {"site_key"} or "." in rule.rule.rsplit("/", 1)[-1]:
                continue
            args = {"site_key": site_key} if "site_key" in rule.arguments else {}
            urls.append(app.url_for(rule.endpoint, **args))
    return sorted(urls)


def measure(app, urls: list[str], requests: int) -> list[tuple]:
    client = app.test_client()
    with app.app_context():
        signed_in = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    if signed_in.status_code != 302:
        raise SystemExit(f"sign-in failed: {signed_in.status_code}")
    statements = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
    rows = []
    for url in urls:
        walls, cpus, counts = [], [], []
        for _ in range(requests + 2):  # two warm-up requests per page
            statements.clear()
            wall, cpu = time.perf_counter(), time.process_time()
            with app.app_context():
                response = client.get(url)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            counts.append(len(statements))
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")
        walls, cpus = walls[2:], cpus[2:]
        rows.append(
            (
                url,
                statistics.median(walls),
                statistics.quantiles(walls, n=10)[-1],
                statistics.median(cpus),
                max(counts[2:]),
            )
        )
    return rows


def run(database: str, requests: int) -> bool:
    if database == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp(prefix='kelisim-bench-')}/bench.sqlite3"
    else:
        with psycopg.connect(PG_DSN, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE')
            connection.execute(f'CREATE SCHEMA "{PG_SCHEMA}"')
        url = PG_URL
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,  # for the one sign-in; pages are measured as served
        }
    )
    try:
        with app.app_context():
            db.create_all()
            key = seed()
        rows = measure(app, dashboard_pages(app, key), requests)
    finally:
        with app.app_context():
            db.engine.dispose()
        if database == "postgresql":
            with psycopg.connect(PG_DSN, autocommit=True) as connection:
                connection.execute(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE')
    print(f"\n{database}: {SITES} sites × {TRACKERS} trackers, {requests} requests a page")
    print(f"{'page':<52} {'p50 ms':>7} {'p90 ms':>7} {'CPU ms':>7} {'queries':>7}  budget")
    ok = True
    for url, p50, p90, cpu, queries in rows:
        holds = p50 <= BUDGET_MS
        ok &= holds
        verdict = "ok" if holds else "MISSED"
        print(f"{url:<52} {p50:7.1f} {p90:7.1f} {cpu:7.1f} {queries:7d}  {verdict}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    databases = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    results = [run(database, args.requests) for database in databases]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
