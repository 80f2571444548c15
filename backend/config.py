"""Configuration: defaults, the type of each setting, and what production refuses to start with.

Every value can be overridden by a KELISIM_* environment variable. Flask parses those as JSON,
so an all-digit secret would arrive as a number and a path as a string: `load_config` turns
each known setting into its declared type, or refuses to start naming the variable. A KELISIM_*
name that is no setting (nor a tool's, TOOL_NAMES) refuses to start too.
"""

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from types import NoneType
from typing import Any, get_args, get_type_hints
from urllib.parse import urlsplit

from flask import Config as FlaskConfig
from zxcvbn import zxcvbn

PACKAGE_ROOT = Path(__file__).resolve().parent
DEV_SECRET_KEY = "dev-only-not-secret"
ENVIRONMENTS = ("development", "production")
PREFIX = "KELISIM"
# 10^30 guesses is about 2^100: what `secrets.token_hex(16)` gives, a quarter of the
# README's `token_hex(32)`. zxcvbn reads at most 72 characters, enough to judge a secret.
MIN_SECRET_GUESSES_LOG10 = 30
ZXCVBN_MAX_LENGTH = 72
# KELISIM_* names that belong to tools around the app, not to the app: gunicorn's
# (backend/gunicorn_config.py), the browser and the nginx the tests drive (tests/chromium.py,
# tests/test_deploy_guide.py), and every KELISIM_TEST_* name, the test suite's own
# (tests/conftest.py).
TOOL_NAMES = frozenset({"BIND", "WORKERS", "THREADS", "CHROMIUM", "NGINX"})
TOOL_PREFIX = "TEST_"


class ConfigurationError(RuntimeError):
    """The app refuses to start with this configuration."""


