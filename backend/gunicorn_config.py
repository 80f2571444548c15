"""gunicorn settings for Kelisim, shipped with the package:

    gunicorn -c python:backend.gunicorn_config 'backend:create_app()'

Logs keep no IP address: the access log leaves out the client and the query string, and
the error log writes `-` where gunicorn would name an address ("Invalid request from
ip=…"). KELISIM_BIND, KELISIM_WORKERS and KELISIM_THREADS override the defaults below.
"""

import ipaddress
import logging
import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("KELISIM_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("KELISIM_WORKERS", "4"))
worker_class = "gthread"
threads = int(os.environ.get("KELISIM_THREADS", "4"))
# A request the app has not answered by then is given up, and its worker replaced.
timeout = 30
graceful_timeout = 30
# Method, path without its query, status, bytes, milliseconds.
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
logger_class = "backend.gunicorn_config.AddresslessLogger"
# Memory rate-limit counters are per worker: each allows its share (config.py).
os.environ.setdefault("KELISIM_RATELIMIT_PROCESSES", str(workers))

# Runs of characters an IPv4 or IPv6 address is written with; each is checked.
ADDRESS_LIKE = re.compile(r"[0-9A-Fa-f.:]*[.:][0-9A-Fa-f.:]+")


def without_addresses(text: str) -> str:
    """The text with every IP address in it replaced by `-`."""

    def redact(match: re.Match) -> str:
        text = match.group(0)
        # As written, or without the punctuation of the sentence around it.
        for candidate in (text, text.rstrip(".:")):
            try:
                ipaddress.ip_address(candidate)
            except ValueError:
                continue
            return text.replace(candidate, "-", 1)
        return text

    return ADDRESS_LIKE.sub(redact, text)


class AddressFilter(logging.Filter):
    """Takes IP addresses out of each record before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = without_addresses(record.getMessage())
        record.args = None
        return True


class AddresslessLogger(Logger):
    """gunicorn's logger, with IP addresses taken out of the error log."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        if not any(isinstance(f, AddressFilter) for f in self.error_log.filters):
            self.error_log.addFilter(AddressFilter())
