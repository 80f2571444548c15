"""Benchmark of the dashboard's stats downloads (issue 17): the time and peak memory of the
largest download the dashboard allows, and of longer periods for comparison.

Run by hand (not part of the test suite), from the repository root, on a quiet machine:

    .venv/bin/python bench/downloads.py [--db sqlite|postgresql] [--years 10]
                                        [--spans 366,1100,3653] [--formats xlsx,csv,json]

One site gets a daily row for every combination a busy site counts, every day of the years
before END: 3 languages × 4 device classes × 2 layers × 3 signals, under the policy and
banner versions of the day (72 rows a day, 26,280 a year). Each download is made in a fresh
process, signed in as a viewer through Flask's test client, the body read to the end: wall
and CPU seconds, the rows, the bytes, and the process's peak resident memory (VmHWM) before
and after. The largest downloads the dashboard allows come first: every dimension by day
for as many days as MAX_ROWS holds, and the longest period by day (MAX_DAILY_DAYS) by
language and device as the overview links it. Then, for comparison, every dimension by day
over --spans, measured directly (stats_table and the writers, as before the bounds), since
the dashboard refuses them.

PostgreSQL: database `test` on 127.0.0.1:5432 (trust auth), schema `kelisim_bench_downloads`,
dropped and recreated at the start and dropped at the end.
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.models import DailyStat, Membership, Role  # noqa: E402
from backend.services.sites import create_site, get_or_create_user  # noqa: E402

PG_SCHEMA = "kelisim_bench_downloads"
PG_DSN = "host=127.0.0.1 port=5432 dbname=test"
PG_URL = f"postgresql+psycopg://127.0.0.1:5432/test?options=-csearch_path%3D{PG_SCHEMA}"
END = date(2026, 11, 30)
VIEWER, PASSWORD = "viewer@bench.kz", "bench-password-0123"
COMBINATIONS = list(
    itertools.product(("ru", "kk", "en"), ("mobile", "desktop", "tablet", "bot"),
                      ("first", "settings"), ("none", "gpc", "dnt"))
)  # fmt: skip
ALL = "language,device_class,policy_version,banner_version,layer,signal"
LINKED = "language,device_class"  # what the overview's download links ask for


def config(url: str) -> dict:
    return {
        "SECRET_KEY": "bench-downloads-secret-key-0123456789abcdef",
        "SQLALCHEMY_DATABASE_URI": url,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
    }


def generate(years: int) -> str:
    """The site, its viewer and its daily rows; returns the site's key."""
    owner, _ = get_or_create_user(db.session, "owner@bench.kz", PASSWORD)
    viewer, _ = get_or_create_user(db.session, VIEWER, PASSWORD)
    site = create_site(db.session, owner, "Busy site", ["busy.bench.kz"], by=None)
    db.session.add(Membership(user=viewer, site=site, role=Role.VIEWER))
    db.session.commit()
    days = 365 * years + years // 4
    rows = []
    with db.engine.begin() as connection:
        for n in range(days):
            day = END - timedelta(days=days - 1 - n)
            for language, device, layer, signal in COMBINATIONS:
                rows.append(
                    {
                        "site_id": site.id, "day": day, "language": language,
                        "device_class": device, "policy_version": 1 + n * 3 // days,
                        "banner_version": 1 + n // 182, "layer": layer, "signal": signal,
                        "shown": 40, "accept_all": 20, "reject_all": 9, "custom": 5,
                        "withdraw": 1, "gpc": 1 if signal == "gpc" else 0,
                        "granted_analytics": 23, "granted_marketing": 21, "granted_functional": 22,
                    }
                )  # fmt: skip
            if len(rows) >= 20_000:
                connection.execute(sa.insert(DailyStat.__table__), rows)
                rows = []
        if rows:
            connection.execute(sa.insert(DailyStat.__table__), rows)
    return site.public_key


