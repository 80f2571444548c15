"""Faults and soak: what an operator's page and the consent records go through when Kelisim's
backend hangs, its database dies, its workers are killed, and over a long run.

Run by hand (never in CI or the test suite), from the repository root:

    flock /tmp/kelisim-cpu.lock .venv/bin/python bench/faults.py
        [--part page|kills|soak|freeze] [--soak-seconds 1800] [--kill-seconds 40]
        [--freeze-seconds 15]

It starts its own PostgreSQL cluster (initdb in a temp folder, run as the `postgres` user,
on a free port), so the database can be stopped, hung and restarted without touching the
machine's server, and Kelisim under gunicorn with the shipped settings
(`-c python:backend.gunicorn_config`, production mode, published files on).

- page: an operator page (its own origin) with the loader first in <head>, a Metrica tag
  pasted unchanged and a marked tag, in Chromium: with the loader served by a web server
  from the published files while the app behind it accepts connections and never answers;
  with the app serving the loader while its database is stopped, and while it is hung
  (SIGSTOP: connections accepted, nothing answered); and, for comparison, with the loader
  URL itself hanging. For each: time to DOMContentLoaded, whether the banner showed, whether
  the pasted tag set `_ym_uid` or the marked tag ran before any choice.
- kills: event POSTs from many threads while gunicorn workers are killed with SIGKILL and
  PostgreSQL is restarted; then every acknowledged (202) consent must be in the database.
- freeze: event POSTs (rate-limited, counted in a Redis of its own), loader GETs and a
  signed-in dashboard page from many threads while PostgreSQL, then Redis, then both are
  hung (SIGSTOP) and resumed: the longest request of each kind while frozen, against the
  documented bounds (README, "Time limits"); every acknowledged consent stored; and how many
  events answered 503 were stored after all (only a COMMIT sent just as the database froze,
  whose fate nobody could tell: the widget's resend of the decision is dropped as a copy).
- soak: the capacity for a mix of widget GETs and event POSTs, then a run at half of it;
  workers' and PostgreSQL's memory sampled throughout (flat, or not), and the CPU time per
  durable event (gunicorn + PostgreSQL, from /proc) beside DESIGN.md's figure.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from api import (
    HOST,
    ROOT,
    VENV_BIN,
    cpu_seconds,
    find_processes,
    free_port,
    process_group,
    spent,
    stat_fields,
    wait_until_up,
)

sys.path.insert(0, str(ROOT))
from backend.services.anonymize import consent_hash, consent_id_key  # noqa: E402
from backend.services.demo import DEMO_EMAIL, DEMO_PASSWORD  # noqa: E402
from tests.chromium import launch  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql") / max(os.listdir("/usr/lib/postgresql")) / "bin"
# DESIGN.md, "Budgets": CPU per durable event (server + database), 2026-12.
DESIGN_CPU_PER_EVENT_MS = 1.85
PAGE_TIMEOUT_S = 20


# -- PostgreSQL of its own ---------------------------------------------------------------------


class PrivatePostgres:
    """A throwaway cluster that may be stopped, hung and restarted at will."""

    def __init__(self, tmp: Path) -> None:
        self.directory = tmp / "pgdata"
        self.port = free_port()
        self.directory.mkdir()
        shutil.chown(self.directory, "postgres", "postgres")
        self._as_postgres(PG_BIN / "initdb", "-D", self.directory, "-A", "trust", "-U", "postgres")
        self.start()
        self._as_postgres(PG_BIN / "createdb", "-h", HOST, "-p", self.port, "-U", "postgres", "k")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@{HOST}:{self.port}/k"

    def _as_postgres(self, *command) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *map(str, command)],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses={HOST}"
        # With its own log file the server holds no pipe of ours open.
        log = self.directory / "server.log"
        self._as_postgres(
            PG_BIN / "pg_ctl", "-D", self.directory, "-o", options, "-l", log, "-w", "start"
        )

    def stop(self) -> None:
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.directory, "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def pids(self) -> list[int]:
        postmaster = int((self.directory / "postmaster.pid").read_text().split()[0])
        return [postmaster, *find_processes(lambda pid: stat_fields(pid)[1] == str(postmaster))]

    def signal(self, number: int) -> None:
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, number)

    def count_consents(self, hashes: set[str]) -> int:
        """How many of these consent hashes have at least one stored event."""
        sql = "SELECT DISTINCT consent_hash FROM consent_events"
        stored = subprocess.run(
            [PG_BIN / "psql", "-h", HOST, "-p", str(self.port), "-U", "postgres", "-d", "k",
             "-tAc", sql],
            check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        return len(hashes & set(stored))


# -- Kelisim under gunicorn ----------------------------------------------------------------------


@dataclass
class Kelisim:
    process: subprocess.Popen
    port: int
    site_key: str
    env: dict[str, str]

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def pids(self) -> list[int]:
        return process_group(self.process)

    def workers(self) -> list[int]:
        return [pid for pid in self.pids() if pid != self.process.pid]

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def start_kelisim(tmp: Path, database_url: str, workers: int, **settings: str) -> Kelisim:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KELISIM_")}
    env.update(
        KELISIM_ENVIRONMENT="production",
        KELISIM_SECRET_KEY=secrets.token_hex(32),
        KELISIM_DATABASE_URL=database_url,
        KELISIM_PUBLIC_URL=f"http://{HOST}:{port}",
        KELISIM_PUBLISHED_DIR=str(tmp / "published"),
        KELISIM_SESSION_COOKIE_SECURE="true",
        KELISIM_RATELIMIT_EVENTS="1000000 per minute",
        KELISIM_BIND=f"{HOST}:{port}",
        KELISIM_WORKERS=str(workers),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update({f"KELISIM_{name}": value for name, value in settings.items()})
    flask = [str(VENV_BIN / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    demo = subprocess.run(
        [*flask, "demo", "--json", "--port", str(port)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    site_key = json.loads(demo.stdout)["site_key"]
    log = open(tmp / f"gunicorn-{port}.log", "w+b")  # noqa: SIM115
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "python:backend.gunicorn_config", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    wait_until_up(port, process, log)
    return Kelisim(process, port, site_key, env)


# -- servers standing in for others ------------------------------------------------------------


def quiet_handler(base: type) -> type:
    class Quiet(base):
        def log_message(self, *args) -> None:
            pass

    return Quiet


def serve(handler: type) -> tuple[int, http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer((HOST, 0), quiet_handler(handler))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1], server


class BlackHole:
    """Accepts connections and never answers: a hung backend."""

    def __init__(self) -> None:
        self.socket = socket.create_server((HOST, 0), backlog=128)
        self.port = self.socket.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                self.held.append(self.socket.accept()[0])

    def close(self) -> None:
        for connection in self.held:
            connection.close()
        self.socket.close()


def web_server_for(published: Path, upstream_port: int) -> type:
    """nginx as docs/deploy.md sets it up, in miniature: /w/ from the published files (the
    loader from the site's current release, the banner's files from theirs), everything
    else to upstream."""

    class WebServer(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.partition("?")[0]
            if path.startswith("/w/"):
                name = path[len("/w/") :]
                if "/" not in name:
                    name = f"{name.removesuffix('.js')}/current/loader.js"
                target = published / "w" / name
                if target.is_file():
                    body = target.read_bytes()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/javascript")
                    self.send_header("Content-Length", str(len(body)))
                    self.send_header("Access-Control-Allow-Origin", "*")
                    self.end_headers()
                    self.wfile.write(body)
                    return
            self._proxy()

        def do_POST(self) -> None:
            self._proxy()

        def _proxy(self) -> None:
            # As nginx with proxy_read_timeout: give up on a silent upstream.
            connection = http.client.HTTPConnection(HOST, upstream_port, timeout=5)
            try:
                length = int(self.headers.get("Content-Length") or 0)
                connection.request(
                    self.command, self.path, self.rfile.read(length), dict(self.headers)
                )
                response = connection.getresponse()
                body = response.read()
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection"):
                        self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                self.send_error(504)

    return WebServer


def operator_page(loader_url: str) -> type:
    """An operator's page: the loader first, a Metrica tag pasted unchanged, a marked tag."""
    html = f"""<!doctype html><html lang="ru"><head><meta charset="utf-8">
<script src="{loader_url}"></script>
<title>Кинотеатр</title>
<script>
  (function(m,e,t,r,i,k,a){{m[i]=m[i]||function(){{(m[i].a=m[i].a||[]).push(arguments)}};
  m[i].l=1*new Date();k=e.createElement(t),a=e.getElementsByTagName(t)[0],k.async=1,k.src=r,
  a.parentNode.insertBefore(k,a)}})(window, document, "script",
  "https://mc.yandex.ru/metrika/tag.js", "ym");
  ym(98765432, "init", {{webvisor: true}});
</script>
<script type="text/plain" data-consent="analytics">window.__marked = true;</script>
</head><body><h1>Афиша</h1><a href="#" data-kelisim-open>Cookie</a></body></html>"""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Page


