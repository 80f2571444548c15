"""Purge under load: the event POST's latency while a year of expired events is purged, against
the same load without the purge (issue 10: p99 within 2×).

Run by hand (not part of the test suite), from the repository root:

    flock /tmp/kelisim-cpu.lock .venv/bin/python bench/purge.py [--db sqlite|postgresql|both]
        [--events 500000] [--seconds 5]

For each database: the demo site gets ``--events`` events spread over one year that ended
three years ago (past the default 36 months' retention), written straight into the database;
Kelisim runs under gunicorn with bench/api.py's settings; wrk sends event POSTs for
``--seconds`` three times without a purge, then again and again while `flask --app wsgi purge` runs
beside it, until the purge is done. It prints p50/p99 and requests/s of each run, how long
the purge took, and the ratio of the worst p99 during the purge to the median p99 without it.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from api import (
    HOST,
    ORIGIN,
    ROOT,
    VENV_BIN,
    WRK_POST,
    Bench,
    Database,
    Result,
    Settings,
    app_env,
    flask_cli,
)
from stats import events_for, insert_events

GOAL = 2.0  # p99 during the purge over p99 without it
YEAR = 365
THREE_YEARS_AGO = timedelta(days=3 * YEAR + 30)


def seed_expired(database_url: str, site_key: str, count: int) -> None:
    """``count`` events of the site over a year that ended three years ago."""
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        site_id = connection.execute(
            sa.text("SELECT id FROM sites WHERE public_key = :key"), {"key": site_key}
        ).scalar_one()
        batch = []
        for event in events_for(random.Random(7), site_id, count, YEAR):
            event["created_at"] -= THREE_YEARS_AGO
            batch.append(event)
            if len(batch) == 20_000:
                insert_events(connection, batch)
                batch = []
        if batch:
            insert_events(connection, batch)
    engine.dispose()


def show(label: str, result: Result) -> None:
    print(
        f"  {label:<24} {result.rps:8.0f} req/s  p50 {result.p50_ms:7.1f} ms"
        f"  p99 {result.p99_ms:7.1f} ms  {dict(result.statuses)}"
    )


def run(bench: Bench, kind: str, events: int) -> bool:
    database = Database(kind, bench.tmp)
    database.create()
    try:
        env = app_env(database.url)
        flask_cli(env, "db", "upgrade")
        key = json.loads(flask_cli(env, "demo", "--json"))["site_key"]
        started = time.perf_counter()
        seed_expired(database.url, key, events)
        print(f"\n{kind}: {events} expired events written in {time.perf_counter() - started:.0f} s")
        port, _process = bench.start_gunicorn("wsgi:app", ROOT, env)
        url = f"http://{HOST}:{port}/api/v1/events"
        script = WRK_POST.replace("__ORIGIN__", ORIGIN).replace("__KEY__", key)
        seconds = bench.settings.seconds
        bench.wrk("warm-up", url, script, 2)
        quiet = [bench.wrk("without purge", url, script, seconds) for _ in range(3)]
        for result in quiet:
            show("without purge", result)

        purge = subprocess.Popen(
            [str(VENV_BIN / "flask"), "--app", "wsgi", "purge"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started = time.perf_counter()
        during = []
        while purge.poll() is None:
            during.append(bench.wrk("during purge", url, script, seconds))
            show("during purge", during[-1])
        took = time.perf_counter() - started
        print(f"  purge: {purge.stdout.read().strip()} in {took:.1f} s")
        for result in quiet + during:
            if set(result.statuses) - {"202"}:
                print(f"  not all acknowledged: {result.statuses}")
        baseline = statistics.median(r.p99_ms for r in quiet)
        worst = max((r.p99_ms for r in during), default=0.0)
        ratio = worst / baseline if baseline else float("inf")
        holds = ratio <= GOAL
        print(
            f"  worst p99 during the purge / median p99 without: {worst:.1f} / {baseline:.1f} ms"
            f" = {ratio:.2f} (goal ≤ {GOAL:g}): {'ok' if holds else 'MISSED'}"
        )
        return holds
    finally:
        bench.stop_all()
        database.drop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    settings = Settings(
        workers=4,
        worker_class="gthread",
        threads=4,
        connections=16,
        wrk_threads=1,
        seconds=args.seconds,
        warmup=0,
    )
    tmp = Path(tempfile.mkdtemp(prefix="kelisim-purge-"))
    bench = Bench(settings, tmp)
    print(f"Event POSTs during a purge: {settings.describe()}")
    try:
        kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
        results = [run(bench, kind, args.events) for kind in kinds]
    finally:
        bench.stop_all()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
