"""Benchmark of the public API under gunicorn, against a hello-world Flask endpoint.

Run by hand (not part of the test suite), from the repository root:

    .venv/bin/python bench/api.py [--seconds N] [--rounds N] [--db sqlite|postgresql|both]

For each database it starts a hello-world Flask app and Kelisim under the same gunicorn
settings on 127.0.0.1 (by default those the README recommends for production), drives them
with wrk (Debian package `wrk`) one at a time, and prints requests/s, p50 and p99 latency and
the ratio to hello-world for: the widget GET (200 and 304), the config GET and the event POST,
with the CPU time the server (and PostgreSQL) spent per request, read from /proc.
Each round runs hello-world between the scenarios, and each ratio is the median over the
rounds of a scenario's requests/s against the hello-world runs just before and after it, so
a neighbour's load on a shared machine skews both sides alike. For the POST it checks that
every acknowledged (202) event is in the database afterwards.

PostgreSQL: database `test` on 127.0.0.1:5432 (trust auth), schema `kelisim_bench`, dropped
and recreated at the start and dropped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
ORIGIN = f"http://{HOST}"
PG_SCHEMA = "kelisim_bench"
PUBLISHED_DIR = tempfile.mkdtemp(prefix="kelisim-bench-published-")
PG_DSN = "host=127.0.0.1 port=5432 dbname=test"
PG_URL = f"postgresql+psycopg://127.0.0.1:5432/test?options=-csearch_path%3D{PG_SCHEMA}"

# Goals from DESIGN.md, "Budgets": ratios to hello-world requests/s.
GOAL_POST = 0.5
GOAL_GET = 0.8

HELLO_APP = """\
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
"""

# Counts responses by status per wrk thread; done() adds them up and prints one JSON line.
WRK_COMMON = r"""
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

statuses = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, n in pairs(s) do
      counts[tostring(code)] = (counts[tostring(code)] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', code, n))
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d,'
      .. ' "socket_errors": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout,
    table.concat(parts, ", ")))
end
"""

WRK_GET = (
    WRK_COMMON
    + r"""
function init(args)
  wrk.method = "GET"
  wrk.headers["Origin"] = "__ORIGIN__"
  wrk.headers["Accept-Encoding"] = "br, gzip"
  if "__ETAG__" ~= "" then
    wrk.headers["If-None-Match"] = "__ETAG__"
  end
end
"""
)

WRK_POST = (
    WRK_COMMON
    + r"""
local template = nil

function init(args)
  math.randomseed(os.time() * 1000 + thread_id * 7919 + math.floor(os.clock() * 1e6))
  -- A decision as the widget sends it: with its expiry (here 182 days on), which is part of
  -- what tells one decision from another in the database.
  local expires = os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() + 182 * 86400)
  template = '{"site": "__KEY__", "consent_id": "%s", "action": "accept_all",'
    .. ' "categories": ["analytics"], "services": ["yandex_metrica"], "policy_version": 1,'
    .. ' "banner_version": 1, "language": "ru", "layer": "first", "signal": "none",'
    .. ' "expires_at": "' .. expires .. '"}'
end

