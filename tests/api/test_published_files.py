"""Published widget files: written on every publish, served without the database, and never
built from a request's Host."""

import gzip
import json
import time

import pytest
import sqlalchemy as sa

from backend import create_app
from backend.extensions import db
from backend.models import Site
from tests.conftest import config_for_tests
from tests.factories import make_site

PUBLIC_URL = "https://consent.example.kz"


@pytest.fixture
def published(tmp_path):
    return tmp_path / "published"


@pytest.fixture
def app_config(published):
    return {"PUBLIC_URL": PUBLIC_URL, "PUBLISHED_DIR": published, "WIDGET_CACHE_SECONDS": 60}


def test_publishing_writes_every_widget_file(client, site, published):
    key = site.public_key
    loader = published / "w" / f"{key}.js"
    assert loader.read_bytes() == client.get(f"/w/{key}.js").data
    assert gzip.decompress((published / "w" / f"{key}.js.gz").read_bytes()) == loader.read_bytes()
    assert (published / "w" / f"{key}.js.br").exists()
    for language in ("kk", "ru", "en"):
        for name in ("banner", "texts"):
            served = client.get(f"/w/{key}/{name}.js?l={language}").data
            assert (published / "w" / key / f"{name}.{language}.js").read_bytes() == served
        with_gpc = client.get(f"/w/{key}/banner.js?l={language}", headers={"Sec-GPC": "1"})
        assert (published / "w" / key / f"banner.{language}.gpc.js").read_bytes() == with_gpc.data
    snapshot = json.loads((published / "sites" / f"{key}.json").read_text())
    assert snapshot["domains"] == ["example.kz"]
    assert snapshot["config"]["api"] == f"{PUBLIC_URL}/api/v1"


def test_a_change_publishes_again_and_a_deleted_site_is_unpublished(client, site, published):
    loader = published / "w" / f"{site.public_key}.js"
    assert b'"reconsent_from":1' in loader.read_bytes()
    site.publish_policy(requires_consent=True)
    db.session.commit()
    assert b'"reconsent_from":2' in loader.read_bytes()
    db.session.delete(site)
    db.session.commit()
    assert not loader.exists()
    assert not (published / "sites" / f"{site.public_key}.json").exists()
    assert not (published / "w" / site.public_key).exists()


def test_widget_files_are_served_with_the_database_down(client, site, published):
    key = site.public_key
    expected = {path: client.get(path).data for path in (f"/w/{key}.js", f"/w/{key}/banner.js")}
    # Another process of the same server, whose database accepts no connection.
    down = create_app(
        config_for_tests(
            "postgresql+psycopg://127.0.0.1:1/kelisim",
            PUBLIC_URL=PUBLIC_URL,
            PUBLISHED_DIR=published,
        )
    )
    with down.app_context():
        with pytest.raises(sa.exc.OperationalError):
            db.session.execute(sa.text("SELECT 1"))
        db.session.remove()
    for path, body in expected.items():
        response = down.test_client().get(path)
        assert response.status_code == 200, path
        assert response.data == body
    config = down.test_client().get(f"/api/v1/sites/{key}/config")
    assert config.status_code == 200
    assert config.json["version"] == site.config_version


def test_the_host_header_is_never_built_into_a_file(client, site, app):
    bodies = {
        client.get(f"/w/{site.public_key}.js", base_url=f"http://{host}").data
        for host in ("evil.example", "consent.example.kz", "h1.example:8080")
    }
    assert len(bodies) == 1
    [body] = bodies
    assert PUBLIC_URL.encode() in body
    assert b"evil.example" not in body
    assert len(app.extensions["kelisim.published"]._entries) == 1


def test_the_publish_command_writes_the_files_again(runner, site, published):
    loader = published / "w" / f"{site.public_key}.js"
    loader.unlink()
    result = runner.invoke(args=["publish-files"])
    assert result.exit_code == 0, result.output
    assert "1 sites" in result.output
    assert loader.exists()


def test_a_site_published_before_files_existed_is_written_on_first_request(client, published, app):
    app.extensions.pop("kelisim.files")  # as before an upgrade: committed, nothing on disk
    site = make_site()
    db.session.commit()
    app.extensions["kelisim.files"] = app.extensions["kelisim.published"].files
    assert not (published / "sites" / f"{site.public_key}.json").exists()
    assert client.get(f"/w/{site.public_key}.js").status_code == 200
    assert (published / "sites" / f"{site.public_key}.json").exists()
    assert db.session.get(Site, site.id) is not None


def test_a_change_committed_elsewhere_is_published_behind_the_next_request(
    client, site, published, app
):
    # As on another app server with its own published folder: committed, not written here.
    files = app.extensions.pop("kelisim.files")
    site.publish_policy(requires_consent=True)
    db.session.commit()
    app.extensions["kelisim.files"] = files
    loader = published / "w" / f"{site.public_key}.js"
    assert b'"reconsent_from":1' in loader.read_bytes()

    assert client.get(f"/w/{site.public_key}.js").status_code == 200
    deadline = time.monotonic() + 30
    while b'"reconsent_from":2' not in loader.read_bytes():
        assert time.monotonic() < deadline, "the files were not published again"
        time.sleep(0.05)
