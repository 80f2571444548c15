"""Command-line tasks: `flask --app wsgi <command>`."""

import contextlib
import json
import time
from collections import Counter
from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import force_locale
from marshmallow import ValidationError

from backend.delivery import delivery
from backend.event_writer import writer_turns
from backend.extensions import db
from backend.models import INTERVALS, Site, User
from backend.schemas.export import FORMATS, StatsQuerySchema
from backend.services import DomainError
from backend.services.demo import DEMO_EMAIL, DEMO_PASSWORD, ensure_demo
from backend.services.passwords import password_problem
from backend.services.retention import PURGE_BATCH, expired_batches
from backend.services.site_config import (
    MAX_FILE_BYTES,
    ConfigError,
    config_json,
    export_config,
    import_config,
    read_config_file,
)
from backend.services.sites import add_service, create_site, get_or_create_user
from backend.services.tokens import create_token
from backend.services.versions import republish_outdated
from backend.stats_files import csv_lines, json_bytes, stats_table, xlsx_chunks
from backend.web import snippet

token_group = AppGroup("token", help="Read tokens of the stats API.")
export_group = AppGroup("export", help="Stats files, for cron jobs.")
site_group = AppGroup("site", help="A site's configuration as a JSON file (docs/configuration.md).")


def _base_url(host: str, port: int) -> str:
    return (current_app.config["PUBLIC_URL"] or f"http://{host}:{port}").rstrip("/")


def server_address(command):
    """--host and --port of the development server, for the URLs a command prints when
    KELISIM_PUBLIC_URL is not set (`make run HOST=… PORT=…` passes its own)."""
    command = click.option("--port", default=5000, show_default=True)(command)
    return click.option("--host", default="127.0.0.1", show_default=True)(command)


@click.command("create-user")
@click.argument("email")
@click.password_option()
@with_appcontext
def create_user_command(email: str, password: str) -> None:
    """Create a dashboard user."""
    with force_locale("en"):  # as every other message of the CLI
        problem = password_problem(password, email)
        if problem:
            raise click.ClickException(str(problem))
    user, created = get_or_create_user(db.session, email, password)
    if not created:
        raise click.ClickException(f"{user.email} already exists.")
    db.session.commit()
    click.echo(f"Created {user.email}.")


