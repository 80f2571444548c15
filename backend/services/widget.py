"""What a site publishes to visitors: its public config and the widget files built from it.

Building them costs database queries and compression, so each process keeps them for a few
seconds (WIDGET_CACHE_SECONDS) and rebuilds only when the site's config version has moved.
"""

import hashlib
import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import brotli
import sqlalchemy as sa
import zopfli.gzip
from sqlalchemy.orm import Session, selectinload

from backend.banner_texts import texts_for
from backend.models import Service, Site, host_matches
from backend.schemas.public import SiteConfigSchema
from backend.service_catalog import KINDS, describe

TOKEN = re.compile(rb"__KELISIM_([A-Z]+)__")
# What the loader, which every page view downloads, needs: gating, not the banner.
LOADER_FIELDS = ("languages", "default_language")
LOADER_SERVICE_FIELDS = ("id", "kind", "category", "managed", "options")
INFO_FIELDS = ("name", "provider", "country", "purpose", "term")
# Texts the server fills into the banner's legal notice and operator line (banner_config);
# the banner itself never needs them.
SERVER_FILLED_TEXTS = (
    "operator_bin",
    "operator_address",
    "consent_term",
    "third_parties",
    "cross_border",
    "data_collected",
)
HOME_COUNTRY = {"kazakhstan", "қазақстан", "казахстан"}
DEFAULT_ACCENT = "#1f5fbf"
HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


@dataclass
class Representation:
    """One response body, compressed on first use into whatever encodings clients ask for."""

    body: bytes

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.body).hexdigest()[:32]

    @cached_property
    def gzip(self) -> bytes:
        # Zopfli writes standard gzip about 1 % smaller than zlib's level 9: some 25 B off
        # the loader every page view downloads, for 15-40 ms once per file and snapshot.
        return zopfli.gzip.compress(self.body)

    @cached_property
    def br(self) -> bytes:
        return brotli.compress(self.body, quality=11)


