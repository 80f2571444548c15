"""A site as its visitors see it at one config version, and the widget files built from it.

A snapshot's files form one release, named by the config version and a hash of what the
files hold (the build of the widget's templates included): the loader fetches the banner
and its texts from the release's own URL, so a loader only ever meets the banner it was
built with, and a release's URL can be cached for good.
"""

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from backend.delivery.compression import Representation
from backend.delivery.templates import WidgetTemplates, json_bytes
from backend.models import Site, host_matches
from backend.service_catalog import EMBEDS
from backend.services.publishing import (
    banner_config,
    embed_config,
    first_layer_config,
    loader_config,
    loader_parts,
    public_config,
    widget_base,
)

# The columns of a site its snapshot carries beside the public config: which pages may send
# events, and the day events are counted on. A change of them is published like a change
# visitors see.
SNAPSHOT_COLUMNS = ("domains", "allow_subdomains", "timezone")
# The files the loader fetches, each in every language of the site: the banner's first
# layer, all its texts, and the placeholders of held embeds.
FETCHED = ("banner", "texts", "embed")
# Where the hash of a release stands in the loader while the release is named.
UNNAMED_RELEASE = "__release__"


def release_url(config: dict[str, Any], release: str) -> str:
    """The folder URL of a release's files (the banner and its texts), ending in "/"."""
    return f"{widget_base(config)}/w/{config['site']}/{release}/"


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
    templates: WidgetTemplates = field(repr=False)
    # The release folder its files were read from; None: built from the config.
    source: Path | None = None
    _files: dict[str, Representation] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, site: Site, config: dict[str, Any], templates: WidgetTemplates) -> "PublishedSite":
        """A snapshot of ``site`` showing ``config`` (its public config, or a draft's)."""
        return cls(
            id=site.id,
            key=site.public_key,
            version=site.config_version,
            timezone=site.timezone,
            domains=tuple(site.domains),
            allow_subdomains=site.allow_subdomains,
            config=config,
            templates=templates,
        )

    def origin_allowed(self, hostname: str | None) -> bool:
        return host_matches(hostname, self.domains, self.allow_subdomains)

    @cached_property
    def grantable(self) -> frozenset[str]:
        """What a decision on this site may grant: its services' ids, "<id>.webvisor" for a
        service with Metrica's session-recording choice (static/widget/src/banner.js), and
        the embeds the site did not configure, by kind: a placeholder's "always allow"
        grants such an embed (static/widget/src/embed.js)."""
        services = self.config["services"]
        configured = {service["kind"] for service in services}
        return frozenset(
            [service["id"] for service in services]
            + [f"{s['id']}.webvisor" for s in services if "webvisor" in s.get("options", {})]
            + [kind for kind in EMBEDS if kind not in configured]
        )

    def language(self, wanted: str | None) -> str:
        """``wanted`` if the site offers it, else the site's default language."""
        return wanted if wanted in self.config["languages"] else self.config["default_language"]

    def file_names(self) -> list[str]:
        """The name of every widget file of the release, as it is published."""
        return ["loader.js", *self.fetched_names()]

    def fetched_names(self) -> list[str]:
        """The files the loader fetches from the release's URL: banner.<lang>.js,
        texts.<lang>.js and embed.<lang>.js of every language."""
        return [
            f"{n}.{language}.js"
            for language in self.config["languages"]
            for n in FETCHED
            if self.templates.has(f"{n}.js")
        ]

    def file(self, name: str) -> Representation | None:
        """A widget file of the release by its name (file_names), or the config JSON
        ("config.json"); None for a name the release does not have."""
        if name not in self._files:
            try:
                if self.source is None or name not in self.file_names():
                    raise FileNotFoundError(name)
                self._files[name] = Representation.read(self.source / name)
            except FileNotFoundError:  # not published, or removed since: the same bytes
                body = self._build(name)
                if body is None:
                    return None
                self._files[name] = Representation(body)
        return self._files[name]

    def banner_file(self, name: str) -> Representation | None:
        """One of the files the loader fetches from the release's folder (banner.<lang>.js,
        texts.<lang>.js, embed.<lang>.js); None for any other name."""
        return self.file(name) if name in self.fetched_names() else None

    def _build(self, name: str) -> bytes | None:
        if name == "config.json":
            return json_bytes(self.config)
        if name == "loader.js":
            return self._loader(release_url(self.config, self.release))
        if name not in self.fetched_names():
            return None
        stem, _, language = name.removesuffix(".js").partition(".")
        # banner.js carries the first layer; texts.js all of a language, for the settings;
        # embed.js the placeholders'.
        pack = {"banner": first_layer_config, "texts": banner_config, "embed": embed_config}[stem]
        return self.templates.render(f"{stem}.js", pack(self.config, language))

    def _loader(self, files: str) -> bytes:
        managed = (s["kind"] for s in self.config["services"] if s["managed"])
        config = self.templates.loader_config(loader_config(self.config, files))
        return self.templates.render("kelisim.js", config, managed, loader_parts(self.config))

    @cached_property
    def release(self) -> str:
        """The release's name: the config version and a hash of the files' content."""
        digest = hashlib.sha256(self._loader(UNNAMED_RELEASE))
        for name in self.fetched_names():
            digest.update(self.file(name).body)
        return f"{self.version}-{digest.hexdigest()[:10]}"

    def snapshot(self) -> bytes:
        """What a release folder keeps of the site beside its files (site.json)."""
        fields = {name: getattr(self, name) for name in ("id", "key", "version", "release")}
        fields |= {name: getattr(self, name) for name in SNAPSHOT_COLUMNS}
        return json.dumps(fields | {"config": self.config}, ensure_ascii=False).encode()

    @classmethod
    def from_snapshot(
        cls, data: bytes, templates: WidgetTemplates, source: Path
    ) -> "PublishedSite":
        fields = json.loads(data)
        release = fields.pop("release")
        fields["domains"] = tuple(fields["domains"])
        site = cls(**fields, templates=templates, source=source)
        site.__dict__["release"] = release  # named when written; its files are these
        return site


def load_site(
    session: Session, key: str, base_url: str, templates: WidgetTemplates
) -> PublishedSite | None:
    """The site's snapshot, from the database; None for an unknown key."""
    site = session.scalar(
        sa.select(Site).where(Site.public_key == key).options(selectinload(Site.services))
    )
    if site is None:
        return None
    return PublishedSite.of(site, public_config(site, base_url), templates)
