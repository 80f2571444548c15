"""Published widget files: written behind the request after every publish, as whole releases
that never mix old and new files, served without the database, never built from a Host."""

import gzip
import json
import os
import shutil
import threading
from pathlib import Path

import brotli
import pytest
import sqlalchemy as sa

from backend import create_app
from backend.extensions import db
from backend.models import Site
from tests.conftest import built_in_config, config_for_tests
from tests.factories import loader_files, make_site, release_path

PUBLIC_URL = "https://consent.example.kz"


@pytest.fixture
def published(tmp_path):
    return tmp_path / "published"


@pytest.fixture
def app_config(published):
    return {"PUBLIC_URL": PUBLIC_URL, "PUBLISHED_DIR": published, "WIDGET_CACHE_SECONDS": 60}


def written(app) -> None:
    """Wait until the app's publisher has written what it was handed."""
    assert app.extensions["kelisim.delivery"].publisher.wait(timeout=30)


def current(published, key: str):
    """The folder of the site's current release."""
    return published / "w" / key / os.readlink(published / "w" / key / "current")


def reconsent_from(loader: Path) -> int:
    """The oldest policy version whose consents a published loader still counts."""
    return built_in_config(loader.read_bytes())["reconsent_from"]


def loader_release(body: bytes) -> str:
    """The release a loader fetches its banner from."""
    return loader_files(body).rstrip("/").rsplit("/", 1)[1]


def test_publishing_writes_every_widget_file_of_a_release(app, client, site, published):
    written(app)
    key = site.public_key
    folder = current(published, key)
    assert folder.name.startswith(f"{site.config_version}-")
    loader = folder / "loader.js"
    assert loader.read_bytes() == client.get(f"/w/{key}.js").data
    assert loader_release(loader.read_bytes()) == folder.name
    names = ["loader.js"] + [
        f"{f}.{lang}.js" for lang in ("kk", "ru", "en") for f in ("banner", "texts", "embed")
    ]
    assert sorted(p.name for p in folder.glob("*.js")) == sorted(names)
    for name in names:
        body = (folder / name).read_bytes()
        assert gzip.decompress((folder / f"{name}.gz").read_bytes()) == body
        assert brotli.decompress((folder / f"{name}.br").read_bytes()) == body
        if name != "loader.js":
            assert client.get(release_path(client, key, name)).data == body
    snapshot = json.loads((folder / "site.json").read_text())
    assert snapshot["domains"] == ["example.kz"]
    assert snapshot["release"] == folder.name
    assert snapshot["config"]["api"] == f"{PUBLIC_URL}/api/v1"


def test_a_change_is_served_at_once_and_written_behind(app, client, site, published, monkeypatch):
    written(app)
    key = site.public_key
    before = current(published, key)
    # The publisher takes its time: the commit, and what visitors get, do not wait for it.
    gate = threading.Event()
    files = app.extensions["kelisim.delivery"].files
    write = files.write
    monkeypatch.setattr(
        files, "write", lambda published_site: gate.wait(30) and write(published_site)
    )
    site.publish_policy(requires_consent=True)
    db.session.commit()
    assert current(published, key) == before
    served = client.get(f"/w/{key}.js").data
    assert built_in_config(served)["reconsent_from"] == 2
    gate.set()
    written(app)
    after = current(published, key)
    assert after != before and (after / "loader.js").read_bytes() == served
    # The release left behind stays for the loaders browsers still hold.
    assert (before / "banner.ru.js").exists()
    old_banner = client.get(f"/w/{key}/{before.name}/banner.ru.js")
    assert old_banner.data == (before / "banner.ru.js").read_bytes()


def test_no_moment_shows_a_loader_without_its_banner_or_a_stale_compressed_copy(
    app, client, site, published
):
    """What nginx's gzip_static does, read all along while five changes are published: each
    request opens one path under `current`."""
    written(app)
    key = site.public_key
    loaders = {(current(published, key) / "loader.js").read_bytes()}
    seen, done = [], threading.Event()

    def read_like_nginx():
        while not done.is_set():
            try:
                body = gzip.decompress(
                    (published / "w" / key / "current" / "loader.js.gz").read_bytes()
                )
                banner = published / "w" / key / loader_release(body) / "banner.ru.js"
                seen.append((body, banner.exists()))
            except FileNotFoundError:
                seen.append((None, False))

    reader = threading.Thread(target=read_like_nginx)
    reader.start()
    try:
        for days in (10, 20, 30, 40, 50):
            site.consent_days = days
            db.session.commit()
            written(app)
            loaders.add((current(published, key) / "loader.js").read_bytes())
    finally:
        done.set()
        reader.join()
    assert len(loaders) == 6
    for body, banner_there in seen:
        assert body is not None and banner_there
    # Every loader read whole, one of those published, and more than one of them.
    assert len({body for body, _ in seen}) > 1 and {body for body, _ in seen} <= loaders