@click.command("set-password")
@click.argument("email")
@click.password_option(prompt="New password")
@with_appcontext
def set_password_command(email: str, password: str) -> None:
    """Set a user's password (for an operator who lost access); their sessions end."""
    user = db.session.scalar(db.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user {email}.")
    with force_locale("en"):  # as every other message of the CLI
        problem = password_problem(password, user.email)
        if problem:
            raise click.ClickException(str(problem))
    user.set_password(password)
    db.session.commit()
    click.echo(f"Password set for {user.email}; their sessions have ended.")


@click.command("create-site")
@click.argument("name")
@click.option("--domain", "domains", multiple=True, required=True, help="Host name; repeatable.")
@click.option("--owner", required=True, help="E-mail of an existing user.")
@click.option("--metrica", help="Yandex.Metrica counter ID to hold until consent.")
@click.option("--ga4", help="GA4 measurement ID for Kelisim to load once granted.")
@server_address
@with_appcontext
def create_site_command(name, domains, owner, metrica, ga4, host: str, port: int) -> None:
    """Create a site owned by a user and print its embed snippet."""

    user = db.session.scalar(db.select(User).where(User.email == owner.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user {owner}; create it with create-user first.")
    try:
        site = create_site(db.session, user, name, list(domains), by=None)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    if metrica:
        add_service(site, "yandex_metrica", options={"counter_id": metrica, "webvisor": False})
    if ga4:
        add_service(site, "google_analytics", managed=True, options={"measurement_id": ga4})
    db.session.commit()
    click.echo(f"Site key: {site.public_key}")
    click.echo(f"Snippet:  {snippet(_base_url(host, port), site.public_key)}")


@click.command("demo")
@server_address
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable details.")
@with_appcontext
def demo_command(host: str, port: int, as_json: bool) -> None:
    """Create the demo site and user (once) and print where to look."""
    user, site = ensure_demo(db.session)
    db.session.commit()
    base = _base_url(host, port)
    details = {
        "site_key": site.public_key,
        "demo_url": f"{base}/demo/{site.public_key}",
        "widget_url": f"{base}/w/{site.public_key}.js",
        "api_url": f"{base}/api/v1/openapi.json",
        "sign_in_url": f"{base}/login",
        "email": DEMO_EMAIL,
        "password": DEMO_PASSWORD,
    }
    if as_json:
        click.echo(json.dumps(details))
        return
    click.echo(f"Demo operator page: {details['demo_url']}")
    for lang in site.languages:
        click.echo(f"  in {lang}:           {details['demo_url']}?lang={lang}")
    click.echo(f"Widget script:      {details['widget_url']}")
    click.echo(f"API document:       {details['api_url']}")
    click.echo(f"Dashboard sign-in:  {details['sign_in_url']}  {DEMO_EMAIL} / {DEMO_PASSWORD}")


@click.command("purge")
@click.option("--batch-size", default=PURGE_BATCH, show_default=True, type=click.IntRange(1))
@with_appcontext
def purge_command(batch_size: int) -> None:
    """Delete consent events older than each site's retention period, a committed batch at a
    time, so consents keep being recorded: on SQLite the purge takes turns with the event
    writers, and after each batch it rests as long as the batch took, so that writers
    waiting for their turn get the database at least half the time."""
    turns = writer_turns(db.engine)
    turn = turns.turn if turns else contextlib.nullcontext
    batches = expired_batches(db.session, datetime.now(UTC), batch_size)
    purged: Counter[str] = Counter()
    while True:
        started = time.monotonic()
        with turn():
            batch = next(batches, None)
            db.session.commit()
        if batch is None:
            break
        purged[batch[0]] += batch[1]
        time.sleep(time.monotonic() - started)
    total = sum(purged.values())
    click.echo(f"Purged {total} events from {len(purged)} sites.")


@click.command("publish-files")
@with_appcontext
def publish_files_command() -> None:
    """Write every site's widget files as the database has them, and remove those of
    sites it no longer has (after an upgrade or a restore)."""
    files, publisher = delivery().files, delivery().publisher
    if files is None or publisher is None:
        raise click.ClickException("Set KELISIM_PUBLIC_URL: published files carry that URL.")
    keys = set(db.session.scalars(db.select(Site.public_key)))
    for key in keys | files.site_keys():
        publisher.write(key)
    earlier = files.remove_earlier_layout()
    click.echo(f"Published the widget files of {len(keys)} sites to {files.directory}.")
    if earlier:
        click.echo(f"Removed {earlier} files of the layout before releases.")


@click.command("publish-versions")
@with_appcontext
def publish_versions_command() -> None:
    """Publish a banner version for every site whose widget shows other words than its
    last version (after an upgrade changed the default texts) or that has none yet."""
    changed = republish_outdated(db.session)
    db.session.commit()
    click.echo(f"{len(changed)} sites showed other words than their last version: republished.")


def _site(key: str) -> Site:
    site = db.session.scalar(db.select(Site).where(Site.public_key == key))
    if site is None:
        raise click.ClickException(f"No site has the key {key!r}.")
    return site


@token_group.command("create")
@click.option("--site", "site_key", required=True, help="The site's key.")
@click.option("--name", required=True, help="What the token is for, e.g. the script's name.")
@with_appcontext
def token_create_command(site_key: str, name: str) -> None:
    """Make a read token for a site's stats and print it (once: only its hash is kept)."""
    try:
        _, secret = create_token(db.session, _site(site_key), None, name)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(secret)


@export_group.command("stats")
@click.option("--site", "site_key", required=True, help="The site's key.")
@click.option("--from", "first", required=True, help="First day, YYYY-MM-DD (site's time).")
@click.option("--to", "last", required=True, help="Last day, inclusive.")
@click.option("--interval", type=click.Choice(INTERVALS), default="day", show_default=True)
@click.option("--by", default="", help="Comma-separated dimensions.")
@click.option("--format", "format_", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--semicolon", is_flag=True, help="CSV with ';' and decimal commas (ru/kk Excel).")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="Default: stdout.")
@with_appcontext
def export_stats_command(site_key, first, last, interval, by, format_, semicolon, output) -> None:
    """Write a site's counts and rates, as the stats API answers them."""
    site = _site(site_key)
    try:
        query = StatsQuerySchema().load({"from": first, "to": last, "interval": interval, "by": by})
    except ValidationError as error:
        raise click.ClickException(json.dumps(error.messages)) from error
    table = stats_table(db.session, site, query)
    if format_ == "xlsx":
        chunks = xlsx_chunks(table)
    elif format_ == "csv":
        chunks = (line.encode() for line in csv_lines(table, semicolon))
    else:
        chunks = iter([json_bytes(table) + b"\n"])
    with click.open_file(output or "-", "wb") as file:
        for chunk in chunks:
            file.write(chunk)
    if output:
        click.echo(f"Wrote {len(table.rows)} rows to {output}.", err=True)


@site_group.command("export")
@click.argument("key")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="Default: stdout.")
@with_appcontext
def site_export_command(key: str, output: str | None) -> None:
    """Write a site's configuration as one JSON document."""
    text = config_json(export_config(_site(key)))
    with click.open_file(output or "-", "w", encoding="utf-8") as file:
        file.write(text)
    if output:
        click.echo(f"Wrote the configuration of {key} to {output}.", err=True)


@site_group.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--key", help="The site to replace the configuration of; default: a new site.")
@click.option("--owner", help="E-mail of an existing user who owns a new site.")
@server_address
@with_appcontext
def site_import_command(file, key: str | None, owner: str | None, host: str, port: int) -> None:
    """Apply a configuration file to a site (--key) or to a new one, as a dashboard save
    does: every problem is listed and nothing is changed if there is any."""
    site = _site(key) if key else None
    user = None
    if site is None:
        if not owner:
            raise click.UsageError("A new site needs --owner EMAIL (or give --key KEY).")
        user = db.session.scalar(db.select(User).where(User.email == owner.strip().lower()))
        if user is None:
            raise click.ClickException(f"No user {owner}; create it with create-user first.")
    with force_locale("en"):  # as every other message of the CLI
        try:
            document = read_config_file(file.read(MAX_FILE_BYTES + 1))
            site = import_config(db.session, document, None, site=site, owner=user)
            db.session.commit()
        except ConfigError as error:
            db.session.rollback()
            lines = [f"{path}: {message}" for path, message in error.fields.items()]
            raise click.ClickException(
                "\n".join([f"{error.message} Nothing was changed.", *lines])
            ) from None
    if key:
        click.echo(f"Imported into {site.public_key}.")
    else:
        click.echo(f"Site key: {site.public_key}")
        click.echo(f"Snippet:  {snippet(_base_url(host, port), site.public_key)}")


def register(app: Flask) -> None:
    commands = (
        create_user_command,
        set_password_command,
        create_site_command,
        demo_command,
        purge_command,
        publish_versions_command,
        publish_files_command,
    )
    for command in commands:
        app.cli.add_command(command)
    app.cli.add_command(token_group)
    app.cli.add_command(export_group)
    app.cli.add_command(site_group)
