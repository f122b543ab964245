"""The package people install: a wheel and an sdist that pass `twine check`, and a wheel that
works in a fresh virtual environment outside the repository (theme, fonts, example inside it).

Slow (about 30 s: it builds the package and installs it with its dependencies)."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], check=True,
                   capture_output=True, text=True, timeout=600)
    return out


def test_wheel_and_sdist_pass_twine_check(dist):
    files = sorted(p.name for p in dist.iterdir())
    assert any(f.endswith(".whl") for f in files) and any(f.endswith(".tar.gz") for f in files)
    result = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_wheel_installs_and_runs_in_a_fresh_environment(dist, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    wheel = next(dist.glob("*.whl"))
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, env=clean,
                   capture_output=True, text=True, timeout=900)
    tool = env_dir / "bin" / "coalition-docs"
    work = tmp_path / "work"
    work.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([str(tool), *args], cwd=work, env=clean, capture_output=True, text=True,
                                timeout=300, stdin=subprocess.DEVNULL)
        assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
        return result

    # the code runs from the environment, not from this checkout
    where = subprocess.run([str(python), "-c", "import coalition_docs; print(coalition_docs.__file__)"],
                           cwd=work, env=clean, capture_output=True, text=True, check=True).stdout
    assert str(env_dir) in where and str(ROOT / "src") not in where
    # the theme's catalogs ship too, and Babel comes with the package
    speaks = subprocess.run([str(python), "-c", "from coalition_docs.i18n import available_languages, label; "
                             "from coalition_docs.templating import Theme; t = Theme('content'); "
                             "print(available_languages(t), label(t, 'es', 'Members'), label(t, 'vi', 'Members'))"],
                            cwd=work, env=clean, capture_output=True, text=True, check=True).stdout
    assert speaks.split() == ["['en',", "'es',", "'vi']", "Miembros", "Thành", "viên"]
    run("new", "x", "--blank", "--name", "Test Coalition", "--community", "Testville",
        "--convener", "Test Organization", "--project-manager", "Pat Doe")
    run("check", "x")
    run("build", "x", "-q")
    assert (work / "x/build/site/index.html").is_file()
    assert (work / "x/build/site/assets/fonts/NotoSans-Regular.ttf").is_file()  # the theme's fonts
    assert (work / "x/build/documents/worksheet.pdf").is_file()
    run("new", "example")  # the example coalition ships inside the package
    run("build", "example", "-q")
    assert (work / "example/build/documents/letters.pdf").is_file()
    # the documentation ships too, and `docs` prints the installed copy
    assert "content-format   The content format: every file and field" in run("docs").stdout
    assert run("docs", "content-format").stdout.startswith("# The content format: every file and field\n")