class Config:
    """Defaults for a local run: SQLite in the instance folder, memory rate limits.

    Each setting is declared once, as `NAME: type = default`; the annotation is the type a
    KELISIM_NAME environment value is converted to (`X | None`: unset means None).
    """

    # development or production; anything else refuses to start.
    ENVIRONMENT: str = "development"
    DEBUG: bool = False
    SECRET_KEY: str = DEV_SECRET_KEY
    # Keyed hash for visitors' consent IDs; derived from SECRET_KEY when not set.
    CONSENT_ID_KEY: str | None = None
    # None means SQLite in the instance folder.
    DATABASE_URL: str | None = None
    # Seconds a database call may take: a silent database must not hang a request.
    DATABASE_CONNECT_TIMEOUT: float = 3
    DATABASE_STATEMENT_TIMEOUT: float = 5
    # Absolute base URL the widget talks back to; required in production, where the Host
    # header is never trusted. Development falls back to the request's own URL.
    PUBLIC_URL: str | None = None
    # Where published widget files are written (when PUBLIC_URL is set); None: published/
    # in the instance folder. A web server may serve them directly (docs/deploy.md).
    PUBLISHED_DIR: Path | None = None
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed.
    PROXY_HOPS: int = 0

    # The session cookie is never readable by scripts nor sent with another site's POSTs;
    # None: Secure in production (served over HTTPS), not in development (plain http).
    SESSION_COOKIE_HTTPONLY: bool = True
    SESSION_COOKIE_SAMESITE: str = "Lax"
    SESSION_COOKIE_SECURE: bool | None = None

    RATELIMIT_ENABLED: bool = True
    # Per process in memory; redis://127.0.0.1:6379 to share limits between processes.
    RATELIMIT_STORAGE_URL: str = "memory://"
    # Processes that serve the app (gunicorn's -w): with memory counters each process
    # allows its share of a limit, so that the whole server allows the limit.
    RATELIMIT_PROCESSES: int = 1
    # Sized for carrier-grade NAT: see README, "Rate limits".
    RATELIMIT_EVENTS: str = "600 per minute"
    RATELIMIT_RECEIPTS: str = "60 per minute"
    # Dashboard sign-in and password-reset requests (figures explained in backend/auth/throttle.py).
    RATELIMIT_SIGN_IN_ACCOUNT: str = "5 per 15 minutes"
    RATELIMIT_SIGN_IN_IP: str = "30 per 15 minutes"
    RATELIMIT_PASSWORD_RESET_ACCOUNT: str = "5 per hour"
    RATELIMIT_PASSWORD_RESET_IP: str = "30 per hour"
    RATELIMIT_SIGN_UP_IP: str = "10 per hour"
    # Receipt look-ups in the dashboard, per address (each is a keyed hash and a query).
    RATELIMIT_DASHBOARD_RECEIPTS: str = "20 per minute"
    # Stats API requests and password tries on a shared link, per address.
    RATELIMIT_STATS: str = "60 per minute"
    RATELIMIT_SHARED_PASSWORD: str = "10 per minute"
    # The dashboard's stats and events files, per person and site (backend/dashboard/stats.py).
    RATELIMIT_DOWNLOADS: str = "10 per 5 minutes"

    # Largest accepted event body, in bytes.
    EVENTS_MAX_BYTES: int = 16 * 1024
    # How long a rendered widget stays in this process before the database is asked again.
    WIDGET_CACHE_SECONDS: float = 10
    # Cache-Control max-age of the widget script and config, in seconds.
    WIDGET_MAX_AGE: int = 300

    BABEL_DEFAULT_LOCALE: str = "ru"
    # Dates and times in the dashboard are shown as people in Kazakhstan read them.
    BABEL_DEFAULT_TIMEZONE: str = "Asia/Almaty"
    # werkzeug's default; tests use a fast one (a hash per test user would cost 50 ms).
    PASSWORD_HASH_METHOD: str = "scrypt"
    # Anyone may create an account at /signup; off: the first user comes from the CLI.
    OPEN_SIGNUP: bool = False
    # Password-reset links work this long (seconds), and once.
    PASSWORD_RESET_MAX_AGE: int = 3600

    # Outgoing mail (password-reset links). No host: the letter is written to the log instead.
    SMTP_HOST: str | None = None
    SMTP_PORT: int = 587
    SMTP_USERNAME: str | None = None
    SMTP_PASSWORD: str | None = None
    SMTP_FROM: str = "Kelisim <kelisim@localhost>"
    SMTP_STARTTLS: bool = True
    SMTP_TIMEOUT: float = 10

    # Inside the package (a link to the top-level folders in a checkout), so that every
    # install carries the compiled catalogs and the widget build.
    BABEL_TRANSLATION_DIRECTORIES: str = str(PACKAGE_ROOT / "translations")
    WIDGET_DIST: Path = PACKAGE_ROOT / "widget_dist"


def setting_types() -> dict[str, type]:
    """Each setting's name and the type its environment value is converted to."""
    types = {}
    for name, hint in get_type_hints(Config).items():
        # `X | None` is converted as X: an unset variable keeps the default None.
        types[name] = next(arg for arg in get_args(hint) or (hint,) if arg is not NoneType)
    return types


BOOLEAN_WORDS = {"true": True, "1": True, "false": False, "0": False}


def load_config(config: FlaskConfig, test_config: dict | None) -> None:
    """Class defaults, then KELISIM_* environment variables (or the test config), each
    converted to its type and checked."""
    config.from_object(Config)
    if test_config is None:
        check_names(os.environ)
        config.from_prefixed_env(PREFIX)
        for name, kind in setting_types().items():
            raw = os.environ.get(f"{PREFIX}_{name}")
            if raw is not None:
                config[name] = _typed(name, raw, kind)
    else:
        config.update(test_config)
    if config["ENVIRONMENT"] not in ENVIRONMENTS:
        raise ConfigurationError(
            f"{PREFIX}_ENVIRONMENT is {config['ENVIRONMENT']!r}; it must be one of"
            f" {', '.join(ENVIRONMENTS)}"
        )
    production = config["ENVIRONMENT"] == "production"
    if config["SESSION_COOKIE_SECURE"] is None:
        config["SESSION_COOKIE_SECURE"] = production
    if production:
        check_production(config)


