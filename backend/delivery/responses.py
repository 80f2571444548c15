"""Answers for widget files: compressed as the client accepts, with strong ETags and 304s."""

from functools import lru_cache

from flask import Response, request
from werkzeug.http import parse_accept_header

from backend.delivery.compression import Representation

# What a browser may keep for good: a file whose URL names its release never changes.
IMMUTABLE = "public, max-age=31536000, immutable"


@lru_cache(maxsize=256)
def preferred_encoding(accept_encoding: str) -> str:
    """br, gzip or identity, as an Accept-Encoding header allows (browsers send a handful
    of distinct headers, so each is parsed once)."""
    accepted = parse_accept_header(accept_encoding)
    return next((name for name in ("br", "gzip") if accepted[name]), "identity")


def cached_response(representation: Representation, mimetype: str, cache_control: str) -> Response:
    """A publicly cacheable answer, compressed as the client accepts, with a strong ETag
    per encoding and a 304 when the client already holds it."""
    encoding = preferred_encoding(request.headers.get("Accept-Encoding", ""))
    etag = f"{representation.digest}-{encoding}"
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        body = {"br": representation.br, "gzip": representation.gzip}.get(
            encoding, representation.body
        )
        response = Response(body, mimetype=mimetype)
        if encoding != "identity":
            response.headers["Content-Encoding"] = encoding
    response.set_etag(etag)
    response.headers["Cache-Control"] = cache_control
    response.headers["Vary"] = "Accept-Encoding"
    return response


def max_age(seconds: int) -> str:
    return f"public, max-age={seconds}"
