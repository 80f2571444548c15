"""The widget files and the public config: compression, caching, and what they may contain."""

import gzip
import json

import brotli
import pytest

from backend.banner_texts import texts_for
from backend.extensions import db
from backend.services.colours import theme
from backend.services.publishing import FIRST_LAYER_TEXTS, texts_hash
from tests.conftest import built_in_config
from tests.factories import make_service, make_site, release_path

OWNER_ONLY = {
    "domains", "allow_subdomains", "retention_months", "timezone", "memberships", "users",
    "role", "password_hash", "config_version", "created_at",
}  # fmt: skip


FILES = {"loader.js": "kelisim.js", "banner.ru.js": "banner.js", "texts.ru.js": "texts.js"}


@pytest.mark.parametrize("file", FILES)
def test_widget_files_are_javascript_with_the_config_built_in(client, site, file):
    key = site.public_key
    path = f"/w/{key}.js" if file == "loader.js" else release_path(client, key, file)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/javascript; charset=utf-8"
    assert b"__KELISIM_" not in response.data
    config = built_in_config(response.data, FILES[file])
    if file == "loader.js":
        # The loader is checked again within minutes; the files of its release never change.
        assert response.headers["Cache-Control"] == "public, max-age=300"
        release = f"{site.config_version}-"
        assert config["files"].startswith(f"http://localhost/w/{key}/{release}")
        assert [s["id"] for s in config["services"]] == ["yandex_metrica", "google_analytics"]
    else:
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert config["language"] == "ru"  # the site's default
        assert set(config["services"]) == {"yandex_metrica", "google_analytics"}


def test_loader_carries_gating_and_leaves_texts_to_the_banner(client, site):
    loader = built_in_config(client.get(f"/w/{site.public_key}.js").data)
    assert {"texts", "operator", "texts_hash"}.isdisjoint(loader)
    assert all({"info", "cookies"}.isdisjoint(s) for s in loader["services"])
    assert loader["languages"] == ["kk", "ru", "en"] and loader["default_language"] == "ru"
    ga = loader["services"][1]
    assert ga["src"] == "https://www.googletagmanager.com/gtag/js?id=G-TEST1"
    assert "src" not in loader["services"][0], "a pasted Metrica is not loaded by the widget"


@pytest.mark.parametrize("served", ["kk", "ru", "en"])
def test_banner_carries_one_language_with_its_texts_hash(client, site, served):
    body = client.get(release_path(client, site.public_key, f"banner.{served}.js")).data
    banner = built_in_config(body, "banner.js")
    assert banner["language"] == served
    texts = texts_for(served)
    assert banner["texts"]["accept_all"] == texts["accept_all"]
    assert banner["texts_hash"] == texts_hash(texts)
    for other in {"kk", "ru", "en"} - {served}:
        assert texts_for(other)["accept_all"].encode() not in body
    assert banner["operator"]["policy_url"] == (
        "https://example.kz/privacy" if served == "ru" else None
    )
    assert banner["services"]["yandex_metrica"]["cookies"][0] == "_ym_uid"
    # Pasted trackers the site did not configure are held by category; a withdrawal deletes
    # their cookies by category too (GTM sets none, Metrica and GA4 are configured).
    unconfigured = banner["unconfigured_cookies"]
    assert list(unconfigured) == ["marketing"]
    assert {"_fbp", "tmr_lvid", "_ttp", "ttcsid", "ttcsid_*"} <= set(unconfigured["marketing"])


def test_texts_script_hands_another_language_to_the_banner(client, site):
    body = client.get(release_path(client, site.public_key, "texts.kk.js")).data
    # Hands them to the banner's entry point on the shared object (its name shortened by the
    # build).
    assert body.startswith(b"window.kelisim._.")
    texts = built_in_config(body, "texts.js")
    assert texts["language"] == "kk" and texts["texts_hash"] == texts_hash(texts_for("kk"))


