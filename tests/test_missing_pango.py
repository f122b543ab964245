"""A machine without Pango (most Windows and macOS machines before set-up): the commands that
make PDFs say so in one line; every other command keeps working.

The library fails to load for real: a folder on LD_LIBRARY_PATH holds an empty
libpango-1.0.so.0, so the dynamic loader finds it first and refuses it, and cffi raises the
OSError a missing Pango raises (WeasyPrint tries each of Pango's names, then gives up)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLE

TOOL = [sys.executable, "-m", "coalition_docs"]
LINE = ("coalition-docs: error: the PDFs need the Pango library (libpango-1.0-0), which cannot be loaded; "
        'install it: see `coalition-docs docs install` (section "Linux")')


@pytest.fixture(scope="module")
def no_pango(tmp_path_factory) -> dict[str, str]:
    broken = tmp_path_factory.mktemp("no-pango")
    (broken / "libpango-1.0.so.0").write_bytes(b"")
    env = dict(os.environ, LD_LIBRARY_PATH=f"{broken}:{os.environ.get('LD_LIBRARY_PATH', '')}")
    env.pop("COALITION_DOCS_DEBUG", None)
    probe = subprocess.run([sys.executable, "-c", "import weasyprint"], env=env, capture_output=True, text=True)
    assert probe.returncode == 1 and "cannot load library 'libpango-1.0-0'" in probe.stderr  # the real failure
    return env


@pytest.fixture
def example(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "content")
    return tmp_path / "content"


def run(env, cwd: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([*TOOL, *map(str, args)], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


# in this process, and in the workers (slow: each of its processes tries to load WeasyPrint)
@pytest.mark.parametrize("jobs", ["1", pytest.param("2", marks=pytest.mark.slow)])
def test_build_says_in_one_line_which_library_is_missing(no_pango, content, jobs):
    result = run(no_pango, content.parent, "build", content, "--out", content.parent / "build", "-q", "-j", jobs)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [LINE]
    assert result.stdout == ""  # not WeasyPrint's banner either
    assert not (content.parent / "build").exists()


def test_serve_with_documents_says_it_before_serving(no_pango, content):
    result = run(no_pango, content.parent, "serve", content, "--documents", "--port", "8799")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [LINE]


@pytest.mark.slow  # eight commands, each in a process of its own
def test_the_commands_that_make_no_pdf_keep_working(no_pango, example):
    work = example.parent
    assert run(no_pango, work, "check", example).returncode == 0
    assert run(no_pango, work, "build", example, "--out", work / "site", "--only", "site", "-q").returncode == 0
    assert (work / "site/site/index.html").is_file()
    assert run(no_pango, work, "report", example).returncode == 0
    assert run(no_pango, work, "report", example, "--invitations").returncode == 0
    assert run(no_pango, work, "schema").returncode == 0
    assert run(no_pango, work, "export", "--content", example, "--output", work / "partners.csv").returncode == 0
    imported = run(no_pango, work, "import", work / "partners.csv", "--content", example, "--dry-run")
    assert imported.returncode == 0, imported.stderr
    assert run(no_pango, work, "new", work / "fresh", "--blank", "--name", "C", "--community", "T",
               "--convener", "O", "--project-manager", "P").returncode == 0
