"""The registry of outputs: every file a build makes, planned once, made by one engine.

A stage plans its outputs as `Output`s: the path (relative to the output
folder), the key (a hash of everything the file is made from) and how to
render it (a picklable function and its arguments). A piece of a file, and a
file joined from others (letters.pdf), are outputs too; a join names its
parts and starts as soon as they exist.

`make` is the only place that decides what to reuse: an output whose key
equals the previous build's is carried over, the rest run on the runner
(runner.py) and are recorded in the manifest as they finish. No stage touches
the manifest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coalition_docs.engine import runner
from coalition_docs.engine.manifest import Outputs


@dataclass(frozen=True)
class Output:
    path: str  # relative to the output folder, e.g. "documents/letters/city-hall.pdf"
    key: str
    # Writes root/path: called in a worker as render(root, path, *args).
    render: Callable[..., Any]
    args: tuple = ()
    cost: float = 1.0  # rough work, to start the longest first
    parts: tuple[str, ...] = ()  # outputs this one is made from (made first)
    deps: tuple[str, ...] = ()  # what the next build needs to recompute the key
    # Files its render keeps beside it for later builds (not outputs): carried over when it is reused.
    extras: tuple[str, ...] = ()


def _render(render: Callable[..., Any], root: Path, path: str, args: tuple) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    render(root, path, *args)


class Counter:
    """What the engine tells the person waiting: how many outputs, how many reused, each one made."""

    def outputs(self, label: str, total: int, reused: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...


def make(planned: Sequence[Output], outputs: Outputs, root: Path, *, label: str = "outputs",
         jobs: int | None = None, progress: Counter | None = None) -> list[str]:
    """Reuse or render every planned output into root; return their paths, sorted."""
    by_path: dict[str, Output] = {}
    for output in planned:
        if output.path in by_path:
            raise ValueError(f"two outputs are planned at {output.path}")
        by_path[output.path] = output
    for output in planned:
        missing = [p for p in output.parts if p not in by_path]
        if missing:
            raise ValueError(f"{output.path} is made from {missing[0]}, which no stage plans")
    fresh = []
    for output in planned:
        if not outputs.take(output.path, output.key, list(output.deps)):
            fresh.append(output)
        elif outputs.staging is not None:
            for extra in output.extras:
                outputs.staging.reuse(extra)
    if progress is not None:
        progress.outputs(label, len(planned), len(planned) - len(fresh))
    tasks = [runner.Task(o.path, _render, (o.render, Path(root), o.path, o.args), o.cost, o.parts) for o in fresh]

    def done(task: runner.Task, result: Any) -> None:
        output = by_path[task.name]
        outputs.made(output.path, output.key, list(output.deps))
        if progress is not None:
            progress.advance(1)

    runner.run(tasks, jobs, done)
    return sorted(by_path)
