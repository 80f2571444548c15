"""One body of a widget file and its compressed copies, made once each."""

import hashlib
import zlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import brotli
import zopfli.gzip

# The compressed copies written beside each published file, for nginx's gzip_static (and
# brotli_static): <file>.gz, <file>.br.
ENCODING_SUFFIXES = {"gzip": "gz", "br": "br"}


@dataclass
class Representation:
    """One response body and its gzip and brotli copies, compressed on first use.

    ``thorough`` copies are for files written to disk once and downloaded on every page
    view: Zopfli writes standard gzip about 1 % smaller than zlib's level 9 (some 25 B off
    the loader) and brotli's level 11 is its smallest, for 15-40 ms a file. Copies built
    inside a request (a site whose files are not written yet) take zlib's and brotli's
    quick levels instead, a fraction of a millisecond."""

    body: bytes
    thorough: bool = False

    @classmethod
    def read(cls, path: Path) -> "Representation":
        """A published file with the compressed copies written beside it."""
        representation = cls(path.read_bytes(), thorough=True)
        for encoding, suffix in ENCODING_SUFFIXES.items():
            # Set where cached_property keeps its value: read, not compressed again.
            representation.__dict__[encoding] = path.with_name(f"{path.name}.{suffix}").read_bytes()
        return representation

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.body).hexdigest()[:32]

    @cached_property
    def gzip(self) -> bytes:
        if self.thorough:
            return zopfli.gzip.compress(self.body)
        compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
        return compressor.compress(self.body) + compressor.flush()

    @cached_property
    def br(self) -> bytes:
        return brotli.compress(self.body, quality=11 if self.thorough else 5)

    def write(self, path: Path) -> None:
        """Write the body and its compressed copies into a folder no reader sees yet."""
        path.write_bytes(self.body)
        for encoding, suffix in ENCODING_SUFFIXES.items():
            path.with_name(f"{path.name}.{suffix}").write_bytes(getattr(self, encoding))
