"""The package as people receive it: built once from the checkout, installed into fresh
virtual environments outside the repository (dependencies from the machine's pip cache, the
package itself from the local wheel only)."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from coalition_docs import __version__

from .conftest import ROOT


def build_dist(out: Path) -> Path:
    """The wheel and the sdist of the checkout, as `python -m build` makes them."""
    result = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def wheel(dist: Path) -> Path:
    return next(dist.glob("*.whl"))


def clean_env(bin_dir: Path | None = None) -> dict[str, str]:
    """This process's environment without what points at the checkout or its virtual environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "COALITION_DOCS_DEBUG")}
    if bin_dir is not None:
        env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def runtime_requirements(dist: Path) -> list[str]:
    """The wheel's Requires-Dist without the extras: what `pip install coalition-docs` brings."""
    archive = zipfile.ZipFile(wheel(dist))
    with archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(name).decode("utf-8")
    return [line.removeprefix("Requires-Dist:").strip() for line in metadata.splitlines()
            if line.startswith("Requires-Dist:") and "extra ==" not in line]


def fresh_venv(where: Path, dist: Path) -> Path:
    """A new virtual environment holding the package's runtime dependencies (from the pip cache,
    as a user's pip would fetch them), and not the package; its bin folder."""
    venv.create(where, with_pip=True)
    bin_dir = where / "bin"
    result = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", *runtime_requirements(dist)],
                            env=clean_env(), capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return bin_dir


def install_from(dist: Path) -> list[str]:
    """The words that install this version of the package from `dist` and nowhere else."""
    return ["--no-index", "--find-links", str(dist), f"coalition-docs=={__version__}"]
