"""GET /api/v1/sites/{site_key}/stats: tokens, the query string, and JSON, CSV and XLSX that
say the same numbers; the CLI's token and export commands."""

import csv
import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from backend.extensions import db
from backend.services.tokens import create_token, revoke_token, site_tokens
from tests.factories import make_site, record_event

ALMATY = ZoneInfo("Asia/Almaty")
RANGE = {"from": "2026-11-02", "to": "2026-11-04"}


@pytest.fixture
def stats_site(site):
    """A site with events on Nov 2 and 3 (none on Nov 4), in two languages."""
    for day, language, action, categories in [
        (2, "kk", "shown", []),
        (2, "kk", "shown", []),
        (2, "kk", "accept_all", ["analytics", "marketing"]),
        (2, "ru", "shown", []),
        (2, "ru", "reject_all", []),
        (3, "ru", "shown", []),
        (3, "ru", "custom", ["analytics"]),
    ]:
        moment = datetime(2026, 11, day, 12, tzinfo=ALMATY)
        record_event(site, moment, action=action, categories=categories, language=language)
    db.session.commit()
    return site


@pytest.fixture
def token(stats_site) -> str:
    _, secret = create_token(db.session, stats_site, None, "Weekly report")
    db.session.commit()
    return secret


def get(client, site, token, **params):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(
        f"/api/v1/sites/{site.public_key}/stats", query_string=params, headers=headers
    )


def test_json_rows_hold_the_period_dimensions_counts_and_rates(client, stats_site, token):
    response = get(client, stats_site, token, **RANGE, by="language")

    assert response.status_code == 200
    body = response.json
    assert {k: body[k] for k in ("site", "from", "to", "interval", "by")} == {
        "site": stats_site.public_key,
        "from": "2026-11-02",
        "to": "2026-11-04",
        "interval": "day",
        "by": ["language"],
    }
    kk, ru, ru_next = body["rows"]
    assert (kk["period"], kk["language"], kk["shown"], kk["accept_all"]) == (
        "2026-11-02",
        "kk",
        2,
        1,
    )
    assert kk["interaction_rate"] == 0.5
    assert kk["optin_marketing"] == 1.0
    assert (ru["language"], ru["reject_all_share"], ru["interaction_rate"]) == ("ru", 1.0, 1.0)
    assert (ru_next["period"], ru_next["custom_share"]) == ("2026-11-03", 1.0)


def test_an_empty_period_has_null_rates(client, stats_site, token):
    rows = get(client, stats_site, token, **RANGE).json["rows"]

    assert [row["period"] for row in rows] == ["2026-11-02", "2026-11-03", "2026-11-04"]
    assert rows[2]["shown"] == 0
    assert rows[2]["interaction_rate"] is None
    assert rows[2]["accept_all_share"] is None


def test_total_interval_sums_the_range(client, stats_site, token):
    [row] = get(client, stats_site, token, **RANGE, interval="total").json["rows"]

    assert (row["period"], row["shown"], row["decisions"]) == ("2026-11-02", 4, 3)
    assert row["accept_all_share"] == pytest.approx(1 / 3)


def as_number(text: str, decimal: str):
    if text == "":
        return None
    if "-" in text[1:]:  # a date
        return text
    number = float(text.replace(decimal, "."))
    return int(number) if number.is_integer() and decimal not in text else number


@pytest.mark.parametrize(
    ("sep", "delimiter", "decimal"), [("comma", ",", "."), ("semicolon", ";", ",")]
)
def test_csv_parsed_back_gives_the_numbers_of_the_json(
    client, stats_site, token, sep, delimiter, decimal
):
    params = {**RANGE, "by": "language,device_class"}
    expected = get(client, stats_site, token, **params).json["rows"]

    response = get(client, stats_site, token, **params, format="csv", sep=sep)

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter)
    parsed = [
        {
            k: v if k in ("language", "device_class") else as_number(v, decimal)
            for k, v in row.items()
        }
        for row in reader
    ]
    assert parsed == expected


def test_xlsx_read_by_openpyxl_gives_the_numbers_of_the_json(client, stats_site, token):
    expected = get(client, stats_site, token, **RANGE, by="language").json["rows"]

    response = get(client, stats_site, token, **RANGE, by="language", format="xlsx")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    header, *rows = sheet.iter_rows(values_only=True)
    parsed = [dict(zip(header, row, strict=True)) for row in rows]
    assert all(isinstance(row["period"], datetime) for row in parsed)  # a typed date cell
    assert all(isinstance(row["shown"], int) for row in parsed)
    assert [row | {"period": row["period"].date().isoformat()} for row in parsed] == expected


