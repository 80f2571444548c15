"""Security headers on every kind of response Kelisim gives."""

import json
import re

import pytest
from flask import render_template_string

from tests.factories import release_path

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def widget_paths(client, site) -> list[str]:
    banner = release_path(client, site.public_key, "banner.kk.js")
    return [f"/w/{site.public_key}.js", banner, "/w/nope.js"]


@pytest.mark.parametrize("path", ["/", "/no-such-page"])
def test_pages_carry_a_strict_policy(client, path):
    response = client.get(path)
    assert response.mimetype == "text/html"
    for name, value in COMMON.items():
        assert response.headers[name] == value
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'self'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_widget_files_can_be_embedded_by_any_site(client, site):
    for path in widget_paths(client, site):
        response = client.get(path)
        assert response.mimetype == "application/javascript", path
        for name, value in COMMON.items():
            assert response.headers[name] == value
        assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    etag = client.get(widget_paths(client, site)[0]).headers["ETag"]
    not_modified = client.get(widget_paths(client, site)[0], headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.headers["Cross-Origin-Resource-Policy"] == "cross-origin"


@pytest.mark.parametrize(
    "path", ["/api/v1/openapi.json", "/api/v1/sites/nope/config", "/static/kelisim.css"]
)
def test_everything_else_runs_nothing_and_is_never_framed(client, path):
    response = client.get(path)
    response.close()  # a static file is streamed from an open file
    for name, value in COMMON.items():
        assert response.headers[name] == value
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; frame-ancestors 'none'"
    )


def test_an_inline_script_runs_with_the_responses_nonce(app):
    @app.get("/with-inline-script")
    def with_inline_script():
        return render_template_string('<script nonce="{{ csp_nonce() }}">go()</script>')

    response = app.test_client().get("/with-inline-script")
    nonce = re.search(r'nonce="([^"]+)"', response.text).group(1)
    assert f"script-src 'self' 'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
    again = app.test_client().get("/with-inline-script")
    assert nonce not in again.headers["Content-Security-Policy"]


def test_a_page_that_sets_its_own_policy_keeps_it(app):
    @app.get("/own-policy")
    def own_policy():
        return "<p>hi</p>", {"Content-Security-Policy": "default-src 'self' https://x.kz"}

    response = app.test_client().get("/own-policy")
    assert response.headers["Content-Security-Policy"] == "default-src 'self' https://x.kz"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_demo_page_allows_its_trackers_and_its_own_inline_scripts(runner, client):
    details = json.loads(runner.invoke(args=["demo", "--json"]).output)
    response = client.get(f"/demo/{details['site_key']}")
    policy = response.headers["Content-Security-Policy"]
    nonces = set(re.findall(r'nonce="([^"]+)"', response.text))
    assert len(nonces) == 1
    assert f"script-src 'self' 'nonce-{nonces.pop()}' https://mc.yandex.ru" in policy
    assert "onsubmit" not in response.text
    assert "frame-ancestors 'self'" in policy