METRICA_STUB = "document.cookie = '_ym_uid=1; path=/'; window.__metrica = true;"


def visit_page(browser, page_url: str) -> dict:
    """Open the page as a first-time visitor; what they get, before any choice."""
    context = browser.new_context()
    page = context.new_page()
    page.route(
        "https://mc.yandex.ru/**",
        lambda route: route.fulfill(body=METRICA_STUB, content_type="application/javascript"),
    )
    started = time.monotonic()
    outcome = {"dom_content_loaded_ms": None, "banner": False}
    try:
        page.goto(page_url, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_S * 1000)
        outcome["dom_content_loaded_ms"] = round((time.monotonic() - started) * 1000)
        with contextlib.suppress(Exception):
            page.locator("kelisim-ui [role=dialog]").wait_for(timeout=5000)
            outcome["banner"] = True
        page.wait_for_timeout(1000)  # give a pasted tag the time to run, if it would
        outcome["pasted_tag_set_ym_uid"] = any(c["name"] == "_ym_uid" for c in context.cookies())
        outcome["marked_tag_ran"] = bool(page.evaluate("window.__marked === true"))
    except Exception as error:  # the page never got there
        outcome["error"] = type(error).__name__
    finally:
        context.close()
    return outcome


def part_page(tmp: Path, postgres: PrivatePostgres) -> bool:
    from playwright.sync_api import sync_playwright

    app = start_kelisim(tmp, postgres.url, workers=2)
    key = app.site_key
    published = tmp / "published"
    loader = published / "w" / key / "current" / "loader.js"
    deadline = time.monotonic() + 30
    while not loader.exists():  # written behind the request that created the site
        assert time.monotonic() < deadline, "publishing wrote no loader"
        time.sleep(0.1)
    hole = BlackHole()
    web_port, web = serve(web_server_for(published, hole.port))
    cases = []
    with sync_playwright() as playwright:
        browser = launch(playwright)

        def case(name: str, loader_url: str, must_hold: bool = True) -> None:
            page_port, page_server = serve(operator_page(loader_url))
            outcome = visit_page(browser, f"http://localhost:{page_port}/")
            page_server.shutdown()
            cases.append((name, outcome, must_hold))

        case("web server from files, app hung", f"http://{HOST}:{web_port}/w/{key}.js")
        postgres.stop()
        case("app from files, database stopped", f"{app.base}/w/{key}.js")
        postgres.start()
        postgres.signal(signal.SIGSTOP)
        try:
            case("app from files, database hung", f"{app.base}/w/{key}.js")
        finally:
            postgres.signal(signal.SIGCONT)
        # What the files prevent: the loader's own URL answered by the hung app.
        case("loader URL itself hung", f"http://{HOST}:{hole.port}/w/{key}.js", must_hold=False)
        browser.close()
    web.shutdown()
    hole.close()
    app.stop()

    print("\n== An operator's page, first visit, before any choice")
    print(
        f"{'case':38} {'DOMContentLoaded':>17} {'banner':>7} {'_ym_uid set':>12} {'marked ran':>11}"
    )
    ok = True
    for name, outcome, must_hold in cases:
        loaded = outcome["dom_content_loaded_ms"]
        shown = f"{loaded} ms" if loaded is not None else f"> {PAGE_TIMEOUT_S} s"
        print(
            f"{name:38} {shown:>17} {str(outcome['banner']):>7}"
            f" {str(outcome.get('pasted_tag_set_ym_uid', '-')):>12}"
            f" {str(outcome.get('marked_tag_ran', '-')):>11}"
        )
        if must_hold:
            ok &= outcome["banner"] and not outcome.get("pasted_tag_set_ym_uid")
            ok &= not outcome.get("marked_tag_ran")
    return ok