def test_no_token_or_an_unknown_one_is_401(client, stats_site, token):
    for wrong in (None, "kls_not-a-token", token + "x", "Basic abc"):
        response = get(client, stats_site, wrong, **RANGE)
        assert response.status_code == 401
        assert response.json["error"]["code"] == "invalid_token"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_401(client, stats_site, token):
    [record] = site_tokens(db.session, stats_site)
    revoke_token(db.session, record, None, datetime.now(ALMATY))
    db.session.commit()

    assert get(client, stats_site, token, **RANGE).status_code == 401


def test_another_sites_token_reads_nothing_of_this_site(client, stats_site, token):
    other = make_site()
    _, others_token = create_token(db.session, other, None, "theirs")
    db.session.commit()

    response = get(client, stats_site, others_token, **RANGE)
    mine_through_theirs = get(client, other, token, **RANGE)

    assert response.status_code == 403
    assert response.json["error"]["code"] == "token_for_another_site"
    assert "rows" not in response.json
    assert mine_through_theirs.status_code == 403


def test_a_token_for_a_site_key_no_site_has_is_404(client, stats_site, token):
    response = client.get(
        "/api/v1/sites/nosuchsite/stats",
        query_string=RANGE,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 404
    assert response.json["error"]["code"] == "unknown_site"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"to": "2026-11-04"}, "from"),
        ({"from": "2026-11-02"}, "to"),
        ({"from": "2 Nov", "to": "2026-11-04"}, "from"),
        ({"from": "2026-11-05", "to": "2026-11-04"}, "to"),
        ({"from": "2000-01-01", "to": "2026-11-04"}, "to"),
        ({"from": "9999-12-01", "to": "9999-12-31", "interval": "month"}, "to"),
        ({"from": "0001-01-01", "to": "0001-01-02"}, "from"),
        ({**RANGE, "interval": "hour"}, "interval"),
        ({**RANGE, "by": "language,browser"}, "by"),
        ({**RANGE, "by": "language,language"}, "by"),
        ({**RANGE, "format": "pdf"}, "format"),
        ({**RANGE, "sep": "tab"}, "sep"),
        ({**RANGE, "ip": "1"}, "ip"),
    ],
)
def test_a_bad_query_is_a_422_naming_the_field(client, stats_site, token, params, field):
    response = get(client, stats_site, token, **params)

    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_input"
    assert field in response.json["error"]["fields"]


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_ENABLED": True, "RATELIMIT_STATS": "2 per minute"}]
)
def test_the_api_is_rate_limited(app, client, stats_site, token):
    app.extensions["kelisim.rate_limits"].reset()
    statuses = [get(client, stats_site, token, **RANGE).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_cli_token_create_prints_a_token_that_reads_the_site(runner, client, stats_site):
    result = runner.invoke(
        args=["token", "create", "--site", stats_site.public_key, "--name", "cron"]
    )

    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    assert get(client, stats_site, secret, **RANGE).status_code == 200
    assert secret not in str([t.token_hash for t in site_tokens(db.session, stats_site)])


def test_cli_export_writes_what_the_api_answers(runner, client, stats_site, token, tmp_path):
    output = tmp_path / "stats.csv"
    result = runner.invoke(
        args=[
            "export", "stats", "--site", stats_site.public_key, "--from", "2026-11-02",
            "--to", "2026-11-04", "--by", "language", "--format", "csv", "--semicolon",
            "--output", str(output),
        ]
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    api = get(client, stats_site, token, **RANGE, by="language", format="csv", sep="semicolon")
    assert output.read_bytes() == api.get_data()


def test_cli_export_refuses_a_bad_range(runner, stats_site):
    result = runner.invoke(
        args=["export", "stats", "--site", stats_site.public_key, "--from", "2026-11-05",
              "--to", "2026-11-04"]
    )  # fmt: skip

    assert result.exit_code != 0
    assert "Must not be before from" in result.output


def test_the_token_day_of_use_is_noted(client, stats_site, token):
    [record] = site_tokens(db.session, stats_site)
    assert record.last_used_on is None

    get(client, stats_site, token, **RANGE)

    db.session.expire_all()
    [record] = site_tokens(db.session, stats_site)
    assert record.last_used_on == datetime.now(UTC).date()