@dataclass(eq=False)  # compared and hashed by identity: one snapshot, one object
class PublishedSite:
    """A snapshot of one site as visitors see it, at one config version."""

    id: int
    key: str
    version: int
    timezone: str
    domains: tuple[str, ...]
    allow_subdomains: bool
    config: dict[str, Any]
    _files: dict[str, Representation] = field(default_factory=dict, repr=False)

    def origin_allowed(self, hostname: str | None) -> bool:
        return host_matches(hostname, self.domains, self.allow_subdomains)

    def language(self, wanted: str | None) -> str:
        """``wanted`` if the site offers it, else the site's default language."""
        return wanted if wanted in self.config["languages"] else self.config["default_language"]

    def representation(
        self,
        name: str,
        templates: "WidgetTemplates",
        language: str | None = None,
        gpc: bool = False,
    ) -> Representation:
        """The config JSON, the loader, or the banner (or its texts) in one language, for a
        browser with or without Global Privacy Control, each built once per snapshot."""
        key = f"{name}:{language}:{gpc}" if language else name
        if key not in self._files:
            if name == "config":
                body = json_bytes(self.config)
            elif name == "loader":
                managed = (s["kind"] for s in self.config["services"] if s["managed"])
                body = templates.render("kelisim.js", loader_config(self.config), managed)
            else:  # "banner" or "texts"
                body = templates.render(f"{name}.js", banner_config(self.config, language, gpc))
            self._files[key] = Representation(body)
        return self._files[key]


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def texts_hash(texts: dict[str, str]) -> str:
    """A fingerprint of the exact texts shown, stored with each event as proof."""
    canonical = json.dumps(texts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def public_config(site: Site, base_url: str) -> dict[str, Any]:
    """Everything the widget needs, and nothing an owner would not publish."""
    base_url = base_url.rstrip("/")
    texts = {lang: texts_for(lang, site.texts.get(lang)) for lang in site.languages}
    return SiteConfigSchema().dump(
        {
            "site": site.public_key,
            "version": site.config_version,
            "api": f"{base_url}/api/v1",
            "languages": list(site.languages),
            "default_language": site.default_language,
            "policy": {"version": site.policy_version, "reconsent_from": site.reconsent_from},
            "consent_days": site.consent_days,
            "respect_dnt": site.respect_dnt,
            "appearance": dict(site.appearance),
            "operator": {
                "name": site.legal_name,
                "bin": site.bin,
                "address": site.address,
                "email": site.contact_email,
                "policy_urls": dict(site.policy_urls),
            },
            "services": [_service_config(service, site.languages) for service in site.services],
            "texts": texts,
            "texts_hash": {lang: texts_hash(t) for lang, t in texts.items()},
        }
    )


def _service_config(service: Service, languages: list[str]) -> dict[str, Any]:
    options = dict(service.options)
    info = {}
    for lang in languages:
        described = describe(service.kind, lang)
        # A custom service brings its own description in its options.
        info[lang] = {key: options.get(key) or described[key] for key in INFO_FIELDS}
    cookies = options.pop("cookies", None) or list(describe(service.kind, languages[0])["cookies"])
    for key in INFO_FIELDS:
        options.pop(key, None)
    return {
        "id": service.slug,
        "kind": service.kind,
        "category": service.category,
        "managed": service.managed,
        "options": options,
        "cookies": cookies,
        "info": info,
    }


def loader_config(config: dict[str, Any]) -> dict[str, Any]:
    """The part of the config every page view needs: gating, not the banner.

    ``banner`` is the URL of banner.js at this config version; the loader adds the language."""
    slim = {key: config[key] for key in LOADER_FIELDS}
    # Whether a stored decision still counts; the current version is the banner's business.
    slim["reconsent_from"] = config["policy"]["reconsent_from"]
    slim["banner"] = f"{widget_base(config)}/w/{config['site']}/banner.js?v={config['version']}"
    if config["appearance"].get("floating_button"):
        slim["floating_button"] = True
    slim["services"] = [_loader_service(service) for service in config["services"]]
    return slim


def widget_base(config: dict[str, Any]) -> str:
    """The URL the widget files and the API are under."""
    return config["api"].removesuffix("/api/v1")


def _loader_service(service: dict[str, Any]) -> dict[str, Any]:
    """A service as the loader sees it; ``src`` is the script it loads when managed (or, for
    a custom service, the script it holds when pasted)."""
    slim = {key: service[key] for key in LOADER_SERVICE_FIELDS}
    # Left out: the script (below), and Consent Mode "basic", the loader's default.
    slim["options"] = {
        key: value
        for key, value in service["options"].items()
        if key != "src" and (key, value) != ("consent_mode", "basic")
    }
    if service["managed"] or service["options"].get("src"):
        slim["src"] = KINDS[service["kind"]].script_url(service["options"])
    if not service["managed"]:
        del slim["managed"]
    return slim


def banner_config(config: dict[str, Any], language: str, gpc: bool = False) -> dict[str, Any]:
    """What the banner needs beyond the loader's config, in one language: its texts (and
    their hash, sent with each event), the operator, the services' details, the look.

    The legal notice and the operator line are filled in here, once, rather than by code
    that every visitor would download; the notice about Global Privacy Control goes only to
    browsers that send it."""
    texts = config["texts"][language]
    operator = config["operator"]
    infos = {service["id"]: service["info"][language] for service in config["services"]}
    optional = [infos[s["id"]] for s in config["services"] if s["category"] != "necessary"]
    appearance = config["appearance"]
    accent = appearance.get("accent")
    accent = accent if isinstance(accent, str) and HEX_COLOUR.fullmatch(accent) else DEFAULT_ACCENT
    pack = {
        # Where texts.js and the events API are, and what each event names.
        "site": config["site"],
        "version": config["version"],
        "base": widget_base(config),
        "language": language,
        "texts": {
            key: value
            for key, value in texts.items()
            if key not in SERVER_FILLED_TEXTS and (gpc or key != "gpc_notice")
        },
        "texts_hash": config["texts_hash"][language],
        "policy_version": config["policy"]["version"],
        "legal": legal_notice(texts, operator, config["consent_days"], optional),
        "operator": {
            "line": operator_line(texts, operator),
            "email": operator.get("email"),
            "policy_url": operator.get("policy_urls", {}).get(language),
        },
        "services": {
            service["id"]: {**infos[service["id"]], "cookies": service["cookies"]}
            for service in config["services"]
        },
        "unconfigured_cookies": unconfigured_cookies(config["services"]),
        "days": config["consent_days"],
        "theme": theme(accent),
    }
    # Defaults are left out: the banner assumes them.
    if config["respect_dnt"]:
        pack["respect_dnt"] = True
    if appearance.get("position") in ("top", "center"):
        pack["position"] = appearance["position"]
    return pack


def unconfigured_cookies(services: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The cookies of the known trackers a site did not configure, by the category the
    loader holds such a tracker for when it is pasted: a withdrawal deletes them too."""
    configured = {service["kind"] for service in services}
    cookies: dict[str, list[str]] = {}
    for kind in KINDS.values():
        if kind.kind not in configured and kind.cookies:
            cookies.setdefault(kind.default_category, []).extend(kind.cookies)
    return cookies


def _unique(values) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def _fill(text: str, name: str, value: Any) -> str:
    # Not %-formatting: an owner's text with a stray "%" must not break the banner.
    return text.replace(f"%({name})s", str(value))


def legal_notice(
    texts: dict[str, str], operator: dict[str, Any], days: int, infos: list[dict[str, Any]]
) -> str:
    """What a consent must name (Law No. 94-V, Art. 8): the operator, the term, the
    recipients, the countries the data goes to, the data collected."""
    providers = _unique(info["provider"] for info in infos)
    countries = [c for c in _unique(i["country"] for i in infos) if c.lower() not in HOME_COUNTRY]
    name, bin_ = operator.get("name"), operator.get("bin")
    sentences = [
        name and (f"{name}, {texts['operator_bin']} {bin_}" if bin_ else name),
        _fill(texts["consent_term"], "days", days),
        providers and _fill(texts["third_parties"], "providers", ", ".join(providers)),
        countries and _fill(texts["cross_border"], "countries", ", ".join(countries)),
        texts["data_collected"],
    ]
    return " ".join(f"{s.rstrip('.')}." for s in sentences if s)


def operator_line(texts: dict[str, str], operator: dict[str, Any]) -> str:
    """The operator's name, BIN and address, as the settings layer shows them."""
    name, bin_, address = (operator.get(key) for key in ("name", "bin", "address"))
    parts = [
        name,
        bin_ and f"{texts['operator_bin']} {bin_}",
        address and f"{texts['operator_address']}: {address}",
    ]
    return " · ".join(part for part in parts if part)


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a #rgb or #rrggbb colour."""
    digits = colour[1:] if len(colour) == 7 else "".join(c * 2 for c in colour[1:])
    total = 0.0
    for weight, i in zip((0.2126, 0.7152, 0.0722), (0, 2, 4), strict=True):
        c = int(digits[i : i + 2], 16) / 255
        c = c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        total += weight * c
    return total


def theme(accent: str) -> str:
    """The banner's colours as CSS custom properties: the accent (--a), the text on it (--f)
    and links (--l), each keeping 4.5:1 contrast (links are on white: a light accent gets
    dark links). ``accent`` is a checked #rgb or #rrggbb colour.

    Text on a light accent is black: just above the switch-over, where white falls under
    4.5:1, only black still reaches it (#111 gave 4.1:1)."""
    light = _luminance(accent) > 0.179
    return f"--a:{accent};--f:{'#000' if light else '#fff'};--l:{'#1a1a1a' if light else accent}"


class WidgetTemplates:
    """The built widget files (static/widget/dist/), with tokens where each site's parts go:
    __KELISIM_CONFIG__ (every file) and __KELISIM_MANAGED__ (the loader: the first calls of
    the managed services' vendors, from managed/<kind>.js)."""

    def __init__(self, directory: Path, reload: bool) -> None:
        self.directory = directory
        self.reload = reload
        self._cache: dict[str, list[bytes]] = {}

    def _read(self, name: str) -> bytes:
        return (self.directory / name).read_bytes().strip()

    def _parts(self, name: str) -> list[bytes]:
        """The file split at its tokens: text, token name, text, token name, ..., text."""
        if self.reload or name not in self._cache:
            self._cache[name] = TOKEN.split(self._read(name))
        return self._cache[name]

    def render(self, name: str, config: dict[str, Any], managed: Iterable[str] = ()) -> bytes:
        values = {b"CONFIG": json_bytes(config), b"MANAGED": self.managed(managed)}
        parts = self._parts(name)
        return b"".join(values[part] if i % 2 else part for i, part in enumerate(parts))

    def managed(self, kinds: Iterable[str]) -> bytes:
        """A JavaScript object of the vendors' first calls, one function per kind."""
        entries = [
            kind.encode() + b":" + self._parts(f"managed/{kind}.js")[0]
            for kind in sorted(set(kinds))
            if (self.directory / "managed" / f"{kind}.js").exists()
        ]
        return b"{" + b",".join(entries) + b"}"


class PublishedSites:
    """Per-process cache of PublishedSite snapshots, checked against the database every
    `ttl` seconds; a new config version replaces the snapshot.

    Snapshots are kept per base URL, which comes from the Host header unless PUBLIC_URL is
    set, so the cache is bounded: made-up hosts evict the least recently used entries
    instead of growing the process without end."""

    def __init__(self, ttl: float, max_entries: int = 1024) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], tuple[float, PublishedSite]] = OrderedDict()
        self._lock = threading.Lock()  # request threads share the cache (gunicorn gthread)

    def get(self, engine: sa.Engine, key: str, base_url: str) -> PublishedSite | None:
        """The site's snapshot, from the cache or the database; None for an unknown key.

        The database is read in a session of its own, closed at once: a request that then
        waits for its events to be committed must not hold a connection the commit needs."""
        now = time.monotonic()
        cache_key = (key, base_url)
        entry = self._entries.get(cache_key)
        if entry and now - entry[0] < self.ttl:
            return entry[1]
        with Session(engine) as session:
            if entry:
                query = sa.select(Site.config_version).where(Site.public_key == key)
                if session.scalar(query) == entry[1].version:
                    self._keep(cache_key, now, entry[1])
                    return entry[1]
            published = self._load(session, key, base_url)
        if published is None:
            self._entries.pop(cache_key, None)
        elif self.ttl > 0:
            self._keep(cache_key, now, published)
        return published

    def _keep(self, cache_key: tuple[str, str], now: float, published: PublishedSite) -> None:
        with self._lock:
            self._entries[cache_key] = (now, published)
            self._entries.move_to_end(cache_key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    @staticmethod
    def _load(session: Session, key: str, base_url: str) -> PublishedSite | None:
        site = session.scalar(
            sa.select(Site).where(Site.public_key == key).options(selectinload(Site.services))
        )
        if site is None:
            return None
        return PublishedSite(
            id=site.id,
            key=site.public_key,
            version=site.config_version,
            timezone=site.timezone,
            domains=tuple(site.domains),
            allow_subdomains=site.allow_subdomains,
            config=public_config(site, base_url),
        )
