"""Sign in and out, one's own account (password, language), password reset, open sign-up."""

import math
import re
from functools import lru_cache

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, SignatureExpired
from werkzeug.security import check_password_hash, generate_password_hash

from backend.auth import bp
from backend.auth.forms import (
    ChangePasswordForm,
    LanguageForm,
    NewPasswordForm,
    ResetRequestForm,
    SignInForm,
    SignUpForm,
)
from backend.auth.language import remember_in_browser
from backend.auth.reset import send_reset_letter, user_for_token
from backend.auth.throttle import (
    PASSWORD_RESET,
    SIGN_IN,
    SIGN_UP,
    Throttle,
    count_attempt,
    forget_account,
    seconds_blocked,
)
from backend.extensions import db
from backend.models import User
from backend.services.sites import get_or_create_user

# A path on this server: one "/" and printable ASCII after it. Browsers drop tabs and line
# breaks from a URL ("/\t/evil.example" is "//evil.example" to them), read "\" as "/", and a
# line break in a Location header would end it: any of those, a space or anything outside
# ASCII (which a real path carries percent-encoded) is refused.
SAFE_NEXT = re.compile(r"/(?![/\\])[!-~]*")


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this server, never another site."""
    if target and SAFE_NEXT.fullmatch(target) and "\\" not in target:
        return target
    return url_for("dashboard.index")


def _form_page(template: str, form: FlaskForm, **context):
    """A form page: 422 when the form was refused."""
    return render_template(template, form=form, **context), 422 if form.errors else 200


def _too_many(throttle: Throttle, email: str, form: FlaskForm) -> dict | None:
    """If this e-mail or address must wait, say until when on the form and return the 429's
    headers; else None."""
    wait = seconds_blocked(throttle, email)
    if wait is None:
        return None
    # "min." needs no plural forms in any of the three languages.
    form.form_errors.append(
        _("Too many attempts. Try again in %(minutes)d min.", minutes=math.ceil(wait / 60))
    )
    return {"Retry-After": str(wait)}


@lru_cache(maxsize=4)
def _stand_in_hash(method: str) -> str:
    return generate_password_hash("no account has this password", method=method)


def _authenticate(email: str, password: str) -> User | None:
    """The user with this e-mail and password. An unknown e-mail costs the same hashing
    time as a known one, so that the time of an answer tells nobody which accounts exist."""
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        check_password_hash(_stand_in_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    return user if user.check_password(password) else None


def _start_session(user: User) -> None:
    """Sign the user in with a fresh session: nothing set before (by anyone) carries over."""
    session.clear()
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = SignInForm()
    if form.validate_on_submit():
        email = form.email.data.lower()
        if (headers := _too_many(SIGN_IN, email, form)) is not None:
            return render_template("auth/login.html", form=form), 429, headers
        user = _authenticate(email, form.password.data)
        if user is not None:
            forget_account(SIGN_IN, email)
            _start_session(user)
            return redirect(_safe_next(request.args.get("next")))
        count_attempt(SIGN_IN, email)
        form.password.errors.append(_("Wrong e-mail or password."))
    return _form_page("auth/login.html", form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out (a POST with a CSRF token, so that no link on another site can do it): the
    session ends on the server too, on every device, so that a copied cookie opens nothing."""
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


def _account_page(form: ChangePasswordForm) -> str:
    language_form = LanguageForm(language=str(get_locale()), next=url_for("auth.account"))
    return render_template("auth/account.html", form=form, language_form=language_form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """One's own account: change the password (the current one first; every other session
    ends), choose the language (a form of its own, posted to /language)."""
    user: User = current_user._get_current_object()
    form = ChangePasswordForm(account_email=user.email)
    if not form.validate_on_submit():
        return _account_page(form), 422 if form.errors else 200
    if (headers := _too_many(SIGN_IN, user.email, form)) is not None:
        return _account_page(form), 429, headers
    if not user.check_password(form.current_password.data):
        # A wrong current password is a failed sign-in: guessing it here is throttled too.
        count_attempt(SIGN_IN, user.email)
        form.current_password.errors.append(_("This is not your current password."))
        return _account_page(form), 422
    user.set_password(form.password.data)
    db.session.commit()
    _start_session(user)  # this session goes on under the new password
    flash(_("Password changed. Your other sessions have been signed out."), "success")
    return redirect(url_for("auth.account"))


@bp.post("/language")
def set_language():
    """Choose the dashboard's language: kept on the account when signed in, and in this
    browser either way."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(422)  # a language the dashboard does not speak
    if current_user.is_authenticated:
        current_user.locale = form.language.data
        db.session.commit()
    response = redirect(_safe_next(form.next.data))
    remember_in_browser(response, form.language.data)
    return response


@bp.route("/forgot", methods=["GET", "POST"])
def forgot_password():
    """Ask for a password-reset link. The answer is the same whether or not the account
    exists, so that the form tells nobody who has one."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        email = form.email.data.lower()
        if (headers := _too_many(PASSWORD_RESET, email, form)) is not None:
            return render_template("auth/forgot.html", form=form), 429, headers
        count_attempt(PASSWORD_RESET, email)
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is not None:
            send_reset_letter(user)
        flash(
            _(
                "If an account with this e-mail exists, a link to set a new password"
                " is on its way. Check your mail."
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    return _form_page("auth/forgot.html", form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password from a reset link, and sign in; every other session ends."""
    try:
        user = user_for_token(token)
    except SignatureExpired:
        return _private(render_template("auth/reset_invalid.html"), 410)
    except BadSignature:
        return _private(render_template("auth/reset_invalid.html"), 404)
    form = NewPasswordForm(account_email=user.email)
    if form.validate_on_submit():
        user.set_password(form.password.data)
        db.session.commit()
        forget_account(SIGN_IN, user.email)  # they proved who they are
        _start_session(user)
        flash(_("Your new password is set."), "success")
        return redirect(url_for("dashboard.index"))
    page = render_template("auth/reset.html", form=form, email=user.email)
    return _private(page, 422 if form.errors else 200)


def _private(page: str, status: int) -> tuple:
    # The link's token is in this page's URL: no request from it may carry it elsewhere.
    return page, status, {"Referrer-Policy": "no-referrer"}


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Create an account (only where KELISIM_OPEN_SIGNUP is on; else there is no such page).

    An e-mail already taken is said so: open sign-up cannot hide which accounts exist
    without confirming addresses by mail, and the per-address limit slows such probing."""
    if not current_app.config["OPEN_SIGNUP"]:
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = SignUpForm()
    if form.validate_on_submit():
        if (headers := _too_many(SIGN_UP, "", form)) is not None:
            return render_template("auth/signup.html", form=form), 429, headers
        count_attempt(SIGN_UP)
        user, created = get_or_create_user(db.session, form.email.data, form.password.data)
        if created:
            try:
                db.session.commit()
            except sa.exc.IntegrityError:  # the same e-mail signed up a moment earlier
                db.session.rollback()
                created = False
        if created:
            _start_session(user)
            return redirect(url_for("dashboard.index"))
        form.email.errors.append(
            _("An account with this e-mail already exists. Sign in, or ask for a new password.")
        )
    return _form_page("auth/signup.html", form)
