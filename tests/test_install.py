"""`pip install .` (no make, not editable) into a fresh venv: the wheel carries the compiled
catalogs, the widget build, the templates and the migrations, and the banner speaks Kazakh."""

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What a fresh clone holds: no venv, no build output, no compiled catalogs.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "build", "*.egg-info", "instance", "__pycache__", "*.mo",
    ".pytest_cache", ".ruff_cache", ".hypothesis", "bench", "tests",
)  # fmt: skip

# Run inside the new venv, far from the checkout: migrate, make the demo site, fetch its
# Kazakh banner.
IN_THE_NEW_VENV = """
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

import backend
from backend import create_app
from backend.extensions import db
from backend.services.demo import ensure_demo
from flask_migrate import upgrade

assert Path(backend.__file__).is_relative_to(sys.prefix), backend.__file__
app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{sys.argv[1]}", "TESTING": True})
with app.app_context():
    upgrade()
    _, site = ensure_demo(db.session)
    db.session.commit()
    client = app.test_client()
    loader = client.get(f"/w/{site.public_key}.js").text
    # The loader config's keys are short, by the names the package carries.
    names = json.loads((Path(backend.__file__).parent / "widget_dist" / "names.json").read_text())
    files = json.loads(loader.split(f'"{names["_files"]}":', 1)[1].split(",", 1)[0])
    banner = client.get(urlsplit(files).path + "banner.kk.js")
    assert banner.status_code == 200, banner.status_code
    sys.stdout.write(banner.text)
"""


@pytest.mark.install
def test_a_wheel_installed_into_a_fresh_venv_shows_the_kazakh_banner(tmp_path):
    source = tmp_path / "clone"
    shutil.copytree(ROOT, source, symlinks=True, ignore=NOT_IN_A_CLONE)
    assert not list(source.rglob("*.mo"))
    subprocess.run(
        # Offline: this venv's setuptools and Babel build it (pyproject's build requirements).
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path / "wheels"), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    [wheel] = (tmp_path / "wheels").glob("kelisim-*.whl")

    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    python = target / "bin" / "python"
    site_packages = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
        ).strip()
    )
    # Dependencies come from this venv (no network); the app itself only from the wheel.
    (site_packages / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip

    env = {k: v for k, v in os.environ.items() if not k.startswith(("KELISIM_", "PYTHON"))}
    result = subprocess.run(
        [python, "-c", IN_THE_NEW_VENV, str(tmp_path / "k.db")],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Барлығын қабылдау" in result.stdout  # "Accept all"
    assert "Accept all" not in result.stdout
