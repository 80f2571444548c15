"""Domain services: the rules of Kelisim, independent of HTTP. They never commit.

Their exceptions say which rule was broken, never how a face answers it: backend/errors.py
maps each class to an HTTP status and code, the dashboard shows them in its forms, the
command line prints them."""


class DomainError(Exception):
    """A rule was broken; ``fields`` may say which input broke it ({field: message})."""

    def __init__(self, message: str, fields: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(DomainError):
    """Values that no rule accepts (a host name that is none, a text without its
    placeholder): the same input would be refused again."""


class UnknownSite(DomainError):
    """No site has the key asked for."""


class OriginNotAllowed(DomainError):
    """A request from a page that is not on the site's domains."""