# -- load ---------------------------------------------------------------------------------------


@dataclass
class Tally:
    acknowledged: list[str]
    statuses: dict[int, int]
    widget_gets: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int, consent_id: str | None = None, gets: int = 0) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.widget_gets += gets
            if status == 202:
                self.acknowledged.append(consent_id)


def event_body(site_key: str, consent_id: str) -> bytes:
    expires = (datetime.now(UTC) + timedelta(days=182)).isoformat()
    return json.dumps(
        {"site": site_key, "consent_id": consent_id, "action": "accept_all",
         "categories": ["analytics"], "services": ["yandex_metrica"], "policy_version": 1,
         "banner_version": 1, "language": "kk", "expires_at": expires}
    ).encode()  # fmt: skip


def drive(app: Kelisim, stop: threading.Event, tally: Tally, pace: float | None, gets: int) -> None:
    """One client thread: an event POST (and `gets` widget GETs) per round, `pace` seconds
    apart if given, as fast as answered otherwise."""
    connection = None
    headers = {"Origin": f"http://{HOST}", "Content-Type": "text/plain;charset=UTF-8"}
    next_round = time.monotonic()
    while not stop.is_set():
        if pace:
            next_round += pace
            time.sleep(max(0.0, next_round - time.monotonic()))
        consent_id = str(uuid.uuid4())
        try:
            if connection is None:
                connection = http.client.HTTPConnection(HOST, app.port, timeout=40)
            for _ in range(gets):
                connection.request("GET", f"/w/{app.site_key}.js", headers={})
                connection.getresponse().read()
            connection.request("POST", "/api/v1/events", event_body(app.site_key, consent_id),
                               headers)  # fmt: skip
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            tally.count(0)
            connection = None
            continue
        tally.count(response.status, consent_id, gets)


