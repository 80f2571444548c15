"""Outgoing mail: sent by SMTP when KELISIM_SMTP_HOST is set, else written to the log.

Letters are sent from a thread of their own, so that a slow mail server never holds up the
request that asked for the letter, and the time an answer takes does not tell whether a
letter was sent (which would tell whether an account exists).
"""

import logging
import smtplib
import threading
from email.message import EmailMessage

from flask import Flask, current_app

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Make sure letters written to the log reach the operator's terminal: Python shows only
    warnings when nothing configured logging (as under `flask run` or a plain gunicorn)."""
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)
    if not log.hasHandlers():
        log.addHandler(logging.StreamHandler())


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text letter (or log it when no SMTP server is configured)."""
    config = current_app.config
    if not config["SMTP_HOST"]:
        log.info(
            "No SMTP server is configured (KELISIM_SMTP_HOST), so here is the letter.\n"
            "To: %s\nSubject: %s\n\n%s",
            to,
            subject,
            body,
        )
        return
    message = EmailMessage()
    message["From"] = config["SMTP_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    settings = {
        key: config[f"SMTP_{key.upper()}"]
        for key in ("host", "port", "username", "password", "starttls", "timeout")
    }
    threading.Thread(target=_deliver, args=(message, settings), daemon=True).start()


def _deliver(message: EmailMessage, settings: dict) -> None:
    try:
        with smtplib.SMTP(settings["host"], settings["port"], timeout=settings["timeout"]) as smtp:
            if settings["starttls"]:
                smtp.starttls()
            if settings["username"]:
                smtp.login(settings["username"], settings["password"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send the letter to %s by %s", message["To"], settings["host"])