def test_a_rename_publishes_nothing(app, client, site, published):
    written(app)
    release = current(published, site.public_key).name
    version = site.config_version
    site.name = "Кинотеатр, новое имя"
    db.session.commit()
    written(app)
    assert site.config_version == version
    assert current(published, site.public_key).name == release


def test_a_deleted_site_is_unpublished(app, client, site, published):
    written(app)
    key = site.public_key
    db.session.delete(site)
    db.session.commit()
    assert not (published / "w" / key).exists()
    assert client.get(f"/w/{key}.js").status_code == 404


def test_widget_files_are_served_with_the_database_down(app, client, site, published):
    written(app)
    key = site.public_key
    banner = release_path(client, key, "banner.ru.js")
    expected = {path: client.get(path).data for path in (f"/w/{key}.js", banner)}
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
    assert len(app.extensions["kelisim.delivery"].sites._entries) == 1


def test_the_publish_command_writes_the_files_again_and_clears_what_is_gone(
    app, runner, site, published
):
    written(app)
    shutil.rmtree(published / "w" / site.public_key)
    (published / "w" / "gone").mkdir()  # a site deleted while this server was down
    (published / "sites").mkdir()
    (published / "sites" / f"{site.public_key}.json").write_text("{}")  # the layout before
    (published / "w" / f"{site.public_key}.js").write_text("old")
    result = runner.invoke(args=["publish-files"])
    assert result.exit_code == 0, result.output
    assert "1 sites" in result.output and "Removed 2 files" in result.output
    assert (current(published, site.public_key) / "loader.js").exists()
    assert sorted(p.name for p in (published / "w").iterdir()) == [site.public_key]
    assert not (published / "sites").exists()


def test_a_site_never_written_is_written_behind_its_first_request(client, published, app):
    publisher = app.extensions["kelisim.delivery"].publisher
    app.extensions["kelisim.delivery"].publisher = None  # as before an upgrade: nothing on disk
    site = make_site()
    db.session.commit()
    app.extensions["kelisim.delivery"].publisher = publisher
    assert not (published / "w" / site.public_key).exists()
    assert client.get(f"/w/{site.public_key}.js").status_code == 200
    written(app)
    assert (current(published, site.public_key) / "site.json").exists()
    assert db.session.get(Site, site.id) is not None


def test_a_change_committed_on_another_server_is_published_behind_the_next_request(
    client, site, published, app, database_url, tmp_path
):
    written(app)
    key = site.public_key
    # Another app server, with a published folder of its own, on the same database.
    other = create_app(
        config_for_tests(database_url, PUBLIC_URL=PUBLIC_URL, PUBLISHED_DIR=tmp_path / "other")
    )
    with other.app_context():
        db.session.get(Site, site.id).publish_policy(requires_consent=True)
        db.session.commit()
        written(other)
        db.session.remove()
    assert reconsent_from(current(published, key) / "loader.js") == 1

    assert client.get(f"/w/{key}.js").status_code == 200  # from the folder, without asking
    written(app)
    assert reconsent_from(current(published, key) / "loader.js") == 2


def test_a_new_build_of_the_widget_is_a_new_release_and_the_old_one_stays(
    client, site, published, app, database_url, tmp_path
):
    written(app)
    key = site.public_key
    old = release_path(client, key, "banner.ru.js")
    old_banner = client.get(old).data
    # An upgrade of Kelisim whose widget build differs, same site, same folder.
    dist = tmp_path / "dist"
    shutil.copytree(app.config["WIDGET_DIST"], dist)
    (dist / "banner.js").write_bytes((dist / "banner.js").read_bytes() + b"\n/* next build */")
    upgraded = create_app(
        config_for_tests(
            database_url, PUBLIC_URL=PUBLIC_URL, PUBLISHED_DIR=published, WIDGET_DIST=dist
        )
    )
    upgraded.test_client_class = type(client)
    with upgraded.app_context():
        assert upgraded.test_cli_runner().invoke(args=["publish-files"]).exit_code == 0
        new_client = upgraded.test_client()
        new = release_path(new_client, key, "banner.ru.js")
        # The new loader asks for the new banner; a loader a browser kept asks for the old
        # one, which is still there, unchanged.
        assert new != old and new.split("/")[3].startswith(f"{site.config_version}-")
        assert new_client.get(new).data.endswith(b"/* next build */")
        assert new_client.get(old).data == old_banner
        db.session.remove()
