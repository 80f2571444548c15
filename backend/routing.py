"""What a URL may carry, for the whole app: ids and page numbers within the database's range.

PostgreSQL's `integer` ends at 2³¹ − 1; a larger number in a query is an error of the
database (a 500), not "no such row". Out of range is answered as what it is: no such page.
"""

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

from backend.models import MAX_INT


class DatabaseInteger(IntegerConverter):
    """`<int:…>` in every route: a number from 0 to MAX_INT, else the route does not match
    (404)."""

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_INT, signed=False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def page_number() -> int:
    """The ?page= of a paginated list: 1 when absent or not a number, 404 beyond MAX_INT."""
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= MAX_INT:
        abort(404)
    return page


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: rules take their converters when added."""
    app.url_map.converters["int"] = DatabaseInteger
