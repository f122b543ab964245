"""The registry of outputs: every file a build makes, planned once, made by one engine.

A stage plans its outputs as `PlannedOutput`s: the path (relative to the output
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
import os
from pathlib import Path
import time
from typing import Any

from coalition_docs.engine import policy, runner
from coalition_docs.engine.manifest import OutputRecords


@dataclass(frozen=True)
class PlannedOutput:
    path: str  # relative to the output folder, e.g. "documents/letters/city-hall.pdf"
    key: str
    # Writes root/path: called in a worker as render(root, path, *args).
    render: Callable[..., Any]
    args: tuple = ()
    cost: float = 1.0  # rough work (documents: characters of HTML), to start the longest chain first
    parts: tuple[str, ...] = ()  # outputs this one is made from (made first)
    deps: tuple[str, ...] = ()  # what the next build needs to recompute the key
    # Files its render keeps beside it for later builds (not outputs): carried over when it is reused.
    extras: tuple[str, ...] = ()
    # For an output whose key is known only once it is rendered (a site page's key covers
    # the parts of the site its templates read): gives (key, deps) from what render returned.
    rekey: Callable[[Any], tuple[str, tuple[str, ...]]] | None = None
    # Small outputs of one kind (site pages): rendered in runs, a round trip to a worker a run.
    batch: str | None = None
    # Its render reads what the stage offered with runner.hand_to_workers() (the planned site): see runner.Task.
    inherits: bool = False


def _make(render: Callable[..., Any], root: Path, path: str, args: tuple) -> tuple[Any, float]:
    started = time.process_time()
    _folder_for(os.path.join(root, path))
    result = render(root, path, *args)
    return result, time.process_time() - started


def _folder_for(target: str) -> None:
    """Make the folder `target` goes into, and those above it (a folder already there is fine).

    One system call when only the last folder is missing, as for most outputs (a page a folder).
    """
    folder = os.path.dirname(target)
    try:
        os.mkdir(folder)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    except OSError:  # there already (or refused: then it had better be there), as Path.mkdir(exist_ok=True)
        if not os.path.isdir(folder):
            raise


def _render(render: Callable[..., Any], root: Path, path: str, args: tuple) -> tuple[Any, float]:
    """Render one output; return what its render returned and the CPU seconds it took."""
    with policy.one_collection():
        return _make(render, root, path, args)


def _render_run(root: Path, items: tuple[tuple[Callable[..., Any], str, tuple], ...]) -> list[tuple[Any, float]]:
    """Render a run of small outputs (site pages), with one collection for the run."""
    with policy.one_collection():
        return [_make(render, root, path, args) for render, path, args in items]


MIN_RUN = 25  # outputs of cost 1 in a run of a batch, at least


def _runs(batch: Sequence[PlannedOutput], jobs: int) -> list[tuple[int, list[PlannedOutput]]]:
    """A batch cut into runs, in order, each about a quarter of a worker's share of the cost still uncut.

    The runs get shorter towards the end: the long ones, ranked by their cost,
    start first, and the last ones are short, so that a process that finishes
    early waits little for the others' last run. An output costing at least a
    quarter of a worker's share of the whole batch is a run of its own (the
    directory of a thousand members): it starts first instead of making the
    last run the longest.
    """
    left = sum(o.cost for o in batch)
    alone = max(MIN_RUN, left / (jobs * 4))
    runs: list[tuple[int, list[PlannedOutput]]] = []
    start, run, cost, target = 0, [], 0.0, alone
    for index, output in enumerate(batch):
        if not run:  # a run starts here: its length, from the cost still uncut
            target = max(MIN_RUN, left / (jobs * 4))
        left -= output.cost
        if output.cost >= alone:
            if run:
                runs.append((start, run))
            runs.append((index, [output]))
            start, run, cost = index + 1, [], 0.0
            continue
        run.append(output)
        cost += output.cost
        if cost >= target:
            runs.append((start, run))
            start, run, cost = index + 1, [], 0.0
    if run:
        runs.append((start, run))
    return runs


def _tasks(fresh: Sequence[PlannedOutput], root: Path,
           jobs: int) -> tuple[list[runner.Task], dict[str, list[PlannedOutput]]]:
    """Runner tasks for the outputs to render: one an output, or one a run of a batch."""
    task_of: dict[str, str] = {}
    members: dict[str, list[PlannedOutput]] = {}
    batches: dict[str, list[PlannedOutput]] = {}
    for output in fresh:
        if output.batch is None:
            task_of[output.path] = output.path
            members[output.path] = [output]
        else:
            batches.setdefault(output.batch, []).append(output)
    for name, batch in batches.items():
        for start, run in _runs(batch, jobs):
            run_name = f"{name} ({start + 1}-{start + len(run)})"
            members[run_name] = run
            for output in run:
                task_of[output.path] = run_name
    tasks = []
    for name, run in members.items():
        after = tuple(sorted({task_of.get(p, p) for o in run for p in o.parts} - {name}))
        if run[0].batch is None:
            output = run[0]
            tasks.append(runner.Task(name, _render, (output.render, root, output.path, output.args), output.cost, after,
                                     output.inherits))
        else:
            items = tuple((o.render, o.path, o.args) for o in run)
            tasks.append(runner.Task(name, _render_run, (root, items), sum(o.cost for o in run), after,
                                     any(o.inherits for o in run)))
    return tasks, members


class RenderProgress:
    """What the engine tells the person waiting: how many outputs, how many reused, each one made."""

    def outputs(self, label: str, total: int, reused: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...


def make(planned: Sequence[PlannedOutput], outputs: OutputRecords, root: Path, *, label: str = "outputs",
         jobs: int | None = None, progress: RenderProgress | None = None, cpu: dict[str, float] | None = None,
         workers: runner.Workers | None = None) -> list[str]:
    """Reuse or render every planned output into root; return their paths, sorted.

    `workers`: processes started earlier by the caller (runner.Workers), to render in.

    `cpu`, when given, receives the CPU seconds spent rendering, by top folder
    ("site", "documents"), workers included.
    """
    by_path: dict[str, PlannedOutput] = {}
    for output in planned:
        if output.path in by_path:
            raise ValueError(f"two outputs are planned at {output.path}")
        by_path[output.path] = output
    for output in planned:
        missing = [p for p in output.parts if p not in by_path]
        if missing:
            raise ValueError(f"{output.path} is made from {missing[0]}, which no stage plans")
    fresh: list[PlannedOutput] = []
    unchanged: list[PlannedOutput] = []
    for output in planned:
        (unchanged if outputs.unchanged(output.path, output.key) else fresh).append(output)
    # Unchanged outputs are carried over (hard links) while the workers render the rest;
    # first those that something to render is made from (a join reads its parts' files).
    needed = {part for output in fresh for part in output.parts}
    fresh += _carry([o for o in unchanged if o.path in needed], outputs)
    if progress is not None:
        progress.outputs(label, len(planned), len(planned) - len(fresh))
    jobs = max(1, jobs or runner.default_jobs())
    missing: list[PlannedOutput] = []  # carried over in the meantime, but their file was gone: rendered after
    tasks, members = _tasks(fresh, Path(root), jobs)

    def done(task: runner.Task, result: Any) -> None:
        run = members[task.name]
        for output, (value, seconds) in zip(run, result if task.function is _render_run else [result]):
            key, deps = output.rekey(value) if output.rekey is not None else (output.key, output.deps)
            outputs.made(output.path, key, list(deps))
            if cpu is not None:
                folder = output.path.partition("/")[0]
                cpu[folder] = cpu.get(folder, 0.0) + seconds
        if progress is not None:
            progress.advance(len(run))

    later = [o for o in unchanged if o.path not in needed]
    runner.run(tasks, jobs, done, workers, meanwhile=lambda: missing.extend(_carry(later, outputs)))
    if missing:
        tasks, more = _tasks(missing, Path(root), jobs)
        members.update(more)
        runner.run(tasks, jobs, done, workers)
    return sorted(by_path)


def _carry(unchanged: Sequence[PlannedOutput], outputs: OutputRecords) -> list[PlannedOutput]:
    """Carry `unchanged` over from the previous build; return those whose file was gone."""
    gone = []
    for output in unchanged:
        if not outputs.carry(output.path, output.key, list(output.deps)):
            gone.append(output)
        elif outputs.staging is not None:
            for extra in output.extras:
                outputs.staging.reuse(extra)
    return gone
