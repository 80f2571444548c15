"""The owner's overview (figures against the previous period, the chart, breakdowns, downloads)
and the API tokens page."""

import csv
import io
import re
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from playwright.sync_api import expect

from backend.extensions import db
from backend.models import ApiToken, AuditEntry
from tests.dashboard.conftest import (
    ALMATY,
    EN,
    csrf_token,
    seed,
    sign_in_by_keyboard,
    text,
    today,
)
from tests.factories import record_event


@pytest.fixture
def seeded(people):
    """This week: 10 shown, 4 accepted (kk on phones, ru on desktops); the week before:
    10 shown, 2 accepted."""
    site = people["site"]
    seed(site, today(), 6, 2, "kk", "mobile")
    seed(site, today() - timedelta(days=1), 4, 2, "ru", "desktop")
    seed(site, today() - timedelta(days=8), 10, 2)
    db.session.commit()
    return site


def page_of(client, url: str) -> str:
    """The page at ``url`` in English, its white space collapsed."""
    return text(client.get(url, headers=EN))


def test_overview_shows_figures_with_formulas_against_the_previous_period(signed_in, seeded):
    client = signed_in("viewer")
    url = f"/dashboard/sites/{seeded.public_key}?period=7&rate=accept_all_share"
    assert client.get(url).status_code == 200

    page = page_of(client, url)
    # Interaction: 4 of 10 shown this week, 2 of 10 the week before: +20 points.
    assert re.search(r"Interaction rate<span class=\"formula\">= decisions / banners shown", page)
    row = re.search(r"Interaction rate<span.*?</tr>", page).group(0)
    assert re.findall(r"<td>(.*?)</td>", row) == ["40.0%", "20.0%", "+20.0 pp"]
    shown = re.search(r"Banners shown<span.*?</tr>", page).group(0)
    assert re.findall(r"<td>(.*?)</td>", shown) == ["10", "10", "+0%"]
    assert "Install" in page and f"/w/{seeded.public_key}.js" in page


def test_overview_draws_the_chart_on_the_server_with_both_periods(signed_in, seeded):
    page = page_of(signed_in("viewer"), f"/dashboard/sites/{seeded.public_key}?period=7")

    svg = re.search(r"<svg class=\"chart\".*?</svg>", page).group(0)
    assert 'polyline class="current"' in svg
    assert 'polyline class="previous"' in svg or 'circle class="previous"' in svg
    # No script draws the chart and none comes from another host: the page's one script is
    # the dashboard's own menu of a site's tabs on a phone.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/nav.js" defer>']
    assert "The chart as a table" in page


def test_breakdowns_by_language_device_and_category(signed_in, seeded):
    page = page_of(signed_in("viewer"), f"/dashboard/sites/{seeded.public_key}?period=7")

    language = page[page.index('id="by-language"') : page.index('id="by-device"')]
    assert re.search(r"Қазақша</th> <td>6</td> <td>2</td> <td>33.3%</td>", language)
    assert re.search(r"Русский</th> <td>4</td> <td>2</td> <td>50.0%</td>", language)
    device = page[page.index('id="by-device"') : page.index('id="by-category"')]
    assert "Mobile" in device and "Desktop" in device
    category = page[page.index('id="by-category"') : page.index('id="downloads"')]
    assert "Analytics</th><td>4</td><td>100.0%</td>" in category


def test_a_published_policy_version_is_marked_on_the_chart(signed_in, seeded):
    seeded.publish_policy(requires_consent=True)
    db.session.commit()

    page = page_of(signed_in("viewer"), f"/dashboard/sites/{seeded.public_key}?period=7")

    assert re.search(r'<text class="marker"[^>]*>P2</text>', page)
    assert "policy version 2 published" in page


def test_a_custom_period_is_compared_with_as_many_days_before(signed_in, seeded):
    first = today() - timedelta(days=1)
    url = f"/dashboard/sites/{seeded.public_key}?period=custom&start={first}&end={today()}"

    page = page_of(signed_in("viewer"), url)

    before = [format_date(first - timedelta(days=n), locale="en") for n in (2, 1)]
    assert f"compared with {before[0]} – {before[1]}." in page