def test_banner_names_what_a_consent_must_name(client):
    """Law No. 94-V, Art. 8: operator and BIN, term, recipients, countries abroad, data."""
    site = make_site(domains=["example.kz"], legal_name="ТОО «Кино»", consent_days=90)
    make_service(site, "yandex_metrica", options={"counter_id": "1"})
    make_service(site, "google_analytics", options={"measurement_id": "G-1"})
    make_service(
        site,
        "custom",
        slug="chat",
        options={"src": "https://chat.kz/a.js", "provider": "ТОО «Чат»", "country": "Kazakhstan"},
    )
    db.session.commit()
    banner = built_in_config(
        client.get(release_path(client, site.public_key, "banner.en.js")).data, "banner.js"
    )
    assert banner["legal"] == (
        "ТОО «Кино», BIN 150440012344. Consent is valid for 90 days. Recipients: Yandex LLC, "
        "Google LLC, ТОО «Чат». Data is transferred abroad to: Russia, USA. Data collected: "
        "pseudonymous identifiers in cookies, pages visited, device and browser type, "
        "approximate region."
    )
    # The settings layer's operator line comes with texts.js, the language's whole pack.
    texts = built_in_config(
        client.get(release_path(client, site.public_key, "texts.en.js")).data, "texts.js"
    )
    assert texts["operator"]["line"].startswith("ТОО «Кино» · BIN 150440012344 · Address: ")
    assert texts["legal"] == banner["legal"]


def test_banner_carries_its_first_layer_and_texts_js_the_rest(client, site):
    banner = built_in_config(
        client.get(release_path(client, site.public_key, "banner.ru.js")).data, "banner.js"
    )
    texts = built_in_config(
        client.get(release_path(client, site.public_key, "texts.ru.js")).data, "texts.js"
    )
    assert set(banner["texts"]) == set(FIRST_LAYER_TEXTS) < set(texts["texts"])
    assert banner["texts"]["accept_all"] == texts["texts"]["accept_all"] == "Принять все"
    assert "save" in texts["texts"] and "service_provider" in texts["texts"]
    # Withdrawal deletes the services' cookies from the first layer on; the rest of their
    # details are the settings layer's.
    assert banner["services"] == {
        key: {"cookies": service["cookies"]} for key, service in texts["services"].items()
    }
    assert banner["operator"] == {"policy_url": texts["operator"]["policy_url"]}
    # One set of texts: events from either layer carry the same hash.
    assert banner["texts_hash"] == texts["texts_hash"]


def test_loader_carries_the_first_calls_of_managed_vendors_only(client, site):
    plain = client.get(f"/w/{site.public_key}.js").data
    assert b"measurement_id" in plain and b"fbq" not in plain  # GA managed, no Meta pixel
    make_service(site, "meta_pixel", managed=True, options={"pixel_id": "1"})
    db.session.commit()
    assert b"fbq" in client.get(f"/w/{site.public_key}.js").data


def test_loader_config_has_short_keys_on_the_wire_and_vendor_options_as_they_are(client, site):
    body = client.get(f"/w/{site.public_key}.js").data
    for key in (b"languages", b"reconsent_from", b"services", b"category", b"kinds", b"files"):
        assert b'"%s":' % key not in body
    # The options go to the vendors' first calls as they are.
    assert b'"measurement_id":"G-TEST1"' in body
    loader = built_in_config(body)  # every key short, read back
    assert loader["reconsent_from"] == 1 and loader["services"][1]["category"] == "analytics"


def test_loader_carries_the_floating_button_only_where_the_site_shows_it(client, site):
    # Switching the button on or off is a change visitors see: a new loader is published.
    def loader() -> tuple[bytes, str]:
        body = client.get(f"/w/{site.public_key}.js").data
        return body, built_in_config(body)["files"]

    without, release = loader()
    assert b"kelisim-fab" not in without and "floating_button" not in built_in_config(without)
    site.appearance = {**site.appearance, "floating_button": True}
    db.session.commit()
    with_button, release_with = loader()
    assert b"kelisim-fab" in with_button and release_with != release
    site.appearance = {**site.appearance, "floating_button": False}
    db.session.commit()
    again, release_again = loader()
    assert b"kelisim-fab" not in again and release_again not in (release, release_with)
    assert len(with_button) - len(without) > 400  # its code, not a flag in the config