def run_load(app: Kelisim, threads: int, seconds: float, pace=None, gets=0, during=None) -> Tally:
    tally = Tally([], {})
    stop = threading.Event()
    clients = [
        threading.Thread(target=drive, args=(app, stop, tally, pace, gets), daemon=True)
        for _ in range(threads)
    ]
    for client in clients:
        client.start()
    if during:
        during(seconds)
    else:
        time.sleep(seconds)
    stop.set()
    for client in clients:
        client.join(60)
    return tally


def part_kills(tmp: Path, postgres: PrivatePostgres, seconds: float) -> bool:
    app = start_kelisim(tmp, postgres.url, workers=2)

    def faults(total: float) -> None:
        step = total / 5
        for fault in ("kill", "kill", "restart", "kill"):
            time.sleep(step)
            if fault == "kill":
                workers = app.workers()
                if workers:
                    os.kill(workers[0], signal.SIGKILL)
                    print(f"  SIGKILL worker {workers[0]}")
            else:
                print("  PostgreSQL restart (fast)")
                postgres.restart()
        time.sleep(step)

    print(f"\n== Worker kills and a PostgreSQL restart under load ({seconds:.0f} s, 16 clients)")
    tally = run_load(app, threads=16, seconds=seconds, during=faults)
    key = consent_id_key({"SECRET_KEY": app.env["KELISIM_SECRET_KEY"], "CONSENT_ID_KEY": None})
    hashes = {consent_hash(key, consent_id) for consent_id in tally.acknowledged}
    stored = postgres.count_consents(hashes)
    app.stop()
    missing = len(hashes) - stored
    print(f"  answers: {dict(sorted(tally.statuses.items()))} (0: connection lost)")
    print(f"  acknowledged {len(hashes)}, stored {stored}, missing {missing}")
    return missing == 0


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


