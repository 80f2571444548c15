"""Configuration from the environment: typed settings, and what production refuses."""

import secrets
import shutil
import socket
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Config as FlaskConfig

from backend import ConfigurationError, create_app
from backend.config import Config, load_config, setting_types
from backend.extensions import db
from tests.conftest import config_for_tests
from tests.factories import make_site

STRONG_SECRET = secrets.token_hex(32)


@pytest.fixture
def production(monkeypatch, tmp_path):
    """A complete production environment; a test changes one variable of it."""
    for name, value in {
        "KELISIM_ENVIRONMENT": "production",
        "KELISIM_SECRET_KEY": STRONG_SECRET,
        "KELISIM_DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
        "KELISIM_PUBLIC_URL": "https://consent.example.kz",
    }.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_a_complete_production_environment_starts(production, tmp_path):
    production.setenv("KELISIM_WIDGET_MAX_AGE", "60")
    production.setenv("KELISIM_PROXY_HOPS", "1")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'k.db'}"
    assert app.config["WIDGET_MAX_AGE"] == 60
    assert app.config["PROXY_HOPS"] == 1
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.debug is False


@pytest.mark.parametrize(
    "secret",
    [
        None,
        "dev-only-not-secret",
        "short",
        "a" * 32,
        "abcdefghijklmnopqrstuvwxyz012345",
        "12345678901234567890123456789012345",
        "correcthorsebatterystaplecorrecthorsebattery",
    ],
)
def test_production_refuses_a_weak_secret(production, secret):
    production.delenv("KELISIM_SECRET_KEY")
    if secret:
        production.setenv("KELISIM_SECRET_KEY", secret)
    with pytest.raises(ConfigurationError, match="KELISIM_SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("name", sorted(setting_types()))
def test_every_setting_can_be_set_from_the_environment(monkeypatch, tmp_path, name):
    kind = setting_types()[name]
    text, value = {
        bool: ("false", False) if getattr(Config, name) else ("true", True),
        int: ("7", 7),
        float: ("2.5", 2.5),
        Path: (str(tmp_path), tmp_path),
        # All digits, and still the string it was written as.
        str: ("123", "123"),
    }[kind]
    if name == "ENVIRONMENT":
        text = value = "production"
        monkeypatch.setenv("KELISIM_SECRET_KEY", STRONG_SECRET)
        monkeypatch.setenv("KELISIM_PUBLIC_URL", "https://consent.example.kz")
    monkeypatch.setenv(f"KELISIM_{name}", text)
    config = FlaskConfig(tmp_path)
    load_config(config, None)
    assert config[name] == value
    assert type(config[name]) is type(value)


def test_production_refuses_a_weak_consent_id_key(production):
    production.setenv("KELISIM_CONSENT_ID_KEY", "b" * 40)
    with pytest.raises(ConfigurationError, match="KELISIM_CONSENT_ID_KEY"):
        create_app()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("KELISIM_DEBUG", "true", "KELISIM_DEBUG"),
        ("KELISIM_SESSION_COOKIE_SECURE", "false", "Secure and HttpOnly"),
        ("KELISIM_SESSION_COOKIE_HTTPONLY", "false", "Secure and HttpOnly"),
        ("KELISIM_PUBLIC_URL", "", "KELISIM_PUBLIC_URL"),
        ("KELISIM_PUBLIC_URL", "consent.example.kz", "KELISIM_PUBLIC_URL"),
        ("KELISIM_PUBLIC_URL", "javascript://consent.example.kz", "KELISIM_PUBLIC_URL"),
        ("KELISIM_ENVIRONMENT", "Production", "one of development, production"),
        ("KELISIM_ENVIRONMENT", "prod", "one of development, production"),
        ("KELISIM_PROXY_HOPS", "one", "not a int"),
        ("KELISIM_PROXY_HOPS", "-1", "must not be negative"),
        ("KELISIM_DEBUG", "maybe", "not a true/false"),
    ],
)
def test_production_refuses_to_start_on(production, name, value, message):
    production.setenv(name, value)
    with pytest.raises(ConfigurationError, match=message):
        create_app()


def test_production_without_a_public_url_refuses_to_start(production):
    production.delenv("KELISIM_PUBLIC_URL")
    with pytest.raises(ConfigurationError, match="Host header is never trusted"):
        create_app()


def test_an_unknown_environment_is_refused_in_development_too(monkeypatch):
    monkeypatch.setenv("KELISIM_ENVIRONMENT", "staging")
    with pytest.raises(ConfigurationError, match="KELISIM_ENVIRONMENT"):
        create_app()


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        ("KELISIM_ENV", "KELISIM_ENVIRONMENT"),
        ("KELISIM_SECRET", "KELISIM_SECRET_KEY"),
        ("KELISIM_DB_URL", "KELISIM_DATABASE_URL"),
        ("KELISIM_RATELIMIT_STORAGE_URI", "KELISIM_RATELIMIT_STORAGE_URL"),
        ("KELISIM_WORKER", "KELISIM_WORKERS"),
        ("KELISIM_SQLALCHEMY_ECHO", None),
    ],
)
@pytest.mark.parametrize("environment", ["production", "development"])
def test_an_unknown_setting_refuses_to_start_naming_it(production, environment, name, suggested):
    production.setenv("KELISIM_ENVIRONMENT", environment)
    production.setenv(name, "production")
    with pytest.raises(ConfigurationError) as refused:
        create_app()
    message = str(refused.value)
    assert f"Unknown settings: {name}" in message
    assert (f"did you mean {suggested}?" in message) if suggested else "did you mean" not in message


