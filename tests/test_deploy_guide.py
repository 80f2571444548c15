"""docs/deploy.md's nginx config, as written, in front of the app under gunicorn: an owner
signs in over https in Chromium and reaches the dashboard, links built from the host name it,
the app counts a client by the address nginx saw (never one the client wrote), and the widget
files the guide serves from disk still come when the app is stopped.

The config is taken from the guide's fenced blocks with nothing changed but paths, ports,
the certificate and the upstream's address; the server name stays consent.example.kz, which
Chromium resolves to the test's nginx. KELISIM_NGINX names another nginx binary.
"""

import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from backend.services.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.chromium import launch as chromium_launch
from tests.conftest import self_signed_certificate

pytestmark = [pytest.mark.browser, pytest.mark.nginx]

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "deploy.md"
BIN = Path(sys.executable).parent
NGINX = os.environ.get("KELISIM_NGINX", "/usr/sbin/nginx")
# The guide's names, kept as they are: the browser reaches nginx by this name.
SERVER_NAME = "consent.example.kz"
BASE = f"https://{SERVER_NAME}"
# A fenced nginx block and the file the guide says it goes into ("`/etc/nginx/...`:").
GUIDE_FILE = re.compile(r"`(/etc/nginx/[^`]+\.conf)`:\s*```nginx\n(.*?)```", re.S)
START_SECONDS = 30
# Failed sign-ins one address may make (production's is 30): few, for the forwarding test.
SIGN_IN_IP_LIMIT = 3
CSRF_FIELD = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


def wait_until_listening(port: int, process: subprocess.Popen, log: Path) -> None:
    """Return once something accepts on ``port``; fail with the log if ``process`` ends or
    nothing listens within START_SECONDS."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} exited:\n{log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nothing listened on port {port} within {START_SECONDS} s")


def stop(process: subprocess.Popen) -> None:
    """End the process and everything it started (its own session); SIGINT is a quick
    shutdown to gunicorn and nginx alike."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    # Workers that outlived their master, if any.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def guide_files() -> dict[str, str]:
    """The guide's nginx files: path on the server -> text."""
    files = dict(GUIDE_FILE.findall(GUIDE.read_text()))
    assert "/etc/nginx/conf.d/kelisim.conf" in files, "no nginx config found in docs/deploy.md"
    return files


def substitute(text: str, replacements: dict[str, str]) -> str:
    """``text`` with each pattern replaced; every pattern must occur, so that a changed guide
    fails here instead of reaching for the server's own files."""
    for pattern, replacement in replacements.items():
        text, count = re.subn(pattern, replacement, text)
        assert count, f"{pattern!r} is no longer in docs/deploy.md's nginx config"
    return text


