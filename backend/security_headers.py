"""Security headers on every response, added by one after-request hook.

Each kind of response gets what it needs:
- pages for people (HTML): a strict Content-Security-Policy, with a per-request nonce for the
  inline scripts and styles a template marks with ``nonce="{{ csp_nonce() }}"``; framed only
  by Kelisim's own pages;
- widget files (/w/): readable from any site, as scripts (CORP cross-origin, CORS *), since
  operators' pages on other origins embed them;
- everything else (JSON, CSV, CSS): no content may run or be framed.
A view that sets a header itself keeps its value (the demo operator page brings the policy
an operator's page would have).

Hand-written rather than Flask-Talisman: the headers are fixed strings, and the widget GET,
which every page view of every site pays, must stay near a hello-world response.
"""

import secrets

from flask import Flask, Response, request

from backend.web import WIDGET_PREFIX

NONCE_BYTES = 16
NONCE_KEY = "kelisim.csp_nonce"

COMMON = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    (
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
    ),
)
WIDGET = (
    *COMMON,
    ("Cross-Origin-Resource-Policy", "cross-origin"),
    ("Access-Control-Allow-Origin", "*"),
)
NOTHING_RUNS = (
    *COMMON,
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)
PAGE = (
    *COMMON,
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)


def page_policy(nonce: str | None, third_parties: tuple[str, ...] = ()) -> str:
    """The Content-Security-Policy of a page: its inline tags need the nonce; scripts,
    requests, images and frames may also come from ``third_parties`` (a tracker's hosts)."""
    inline = f" 'nonce-{nonce}'" if nonce else ""
    hosts = "".join(f" {host}" for host in third_parties)
    return (
        f"default-src 'self'; script-src 'self'{inline}{hosts}; style-src 'self'{inline};"
        f" img-src 'self' data:{hosts}; connect-src 'self'{hosts};"
        f"{f' frame-src{hosts};' if hosts else ''} object-src 'none'; base-uri 'none';"
        " form-action 'self'; frame-ancestors 'self'"
    )


def csp_nonce() -> str:
    """This response's nonce (made on first use) for inline <script> and <style> tags."""
    # Kept with the request: `g` belongs to the app context, which may outlive a request.
    nonce = request.environ.get(NONCE_KEY)
    if nonce is None:
        nonce = request.environ[NONCE_KEY] = secrets.token_urlsafe(NONCE_BYTES)
    return nonce


def add_headers(response: Response) -> Response:
    headers = response.headers
    if request.path.startswith(WIDGET_PREFIX):
        fixed = WIDGET
    elif response.mimetype == "text/html":
        fixed = PAGE
        headers.setdefault("Content-Security-Policy", page_policy(request.environ.get(NONCE_KEY)))
    else:
        fixed = NOTHING_RUNS
    for name, value in fixed:
        headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(add_headers)
