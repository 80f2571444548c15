"""The widget files and the public config: compression, caching, and what they may contain."""

import gzip
import json

import brotli
import pytest

from backend.extensions import db
from tests.factories import make_site

OWNER_ONLY = {
    "domains", "allow_subdomains", "retention_months", "timezone", "memberships", "users",
    "role", "password_hash", "config_version", "created_at",
}  # fmt: skip


def built_in_config(body: bytes) -> dict:
    """The JSON object the server put where the widget's config token was."""
    text = body.decode()
    start = text.index('{"site"')
    return json.JSONDecoder().raw_decode(text[start:])[0]


@pytest.mark.parametrize("path", ["/w/{key}.js", "/w/{key}/banner.js"])
def test_widget_files_are_javascript_with_the_config_built_in(client, site, path):
    response = client.get(path.format(key=site.public_key))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/javascript; charset=utf-8"
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert b"__KELISIM_CONFIG__" not in response.data
    config = built_in_config(response.data)
    assert config["site"] == site.public_key
    assert [s["id"] for s in config["services"]] == ["yandex_metrica", "google_analytics"]


def test_loader_leaves_banner_texts_to_the_banner(client, site):
    loader = built_in_config(client.get(f"/w/{site.public_key}.js").data)
    banner = built_in_config(client.get(f"/w/{site.public_key}/banner.js").data)
    assert "texts" not in loader and "operator" not in loader
    assert all("info" not in s for s in loader["services"])
    assert set(banner["texts"]) == {"kk", "ru", "en"}
    assert banner["texts"]["kk"]["accept_all"] != banner["texts"]["en"]["accept_all"]
    assert banner["operator"]["bin"] == site.bin
    assert loader["banner"].endswith(f"/w/{site.public_key}/banner.js?v={site.config_version}")


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [
        ("br, gzip", "br", brotli.decompress),
        ("gzip, deflate", "gzip", gzip.decompress),
        ("", None, lambda body: body),
    ],
)
def test_compression_follows_accept_encoding(client, site, accept, encoding, decode):
    plain = client.get(f"/w/{site.public_key}.js", headers={"Accept-Encoding": ""}).data
    response = client.get(f"/w/{site.public_key}.js", headers={"Accept-Encoding": accept})
    assert response.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert decode(response.data) == plain
    if encoding:
        assert len(response.data) < len(plain)


@pytest.mark.parametrize("path", ["/w/{key}.js", "/api/v1/sites/{key}/config"])
def test_strong_etag_and_304(client, site, path):
    url = path.format(key=site.public_key)
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]
    assert not etag.startswith("W/")
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    # Another encoding is another representation, with its own strong ETag.
    other = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert other.status_code == 200
    assert other.headers["ETag"] != etag


def test_a_change_the_widget_sees_gives_a_new_etag(client, site):
    url = f"/w/{site.public_key}.js"
    etag = client.get(url).headers["ETag"]
    site.consent_days = 90
    db.session.commit()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert built_in_config(response.data)["consent_days"] == 90


@pytest.mark.parametrize("path", ["/w/nope.js", "/w/nope/banner.js", "/w/a%00b.js"])
def test_unknown_key_is_a_404_that_is_still_javascript(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/javascript"
    body = response.data.decode().strip()
    assert body.startswith("/*") and body.endswith("*/") and body.count("*/") == 1


def all_keys(data) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for value in data.values() for k in all_keys(value)}
    if isinstance(data, list):
        return {k for value in data for k in all_keys(value)}
    return set()


def test_public_config_has_no_owner_only_field(client, site):
    owner_email = site.memberships[0].user.email
    configs = [
        built_in_config(client.get(f"/w/{site.public_key}.js").data),
        built_in_config(client.get(f"/w/{site.public_key}/banner.js").data),
        client.get(f"/api/v1/sites/{site.public_key}/config").json,
    ]
    for config in configs:
        assert not all_keys(config) & OWNER_ONLY
        assert owner_email not in json.dumps(config)
    assert set(configs[2]) == {
        "site", "version", "api", "banner", "languages", "default_language", "policy",
        "consent_days", "respect_dnt", "appearance", "operator", "services", "texts",
        "texts_hash",
    }  # fmt: skip


def test_hostile_texts_are_data_not_code(client):
    hostile = '</script><img src=x onerror=alert(1)>"\u2028'
    site = make_site(domains=["example.kz"], texts={"ru": {"title": hostile}})
    db.session.commit()
    config = client.get(f"/api/v1/sites/{site.public_key}/config").json
    assert config["texts"]["ru"]["title"] == hostile
    banner = built_in_config(client.get(f"/w/{site.public_key}/banner.js").data)
    assert banner["texts"]["ru"]["title"] == hostile


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [("https://example.kz", True), ("https://evil.example", False), (None, False)],
)
def test_config_cors_only_for_the_sites_domains(client, site, origin, allowed):
    headers = {"Origin": origin} if origin else {}
    response = client.get(f"/api/v1/sites/{site.public_key}/config", headers=headers)
    assert response.status_code == 200
    assert response.headers.get("Access-Control-Allow-Origin") == (origin if allowed else None)
    assert "Origin" in response.headers["Vary"]


class TestProcessCache:
    @pytest.fixture
    def app_config(self):
        return {"WIDGET_CACHE_SECONDS": 60}

    def test_cached_snapshot_serves_without_rebuilding(self, client, site, app):
        first = client.get(f"/w/{site.public_key}.js")
        cache = app.extensions["kelisim.published"]
        [(_, snapshot)] = cache._entries.values()
        again = client.get(f"/w/{site.public_key}.js")
        assert again.data == first.data
        assert list(cache._entries.values())[0][1] is snapshot

    def test_made_up_hosts_cannot_grow_the_cache_without_end(self, client, site, app):
        cache = app.extensions["kelisim.published"]
        cache.max_entries = 3
        for n in range(10):
            response = client.get(f"/w/{site.public_key}.js", base_url=f"http://h{n}.example")
            assert response.status_code == 200
        assert [base for _, base in cache._entries] == [f"http://h{n}.example/" for n in (7, 8, 9)]
