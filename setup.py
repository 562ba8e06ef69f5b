"""Packages the templates and the spec's JSON Schema inside the installed `errspec` package."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithData(build_py):
    """build_py, plus templates/ and spec/errors.schema.json copied into the package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads the checkout
            return
        package = Path(self.build_lib, "errspec")
        shutil.copytree("templates", package / "templates", dirs_exist_ok=True)
        shutil.copy2("spec/errors.schema.json", package / "errors.schema.json")


setup(cmdclass={"build_py": BuildWithData})