@pytest.mark.parametrize(
    "query",
    [
        "period=custom&start=2026-11-05&end=2026-11-01",
        "period=custom",
        "period=12",
        "start=x",
        "period=custom&start=0001-01-01&end=0001-01-02",
        "period=custom&start=9999-12-01&end=9999-12-31",
    ],
)
def test_a_bad_period_is_a_422_saying_what_is_wrong(signed_in, seeded, query):
    response = signed_in("viewer").get(f"/dashboard/sites/{seeded.public_key}?{query}")

    assert response.status_code == 422
    assert 'class="errors"' in response.get_data(as_text=True)
    assert "Figures and their formulas" not in response.get_data(as_text=True)


def test_an_empty_period_shows_dashes_not_errors(signed_in, people):
    page = page_of(signed_in("viewer"), f"/dashboard/sites/{people['site'].public_key}")

    row = re.search(r"Accept all<span.*?</tr>", page).group(0)
    assert re.findall(r"<td>(.*?)</td>", row) == ["—", "—", "—"]
    assert "Nothing was counted in this period." in page


def test_the_download_says_what_the_overview_says(signed_in, seeded):
    client = signed_in("viewer")
    url = (
        f"/dashboard/sites/{seeded.public_key}/stats.csv?from={today() - timedelta(days=6)}"
        f"&to={today()}&interval=total&sep=semicolon"
    )
    response = client.get(url)

    assert response.status_code == 200
    [row] = csv.DictReader(
        io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"
    )
    assert (row["shown"], row["accept_all"], row["interaction_rate"]) == ("10", "4", "0,4")


def test_a_bad_download_query_is_a_422_naming_the_fields(signed_in, seeded):
    response = signed_in("viewer").get(f"/dashboard/sites/{seeded.public_key}/stats.pdf?from=x")
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid_input"
    assert {"from", "to", "format"} <= set(error["fields"])


# API tokens


def make_token(client, site, name="Weekly report", token=True):
    url = f"/dashboard/sites/{site.public_key}/tokens"
    data = {"name": name}
    if token:
        data["csrf_token"] = csrf_token(client, url)
    return client.post(url, data=data)


