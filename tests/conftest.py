"""Shared fixtures: a small valid content folder to copy and break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coalition_docs.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "content"


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


def pytest_collection_modifyitems(items) -> None:
    """The tests under tests/browser drive Chromium: `-m "not browser"` leaves them out."""
    for item in items:
        if "browser" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.browser)
