"""What a site's settings may hold, checked alike by the dashboard's forms and by the
configuration files a site is exported to and imported from (backend/schemas/site_file.py):
below the faces and the schemas, so that both use these and no copy of them.

Each check returns what is wrong (a translated message) or None."""

import re
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from backend.mail_address import mail_problem
from backend.service_catalog import ServiceKind

MAX_NAME = 200
MAX_LEGAL_NAME = 300
MAX_ADDRESS = 500
MAX_EMAIL = 254
MAX_DOMAINS = 20
MAX_CONSENT_MONTHS = 13
MAX_RETENTION_MONTHS = 120
# A service's facts (name, provider, country, purpose, term), each in one language.
MAX_INFO_TEXT = 300
# A service's cookies, as the form's text holds them (names separated by commas).
MAX_COOKIES_TEXT = 1000
MAX_SCRIPT_URL = 500
# One banner text in one language.
MAX_BANNER_TEXT = 600
POSITIONS = ("bottom", "top", "center")
ACCENT_PATTERN = r"#[0-9a-fA-F]{6}"
# Weights of the BIN/IIN check digit (Decree of the Government of Kazakhstan No. 565 of
# 11 June 2003): the first set, and the second for when the first gives 10.
BIN_WEIGHTS = (range(1, 12), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))


OPERATOR_EMAIL_MESSAGE = _l("Give an e-mail address such as privacy@arman.kz.")


def operator_email_problem(address: str) -> str | None:
    """What is wrong with the operator's contact address, or None."""
    if len(address) > MAX_EMAIL:
        return _l("At most %(count)d characters.", count=MAX_EMAIL)
    return mail_problem(address, OPERATOR_EMAIL_MESSAGE)


def facts_required(kind: ServiceKind) -> bool:
    """Whether the owner must give all of a service's facts in every language: a custom
    script's come from its owner only (the catalog knows nothing of it)."""
    return not kind.provider


def consent_days(months: int) -> int:
    """Days a decision is kept for a lifetime given in months (13 months: 395 days, the most
    Site.consent_days allows)."""
    return months * 365 // 12


def consent_months(days: int) -> int:
    return round(days * 12 / 365)


def bin_is_valid(number: str) -> bool:
    """Whether a 12-digit BIN (or an entrepreneur's IIN) carries the right check digit."""
    digits = [int(digit) for digit in number]
    for weights in BIN_WEIGHTS:
        check = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
        if check != 10:
            return check == digits[11]
    return False  # 10 with both sets of weights: no number is issued with it


def bin_problem(number: str) -> LazyString | None:
    """What is wrong with a BIN (given as digits), or None."""
    if not re.fullmatch(r"[0-9]{12}", number):
        return _l("A BIN has 12 digits.")
    if not bin_is_valid(number):
        return _l("The check digit (the last one) does not match: check the number for a typo.")
    return None


def script_url_problem(url: str) -> LazyString | None:
    """What is wrong with the address of a custom script the banner lets run, or None: an
    https address of a host with a top-level domain, at most MAX_SCRIPT_URL long."""
    if len(url) > MAX_SCRIPT_URL:
        return _l("At most %(count)d characters.", count=MAX_SCRIPT_URL)
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    labels = host.split(".")
    if len(labels) < 2 or not all(labels) or not re.fullmatch(r"[a-z]{2,63}", labels[-1]):
        return _l("Give the script's full address, e.g. https://cdn.example.kz/script.js.")
    if not url.lower().startswith("https://"):
        return _l("The script's address must start with https://.")
    return None


def vendor_id_problem(kind: ServiceKind, value: str) -> LazyString | None:
    """What is wrong with a tracker's ID at its vendor (a custom script's address), or
    None; the ID is checked as the vendor issues it."""
    if not kind.id_pattern:
        return script_url_problem(value)
    if not re.fullmatch(f"(?:{kind.id_pattern})", value):
        return _l("Not an ID of this tracker: it looks like %(example)s.", example=kind.id_example)
    return None


def split_cookies(text: str) -> list[str]:
    """Cookie names, one a line or separated by commas."""
    return [name for name in re.split(r"[\s,]+", text or "") if name]


def cookies_problem(names: list[str]) -> LazyString | None:
    """What is wrong with a list of cookie names, or None: names without spaces or commas,
    as many as the form's text holds."""
    if any(split_cookies(name) != [name] for name in names):
        return _l("A cookie's name has no spaces or commas.")
    if len(", ".join(names)) > MAX_COOKIES_TEXT:
        return _l("At most %(count)d characters.", count=MAX_COOKIES_TEXT)
    return None


@cache
def _asian_timezones() -> tuple[str, ...]:
    return ("UTC", *sorted(name for name in available_timezones() if name.startswith("Asia/")))


def timezone_choices(current: str) -> list[str]:
    """Asia's IANA time zones (Kazakhstan's among them) and UTC, and the site's own if it
    was set elsewhere (the command line), so that saving the form does not change it."""
    choices = list(_asian_timezones())
    return choices if current in choices else [current, *choices]
