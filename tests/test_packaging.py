"""The wheel carries every module, the default theme, the example coalition and the catalogs.

setup.py computes the package list from the folders; this builds the wheel and compares it,
file by file, with src/coalition_docs, templates/ and content/ (slow: a few seconds)."""

from __future__ import annotations

import runpy
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT
from .package_helpers import wheel


def _source_files(top: Path) -> set[str]:
    return {p.relative_to(top).as_posix() for p in top.rglob("*")
            if p.is_file() and not any(part == "__pycache__" or part.startswith(".")
                                        for part in p.relative_to(top).parts)}


def test_the_package_folders_are_src_templates_and_content():
    folders = runpy.run_path(str(ROOT / "setup.py"), run_name="setup")["FOLDERS"]
    assert {"coalition_docs": "src/coalition_docs", "coalition_docs.theme": "templates",
            "coalition_docs.example": "content"}.items() <= folders.items()
    # no hand-written list that could miss a folder
    assert "packages" not in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


@pytest.mark.slow
def test_every_file_of_every_folder_is_in_the_wheel(dist):
    setup = runpy.run_path(str(ROOT / "setup.py"), run_name="setup")
    folders, skipped = setup["FOLDERS"], setup["SKIP"]
    with zipfile.ZipFile(wheel(dist)) as archive:
        shipped = {name for name in archive.namelist() if not name.split("/")[0].endswith(".dist-info")}
    expected = set()
    for package, folder in folders.items():
        prefix = package.replace(".", "/")
        expected |= {f"{prefix}/{name}" for name in _source_files(ROOT / folder)
                     if (package, name.split("/")[0]) not in skipped}
    missing = sorted(expected - shipped)
    assert not missing, f"not in the wheel: {missing}"
    assert sorted(shipped - expected) == []  # nothing from elsewhere (tests, benchmarks, caches)
    # the folder whose absence once broke `import` and `export` of an installed package
    assert "coalition_docs/inventory/spreadsheets/importer.py" in shipped
    assert "coalition_docs/theme/documents/letter.html" in shipped
    assert "coalition_docs/example/coalition.yaml" in shipped
    assert "coalition_docs/locale/es/LC_MESSAGES/messages.po" in shipped
    assert "coalition_docs/docs/content-format.md" in shipped
    assert not any(name.startswith("coalition_docs/docs/images/") for name in shipped)  # pictures stay home


# each runtime dependency -> the modules it provides that src/ imports (pydantic_core is pydantic's own)
IMPORTS = {"pyyaml": {"yaml"}, "pydantic": {"pydantic", "pydantic_core"}, "jinja2": {"jinja2"},
           "markupsafe": {"markupsafe"}, "markdown-it-py": {"markdown_it"}, "weasyprint": {"weasyprint"},
           "pydyf": {"pydyf"}, "fonttools": {"fontTools"}, "rich": {"rich"}, "watchfiles": {"watchfiles"},
           "openpyxl": {"openpyxl"}, "babel": {"babel"}, "cffi": {"cffi"},
           "tzdata": {"zoneinfo"}}  # the data the standard library's zoneinfo reads where the system has none


def test_runtime_dependencies_are_the_packages_the_code_imports():
    """A dependency is a runtime one only if a module under src/ imports it, and every
    package that src/ imports is declared (not borrowed from another one's requirements)."""
    import ast
    import re

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {re.split(r"[<>=!~\[ ;]", spec, maxsplit=1)[0].lower() for spec in project["dependencies"]}
    assert declared <= IMPORTS.keys(), f"name the modules of {sorted(declared - IMPORTS.keys())} in IMPORTS"
    imported = set()
    for path in (ROOT / "src").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    unused = sorted(name for name in declared if not IMPORTS[name] & imported)
    assert not unused, f"declared but never imported at run time: {unused}"
    provided = set().union(*(IMPORTS[name] for name in declared))
    undeclared = sorted(imported - set(sys.stdlib_module_names) - {"coalition_docs", "__future__"} - provided)
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
