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
    # Dashboard sign-in and password-reset requests (figures explained in backend/auth/throttle.py).
    RATELIMIT_SIGN_IN_ACCOUNT = "5 per 15 minutes"
    RATELIMIT_SIGN_IN_IP = "30 per 15 minutes"
    RATELIMIT_PASSWORD_RESET_ACCOUNT = "5 per hour"
    RATELIMIT_PASSWORD_RESET_IP = "30 per hour"
    RATELIMIT_SIGN_UP_IP = "10 per hour"
    # Receipt look-ups in the dashboard, per address (each is a keyed hash and a query).
    RATELIMIT_DASHBOARD_RECEIPTS = "20 per minute"
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
    # Anyone may create an account at /signup; off: the first user comes from the CLI.
    OPEN_SIGNUP = False
    # Password-reset links work this long, and once.
    PASSWORD_RESET_MAX_AGE = 3600

    # The session cookie is never readable by scripts nor sent with another site's POSTs;
    # None: Secure in production (served over HTTPS), not in development (plain http).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = None

    # Outgoing mail (password-reset links). No host: the letter is written to the log instead.
    SMTP_HOST = None
    SMTP_PORT = 587
    SMTP_USERNAME = None
    SMTP_PASSWORD = None
    SMTP_FROM = "Kelisim <kelisim@localhost>"
    SMTP_STARTTLS = True
    SMTP_TIMEOUT = 10

    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")

    WIDGET_DIST = PROJECT_ROOT / "static" / "widget" / "dist"
