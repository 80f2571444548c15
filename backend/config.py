"""Configuration defaults; every value can be overridden by a KELISIM_* environment variable."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-not-secret"


class Config:
    """Defaults for a local run: SQLite in the instance folder, memory rate limits."""

    ENVIRONMENT = "development"
    SECRET_KEY = DEV_SECRET_KEY
    # Keyed hash for visitors' consent IDs; derived from SECRET_KEY when not set.
    CONSENT_ID_KEY = None
    DATABASE_URL = None  # None means SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Absolute base URL the widget talks back to; None means the URL of the request.
    PUBLIC_URL = None

    RATELIMIT_ENABLED = True
    # Per process in memory; redis://127.0.0.1:6379 to share limits between app servers.
    RATELIMIT_STORAGE_URL = "memory://"
    RATELIMIT_EVENTS = "120 per minute"
    RATELIMIT_RECEIPTS = "30 per minute"
    RATELIMIT_STATS = "60 per minute"
    RATELIMIT_SHARED_PASSWORD = "10 per minute"

    EVENTS_MAX_BYTES = 16 * 1024
    # How long a rendered widget stays in this process before the database is asked again.
    WIDGET_CACHE_SECONDS = 10
    WIDGET_MAX_AGE = 300

    BABEL_DEFAULT_LOCALE = "ru"
    # Dates and times in the dashboard are shown as people in Kazakhstan read them.
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"
    # werkzeug's default; tests use a fast one (a hash per test user would cost 50 ms).
    PASSWORD_HASH_METHOD = "scrypt"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")

    WIDGET_DIST = PROJECT_ROOT / "static" / "widget" / "dist"
