"""The dashboard's downloads are bounded: so many per person and site in a window, and a
period by day at most MAX_DAILY_DAYS long, so that one person cannot starve the app."""

import itertools
import re
from datetime import timedelta
from html import unescape

import pytest

from backend.extensions import db
from backend.schemas.export import MAX_DAILY_DAYS
from tests.dashboard.conftest import EN, seed, text, today

LIMIT = 4


@pytest.fixture
def app_config() -> dict:
    return {
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_DOWNLOADS": f"{LIMIT} per 5 minutes",
    }


@pytest.fixture(autouse=True)
def fresh_counters(app):
    app.extensions["kelisim.rate_limits"].reset()


def stats_url(site, format="csv", days=7, interval="day"):
    first = today() - timedelta(days=days - 1)
    return (
        f"/dashboard/sites/{site.public_key}/stats.{format}?from={first}&to={today()}"
        f"&interval={interval}&by=language,device_class"
    )


def events_url(site):
    return f"/dashboard/sites/{site.public_key}/events.csv?from={today()}&to={today()}"


def test_the_download_after_the_limit_is_a_429_page_saying_when_to_come_back(signed_in, people):
    viewer = signed_in("viewer")
    site = people["site"]
    formats = ["csv", "xlsx", "json", "csv", "xlsx"]

    answers = [viewer.get(stats_url(site, format), headers=EN) for format in formats]

    assert [answer.status_code for answer in answers] == [200] * LIMIT + [429]
    refused = answers[-1]
    assert 0 < int(refused.headers["Retry-After"]) <= 300
    assert refused.mimetype == "text/html"
    assert "Too many requests of this kind in a short time." in text(refused)
    assert "Please try again in 5 minutes." in text(refused)
    in_russian = viewer.get(stats_url(site), headers={"Accept-Language": "ru"})
    assert in_russian.status_code == 429
    assert "Слишком много таких запросов за короткое время." in text(in_russian)
    assert "Повторите через 5 минут." in text(in_russian)


def test_the_limit_is_per_person_and_site_and_counts_every_file(signed_in, people):
    site, other = people["site"], people["other"]
    owner = signed_in("owner")
    for _ in range(LIMIT - 1):
        assert owner.get(stats_url(site)).status_code == 200
    assert owner.get(events_url(site)).status_code == 200

    assert owner.get(events_url(site)).status_code == 429
    assert owner.get(stats_url(site, "xlsx")).status_code == 429
    # Someone else on the same site, and the same person on another site, still download.
    assert signed_in("viewer").get(stats_url(site)).status_code == 200
    assert signed_in("outsider").get(stats_url(other)).status_code == 200
    # The pages themselves are not downloads.
    assert owner.get(f"/dashboard/sites/{site.public_key}").status_code == 200


@pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
def test_a_period_by_day_longer_than_the_bound_is_a_422_saying_the_bound(signed_in, people, format):
    viewer = signed_in("viewer")
    site = people["site"]

    longest = viewer.get(stats_url(site, format, days=MAX_DAILY_DAYS))
    too_long = viewer.get(stats_url(site, format, days=MAX_DAILY_DAYS + 1))
    by_week = viewer.get(stats_url(site, format, days=MAX_DAILY_DAYS + 1, interval="week"))

    assert longest.status_code == 200
    assert too_long.status_code == 422
    assert too_long.json["error"]["fields"]["to"] == [
        f"By day, a period is at most {MAX_DAILY_DAYS} days; ask for weeks or months"
        " (interval=week or month) for a longer one."
    ]
    assert by_week.status_code == 200


def test_the_overview_of_a_long_period_links_downloads_by_week_that_work(signed_in, people):
    viewer = signed_in("viewer")
    site = people["site"]
    first = today() - timedelta(days=MAX_DAILY_DAYS)
    overview = viewer.get(
        f"/dashboard/sites/{site.public_key}?period=custom&start={first}&end={today()}",
        headers=EN,
    )

    links = re.findall(r'href="([^"]*/stats\.xlsx[^"]*)"', overview.get_data(as_text=True))
    assert "by week, language and device" in text(overview)
    assert len(links) == 1 and "interval=week" in links[0]
    assert viewer.get(unescape(links[0])).status_code == 200


def test_an_answer_of_more_rows_than_the_bound_is_a_422_saying_how_to_ask(
    signed_in, people, monkeypatch
):
    monkeypatch.setattr("backend.downloads.MAX_ROWS", 6)
    site = people["site"]
    for language, device in itertools.product(("kk", "ru"), ("mobile", "desktop", "tablet")):
        seed(site, today(), 1, 0, language, device)  # six rows by language and device
    seed(site, today() - timedelta(days=1), 1, 0)  # and a seventh the day before
    db.session.commit()
    viewer = signed_in("viewer")
    base = f"/dashboard/sites/{site.public_key}/stats.xlsx?to={today()}"

    # Without dimensions a row a day: seven days are seven rows, six are six.
    seven_days = viewer.get(f"{base}&from={today() - timedelta(days=6)}")
    six_days = viewer.get(f"{base}&from={today() - timedelta(days=5)}")
    # By language and device: the rows that counted anything.
    two_days = viewer.get(f"{base}&from={today() - timedelta(days=1)}&by=language,device_class")
    one_day = viewer.get(f"{base}&from={today()}&by=language,device_class")

    assert [seven_days.status_code, six_days.status_code] == [422, 200]
    assert [two_days.status_code, one_day.status_code] == [422, 200]
    assert seven_days.json["error"]["fields"]["_schema"] == [
        "The answer would hold more than 6 rows: ask for a shorter period, fewer dimensions"
        " (by) or weeks or months (interval)."
    ]


def test_csv_files_say_their_charset_once(signed_in, people):
    owner = signed_in("owner")
    site = people["site"]

    for url in (stats_url(site), events_url(site)):
        assert owner.get(url).headers["Content-Type"] == "text/csv; charset=utf-8"
