"""The wheel carries the default theme, the example coalition and the theme's catalogs."""

from __future__ import annotations

import tomllib

from .conftest import ROOT


def test_every_theme_and_example_folder_is_packaged():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = set(config["packages"])
    for top, package in (("templates", "coalition_docs.theme"), ("content", "coalition_docs.example"),
                         ("src/coalition_docs/locale", "coalition_docs.locale")):
        for folder in [ROOT / top, *(p for p in (ROOT / top).rglob("*") if p.is_dir())]:
            parts = folder.relative_to(ROOT / top).parts
            assert ".".join((package, *parts)) in packages, f"{folder} is not packaged"
