"""Hostile input to the dashboard and the shared links: ids beyond the database's integer,
url_for's own argument names in the query string, line breaks in `next`. Each answer is a
4xx, never a 500, on SQLite and on PostgreSQL."""

import re

import pytest
from werkzeug.routing import IntegerConverter

from backend.extensions import db
from backend.models import MAX_INT
from backend.services.tokens import create_shared_link
from tests.dashboard.conftest import PASSWORD, csrf_token

TOO_BIG = MAX_INT + 1  # 2³¹: PostgreSQL's integer refuses it
HUGE = "99999999999999999999"  # beyond 2⁶³ too
# Names url_for takes as its own arguments, not as the query string's.
URL_FOR_NAMES = {
    "secret": "x",
    "endpoint": "x",
    "values": "x",
    "_method": "POST",
    "_scheme": "javascript",
    "_external": "1",
    "_anchor": "x",
}
HOSTILE_QUERIES = [{name: value} for name, value in URL_FOR_NAMES.items()] + [
    {"page": HUGE},
    {"page": str(TOO_BIG)},
    {"next": "/\n/x"},
]


@pytest.fixture
def owner(signed_in):
    return signed_in("owner")


def url_of(rule, site_key: str, number: int) -> str:
    """The rule's path with the site's key, ``number`` for every id, "x" for other parts."""
    values = {
        name: number
        if isinstance(converter, IntegerConverter)
        else site_key
        if name == "site_key"
        else "x"
        for name, converter in rule._converters.items()
    }
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda part: str(values[part.group(1)]), rule.rule)


def rules(app, method: str):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if method in rule.methods and rule.endpoint != "static"
    ]


def test_every_get_route_answers_hostile_queries_and_huge_ids_without_a_5xx(app, owner, people):
    key = people["site"].public_key
    answers = {}
    for rule in rules(app, "GET"):
        for number in (TOO_BIG, MAX_INT):
            for query in HOSTILE_QUERIES:
                url = url_of(rule, key, number)
                answers[url, tuple(query.items())] = owner.get(url, query_string=query).status_code

    assert {request: status for request, status in answers.items() if status >= 500} == {}
    assert answers[f"/dashboard/sites/{key}/versions/{TOO_BIG}", (("page", HUGE),)] == 404
    assert answers[f"/dashboard/sites/{key}/audit", (("page", HUGE),)] == 404
    assert answers[f"/dashboard/sites/{key}/versions", (("page", str(TOO_BIG)),)] == 404


def test_ids_beyond_the_database_integer_are_404_on_every_post_route(app, owner, people):
    key = people["site"].public_key
    token = csrf_token(owner, "/dashboard/")
    with_ids = [rule for rule in rules(app, "POST") if "<int:" in rule.rule]
    assert len(with_ids) >= 7  # member role and removal, token, link, invitation, trackers

    answers = {
        url_of(rule, key, TOO_BIG): owner.post(
            url_of(rule, key, TOO_BIG), data={"csrf_token": token, "role": "viewer"}
        ).status_code
        for rule in with_ids
    }

    assert set(answers.values()) == {404}, answers


def test_the_page_numbers_that_exist_still_open(owner, people):
    key = people["site"].public_key
    assert owner.get(f"/dashboard/sites/{key}/audit?page=1").status_code == 200
    assert owner.get(f"/dashboard/sites/{key}/versions?page=x").status_code == 200
    assert owner.get(f"/dashboard/sites/{key}/versions/1").status_code == 200


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda query: next(iter(query)))
def test_unlocking_a_shared_link_keeps_the_period_and_nothing_else(signed_in, people, query):
    _link, secret = create_shared_link(db.session, people["site"], None, "Board", "board-2026!")
    db.session.commit()
    path = f"/shared/{secret}"
    visitor = signed_in("anonymous")

    unlocked = visitor.post(
        path,
        query_string={"period": "7", **query},
        data={"password": "board-2026!", "csrf_token": csrf_token(visitor, path)},
    )

    assert unlocked.status_code == 302
    assert unlocked.headers["Location"] == f"{path}?period=7"
    assert visitor.get(unlocked.headers["Location"]).status_code == 200


@pytest.mark.parametrize("query", ["next=/%0a/x", "next=/%0d%0a/x", "next=/x%0a"])
def test_a_line_break_in_next_after_signing_in_goes_to_the_dashboard(signed_in, people, query):
    client = signed_in("anonymous")
    response = client.post(
        f"/login?{query}",
        data={
            "email": people["owner"].email,
            "password": PASSWORD,
            "csrf_token": csrf_token(client, "/login"),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"