def part_soak(tmp: Path, postgres: PrivatePostgres, seconds: float) -> bool:
    app = start_kelisim(tmp, postgres.url, workers=2)
    gets = 4  # a loader GET per page view, an event per few: 4 GETs per POST
    run_load(app, threads=8, seconds=5, gets=gets)  # warm-up
    capacity = run_load(app, threads=8, seconds=15, gets=gets)
    rounds_per_s = sum(capacity.statuses.values()) / 15
    pace = 8 / (rounds_per_s / 2)  # 8 threads together at half the capacity
    print(f"\n== Soak: capacity {rounds_per_s:.0f} rounds/s (1 event POST + {gets} widget GETs);"
          f" {seconds:.0f} s at half of it")  # fmt: skip

    samples: list[tuple[float, int, int]] = []
    cpu_before = cpu_seconds(app.pids() + postgres.pids())

    def sample(total: float) -> None:
        started = time.monotonic()
        while (elapsed := time.monotonic() - started) < total:
            samples.append((elapsed, rss_kib(app.workers()), rss_kib(postgres.pids())))
            time.sleep(min(10.0, total / 12))

    tally = run_load(app, threads=8, seconds=seconds, pace=pace, gets=gets, during=sample)
    cpu = spent(cpu_before, cpu_seconds(app.pids() + postgres.pids()))
    key = consent_id_key({"SECRET_KEY": app.env["KELISIM_SECRET_KEY"], "CONSENT_ID_KEY": None})
    durable = postgres.count_consents({consent_hash(key, c) for c in tally.acknowledged})
    app.stop()

    print(f"  answers: {dict(sorted(tally.statuses.items()))}; widget GETs {tally.widget_gets}")
    print(f"  {'t (s)':>6} {'workers RSS (MiB)':>18} {'PostgreSQL RSS (MiB)':>21}")
    for elapsed, workers, database in samples:
        print(f"  {elapsed:6.0f} {workers / 1024:18.1f} {database / 1024:21.1f}")
    half = len(samples) // 2
    first = statistics.median(s[1] for s in samples[:half] or samples)
    last = statistics.median(s[1] for s in samples[half:])
    growth = (last - first) / first if first else 0.0
    print(f"  workers' memory, median of the second half against the first: {growth:+.1%}")
    per_event_ms = cpu / durable * 1000 if durable else float("nan")
    print(
        f"  CPU per durable event (gunicorn + PostgreSQL, the {gets} GETs included):"
        f" {per_event_ms:.2f} ms over {durable} events; DESIGN.md: {DESIGN_CPU_PER_EVENT_MS} ms"
        " per event alone"
    )
    return durable == len(tally.acknowledged) and growth < 0.10


# -- freeze -------------------------------------------------------------------------------------


