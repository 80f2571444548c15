"""The widget's build: dist/ is what src/ builds to, and the short names of the properties the
widget's files share stay the same from build to build (mangle-cache.json)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

WIDGET = Path(__file__).resolve().parents[2] / "static" / "widget"
CACHE = "mangle-cache.json"
# A shared property that no widget file has, used more often than any other: without the
# committed cache it would take the shortest name and move the others.
NEW_PROPERTY = "_addedByTheTest"


@pytest.fixture
def build(tmp_path):
    """A copy of static/widget (sources, build script, cache) to build in, with the installed
    esbuild (`make widget-deps`); build(folder) runs the build there and returns the names."""
    node = shutil.which("node")
    esbuild = WIDGET / "node_modules" / "esbuild"
    if node is None or not esbuild.exists():
        pytest.fail("The widget build needs Node.js and esbuild: run `make widget-deps`.")

    def copy(name: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        shutil.copytree(WIDGET / "src", folder / "src")
        for file in ("build.mjs", "package.json", CACHE):
            shutil.copy(WIDGET / file, folder / file)
        (folder / "node_modules").symlink_to(WIDGET / "node_modules")
        return folder

    def run(folder: Path) -> dict[str, str]:
        done = subprocess.run([node, "build.mjs"], cwd=folder, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return json.loads((folder / CACHE).read_text())

    return copy, run


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_committed_dist_is_a_fresh_build_of_src_and_a_second_build_changes_nothing(build):
    copy, run = build
    folder = copy("fresh")
    committed = json.loads((WIDGET / CACHE).read_text())
    assert run(folder) == committed, "the committed cache holds every shared name"
    first = files(folder / "dist")
    assert first == files(WIDGET / "dist"), "dist/ is committed as src/ builds"
    assert run(folder) == committed
    assert files(folder / "dist") == first


def test_a_new_shared_property_leaves_every_short_name_as_it_was(build):
    copy, run = build
    committed = json.loads((WIDGET / CACHE).read_text())
    uses = f"window.kelisim._.{NEW_PROPERTY} = 1;\n" * 40
    for name, cache in (("pinned", committed), ("unpinned", {})):
        folder = copy(name)
        (folder / CACHE).write_text(json.dumps(cache))
        with (folder / "src" / "kelisim.js").open("a") as loader:
            loader.write(uses)
        names = run(folder)
        if cache:
            assert {key: names[key] for key in committed} == committed
            assert names[NEW_PROPERTY] not in committed.values()
        else:
            # What the committed cache prevents: the same change, built without it, moves
            # old names, so a banner built before the change would read the wrong
            # properties of a loader built after it.
            assert {key: names[key] for key in committed} != committed
