"""The shipped gunicorn settings: no IP address in any log."""

import pytest
from gunicorn.config import Config

from backend import gunicorn_config
from backend.gunicorn_config import AddresslessLogger, without_addresses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Invalid request from ip=203.0.113.7: bad line", "Invalid request from ip=-: bad line"),
        ("from ip=2001:db8::7:1 and ::1.", "from ip=- and -."),
        ("from 2001:db8:: only", "from - only"),
        ("peer ('198.51.100.23', 51234)", "peer ('-', 51234)"),
        ("worker 12:30:45 booted, version 1.2.3", "worker 12:30:45 booted, version 1.2.3"),
    ],
)
def test_addresses_are_taken_out(text, expected):
    assert without_addresses(text) == expected


def test_the_error_log_keeps_no_client_address(tmp_path):
    config = Config()
    config.set("errorlog", str(tmp_path / "error.log"))
    config.set("logger_class", gunicorn_config.logger_class)
    logger = AddresslessLogger(config)
    # What gunicorn writes for a malformed request line.
    logger.warning("Invalid request from ip={ip}: {error}".format(ip="203.0.113.7", error="x"))
    logger.error("Error from %s", "2001:db8::1")
    logged = (tmp_path / "error.log").read_text()
    assert "Invalid request from ip=-: x" in logged
    assert "203.0.113.7" not in logged and "2001:db8::1" not in logged


def test_the_access_log_names_no_client_and_no_query():
    assert "%(h)s" not in gunicorn_config.access_log_format
    assert "%(q)s" not in gunicorn_config.access_log_format
    assert "%(r)s" not in gunicorn_config.access_log_format  # the request line has the query
    assert "%(U)s" in gunicorn_config.access_log_format