class PrivateRedis:
    """A Redis of its own, which may be hung without touching the machine's."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "",
             "--appendonly", "no", "--dir", str(tmp)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        wait_until_up(self.port, self.process, open(os.devnull, "rb"))  # noqa: SIM115

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}"

    def signal(self, number: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, number)

    def stop(self) -> None:
        self.signal(signal.SIGCONT)
        self.process.terminate()
        self.process.wait(timeout=30)


CSRF_FIELD = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def sign_in(app: Kelisim) -> str:
    """The demo owner's session cookie, signed in through the form."""
    connection = http.client.HTTPConnection(HOST, app.port, timeout=30)
    connection.request("GET", "/login")
    response = connection.getresponse()
    token = CSRF_FIELD.search(response.read().decode()).group(1)
    cookie = response.getheader("Set-Cookie").split(";")[0]
    form = urllib.parse.urlencode(
        {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    connection.request("POST", "/login", form, {
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
    })  # fmt: skip
    response = connection.getresponse()
    response.read()
    assert response.status == 302, f"sign-in answered {response.status}"
    return response.getheader("Set-Cookie").split(";")[0]


@dataclass
class Timed:
    kind: str
    started: float
    seconds: float
    status: int  # 0: the connection failed
    consent_id: str | None = None


def timed_requests(app: Kelisim, kind: str, cookie: str, stop: threading.Event, out: list):
    """One client thread asking for one kind of request, five times a second at most."""
    headers = {"Origin": f"http://{HOST}", "Content-Type": "text/plain;charset=UTF-8"}
    while not stop.is_set():
        consent_id = str(uuid.uuid4()) if kind == "event POST" else None
        started = time.monotonic()
        try:
            connection = http.client.HTTPConnection(HOST, app.port, timeout=60)
            if kind == "event POST":
                body = event_body(app.site_key, consent_id)
                connection.request("POST", "/api/v1/events", body, headers)
            elif kind == "loader GET":
                connection.request("GET", f"/w/{app.site_key}.js")
            else:
                page = f"/dashboard/sites/{app.site_key}/settings"
                connection.request("GET", page, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
        finally:
            connection.close()
        out.append(Timed(kind, started, time.monotonic() - started, status, consent_id))
        stop.wait(max(0.0, 0.2 - (time.monotonic() - started)))


def part_freeze(tmp: Path, postgres: PrivatePostgres, freeze_seconds: float) -> bool:
    redis = PrivateRedis(tmp)
    app = start_kelisim(tmp, postgres.url, workers=2, RATELIMIT_STORAGE_URL=redis.url)
    cookie = sign_in(app)
    key = consent_id_key({"SECRET_KEY": app.env["KELISIM_SECRET_KEY"], "CONSENT_ID_KEY": None})
    # README, "Time limits": a request waits for the database at most the statement timeout
    # and 0.5 s (5.5 s; a new connection: the connect timeout, 3 s); for Redis 0.5 s.
    database_bound, redis_bound = 5.5, 0.5
    kinds = {"event POST": 4, "loader GET": 3, "dashboard page": 2}
    print(f"\n== Frozen for {freeze_seconds:.0f} s (SIGSTOP) under load: "
          + ", ".join(f"{n} threads of {kind}" for kind, n in kinds.items()))  # fmt: skip
    print(f"  {'frozen':10} {'kind':15} {'requests':>8} {'longest':>8}  answers")
    ok = True
    try:
        for name, frozen in (
            ("database", [postgres]), ("Redis", [redis]), ("both", [postgres, redis]),
        ):  # fmt: skip
            out: list[Timed] = []
            stop = threading.Event()
            threads = [
                threading.Thread(target=timed_requests, args=(app, kind, cookie, stop, out))
                for kind, n in kinds.items()
                for _ in range(n)
            ]
            for thread in threads:
                thread.start()
            time.sleep(3)
            froze = time.monotonic()
            for server in frozen:
                server.signal(signal.SIGSTOP)
            time.sleep(freeze_seconds)
            for server in frozen:
                server.signal(signal.SIGCONT)
            thawed = time.monotonic()
            time.sleep(8)
            stop.set()
            for thread in threads:
                thread.join(90)
            while_frozen = [r for r in out if froze <= r.started < thawed]
            bound = database_bound if postgres in frozen else redis_bound
            for kind in kinds:
                timed = [r for r in while_frozen if r.kind == kind]
                longest = max((r.seconds for r in timed), default=0.0)
                answers = dict(sorted(Counter(r.status for r in timed).items()))
                print(f"  {name:10} {kind:15} {len(timed):8} {longest:7.2f}s  {answers}")
                ok &= longest <= bound + 1.0  # a busy shared machine's margin
            events = [r for r in out if r.kind == "event POST"]
            acknowledged = {consent_hash(key, r.consent_id) for r in events if r.status == 202}
            refused = {consent_hash(key, r.consent_id) for r in events if r.status == 503}
            stored = postgres.count_consents(acknowledged)
            stored_refused = postgres.count_consents(refused)
            print(f"  {name:10} acknowledged {len(acknowledged)}, stored {stored};"
                  f" answered 503 {len(refused)}, of them stored {stored_refused}")  # fmt: skip
            ok &= stored == len(acknowledged)
            ok &= all(r.status in (200, 202, 503) for r in out if r.kind != "loader GET")
            ok &= all(r.status == 200 for r in out if r.kind == "loader GET")
    finally:
        app.stop()
        redis.stop()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("page", "kills", "soak", "freeze"), action="append")
    parser.add_argument("--soak-seconds", type=float, default=1800)
    parser.add_argument("--kill-seconds", type=float, default=40)
    parser.add_argument("--freeze-seconds", type=float, default=15)
    args = parser.parse_args()
    parts = args.part or ["page", "kills", "freeze", "soak"]
    # Stopped from outside (timeout, Ctrl-C): still stop the cluster and gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    tmp = Path(tempfile.mkdtemp(prefix="kelisim-faults-"))
    os.chmod(tmp, 0o755)  # the postgres user creates its cluster below
    postgres = PrivatePostgres(tmp)
    print("Shared machine: figures move with the neighbours' load.")
    ok = True
    try:
        if "page" in parts:
            ok &= part_page(tmp, postgres)
        if "kills" in parts:
            ok &= part_kills(tmp, postgres, args.kill_seconds)
        if "freeze" in parts:
            ok &= part_freeze(tmp, postgres, args.freeze_seconds)
        if "soak" in parts:
            ok &= part_soak(tmp, postgres, args.soak_seconds)
    finally:
        postgres.signal(signal.SIGCONT)
        with contextlib.suppress(subprocess.CalledProcessError):
            postgres.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("\nall held" if ok else "\nSOMETHING DID NOT HOLD")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