def test_gpc_notice_comes_with_the_settings_layer_only(client, site):
    # The notice is the settings layer's, which texts.js carries (one file for every
    # browser: a web server serves it as it is).
    texts = client.get(release_path(client, site.public_key, "texts.en.js"))
    banner = client.get(release_path(client, site.public_key, "banner.en.js"))
    assert built_in_config(texts.data, "texts.js")["texts"]["gpc_notice"].startswith("Your browser")
    assert "gpc_notice" not in built_in_config(banner.data, "banner.js")["texts"]
    assert texts.headers["Vary"] == "Accept-Encoding"


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two #rgb or #rrggbb colours."""

    def luminance(colour: str) -> float:
        if len(colour) == 4:
            colour = "#" + "".join(c * 2 for c in colour[1:])
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    darker, lighter = sorted((luminance(first), luminance(second)))
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("channel", ["{0}{0}{0}", "{0}0000", "00{0}00", "0000{0}", "{0}{0}00"])
def test_every_accent_keeps_text_and_links_at_4_5_to_1(channel):
    for level in range(256):
        accent = "#" + channel.format(f"{level:02x}")
        colours = theme(accent)
        assert contrast(colours["on_accent"], accent) >= 4.5, accent
        assert contrast(colours["link"], "#fff") >= 4.5, accent


@pytest.mark.parametrize(
    ("accent", "expected"),
    [
        ("#1f5fbf", ("#1f5fbf", "#fff", "#1f5fbf")),
        ("#ffd700", ("#ffd700", "#000", "#1a1a1a")),  # light: dark text and links
        ("red;}*{display:none", ("#1f5fbf", "#fff", "#1f5fbf")),  # never CSS of its own
    ],
)
def test_banner_colours_keep_contrast_and_are_only_ever_colours(client, accent, expected):
    site = make_site(domains=["example.kz"], appearance={"accent": accent})
    db.session.commit()
    banner = built_in_config(
        client.get(release_path(client, site.public_key, "banner.ru.js")).data, "banner.js"
    )
    colours = banner["theme"]
    assert (colours["accent"], colours["on_accent"], colours["link"]) == expected


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
    site.default_language = "kk"
    db.session.commit()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert built_in_config(response.data)["default_language"] == "kk"


@pytest.mark.parametrize(
    "path",
    [
        "/w/nope.js",
        "/w/nope/1-0123456789/banner.ru.js",
        "/w/a%00b.js",
        "/w/{key}/1-0123456789/banner.ru.js",  # no such release
        "/w/{key}/{release}/banner.de.js",  # a language the site does not offer
        "/w/{key}/{release}/loader.js",  # not fetched from a release
        "/w/{key}/{release}/site.json",  # the snapshot is not public
        "/w/{key}/banner.js",  # the URL before releases
    ],
)
def test_unknown_files_are_a_404_that_is_still_javascript(client, site, path):
    release = release_path(client, site.public_key, "").split("/")[-2]
    response = client.get(path.format(key=site.public_key, release=release))
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
    key = site.public_key
    configs = [
        built_in_config(client.get(f"/w/{site.public_key}.js").data),
        built_in_config(client.get(release_path(client, key, "banner.ru.js")).data, "banner.js"),
        built_in_config(client.get(release_path(client, key, "texts.kk.js")).data, "texts.js"),
        client.get(f"/api/v1/sites/{site.public_key}/config").json,
    ]
    for config in configs:
        assert not all_keys(config) & OWNER_ONLY
        assert owner_email not in json.dumps(config)
    assert set(configs[3]) == {
        "site", "version", "api", "languages", "default_language", "policy",
        "consent_days", "respect_dnt", "appearance", "operator", "services", "texts",
        "texts_hash",
    }  # fmt: skip


def test_hostile_texts_are_data_not_code(client):
    hostile = '</script><img src=x onerror=alert(1)>"\u2028'
    site = make_site(domains=["example.kz"], texts={"ru": {"title": hostile}})
    db.session.commit()
    config = client.get(f"/api/v1/sites/{site.public_key}/config").json
    assert config["texts"]["ru"]["title"] == hostile
    banner = built_in_config(
        client.get(release_path(client, site.public_key, "banner.ru.js")).data, "banner.js"
    )
    assert banner["texts"]["title"] == hostile


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
        cache = app.extensions["kelisim.delivery"].sites
        [entry] = cache._entries.values()
        again = client.get(f"/w/{site.public_key}.js")
        assert again.data == first.data
        assert list(cache._entries.values())[0].site is entry.site

    def test_made_up_hosts_cannot_grow_the_cache_without_end(self, client, site, app):
        cache = app.extensions["kelisim.delivery"].sites
        cache.max_entries = 3
        for n in range(10):
            response = client.get(f"/w/{site.public_key}.js", base_url=f"http://h{n}.example")
            assert response.status_code == 200
        assert [base for _, base in cache._entries] == [f"http://h{n}.example/" for n in (7, 8, 9)]