def test_the_misspelt_environment_never_runs_as_development(monkeypatch):
    """The finding: KELISIM_ENV=production ran as development with the development secret."""
    monkeypatch.delenv("KELISIM_ENVIRONMENT", raising=False)
    monkeypatch.setenv("KELISIM_ENV", "production")
    with pytest.raises(ConfigurationError, match="KELISIM_ENV .did you mean KELISIM_ENVIRONMENT"):
        create_app()


def test_every_unknown_name_is_named_at_once(production):
    production.setenv("KELISIM_ENV", "production")
    production.setenv("KELISIM_PUBLICURL", "https://consent.example.kz")
    with pytest.raises(ConfigurationError, match="KELISIM_ENV .*, KELISIM_PUBLICURL .did you mean"):
        create_app()


def test_the_tools_own_variables_are_no_settings_and_start(production, tmp_path):
    """gunicorn's, the test suite's and its browser's names share the prefix."""
    for name in ("KELISIM_BIND", "KELISIM_WORKERS", "KELISIM_THREADS", "KELISIM_CHROMIUM"):
        production.setenv(name, "1")
    production.setenv("KELISIM_TEST_POSTGRES_URL", "postgresql://127.0.0.1/test")
    production.setenv("KELISIM_TEST_ANYTHING_LATER", "1")
    assert create_app().config["ENVIRONMENT"] == "production"


def test_an_all_digit_secret_is_a_string(production):
    digits = "".join(secrets.choice("0123456789") for _ in range(64))
    production.setenv("KELISIM_SECRET_KEY", digits)
    app = create_app()
    assert app.config["SECRET_KEY"] == digits


def test_a_widget_build_folder_from_the_environment_renders(monkeypatch, tmp_path):
    dist = tmp_path / "dist"
    shutil.copytree(create_app().config["WIDGET_DIST"], dist)
    monkeypatch.setenv("KELISIM_WIDGET_DIST", str(dist))
    monkeypatch.setenv("KELISIM_DATABASE_URL", f"sqlite:///{tmp_path / 'k.db'}")
    app = create_app()
    assert app.config["WIDGET_DIST"] == dist
    with app.app_context():
        db.create_all()
        site = make_site()
        db.session.commit()
        response = app.test_client().get(f"/w/{site.public_key}.js")
    assert response.status_code == 200
    assert b"kelisim" in response.data


def test_postgresql_statements_time_out(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to wait for")
    app = create_app(config_for_tests(database_url, DATABASE_STATEMENT_TIMEOUT=0.2))
    with app.app_context():
        with pytest.raises(sa.exc.OperationalError, match="statement timeout"):
            db.session.execute(sa.text("SELECT pg_sleep(30)"))
        db.session.remove()
        db.engine.dispose()


def test_a_database_that_accepts_and_never_answers_is_given_up():
    silent = socket.create_server(("127.0.0.1", 0))
    port = silent.getsockname()[1]
    app = create_app(
        config_for_tests(f"postgresql+psycopg://127.0.0.1:{port}/k", DATABASE_CONNECT_TIMEOUT=2)
    )
    with silent, app.app_context():
        with pytest.raises(sa.exc.OperationalError, match="timeout"):
            db.session.execute(sa.text("SELECT 1"))
        db.session.remove()
        db.engine.dispose()


def test_development_cookies_work_on_plain_http(monkeypatch):
    monkeypatch.delenv("KELISIM_ENVIRONMENT", raising=False)
    assert create_app().config["SESSION_COOKIE_SECURE"] is False


def test_sqlite_in_the_instance_folder_by_default(monkeypatch):
    monkeypatch.delenv("KELISIM_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/instance/kelisim.sqlite3")


def test_postgresql_connections_carry_connect_and_statement_timeouts(monkeypatch):
    monkeypatch.setenv("KELISIM_DATABASE_URL", "postgresql+psycopg://db.invalid/k?options=-cx%3D1")
    monkeypatch.setenv("KELISIM_DATABASE_STATEMENT_TIMEOUT", "2.5")
    options = create_app().config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["connect_args"] == {
        "connect_timeout": 3,
        "options": "-cx=1 -c statement_timeout=2500",
        # The kernel's own bounds, for a network that drops packets (tests/test_timeouts.py
        # has the app's, for a server that takes them and never answers).
        "tcp_user_timeout": 3000,
        "keepalives": 1,
        "keepalives_idle": 3,
        "keepalives_interval": 1,
        "keepalives_count": 3,
    }