def check_names(environ: Mapping[str, str]) -> None:
    """Refuse to start on a KELISIM_* variable that is neither a setting nor a tool's.

    In development too: a misspelt name is silently a default, and the name most worth
    guessing, KELISIM_ENVIRONMENT, is the one that decides whether this is production; with
    KELISIM_ENV=production the app would otherwise run as development, with the development
    secret, and a warning in a log nobody reads yet would not stop it."""
    settings = setting_types()
    unknown = sorted(
        variable
        for variable in environ
        if variable.startswith(f"{PREFIX}_")
        and (name := variable.removeprefix(f"{PREFIX}_")) not in settings
        and name not in TOOL_NAMES
        and not name.startswith(TOOL_PREFIX)
    )
    if unknown:
        named = ", ".join(_unknown(variable, [*settings, *TOOL_NAMES]) for variable in unknown)
        raise ConfigurationError(
            f"Unknown settings: {named}. Kelisim's settings are declared in backend/config.py;"
            " a misspelt one would be ignored, so the app does not start."
        )


def _unknown(variable: str, names: list[str]) -> str:
    """An unknown variable's name, with the known name it looks most like."""
    name = variable.removeprefix(f"{PREFIX}_")
    # A known name that starts with it first (ENV: ENVIRONMENT), else one spelt like it.
    close = [known for known in names if name and known.startswith(name)]
    close = close or difflib.get_close_matches(name, names, n=1)
    return f"{variable} (did you mean {PREFIX}_{close[0]}?)" if close else variable


def _typed(name: str, raw: str, kind: type) -> Any:
    """A raw environment value as the setting's type."""
    if kind is str:
        return raw
    if kind is Path:
        return Path(raw)
    try:
        if kind is bool:
            return BOOLEAN_WORDS[raw.strip().lower()]
        value = kind(raw)
    except (KeyError, ValueError):
        raise ConfigurationError(
            f"{PREFIX}_{name}={raw!r} is not a {'true/false' if kind is bool else kind.__name__}"
        ) from None
    if value < 0:
        raise ConfigurationError(f"{PREFIX}_{name} must not be negative")
    return value


def check_production(config: FlaskConfig) -> None:
    """What production refuses to start with."""
    for name in ("SECRET_KEY", "CONSENT_ID_KEY"):
        secret = config[name]
        if name == "SECRET_KEY" or secret is not None:
            check_secret(name, secret)
    if config["DEBUG"]:
        raise ConfigurationError(f"{PREFIX}_DEBUG must be off in production")
    if not (config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]):
        raise ConfigurationError(
            f"Session cookies must be Secure and HttpOnly in production: leave"
            f" {PREFIX}_SESSION_COOKIE_SECURE and {PREFIX}_SESSION_COOKIE_HTTPONLY unset"
        )
    public_url = config["PUBLIC_URL"]
    parts = urlsplit(public_url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise ConfigurationError(
            f"{PREFIX}_PUBLIC_URL must be set in production to the absolute URL visitors reach"
            " Kelisim at (https://consent.example.kz): the Host header is never trusted"
        )


def check_secret(name: str, secret: Any) -> None:
    """A secret hard enough to guess for production."""
    strong = (
        isinstance(secret, str)
        and secret != DEV_SECRET_KEY
        and len(secret) >= 32
        and zxcvbn(secret[:ZXCVBN_MAX_LENGTH])["guesses_log10"] >= MIN_SECRET_GUESSES_LOG10
    )
    if not strong:
        raise ConfigurationError(
            f"{PREFIX}_{name} must be a random value of at least 32 characters in production"
            " (python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )
