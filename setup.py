"""Builds compile the translation catalogs first, so every install speaks Kazakh and Russian.

Everything else is in pyproject.toml; setuptools reads this file for the build step only.
"""

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    """build_py after Babel's compile_catalog (translations/*.po to .mo, which git ignores)."""

    def run(self) -> None:
        self.run_command("compile_catalog")
        super().run()


setup(
    cmdclass={"build_py": BuildWithCatalogs},
    command_options={"compile_catalog": {"directory": ("setup.py", "translations")}},
)
