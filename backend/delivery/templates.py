"""The built widget files (static/widget/dist/) as templates of each site's files."""

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

TOKEN = re.compile(rb"__KELISIM_([A-Z]+)__")


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class WidgetTemplates:
    """The built widget files, with tokens where each site's parts go: __KELISIM_CONFIG__
    (every file) and __KELISIM_MANAGED__ (the loader: the first calls of the managed
    services' vendors, from managed/<kind>.js)."""

    def __init__(self, directory: Path, reload: bool) -> None:
        self.directory = directory
        self.reload = reload  # read the files again on every use (development)
        self._cache: dict[str, list[bytes]] = {}

    def _parts(self, name: str) -> list[bytes]:
        """The file split at its tokens: text, token name, text, token name, ..., text."""
        if self.reload or name not in self._cache:
            self._cache[name] = TOKEN.split((self.directory / name).read_bytes().strip())
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
