"""Orchestration: validate everything, render every stage, then swap the output in.

As in MkDocs's build command, everything is gathered and checked before any
file of the output is touched; stages render into a staging folder that
output.py swaps in only when all of them succeeded.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .output import Staging, carry_over, check_output_folder, write_manifest
from .templating import Theme
from .validate import load_coalition

STAGES = ("site", "documents")


@dataclass
class BuildResult:
    out: Path
    written: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        parts = [f"{len(files)} {stage} file{'s' if len(files) != 1 else ''}" for stage, files in self.written.items()]
        made = ", ".join(parts) if parts else "nothing to render yet (content is valid)"
        return f"Built {made} into {self.out} in {self.seconds:.2f} s."


def _stage_builder(stage: str):
    """The stage's build function, or None while the stage does not exist yet."""
    try:
        module = importlib.import_module(f"coalition_docs.{stage}")
    except ModuleNotFoundError as exc:
        if exc.name == f"coalition_docs.{stage}":
            return None
        raise
    return getattr(module, f"build_{stage}")


def build(content: Path, out: Path, only: str | None = None) -> BuildResult:
    started = time.perf_counter()
    check_output_folder(out, content)
    coalition = load_coalition(content)
    theme = Theme(content)
    if only in (None, "documents"):
        # Gather every problem before rendering anything: a letter that lacks a
        # value fails the build before the site is rendered, not after.
        from .documents import check_letters

        check_letters(coalition, theme)
    result = BuildResult(out)
    with Staging(out) as staging:
        for stage in STAGES:
            if only and stage != only:
                carry_over(out, staging, stage)
                continue
            builder = _stage_builder(stage)
            if builder is not None:
                result.written[stage] = builder(coalition, theme, staging)
        write_manifest(staging, {"tool": "coalition-docs", "version": __version__})
    result.seconds = time.perf_counter() - started
    return result