@dataclass
class Deployment:
    """The state directory, the app's settings and the ports nginx and the app listen on."""

    tmp: Path
    env: dict[str, str]
    app_port: int
    https_port: int
    http_port: int
    site_key: str

    @property
    def published(self) -> Path:
        return self.tmp / "published"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Deployment:
    """The app's schema, demo site and owner, and its published widget files, made with the
    guide's commands (`flask db upgrade`, `flask publish-files`) in production mode."""
    tmp = tmp_path_factory.mktemp("deploy")
    app_port = free_port()
    # The app reads only the settings the guide gives it (none of this run's KELISIM_*).
    env = {k: v for k, v in os.environ.items() if not k.startswith("KELISIM_")}
    env.update(
        KELISIM_ENVIRONMENT="production",
        KELISIM_SECRET_KEY=secrets.token_hex(32),
        KELISIM_CONSENT_ID_KEY=secrets.token_hex(32),
        KELISIM_DATABASE_URL=f"sqlite:///{tmp / 'kelisim.sqlite3'}",
        KELISIM_PUBLIC_URL=BASE,
        KELISIM_PUBLISHED_DIR=str(tmp / "published"),
        KELISIM_PROXY_HOPS="1",
        KELISIM_BIND=f"127.0.0.1:{app_port}",
        KELISIM_WORKERS="1",
        KELISIM_RATELIMIT_SIGN_IN_IP=f"{SIGN_IN_IP_LIMIT} per 15 minutes",
        PYTHONDONTWRITEBYTECODE="1",
    )
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    for command in (["db", "upgrade"], ["demo", "--json"], ["publish-files"]):
        done = subprocess.run([*flask, *command], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"flask {' '.join(command)}:\n{done.stderr}"
        if command[0] == "demo":
            site_key = json.loads(done.stdout)["site_key"]
    return Deployment(tmp, env, app_port, free_port(), free_port(), site_key)


@pytest.fixture(scope="module")
def nginx(deployment) -> Iterator[None]:
    """nginx with the guide's config, run as this user from a folder of its own; stopped
    (workers too) when the module's tests are done."""
    if not os.access(NGINX, os.X_OK):
        pytest.fail(f"no nginx at {NGINX}: apt-get install nginx, or set KELISIM_NGINX")
    tmp = deployment.tmp / "nginx"
    for folder in ("logs", "www", "snippets", "temp"):
        (tmp / folder).mkdir(parents=True)
    key, certificate = self_signed_certificate(tmp, SERVER_NAME)
    files = guide_files()
    https = f"127.0.0.1:{deployment.https_port}"
    http = f"127.0.0.1:{deployment.http_port}"
    if ipv6_loopback():
        https6, http6 = f"[::1]:{deployment.https_port}", f"[::1]:{deployment.http_port}"
    else:
        https6 = http6 = None
    replacements = {
        r"/etc/letsencrypt/live/consent\.example\.kz/fullchain\.pem": str(certificate),
        r"/etc/letsencrypt/live/consent\.example\.kz/privkey\.pem": str(key),
        r"/var/log/nginx/": f"{tmp}/logs/",
        r"/var/lib/kelisim/published": str(deployment.published),
        r"/var/www/html": f"{tmp}/www",
        r"/etc/nginx/snippets/": f"{tmp}/snippets/",
        r"server 127\.0\.0\.1:8000;": f"server 127.0.0.1:{deployment.app_port};",
        r"listen 443\b": f"listen {https}",
        r"listen 80\b": f"listen {http}",
        # A machine without IPv6 leaves out the guide's IPv6 lines.
        r"listen \[::\]:443\b": f"listen {https6}" if https6 else "# listen [::]:443",
        r"listen \[::\]:80\b": f"listen {http6}" if http6 else "# listen [::]:80",
    }
    site = substitute(files.pop("/etc/nginx/conf.d/kelisim.conf"), replacements)
    (tmp / "kelisim.conf").write_text(site)
    for path, text in files.items():
        (tmp / "snippets" / Path(path).name).write_text(text)
    # Debian's nginx.conf, reduced to what the guide's file needs; nginx's temporary files
    # and logs in the test's folder. Run as root, workers would otherwise become nobody.
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/logs/access.log;
    client_body_temp_path {tmp}/temp/body;
    proxy_temp_path {tmp}/temp/proxy;
    fastcgi_temp_path {tmp}/temp/fastcgi;
    uwsgi_temp_path {tmp}/temp/uwsgi;
    scgi_temp_path {tmp}/temp/scgi;
    include {tmp}/kelisim.conf;
}}
"""
    )
    command = [NGINX, "-p", f"{tmp}/", "-c", f"{tmp}/nginx.conf", "-e", f"{tmp}/logs/error.log"]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, f"nginx -t refuses docs/deploy.md's config:\n{checked.stderr}"
    log = tmp / "logs" / "nginx.out"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_listening(deployment.https_port, process, tmp / "logs" / "error.log")
        yield
    finally:
        stop(process)


@pytest.fixture
def app_server(deployment) -> Iterator[subprocess.Popen]:
    """The app under gunicorn with the shipped settings, as the guide's systemd unit runs it."""
    log = deployment.tmp / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:backend.gunicorn_config", "wsgi:app"],
            cwd=ROOT,
            env=deployment.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_listening(deployment.app_port, process, log)
        yield process
    finally:
        stop(process)


