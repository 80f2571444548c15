"""The dashboard's language: the signed-in user's choice, else this browser's, else its
Accept-Language, else Russian (BABEL_DEFAULT_LOCALE)."""

from flask import Response, current_app, has_request_context, request
from flask_login import current_user

from backend.models import LANGUAGES

LANGUAGE_COOKIE = "kelisim_language"
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


def select_locale() -> str | None:
    """flask-babel's locale selector (None: the default locale, as for the CLI)."""
    if not has_request_context():
        return None
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    return browser_choice() or request.accept_languages.best_match(LANGUAGES)


def browser_choice() -> str | None:
    """The language chosen in this browser (kept in a cookie), if any."""
    language = request.cookies.get(LANGUAGE_COOKIE)
    return language if language in LANGUAGES else None


def remember_in_browser(response: Response, language: str) -> None:
    """Keep the choice in this browser, so the sign-in page speaks it after signing out too."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=LANGUAGE_COOKIE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
