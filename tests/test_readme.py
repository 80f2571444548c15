"""The README tells the truth about what the code does: who may open each page of a site, and
every command and option of the command line."""

import re
from pathlib import Path

import click
import pytest
from flask_babel import force_locale

from backend import create_app
from backend.dashboard import SITE_TABS
from backend.dashboard.access import needed
from tests.conftest import config_for_tests

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
# Flask's and Flask-Migrate's own commands, which the README leaves to their documentation.
NOT_OURS = {"db", "routes", "run", "shell"}


def section(title: str) -> str:
    """The README's section under ``## title``, up to the next one."""
    match = re.search(rf"^## {title}\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, f"no section {title!r} in README.md"
    return match.group(1)


@pytest.fixture(scope="module")
def app():
    return create_app(config_for_tests("sqlite://"))


def table_rows(text: str) -> dict[str, list[str]]:
    """The cells of each Markdown table row, by its first cell."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            cells = [cell.strip() for cell in line.strip("|").split(" | ")]
            rows[cells[0]] = cells[1:]
    return rows


def test_the_dashboard_section_names_the_least_role_of_every_page(app):
    rows = table_rows(section("Dashboard"))
    with app.test_request_context(), force_locale("en"):
        for endpoint, label in (tab for _group, tabs in SITE_TABS for tab in tabs):
            role = needed(endpoint, "GET")
            assert str(label) in rows, f"README's Dashboard table has no row for {label}"
            who = rows[str(label)][0]
            assert who.startswith(f"{role.value}s"), f"{label}: {role.value}s open it, not {who!r}"


def commands(group: click.Group, ctx: click.Context, path: str = ""):
    """(command path, command) of every command of ``group``, subcommands included."""
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from commands(command, ctx, f"{path}{name} ")
        else:
            yield f"{path}{name}", command


def test_the_command_line_section_names_every_command_and_option(app):
    text = section("Command line")
    ctx = click.Context(app.cli)
    missing = []
    for path, command in commands(app.cli, ctx):
        if path.split()[0] in NOT_OURS:
            continue
        if f"`{path}" not in text:
            missing.append(path)
        missing += [
            f"{path} {option}"
            for parameter in command.params
            if isinstance(parameter, click.Option) and parameter.name != "help"
            for option in parameter.opts
            if option.startswith("--") and option not in text
        ]
    assert not missing, f"README.md's Command line section leaves out {missing}"
