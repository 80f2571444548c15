"""Benchmark of the dashboard's pages: server time and queries per page for one user of an
agency with 100 sites × 10 trackers (DESIGN.md, "Budgets": ≤ 50 ms each, a fixed number of
queries), and of a banner save (≤ 100 ms: the files are written after the answer).

Run by hand (not part of the test suite), from the repository root:

    .venv/bin/python bench/dashboard.py [--db sqlite|postgresql|both] [--requests N]

The app runs in-process; each page is requested N times through Flask's test client, signed
in as the agency's user, each request in an app context of its own as under a server. It
prints, for every GET page of the dashboard (found in the URL map, so new pages are measured
without changing this file): the median and 90th percentile of wall time and of CPU time per
request, the number of SQL statements, and whether the 50 ms budget holds; then the banner
editor's save (a new title each time: a new banner version), its server time and how long
after the answer the site's files were on disk (published files on, as in production, to a
folder of the run). The test client
adds a little work of its own (building the WSGI environ, reading the body), so the figures
are a slight over-estimate of what a server spends.

PostgreSQL: database `test` on 127.0.0.1:5432 (trust auth), schema `kelisim_bench_dashboard`,
dropped and recreated at the start and dropped at the end.
"""

from __future__ import annotations

import argparse
import html
import re
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
SAVE_BUDGET_MS = 100.0
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


def form_inputs(page: str) -> dict[str, str]:
    """The values a browser would send of a form's text inputs, textareas and selects."""
    data = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', page)
    }
    textareas = r'<textarea[^>]*?name="([^"]+)"[^>]*>\s?(.*?)</textarea>'
    data |= {name: html.unescape(value) for name, value in re.findall(textareas, page, re.S)}
    for name, options in re.findall(r'<select[^>]*?name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', options)
        chosen = chosen or re.search(r'<option value="([^"]*)"', options)
        data[name] = html.unescape(chosen.group(1))
    return data


def measure_saves(app, site_key: str, requests: int) -> tuple:
    """Save the banner editor with a new title ``requests`` times (after two warm-ups):
    server time of the save, and when the files were written after it."""
    client = app.test_client()
    with app.app_context():
        client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    publisher = app.extensions["kelisim.delivery"].publisher
    url = f"/dashboard/sites/{site_key}/banner"
    walls, cpus, written = [], [], []
    for n in range(requests + 2):
        with app.app_context():
            data = form_inputs(client.get(url).get_data(as_text=True))
        data["texts_ru-title"] = f"Мы используем cookie ({n})"
        wall, cpu = time.perf_counter(), time.process_time()
        with app.app_context():
            response = client.post(url, data=data)
        answered = time.perf_counter()
        walls.append((answered - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        if response.status_code != 302:
            raise SystemExit(f"save: {response.status_code}")
        publisher.wait(60)
        written.append((time.perf_counter() - answered) * 1000)
    walls, cpus, written = walls[2:], cpus[2:], written[2:]
    return (
        statistics.median(walls),
        statistics.quantiles(walls, n=10)[-1],
        statistics.median(cpus),
        statistics.median(written),
    )


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
            "PUBLIC_URL": "https://consent.bench.kz",
            "PUBLISHED_DIR": tempfile.mkdtemp(prefix="kelisim-bench-published-"),
        }
    )
    try:
        with app.app_context():
            db.create_all()
            key = seed()
        rows = measure(app, dashboard_pages(app, key), requests)
        saves = measure_saves(app, key, requests)
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
    p50, p90, cpu, written = saves
    holds = p50 <= SAVE_BUDGET_MS
    print(
        f"{'banner save (POST)':<52} {p50:7.1f} {p90:7.1f} {cpu:7.1f} {'':>7}  "
        f"{'ok' if holds else 'MISSED'} (≤ {SAVE_BUDGET_MS:.0f} ms); files on disk "
        f"{written:.0f} ms after the answer"
    )
    return ok and holds


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