def test_an_owner_makes_a_token_that_is_shown_once_and_kept_hashed(signed_in, people, client):
    owner = signed_in("owner")
    response = make_token(owner, people["site"])

    assert response.status_code == 201
    secret = re.search(r"<code>(kls_[^<]+)</code>", response.get_data(as_text=True)).group(1)
    stored = db.session.scalars(sa.select(ApiToken)).one()
    assert secret not in (stored.token_hash, stored.prefix) and stored.name == "Weekly report"
    assert secret not in owner.get(f"/dashboard/sites/{people['site'].public_key}/tokens").text
    audit = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.action != "site.create")
    ).all()
    assert audit == ["token.create"]
    api = client.get(
        f"/api/v1/sites/{people['site'].public_key}/stats?from=2026-11-01&to=2026-11-01",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert api.status_code == 200


@pytest.mark.parametrize(("who", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
def test_only_owners_make_tokens(signed_in, people, who, status):
    client = signed_in(who)
    response = client.post(
        f"/dashboard/sites/{people['site'].public_key}/tokens",
        data={"name": "x", "csrf_token": csrf_token(client, "/dashboard/")},
    )

    assert response.status_code == status
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


@pytest.mark.parametrize(
    ("name", "token", "status"), [("", True, 422), ("x" * 101, True, 422), ("Report", False, 400)]
)
def test_a_bad_token_form_makes_nothing(signed_in, people, name, token, status):
    response = make_token(signed_in("owner"), people["site"], name, token)

    assert response.status_code == status
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_a_revoked_token_reads_nothing(signed_in, people, client):
    owner = signed_in("owner")
    secret = re.search(r"<code>(kls_[^<]+)</code>", make_token(owner, people["site"]).text).group(1)
    record = db.session.scalars(sa.select(ApiToken)).one()
    page = f"/dashboard/sites/{people['site'].public_key}/tokens"

    response = owner.post(
        f"{page}/{record.id}/revoke", data={"csrf_token": csrf_token(owner, page)}, headers=EN
    )

    assert response.status_code == 302
    assert "“Weekly report” is revoked." in page_of(owner, page)
    api = client.get(
        f"/api/v1/sites/{people['site'].public_key}/stats?from=2026-11-01&to=2026-11-01",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert api.status_code == 401


def test_revoking_needs_the_csrf_token_and_an_owner(signed_in, people):
    owner = signed_in("owner")
    make_token(owner, people["site"])
    record = db.session.scalars(sa.select(ApiToken)).one()
    url = f"/dashboard/sites/{people['site'].public_key}/tokens/{record.id}/revoke"

    editor = signed_in("editor")
    assert owner.post(url).status_code == 400
    assert (
        editor.post(url, data={"csrf_token": csrf_token(editor, "/dashboard/")}).status_code == 403
    )
    db.session.expire_all()
    assert db.session.get(ApiToken, record.id).revoked_at is None


# In a real browser


@pytest.mark.browser
def test_the_overview_renders_its_chart_and_tables_in_chromium(browser, live):
    app, base, key = live
    with app.app_context():
        from backend.models import Site

        site = db.session.scalar(sa.select(Site).where(Site.public_key == key))
        seed(site, today(), 8, 3, "kk", "mobile")
        seed(site, today() - timedelta(days=9), 5, 1, "ru")
        db.session.commit()
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    sign_in_by_keyboard(page, base)

    page.goto(f"{base}/dashboard/sites/{key}?period=30")

    chart = page.locator("svg.chart")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    expect(chart.locator("polyline.current").first).to_be_attached()
    expect(page.locator("#by-language + .scroll table")).to_contain_text("Қазақша")
    page.get_by_text("Диаграмма в виде таблицы").click()
    expect(page.locator("details table")).to_be_visible()
    context.close()


# Raw events


def test_an_owner_downloads_the_raw_events_of_a_period_without_identifiers(signed_in, seeded):
    first = today() - timedelta(days=1)
    url = f"/dashboard/sites/{seeded.public_key}/events.csv?from={first}&to={today()}"

    response = signed_in("owner").get(url)

    assert response.status_code == 200
    assert response.is_streamed
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 14  # 10 shown and 4 accepted in the last two days; not the week before
    assert [row["action"] for row in rows].count("accept_all") == 4
    assert rows[0]["categories"] == "analytics marketing necessary"  # make_event()'s
    assert set(rows[0]) >= {"created_at", "policy_version", "banner_version", "texts_hash"}
    assert not {"ip", "consent_id", "user_agent"} & set(rows[0])
    # A decision carries the keyed hash of the visitor's consent ID; an impression none.
    hashes = {row["action"]: re.fullmatch(r"[0-9a-f]{64}|", row["consent_hash"])[0] for row in rows}
    assert hashes["shown"] == "" and len(hashes["accept_all"]) == 64


def test_raw_events_follow_the_sites_local_days(signed_in, people):
    site = people["site"]
    day = date(2026, 11, 2)
    record_event(site, datetime(2026, 11, 2, 0, 1, tzinfo=ALMATY))
    record_event(site, datetime(2026, 11, 1, 23, 59, tzinfo=ALMATY))
    db.session.commit()

    response = signed_in("owner").get(
        f"/dashboard/sites/{site.public_key}/events.csv?from={day}&to={day}"
    )

    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row["created_at"] for row in rows] == ["2026-11-01T19:01:00+00:00"]


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_only_owners_download_raw_events(signed_in, seeded, who):
    url = f"/dashboard/sites/{seeded.public_key}/events.csv?from={today()}&to={today()}"
    assert signed_in(who).get(url).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "",
        "from=2026-11-02",
        "from=2026-11-02&to=2026-11-01",
        "from=a&to=b",
        "from=9999-12-31&to=9999-12-31",
    ],
)
def test_a_bad_raw_events_range_is_a_422(signed_in, seeded, query):
    response = signed_in("owner").get(f"/dashboard/sites/{seeded.public_key}/events.csv?{query}")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_input"
