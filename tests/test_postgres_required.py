"""The test suite without its PostgreSQL: one clear line and a failed run, never a run that
passes with half the database tests left out, unless SQLite alone is asked for."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 that refuses connections: bound, never listening."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


def collect(port: int, *options: str) -> subprocess.CompletedProcess:
    """Collect a module of database tests with PostgreSQL at a closed port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KELISIM_")}
    env["KELISIM_TEST_POSTGRES_URL"] = f"postgresql+psycopg://127.0.0.1:{port}/test"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        + [*options, "tests/test_migrations.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_run_without_postgresql_fails_saying_what_to_start_or_set(closed_port):
    run = collect(closed_port)
    assert run.returncode != 0
    errors = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, run.stderr
    assert errors[0].startswith(
        f"ERROR: PostgreSQL is not reachable at postgresql+psycopg://127.0.0.1:{closed_port}/test"
    )
    assert "KELISIM_TEST_POSTGRES_URL" in errors[0]
    assert "--sqlite-only" in errors[0]


def test_sqlite_only_needs_no_postgresql(closed_port):
    run = collect(closed_port, "--sqlite-only")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "postgresql" not in run.stdout