@pytest.fixture(scope="module")
def browser(playwright, deployment, nginx):
    """Chromium in which consent.example.kz is the test's nginx (https and http)."""
    rules = (
        f"MAP {SERVER_NAME}:443 127.0.0.1:{deployment.https_port}, "
        f"MAP {SERVER_NAME}:80 127.0.0.1:{deployment.http_port}"
    )
    chromium = chromium_launch(playwright, f"--host-resolver-rules={rules}")
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(ignore_https_errors=True, locale="en-GB")
    yield context.new_page()
    context.close()


def test_an_owner_signs_in_through_nginx_and_links_name_the_server(page, deployment, app_server):
    # Plain http is sent to https first.
    page.goto(f"http://{SERVER_NAME}/login")
    expect(page).to_have_url(f"{BASE}/login")
    protocol = page.evaluate("performance.getEntriesByType('navigation')[0].nextHopProtocol")
    assert protocol == "h2"

    page.locator("[name=email]").fill(DEMO_EMAIL)
    page.locator("[name=password]").fill(DEMO_PASSWORD)
    with page.expect_response(
        lambda response: response.request.method == "POST" and response.url == f"{BASE}/login"
    ) as signed_in:
        page.locator("main form button[type=submit]").click()
    answer = signed_in.value
    assert answer.status == 302, f"POST /login answered {answer.status} through nginx"
    expect(page).to_have_url(f"{BASE}/dashboard/")
    expect(page.get_by_role("link", name="Kelisim demo cinema")).to_be_visible()

    page.goto(f"{BASE}/dashboard/sites/{deployment.site_key}/tokens")
    expect(page.locator("pre.snippet code").first).to_contain_text(
        f'"{BASE}/api/v1/sites/{deployment.site_key}/stats?from='
    )


def test_the_widget_files_come_from_disk_while_the_app_is_stopped(page, deployment, app_server):
    key = deployment.site_key
    release_folder = deployment.published / "w" / key / "current"
    release = os.readlink(release_folder)
    banner = sorted(release_folder.glob("banner.*.js"))[0]
    files = {
        f"{BASE}/w/{key}.js": release_folder / "loader.js",
        f"{BASE}/w/{key}/{release}/{banner.name}": banner,
    }
    for url in files:
        assert page.goto(url).status == 200, url
    stop(app_server)
    assert page.goto(f"{BASE}/login").status == 502  # the app is down
    for url, path in files.items():
        response = page.goto(url)
        assert response.status == 200, url
        assert response.body() == path.read_bytes(), url
        assert response.headers["cross-origin-resource-policy"] == "cross-origin"
        assert response.headers["content-type"] == "application/javascript; charset=utf-8"


def test_the_app_counts_sign_ins_by_the_address_nginx_saw_not_one_a_client_wrote(
    deployment, nginx, app_server
):
    """nginx replaces X-Forwarded-For, and KELISIM_PROXY_HOPS=1 believes only that: failed
    sign-ins from one client are throttled together whatever addresses it claims."""
    connection = http.client.HTTPSConnection(
        "127.0.0.1", deployment.https_port, context=ssl._create_unverified_context(), timeout=30
    )
    host = {"Host": SERVER_NAME}
    connection.request("GET", "/login", headers=host)
    page = connection.getresponse()
    cookie = page.getheader("Set-Cookie").split(";")[0]
    token = CSRF_FIELD.search(page.read().decode()).group(1)
    statuses = []
    for attempt in range(SIGN_IN_IP_LIMIT + 1):
        form = {"email": f"guess{attempt}@example.kz", "password": "not the password"}
        connection.request(
            "POST",
            "/login",
            body=urlencode(form | {"csrf_token": token}),
            headers=host
            | {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Referer": f"{BASE}/login",
                "X-Forwarded-For": f"203.0.113.{attempt + 1}",
            },
        )
        answer = connection.getresponse()
        answer.read()
        statuses.append(answer.status)
    connection.close()
    assert statuses == [422] * SIGN_IN_IP_LIMIT + [429]
