"""The built widget files (static/widget/dist/) as templates of each site's files."""

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

TOKEN = re.compile(rb"__KELISIM_([A-Z][A-Z_]*[A-Z])__")
# What stands for an optional part of the loader that a site does not have.
NOTHING = b"()=>{}"


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class WidgetTemplates:
    """The built widget files, with tokens where each site's parts go: __KELISIM_CONFIG__
    (every file), __KELISIM_MANAGED__ (the loader: the first calls of the managed services'
    vendors, from managed/<kind>.js) and, for each optional part of the loader
    (parts/<part>.js, a function), __KELISIM_<PART>__: the part's function where the site
    has it, one that does nothing where it has not."""

    def __init__(self, directory: Path, reload: bool) -> None:
        self.directory = directory
        self.reload = reload  # read the files again on every use (development)
        self._cache: dict[str, list[bytes]] = {}
        self._names: dict[str, str] | None = None

    def _split(self, name: str) -> list[bytes]:
        """The file split at its tokens: text, token name, text, token name, ..., text."""
        if self.reload or name not in self._cache:
            self._cache[name] = TOKEN.split((self.directory / name).read_bytes().strip())
        return self._cache[name]

    def render(
        self,
        name: str,
        config: dict[str, Any],
        managed: Iterable[str] = (),
        parts: Iterable[str] = (),
    ) -> bytes:
        """The file ``name`` for one site: its config, the first calls of the vendors it
        manages and the optional ``parts`` it has (names of parts/<part>.js)."""
        values = {b"CONFIG": json_bytes(config), b"MANAGED": self.managed(managed)}
        parts = set(parts)
        pieces = self._split(name)
        return b"".join(
            (values.get(piece) or self.part(piece.decode().lower(), parts)) if i % 2 else piece
            for i, piece in enumerate(pieces)
        )

    def has(self, name: str) -> bool:
        """Whether the build has the file ``name`` (one from before embed.js has not: the
        bench serves such a build beside the current one)."""
        return name in self._cache or (self.directory / name).exists()

    def part(self, name: str, wanted: set[str]) -> bytes:
        """An optional part's function if it is ``wanted``, else one that does nothing."""
        return self._split(f"parts/{name}.js")[0] if name in wanted else NOTHING

    def loader_config(self, config: dict[str, Any]) -> dict[str, Any]:
        """The loader's config with its keys, and its services' keys, as the build shortened
        them: the loader reads config._languages, service._id, ... (static/widget/build.mjs
        writes each "_name" and its short name into names.json). A build without that file
        (one from before) reads the keys as they are."""
        names = self.short_names()

        def short(data: dict[str, Any]) -> dict[str, Any]:
            return {names.get(f"_{key}", key): value for key, value in data.items()}

        return short({**config, "services": [short(s) for s in config["services"]]})

    def short_names(self) -> dict[str, str]:
        """{"_name": short name} of the build (names.json); empty for a build without it."""
        if self.reload or self._names is None:
            path = self.directory / "names.json"
            self._names = json.loads(path.read_bytes()) if path.exists() else {}
        return self._names

    def managed(self, kinds: Iterable[str]) -> bytes:
        """A JavaScript object of the vendors' first calls, one function per kind."""
        entries = [
            kind.encode() + b":" + self._split(f"managed/{kind}.js")[0]
            for kind in sorted(set(kinds))
            if (self.directory / "managed" / f"{kind}.js").exists()
        ]
        return b"{" + b",".join(entries) + b"}"