local function uuid4()
  local hex = "0123456789abcdef"
  local out = {}
  for i = 1, 32 do
    local n = math.random(0, 15)
    if i == 13 then n = 4 elseif i == 17 then n = 8 + (n % 4) end
    out[#out + 1] = hex:sub(n + 1, n + 1)
    if i == 8 or i == 12 or i == 16 or i == 20 then out[#out + 1] = "-" end
  end
  return table.concat(out)
end

local headers = {
  ["Content-Type"] = "text/plain;charset=UTF-8",
  ["Origin"] = "__ORIGIN__",
}

function request()
  return wrk.format("POST", "/api/v1/events", headers, string.format(template, uuid4()))
end
"""
)


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: dict[str, int]
    socket_errors: int
    # CPU time per request (µs) of the server's processes and of PostgreSQL's, from /proc.
    server_cpu_us: float = 0.0
    database_cpu_us: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Settings:
    workers: int
    worker_class: str
    threads: int
    connections: int
    wrk_threads: int
    seconds: float
    warmup: float

    def gunicorn_args(self) -> list[str]:
        args = ["-w", str(self.workers), "-k", self.worker_class]
        if self.worker_class == "gthread":
            args += ["--threads", str(self.threads)]
        return args + ["--backlog", "2048", "--log-level", "warning"]

    def describe(self) -> str:
        text = f"gunicorn -w {self.workers} -k {self.worker_class}"
        if self.worker_class == "gthread":
            text += f" --threads {self.threads}"
        return text + f"; wrk -t{self.wrk_threads} -c{self.connections}, {self.seconds:g} s each"


@dataclass
class Bench:
    settings: Settings
    tmp: Path
    servers: list[subprocess.Popen] = field(default_factory=list)

    # -- processes ---------------------------------------------------------------------------

    def start_gunicorn(self, module: str, cwd: Path, env: dict[str, str]) -> tuple[int, object]:
        port = free_port()
        command = [
            str(VENV_BIN / "gunicorn"),
            *self.settings.gunicorn_args(),
            "-b",
            f"{HOST}:{port}",
            module,
        ]
        log = open(self.tmp / f"gunicorn-{port}.log", "w+b")  # noqa: SIM115
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.servers.append(process)
        wait_until_up(port, process, log)
        return port, process

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if process in self.servers:
            self.servers.remove(process)

    def stop_all(self) -> None:
        for process in list(self.servers):
            self.stop(process)

    # -- load --------------------------------------------------------------------------------

    def wrk(self, name: str, url: str, script: str, seconds: float) -> Result:
        script_path = self.tmp / "script.lua"
        script_path.write_text(script)
        s = self.settings
        command = [
            "wrk",
            f"-t{s.wrk_threads}",
            f"-c{s.connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(script_path),
            url,
        ]
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 60, check=False
        )
        for line in completed.stdout.splitlines():
            if line.startswith("BENCH_RESULT "):
                data = json.loads(line.removeprefix("BENCH_RESULT "))
                return Result(
                    name=name,
                    requests=data["requests"],
                    seconds=data["duration_us"] / 1e6,
                    p50_ms=data["p50_us"] / 1000,
                    p99_ms=data["p99_us"] / 1000,
                    statuses=data["statuses"],
                    socket_errors=data["socket_errors"],
                )
        raise RuntimeError(f"wrk failed ({completed.returncode}):\n{completed.stderr}")

    def run(self, scenario: Scenario) -> Result:
        """One wrk run, with the CPU time the server and PostgreSQL spent on it."""
        server_before = cpu_seconds(process_group(scenario.server))
        database_before = cpu_seconds(postgres_processes())
        result = self.wrk(scenario.name, scenario.url, scenario.script, self.settings.seconds)
        server = spent(server_before, cpu_seconds(process_group(scenario.server)))
        database = spent(database_before, cpu_seconds(postgres_processes()))
        if result.requests:
            result.server_cpu_us = server / result.requests * 1e6
            result.database_cpu_us = database / result.requests * 1e6
        return result


# -- helpers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def stat_fields(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command name: state, ppid, … (utime and stime at 11, 12)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User and system CPU time of each process still running."""
    seconds = {}
    for pid in pids:
        with contextlib.suppress(OSError):  # ended meanwhile
            fields = stat_fields(pid)
            seconds[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return seconds


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two readings; a process that started meanwhile counts in full."""
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


def find_processes(test) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):  # ended meanwhile
                if test(int(entry)):
                    found.append(int(entry))
    return found


def process_group(process: subprocess.Popen) -> list[int]:
    """gunicorn's master and its workers."""
    return [process.pid, *find_processes(lambda pid: stat_fields(pid)[1] == str(process.pid))]


def postgres_processes() -> list[int]:
    """Every PostgreSQL process on the machine (its backends, WAL writer, checkpointer)."""
    return find_processes(lambda pid: Path(f"/proc/{pid}/comm").read_text().strip() == "postgres")


def wait_until_up(port: int, process: subprocess.Popen, log, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn exited:\n{log.read().decode(errors='replace')}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not listen on port {port} within {timeout} s")


def http_get(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def flask_cli(env: dict[str, str], *args: str) -> str:
    completed = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{completed.stderr}")
    return completed.stdout


def pg_execute(sql: str, fetch: bool = False):
    import psycopg

    with psycopg.connect(PG_DSN, autocommit=True) as connection:
        cursor = connection.execute(sql)
        return cursor.fetchone()[0] if fetch else None


class Database:
    """A fresh Kelisim database for one pass, and the count of stored events."""

    def __init__(self, kind: str, tmp: Path) -> None:
        self.kind = kind
        self.path = tmp / "bench.sqlite3"

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}" if self.kind == "sqlite" else PG_URL

    def create(self) -> None:
        self.drop()  # what an interrupted run left behind
        if self.kind == "postgresql":
            pg_execute(f"CREATE SCHEMA {PG_SCHEMA}")

    def drop(self) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        else:
            pg_execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")

    def count_events(self) -> int:
        if self.kind == "sqlite":
            with contextlib.closing(sqlite3.connect(self.path)) as connection:
                return connection.execute("SELECT count(*) FROM consent_events").fetchone()[0]
        return pg_execute(f"SELECT count(*) FROM {PG_SCHEMA}.consent_events", fetch=True)


def app_env(database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KELISIM_")}
    env.update(
        KELISIM_DATABASE_URL=database_url,
        KELISIM_SECRET_KEY=secrets.token_hex(32),
        KELISIM_ENVIRONMENT="production",
        # Production needs it; the widget files are then published to a folder of the run.
        KELISIM_PUBLIC_URL=f"http://{HOST}",
        KELISIM_PUBLISHED_DIR=PUBLISHED_DIR,
        KELISIM_RATELIMIT_EVENTS="1000000 per minute",
        KELISIM_RATELIMIT_RECEIPTS="1000000 per minute",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def start_hello(bench: Bench) -> tuple[int, subprocess.Popen]:
    """Hello-world under the same gunicorn settings as the app."""
    hello_dir = bench.tmp / "hello"
    hello_dir.mkdir(exist_ok=True)
    (hello_dir / "hello_bench.py").write_text(HELLO_APP)
    return bench.start_gunicorn("hello_bench:app", hello_dir, dict(os.environ))


@dataclass
class Scenario:
    name: str
    url: str
    script: str
    expected_status: str
    server: subprocess.Popen
    runs: list[Result] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)

    def summary(self, ratio: float | None) -> Row:
        """The median run by requests/s, with the median of the per-round ratios and of the
        runs' CPU times."""
        median = sorted(self.runs, key=lambda r: r.rps)[len(self.runs) // 2]
        return Row(
            self.name,
            median,
            ratio,
            statistics.median(r.server_cpu_us for r in self.runs),
            statistics.median(r.database_cpu_us for r in self.runs),
        )


@dataclass
class Row:
    name: str
    result: Result
    ratio: float | None
    server_cpu_us: float
    database_cpu_us: float


# -- one pass per database -------------------------------------------------------------------


def run_pass(bench: Bench, kind: str, rounds: int) -> tuple[list[Row], list[str]]:
    """Both servers stay up (an idle gunicorn costs nothing); each round measures hello-world,
    then every scenario with hello-world again between them, so that each ratio compares
    runs seconds apart. A neighbour's load on a shared machine then skews both sides of a
    ratio alike; the table shows medians over the rounds."""
    notes: list[str] = []
    database = Database(kind, bench.tmp)
    database.create()
    try:
        env = app_env(database.url)
        flask_cli(env, "db", "upgrade")
        key = json.loads(flask_cli(env, "demo", "--json"))["site_key"]
        before = database.count_events()
        hello_port, hello_process = start_hello(bench)
        port, process = bench.start_gunicorn("wsgi:app", ROOT, env)
        base = f"http://{HOST}:{port}"

        widget = f"/w/{key}.js"
        status, headers = http_get(port, widget, {"Accept-Encoding": "br, gzip", "Origin": ORIGIN})
        if status != 200 or "ETag" not in headers:
            raise RuntimeError(f"GET {widget} answered {status} {headers}")
        get = WRK_GET.replace("__ORIGIN__", ORIGIN)
        etag = headers["ETag"].replace('"', '\\"')
        hello = Scenario(
            "hello-world",
            f"http://{HOST}:{hello_port}/",
            get.replace("__ETAG__", ""),
            "200",
            hello_process,
        )
        scenarios = [
            Scenario(
                "GET widget (200)", base + widget, get.replace("__ETAG__", ""), "200", process
            ),
            Scenario(
                "GET widget (304)", base + widget, get.replace("__ETAG__", etag), "304", process
            ),
            Scenario(
                "GET config (200)",
                f"{base}/api/v1/sites/{key}/config",
                get.replace("__ETAG__", ""),
                "200",
                process,
            ),
            Scenario(
                "POST event (202)",
                base + "/api/v1/events",
                WRK_POST.replace("__ORIGIN__", ORIGIN).replace("__KEY__", key),
                "202",
                process,
            ),
        ]
        post = scenarios[-1]
        warmup_posts: list[Result] = []  # their events are stored too: count them
        if bench.settings.warmup > 0:
            for scenario in [hello, *scenarios]:
                result = bench.wrk(
                    scenario.name, scenario.url, scenario.script, bench.settings.warmup
                )
                if scenario is post:
                    warmup_posts.append(result)

        for _ in range(rounds):
            hello.runs.append(bench.run(hello))
            for scenario in scenarios:
                result = bench.run(scenario)
                scenario.runs.append(result)
                hello.runs.append(bench.run(hello))
                around = (hello.runs[-2].rps + hello.runs[-1].rps) / 2
                scenario.ratios.append(result.rps / around if around else 0.0)
        bench.stop(process)  # every request answered or abandoned: the database is final
        stored = database.count_events() - before

        rows = [hello.summary(None)] + [s.summary(statistics.median(s.ratios)) for s in scenarios]
        hello_rps = sorted(r.rps for r in hello.runs)
        notes.append(
            f"{rounds} rounds; hello-world ranged {hello_rps[0]:.0f}-{hello_rps[-1]:.0f} req/s"
            f" over {len(hello_rps)} runs; each ratio is the median over the rounds of"
            " requests/s against the hello-world runs just before and after"
        )
        post_cpu = [r.server_cpu_us + r.database_cpu_us for r in post.runs]
        hello_cpu = sorted(r.server_cpu_us for r in hello.runs)
        notes.append(
            "CPU µs/req: the gunicorn processes' CPU time per request (database: PostgreSQL's),"
            f" medians over the rounds; hello-world's ranged {hello_cpu[0]:.0f}-"
            f"{hello_cpu[-1]:.0f} µs over its runs; the POST (with the database) costs"
            f" {statistics.median(post_cpu) / statistics.median(hello_cpu):.1f} × a hello-world"
            " request"
        )
        acknowledged, others = 0, {}
        for result in warmup_posts + post.runs:
            for code, n in result.statuses.items():
                if code == "202":
                    acknowledged += n
                else:
                    others[code] = others.get(code, 0) + n
        missing = max(0, acknowledged - stored)
        notes.append(
            f"POST: acknowledged {acknowledged}, stored {stored}, missing {missing}"
            + (f"; other answers: {others}" if others else "; no other answers")
            + (
                f" (also {stored - acknowledged} stored but not acknowledged)"
                if stored > acknowledged
                else ""
            )
        )
        for scenario in [hello, *scenarios[:-1]]:
            for result in scenario.runs:  # the POST's other answers are counted above
                unexpected = {
                    c: n for c, n in result.statuses.items() if c != scenario.expected_status
                }
                if unexpected:
                    notes.append(f"{scenario.name}: unexpected statuses {unexpected}")
        for scenario in [hello, *scenarios]:
            errors = sum(r.socket_errors for r in scenario.runs)
            if errors:
                notes.append(f"{scenario.name}: {errors} socket errors/timeouts")
        if missing:
            notes.append("FAIL: acknowledged events are missing from the database")
        return rows, notes
    finally:
        bench.stop_all()  # no connection may hold the schema while it is dropped
        database.drop()


def print_table(kind: str, rows: list[Row], notes: list[str]) -> bool:
    print(f"\n== {kind} ==")
    print(
        f"{'scenario':<18} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} {'goal':>6}  ok"
        f"  {'CPU µs/req':>10} {'database':>8}"
    )
    all_ok = True
    for row in rows:
        result = row.result
        if row.ratio is None:
            goal = None
        elif row.name.startswith("POST"):
            goal = GOAL_POST
        else:
            goal = GOAL_GET
        ok = "" if goal is None else ("yes" if row.ratio >= goal else "NO")
        all_ok &= ok != "NO"
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
        database = f"{row.database_cpu_us:.0f}" if kind == "postgresql" else ""
        print(
            f"{row.name:<18} {result.rps:>8.0f} {result.p50_ms:>8.2f} {result.p99_ms:>8.2f}"
            f" {ratio:>6} {'' if goal is None else f'≥{goal:g}':>6}  {ok:<3}"
            f" {row.server_cpu_us:>10.0f} {database:>8}"
        )
    for note in notes:
        print(f"  {note}")
        all_ok &= not note.startswith("FAIL")
    sys.stdout.flush()
    return all_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="per run (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each scenario")
    parser.add_argument("--warmup", type=float, default=2, help="per scenario, 0 for none")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread", choices=("gthread", "sync"))
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=1)
    args = parser.parse_args()

    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    settings = Settings(
        workers=args.workers,
        worker_class=args.worker_class,
        threads=args.threads,
        connections=args.connections,
        wrk_threads=args.wrk_threads,
        seconds=args.seconds,
        warmup=args.warmup,
    )
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    tmp = Path(tempfile.mkdtemp(prefix="kelisim-bench-"))
    bench = Bench(settings, tmp)

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    print(f"Kelisim API benchmark on {os.cpu_count()} CPUs: {settings.describe()}")
    all_ok = True
    try:
        for kind in kinds:
            rows, notes = run_pass(bench, kind, args.rounds)
            all_ok &= print_table(kind, rows, notes)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        bench.stop_all()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
