"""Benchmark of consent analytics at scale (issue 10, §4): generated events over many sites and
years, the stats API's server time, and the raw events export's rate and memory.

Run by hand (not part of the test suite), from the repository root, on a quiet machine:

    .venv/bin/python bench/stats.py [--db sqlite|postgresql|both] [--events N] [--sites 100]
                                    [--years 3] [--requests 20]

Generator: N events (default 1,000,000; the issue's figure is 10,000,000) over the sites and
years, as a site's visitors would leave them: banners shown and decisions in the proportions
below, three languages and four device classes with realistic weights, a policy version
published twice and a new banner version every half year, a few GPC and DNT visitors. The
first site gets a tenth of all events, so that the export is measured on a big site too.
Events go in with bulk inserts (PostgreSQL: COPY); daily rows are counted by the same code
that counts them as events arrive (backend/services/stats.py).

Measured, for one ordinary site and for the big one:
- the stats API (`GET /api/v1/sites/{key}/stats`, JSON, with a token), day × language ×
  device, over the last 90 days and over the whole range: median and 90th percentile of wall
  and CPU time per request through Flask's test client (a slight over-estimate of a server's);
  budget ≤ 50 ms and ≤ 200 ms;
- the raw events export (the dashboard's events.csv) of the whole range, streamed to nowhere in
  a fresh process: rows per second and the process's peak resident memory (VmHWM) before and
  after (budget ≥ 100,000 rows/s, memory flat and under 100 MB).

Not measured here: the purge of a year of events under event POST load (issue 10, §4, last
point); see the report of issue 10.

PostgreSQL: database `test` on 127.0.0.1:5432 (trust auth), schema `kelisim_bench_stats`,
dropped and recreated at the start and dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.models import ConsentEvent, DailyStat, Site  # noqa: E402
from backend.services.sites import create_site, get_or_create_user  # noqa: E402
from backend.services.stats import daily_rows, increments  # noqa: E402
from backend.services.tokens import create_token  # noqa: E402

PG_SCHEMA = "kelisim_bench_stats"
PG_DSN = "host=127.0.0.1 port=5432 dbname=test"
PG_URL = f"postgresql+psycopg://127.0.0.1:5432/test?options=-csearch_path%3D{PG_SCHEMA}"
END = date(2026, 11, 30)
BATCH = 20_000
ACTIONS = ("shown", "accept_all", "reject_all", "custom", "withdraw", "gpc")
ACTION_WEIGHTS = (50, 24, 12, 8, 1, 1)
LANGUAGES, LANGUAGE_WEIGHTS = ("ru", "kk", "en"), (60, 32, 8)
DEVICES, DEVICE_WEIGHTS = ("mobile", "desktop", "tablet", "bot"), (58, 36, 5, 1)
SIGNALS, SIGNAL_WEIGHTS = ("none", "gpc", "dnt"), (95, 4, 1)
OPTIONAL = ("analytics", "marketing", "functional")
COLUMNS = [c.name for c in ConsentEvent.__table__.columns if c.name != "id"]


def events_for(rng: random.Random, site_id: int, count: int, days: int):
    """``count`` events of one site spread over ``days`` days up to END, oldest first."""
    start = datetime.combine(END - timedelta(days=days - 1), datetime.min.time(), UTC)
    seconds = sorted(rng.randrange(days * 86400) for _ in range(count))
    actions = rng.choices(ACTIONS, ACTION_WEIGHTS, k=count)
    languages = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS, k=count)
    devices = rng.choices(DEVICES, DEVICE_WEIGHTS, k=count)
    signals = rng.choices(SIGNALS, SIGNAL_WEIGHTS, k=count)
    for second, action, language, device, signal in zip(
        seconds, actions, languages, devices, signals, strict=True
    ):
        day = second // 86400
        if action == "gpc":
            signal = "gpc"
        categories = {
            "accept_all": ["necessary", *OPTIONAL],
            "custom": ["necessary", *rng.sample(OPTIONAL, rng.randrange(3))],
        }.get(action, [])
        yield {
            "site_id": site_id,
            "created_at": start + timedelta(seconds=second),
            "action": action,
            "categories": categories,
            "services": [],
            "policy_version": 1 + (day > days // 3) + (day > 2 * days // 3),
            "banner_version": 1 + day // 182,
            "texts_hash": f"{day // 182:064x}",
            "language": language,
            "layer": "settings" if action in ("custom", "withdraw") else "first",
            "signal": signal,
            "expires_at": None,
            "device_class": device,
            "consent_hash": f"{rng.getrandbits(256):064x}",
        }


def insert_events(connection: sa.Connection, rows: list[dict]) -> None:
    """Bulk insert, past SQLAlchemy's per-value processing: COPY on PostgreSQL, the driver's
    executemany on SQLite (with the values as SQLAlchemy would store them there)."""
    names = ", ".join(COLUMNS)
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY consent_events ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([SERIALIZE.get(c, same)(row[c]) for c in COLUMNS])
        return
    stored = [
        tuple(
            row[c].strftime("%Y-%m-%d %H:%M:%S.%f")
            if c == "created_at"
            else SERIALIZE.get(c, same)(row[c])
            for c in COLUMNS
        )
        for row in rows
    ]
    marks = ", ".join("?" for _ in COLUMNS)
    connection.exec_driver_sql(f"INSERT INTO consent_events ({names}) VALUES ({marks})", stored)


def same(value):
    return value


SERIALIZE = {"categories": json.dumps, "services": json.dumps}


def generate(sites: int, events: int, years: int) -> list[str]:
    """SITES sites owned by one user, the events and their daily rows; returns site keys."""
    rng = random.Random(10)
    owner, _ = get_or_create_user(db.session, "analyst@bench.kz", "bench-password-0123")
    made = [
        create_site(db.session, owner, f"Site {n:03d}", [f"s{n}.bench.kz"], by=None)
        for n in range(sites)
    ]
    db.session.commit()
    days = 365 * years
    big = events // 10
    per_site = (events - big) // max(sites - 1, 1)
    started = time.perf_counter()
    for n, site in enumerate(made):
        count = big if n == 0 else per_site
        counts: dict[tuple, Counter] = {}
        batch: list[dict] = []
        with db.engine.begin() as connection:
            for event in events_for(rng, site.id, count, days):
                batch.append(event)
                if len(batch) == BATCH:
                    insert_events(connection, batch)
                    for key, added in increments(batch, {site.id: site.timezone}).items():
                        counts.setdefault(key, Counter()).update(added)
                    batch = []
            if batch:
                insert_events(connection, batch)
                for key, added in increments(batch, {site.id: site.timezone}).items():
                    counts.setdefault(key, Counter()).update(added)
            connection.execute(sa.insert(DailyStat.__table__), daily_rows(counts))
        if n % 10 == 0:
            print(f"  site {n + 1}/{sites}: {time.perf_counter() - started:.0f} s", flush=True)
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    return [site.public_key for site in made]


def timed(client, url: str, headers: dict, requests: int) -> dict:
    walls, cpus = [], []
    for _ in range(requests):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers)
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)
    rows = len(response.json["rows"])
    q = lambda xs, p: statistics.quantiles(xs, n=10)[p] if len(xs) > 1 else xs[0]  # noqa: E731
    return {
        "wall_p50": statistics.median(walls),
        "wall_p90": q(walls, 8),
        "cpu_p50": statistics.median(cpus),
        "rows": rows,
    }


EXPORT_CHILD = """
import sys, time
from datetime import date
sys.path.insert(0, {root!r})
from backend import create_app
from backend.extensions import db
from backend.event_files import event_lines, local_range
from backend.models import Site
import sqlalchemy as sa

