"""Progress on the terminal while a build runs (rich), quiet elsewhere."""

from __future__ import annotations

import sys
from typing import TextIO

from coalition_docs.phases import Progress


class TerminalProgress(Progress):
    """A rich progress display: the current stage, then a bar for the PDFs."""

    def __init__(self, stream: TextIO | None = None):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, SpinnerColumn, TextColumn, \
            TimeElapsedColumn

        self.console = Console(file=stream or sys.stderr)
        self.bar = Bar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TimeElapsedColumn(), console=self.console, transient=True)
        self.bar.start()
        self.task = None
        self.pdfs = None

    def stage(self, name: str) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=1, total=1)
        self.task = self.bar.add_task(name, total=None)

    def outputs(self, label: str, total: int, reused: int) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
            self.task = None
        self.pdfs = self.bar.add_task(f"Rendering {label} ({reused} unchanged)", total=total - reused)

    def advance(self, count: int = 1) -> None:
        if self.pdfs is not None:
            self.bar.advance(self.pdfs, count)

    def close(self) -> None:
        self.bar.stop()


def progress_for(stream: TextIO, quiet: bool) -> Progress:
    """A progress display on a terminal; nothing when quiet or when output goes to a file or pipe."""
    if quiet or not stream.isatty():
        return Progress()
    return TerminalProgress(stream)
