"""Writing output safely: a staging folder beside the output, swapped in whole.

A build writes everything into a fresh temporary folder next to the output
folder and only renames it into place once every stage has succeeded, so a
failed or interrupted build leaves the previous output exactly as it was. The
tool only ever deletes folders it created: the staging folder, and an output
folder that carries its manifest file.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from .errors import UsageError

MANIFEST = ".coalition-docs.json"


def check_output_folder(out: Path, content: Path) -> None:
    """Refuse output folders whose replacement could destroy someone's files."""
    out_r, content_r = out.resolve(), content.resolve()
    home = Path.home().resolve()
    reason = None
    if out_r == Path(out_r.anchor):
        reason = "it is the root of the file system"
    elif out_r == home:
        reason = "it is your home folder"
    elif content_r == out_r or content_r.is_relative_to(out_r):
        reason = "it holds the content folder"
    elif out_r.is_relative_to(content_r):
        reason = "it is inside the content folder"
    elif (out_r / ".git").exists() or (out_r / "pyproject.toml").exists():
        reason = "it looks like a project folder"
    elif out_r.exists() and not out_r.is_dir():
        reason = "it is a file, not a folder"
    elif out_r.is_dir() and any(out_r.iterdir()) and not (out_r / MANIFEST).is_file():
        reason = f"it is not empty and was not made by coalition-docs (no {MANIFEST} in it)"
    if reason:
        raise UsageError(f"refusing to write the build into {out}: {reason} (expected an empty or new "
                         "folder, or one an earlier build made; choose another --out)")


class Staging:
    """`with Staging(out) as tmp:` build into tmp; on success tmp becomes out."""

    def __init__(self, out: Path):
        self.out = out
        self.path: Path | None = None

    def __enter__(self) -> Path:
        parent = self.out.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.building-", dir=parent))
        return self.path

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self.path is not None
        if exc_type is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            return
        self.path.chmod(0o755)  # mkdtemp makes it private; the output should not be
        self.swap()

    def swap(self) -> None:
        assert self.path is not None
        target = self.out.resolve()
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(self.path, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def carry_over(previous: Path, staging: Path, folder: str) -> None:
    """Keep a stage's previous output (e.g. documents/ during `--only site`)."""
    source = previous / folder
    if source.is_dir():
        shutil.copytree(source, staging / folder, copy_function=shutil.copy2)


def write_manifest(staging: Path, data: dict) -> None:
    (staging / MANIFEST).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