def peak_mb():
    # VmHWM: this process's own peak (ru_maxrss would count the parent's, from the fork).
    status = open("/proc/self/status").read()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024

app = create_app({{"SQLALCHEMY_DATABASE_URI": {url!r}, "SECRET_KEY": "x" * 40}})
with app.app_context():
    site = db.session.scalar(sa.select(Site).where(Site.public_key == {key!r}))
    start, end = local_range(site, date(2000, 1, 1), date.fromisoformat({end!r}))
    before = peak_mb()
    began = time.perf_counter()
    lines = 0
    with open("/dev/null", "w") as sink:
        for chunk in event_lines(db.engine, site.id, start, end):
            lines += chunk.count("\\n")
            sink.write(chunk)
    seconds = time.perf_counter() - began
    after = peak_mb()
print(lines - 1, seconds, before, after)
"""


def export_run(url: str, key: str) -> dict:
    """The raw export of a site in a fresh process: rows, seconds, peak RSS before and after."""
    code = EXPORT_CHILD.format(
        root=str(Path(__file__).resolve().parent.parent), url=url, key=key, end=END.isoformat()
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    rows, seconds, before, after = output.stdout.split()[-4:]
    return {
        "rows": int(rows),
        "rows_per_s": int(rows) / float(seconds),
        "rss_before_mb": float(before),
        "rss_after_mb": float(after),
    }


def run(name: str, url: str, args) -> bool:
    print(f"\n== {name}: {args.events:,} events, {args.sites} sites, {args.years} years")
    app = create_app(
        {
            "SECRET_KEY": "bench-stats-secret-key-0123456789abcdef",
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        }
    )
    ok = True
    with app.app_context():
        db.create_all()
        began = time.perf_counter()
        keys = generate(args.sites, args.events, args.years)
        took = time.perf_counter() - began
        events = db.session.scalar(sa.select(sa.func.count(ConsentEvent.id)))
        daily = db.session.scalar(sa.select(sa.func.count(DailyStat.id)))
        print(
            f"generated {events:,} events and {daily:,} daily rows in {took:.0f} s "
            f"({events / took:,.0f} events/s)"
        )
        client = app.test_client()
        first_day = END - timedelta(days=365 * args.years - 1)
        for label, key in (("ordinary site", keys[len(keys) // 2]), ("big site", keys[0])):
            site = db.session.scalar(sa.select(Site).where(Site.public_key == key))
            _, secret = create_token(db.session, site, None, "bench")
            db.session.commit()
            headers = {"Authorization": f"Bearer {secret}"}
            base = f"/api/v1/sites/{key}/stats?by=language,device_class&to={END}"
            for span, start, budget in (
                ("90 days", END - timedelta(days=89), 50),
                ("whole range", first_day, 200),
            ):
                figures = timed(client, f"{base}&from={start}", headers, args.requests)
                verdict = "ok" if figures["wall_p50"] <= budget else "OVER"
                ok &= verdict == "ok"
                print(
                    f"stats {label:13} {span:11}: {figures['rows']:6} rows, wall p50 "
                    f"{figures['wall_p50']:6.1f} ms p90 {figures['wall_p90']:6.1f} ms, cpu p50 "
                    f"{figures['cpu_p50']:6.1f} ms (budget {budget} ms: {verdict})"
                )
        db.session.remove()
        db.engine.dispose()
        for label, key in (("ordinary site", keys[len(keys) // 2]), ("big site", keys[0])):
            figures = export_run(url, key)
            verdict = (
                "ok"
                if figures["rows_per_s"] >= 100_000 and figures["rss_after_mb"] < 100
                else "OVER"
            )
            ok &= verdict == "ok"
            print(
                f"export {label:13}: {figures['rows']:,} rows at "
                f"{figures['rows_per_s']:,.0f} rows/s, peak RSS {figures['rss_before_mb']:.0f} MB "
                f"before, {figures['rss_after_mb']:.0f} MB after ({verdict})"
            )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    ok = True
    if args.db in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="kelisim-bench-stats-") as directory:
            ok &= run("SQLite", f"sqlite:///{directory}/bench.sqlite3", args)
    if args.db in ("postgresql", "both"):
        with psycopg.connect(PG_DSN, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE')
            connection.execute(f'CREATE SCHEMA "{PG_SCHEMA}"')
        try:
            ok &= run("PostgreSQL", PG_URL, args)
        finally:
            with psycopg.connect(PG_DSN, autocommit=True) as connection:
                connection.execute(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE')
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
