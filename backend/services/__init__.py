"""Domain services: the rules of Kelisim, independent of HTTP. They never commit."""


class DomainError(Exception):
    """A rule was broken; each face turns this into its own kind of answer."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, fields: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class UnknownSite(DomainError):
    code = "unknown_site"
    status = 404


class OriginNotAllowed(DomainError):
    code = "origin_not_allowed"
    status = 403