CHILD = """
import sys, time
from datetime import date
sys.path.insert(0, {root!r})
sys.argv = ["x"]
from bench.downloads import config
from backend import create_app
from backend.extensions import db
from backend.models import Site
from backend.stats_files import csv_lines, json_bytes, stats_table, xlsx_chunks
import sqlalchemy as sa

def peak_mb():
    status = open("/proc/self/status").read()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024

app = create_app(config({url!r}))
first, last = date.fromisoformat({first!r}), date.fromisoformat({last!r})
with app.app_context():
    before = peak_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    if {through_dashboard!r}:
        client = app.test_client()
        client.post("/login", data={{"email": {viewer!r}, "password": {password!r}}})
        response = client.get(
            "/dashboard/sites/{key}/stats.{format}",
            query_string={{"from": first, "to": last, "interval": "day", "by": {by!r}}},
        )
        assert response.status_code == 200, response.status_code
        size = sum(len(chunk) for chunk in response.response)
        response.close()
    else:
        site = db.session.scalar(sa.select(Site).where(Site.public_key == {key!r}))
        query = {{"first": first, "last": last, "interval": "day", "by": {by!r}.split(",")}}
        table = stats_table(db.session, site, query)
        body = {{"xlsx": xlsx_chunks, "csv": csv_lines}}.get({format!r})
        size = len(json_bytes(table)) if body is None else sum(len(c) for c in body(table))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if {through_dashboard!r}:
        site = db.session.scalar(sa.select(Site))
        query = {{"first": first, "last": last, "interval": "day", "by": {by!r}.split(",")}}
        table = stats_table(db.session, site, query)
    rows = len(table.rows)
print(rows, size, wall, cpu, before, peak_mb())
"""


def measure(url: str, key: str, days: int, by: str, format: str, through_dashboard: bool) -> dict:
    first = END - timedelta(days=days - 1)
    code = CHILD.format(
        root=str(ROOT), url=url, key=key, first=first.isoformat(), last=END.isoformat(),
        format=format, by=by, viewer=VIEWER, password=PASSWORD,
        through_dashboard=through_dashboard,
    )  # fmt: skip
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if output.returncode:
        raise SystemExit(output.stderr)
    rows, size, wall, cpu, before, after = output.stdout.split()[-6:]
    return {
        "rows": int(rows), "bytes": int(size), "wall": float(wall), "cpu": float(cpu),
        "rss_before": float(before), "rss_after": float(after),
    }  # fmt: skip


def run(name: str, url: str, args) -> None:
    from backend.downloads import MAX_ROWS
    from backend.schemas.export import MAX_DAILY_DAYS

    app = create_app(config(url))
    with app.app_context():
        db.create_all()
        began = time.perf_counter()
        key = generate(args.years)
        daily = db.session.scalar(sa.select(sa.func.count(DailyStat.id)))
        print(f"\n== {name}: {daily:,} daily rows in {time.perf_counter() - began:.0f} s")
        db.session.remove()
        db.engine.dispose()
    cases = [(MAX_ROWS // len(COMBINATIONS), ALL, True), (MAX_DAILY_DAYS, LINKED, True)]
    cases += [(int(span), ALL, False) for span in args.spans.split(",") if span]
    for days, by, dashboard in cases:
        for format in args.formats.split(","):
            figures = measure(url, key, days, by, format, dashboard)
            how = "dashboard" if dashboard else "direct   "
            print(
                f"{days:5} days by {'all' if by == ALL else by:23} {format:4} {how}: "
                f"{figures['rows']:7,} rows, {figures['bytes'] / 1e6:6.1f} MB, wall "
                f"{figures['wall']:6.2f} s, cpu {figures['cpu']:6.2f} s, peak RSS "
                f"{figures['rss_before']:.0f} MB before, {figures['rss_after']:.0f} MB after",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--spans", default="366,1100,3653")
    parser.add_argument("--formats", default="xlsx,csv,json")
    args = parser.parse_args()
    if args.db == "sqlite":
        with tempfile.TemporaryDirectory(prefix="kelisim-bench-downloads-") as directory:
            run("SQLite", f"sqlite:///{directory}/bench.sqlite3", args)
        return
    with psycopg.connect(PG_DSN, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE')
        connection.execute(f'CREATE SCHEMA "{PG_SCHEMA}"')
    try:
        run("PostgreSQL", PG_URL, args)
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE')


if __name__ == "__main__":
    main()
