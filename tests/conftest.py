"""Shared fixtures: a small valid content folder to copy and break."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from coalition_docs.cli import main
from coalition_docs.content.validate import load_coalition
from coalition_docs.errors import ContentErrors

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "content"
CLI = [sys.executable, "-m", "coalition_docs.cli"]  # the command, in a process of its own


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/minimal (valid) that a test may edit."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def problems(content: Path) -> list[str]:
    """What loading the content reports, each problem as a person reads it."""
    with pytest.raises(ContentErrors) as caught:
        load_coalition(content)
    return [p.format() for p in caught.value.problems]


def city_hall(content: Path) -> Path:
    """The minimal fixture's partner with a contact and an invitation."""
    return content / "partners" / "city-hall.yaml"


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Path:
    """The wheel and sdist built from this checkout, once per test run (slow tests only)."""
    from .package_helpers import build_dist

    return build_dist(tmp_path_factory.mktemp("dist"))
