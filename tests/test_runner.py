"""The engine: one runner for every output (engine/runner.py, engine/outputs.py).

What a user sees: a killed build leaves no process behind, the first failure
stops every worker, progress counts every output, and the same input gives the
same bytes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coalition_docs.engine import policy, runner
from coalition_docs.phases import Progress, build
from coalition_docs.engine.manifest import OutputRecords
from coalition_docs.engine.outputs import PlannedOutput, make

from .conftest import EXAMPLE, ROOT, edit


def children(pid: int) -> set[int]:
    """Every living descendant of pid (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def children_before() -> set[int]:
    """This process's children before a test starts workers, multiprocessing's resource tracker among
    them: the first pool of a process starts it, and it stays (another test's pool, or this one's)."""
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    return children(os.getpid())


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def generated(folder: Path, partners: int) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    content = folder / "content"
    generate(content, partners, seed=3)
    return content


def start_build(content: Path, out: Path, **options) -> tuple[subprocess.Popen, set[int]]:
    """A build of content with two workers, once both are laying out PDFs."""
    process = subprocess.Popen([sys.executable, "-m", "coalition_docs.cli", "build", str(content),
                                "--out", str(out), "--jobs", "2"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, **options)
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while len(workers) < 2:
        assert process.poll() is None, "the build ended before it could be stopped"
        assert time.monotonic() < deadline, "no workers started"
        time.sleep(0.05)
        workers = children(process.pid)
    return process, workers


def gone(workers: set[int]) -> list[int]:
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [pid for pid in workers if alive(pid)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_kill_9_of_a_build_leaves_no_worker_behind(tmp_path):
    content = generated(tmp_path, 150)
    process, workers = start_build(content, tmp_path / "out")
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    assert not gone(workers), "workers outlived the killed build"
    assert not (tmp_path / "out").exists()  # the output folder was never swapped in


def test_ctrl_c_stops_every_worker_with_one_line(tmp_path):
    content = generated(tmp_path, 150)
    # Ctrl-C in a terminal reaches the whole foreground process group.
    process, workers = start_build(content, tmp_path / "out", start_new_session=True)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert err == "coalition-docs: interrupted; the previous output is unchanged\n"
    assert not gone(workers)
    assert not (tmp_path / "out").exists()


def _sleep_then_touch(flag: str) -> int:
    time.sleep(30)
    Path(flag).touch()
    return os.getpid()


def _fail() -> None:
    time.sleep(0.5)
    raise ValueError("this work item fails")


def _pid() -> int:
    time.sleep(0.2)
    return os.getpid()


def test_the_first_failure_kills_the_running_work(tmp_path):
    flags = [tmp_path / f"slow-{i}" for i in range(3)]
    tasks = [runner.Task(f"slow-{i}", _sleep_then_touch, (str(flag),), cost=10) for i, flag in enumerate(flags)]
    tasks.append(runner.Task("fails", _fail, cost=20))  # starts beside the first slow one
    before = children_before()
    with pytest.raises(ValueError, match="this work item fails"):
        runner.run(tasks, jobs=2)
    assert children(os.getpid()) - before == set()  # every worker is gone already
    assert not any(flag.exists() for flag in flags)


@pytest.mark.slow  # worker processes started and timed
def test_joins_start_after_their_parts_and_longest_work_goes_first():
    order: list[str] = []
    tasks = [runner.Task("join", _pid, after=("a", "b")), runner.Task("a", _pid, cost=1),
             runner.Task("b", _pid, cost=5), runner.Task("c", _pid, cost=3)]
    runner.run(tasks, jobs=1, done=lambda task, result: order.append(task.name))
    assert order == ["b", "c", "a", "join"]
    pids: dict[str, int] = {}
    runner.run(tasks, jobs=2, done=lambda task, result: pids.setdefault(task.name, result))
    assert set(pids) == {"a", "b", "c", "join"} and os.getpid() not in pids.values()


def test_runs_of_a_batch_shorten_towards_the_end_and_a_big_output_runs_alone():
    from coalition_docs.engine import outputs

    pages = [PlannedOutput(f"site/p{i}/index.html", "k", _write, cost=1.0, batch="site") for i in range(1000)]
    directory = PlannedOutput("site/members/index.html", "k", _write, cost=200.0, batch="site")
    batch = pages[:10] + [directory] + pages[10:]
    runs = outputs._runs(batch, jobs=2)
    # Every output once, in order, and each run starts where it says.
    assert [o for _, run in runs for o in run] == batch
    assert all(batch[start] is run[0] for start, run in runs)
    assert (10, [directory]) in runs
    sizes = [len(run) for _, run in runs if run != [directory]]
    # Long runs first (they start first), then shorter ones down to MIN_RUN, so that
    # no process waits long at the end for another's last run.
    assert sizes[1] > 4 * outputs.MIN_RUN and sizes[1] >= sizes[2] >= sizes[-2] and sizes[-2] == outputs.MIN_RUN
    assert sizes[-1] <= outputs.MIN_RUN


def _write(root: Path, path: str, text: str) -> None:
    (root / path).write_text(text, encoding="utf-8")


def _join(root: Path, path: str, parts: tuple[str, ...]) -> None:
    (root / path).write_text("".join((root / p).read_text(encoding="utf-8") for p in parts), encoding="utf-8")


def test_two_outputs_at_one_path_are_refused(tmp_path):
    planned = [PlannedOutput("a.txt", "1", _write, ("x",)), PlannedOutput("a.txt", "2", _write, ("y",))]
    with pytest.raises(ValueError, match="two outputs are planned at a.txt"):
        make(planned, OutputRecords(), tmp_path)
    with pytest.raises(ValueError, match="made from b.txt, which no stage plans"):
        make([PlannedOutput("a.txt", "1", _join, (("b.txt",),), parts=("b.txt",))], OutputRecords(), tmp_path)


def test_an_output_gets_its_folders_and_a_file_in_a_folders_place_is_an_error(tmp_path):
    planned = [PlannedOutput("site/index.html", "1", _write, ("home",)),
               PlannedOutput("site/members/harbor/index.html", "2", _write, ("harbor",)),
               PlannedOutput("site/members/bay/index.html", "3", _write, ("bay",))]
    make(planned, OutputRecords(), tmp_path, jobs=1)
    assert snapshot(tmp_path) == {"site/index.html": b"home", "site/members/bay/index.html": b"bay",
                                  "site/members/harbor/index.html": b"harbor"}
    (tmp_path / "docs").write_text("a file where a folder goes", encoding="utf-8")
    with pytest.raises(FileExistsError):
        make([PlannedOutput("docs/a.txt", "4", _write, ("a",))], OutputRecords(), tmp_path, jobs=1)


class Counting(Progress):
    def __init__(self) -> None:
        self.planned: list[tuple[str, int, int]] = []
        self.advanced = 0

    def outputs(self, label: str, total: int, reused: int) -> None:
        self.planned.append((label, total, reused))

    def advance(self, count: int = 1) -> None:
        self.advanced += count


@pytest.mark.slow  # worker processes started and timed
def test_progress_counts_every_output_reused_or_rendered(content, tmp_path):
    out = tmp_path / "out"
    edit(content / "roster.yaml", "    title: Director\n", "    title: Director\n    email: pat@example.org\n")
    first = Counting()
    build(content, out, only="documents", jobs=1, progress=first)
    # every output of the documents stage: PDFs, e-mail drafts and what it keeps for the next build
    outputs = sorted(p.relative_to(out).as_posix() for p in (out / "documents").rglob("*") if p.is_file())
    assert any(p.endswith(".eml") for p in outputs) and "documents/.pieces/filled.bin" in outputs
    assert first.planned == [("PDFs", len(outputs), 0)] and first.advanced == len(outputs)
    edit(content / "partners" / "city-hall.yaml", "You run the city.", "You run the whole city.")
    second = Counting()
    build(content, out, only="documents", jobs=1, progress=second)
    # the letter, its e-mail draft, letters.pdf and the filled HTML kept
    assert second.planned == [("PDFs", len(outputs), len(outputs) - 4)]
    assert second.advanced == 4


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow  # the example built twice, with workers and without
def test_two_clean_builds_are_byte_identical(tmp_path):
    build(EXAMPLE, tmp_path / "one", jobs=2)
    build(EXAMPLE, tmp_path / "two", jobs=1)
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert any(path.endswith("worksheet.pdf") for path in one)
    assert one == two


def _collector_state(_=None):
    import gc

    return gc.get_threshold(), gc.get_freeze_count() > 0


@pytest.mark.slow  # worker processes started and timed
def test_a_build_collects_garbage_less_often_and_puts_the_collector_back(tmp_path):
    import gc

    before = gc.get_threshold()
    with policy.batch_work():
        assert gc.get_threshold() == policy.BUILD_GC_THRESHOLDS
        seen = []
        runner.run([runner.Task(f"t{i}", _collector_state) for i in range(2)], jobs=2,
                   done=lambda task, result: seen.append(result))
    assert gc.get_threshold() == before
    # Every worker collects at the build's pace, and a forked one finds the build's objects frozen
    # (never walked by its collector); the build unfreezes them once the pool is done.
    assert seen and all(thresholds == policy.BUILD_GC_THRESHOLDS for thresholds, _ in seen)
    if policy.pool_context().get_start_method() == "fork":
        assert all(frozen for _, frozen in seen)
    assert gc.get_freeze_count() == 0
    with pytest.raises(KeyError), policy.batch_work():
        raise KeyError("a failed build")
    assert gc.get_threshold() == before


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _failing_output(root: Path, path: str) -> None:
    raise ZeroDivisionError(path)


def _make_a_cycle(root: Path, path: str, refs: list) -> bool:
    import gc
    import weakref

    cycle = _Cycle()
    refs.append(weakref.ref(cycle))
    return gc.isenabled()


def test_an_output_is_made_with_the_collector_paused_and_its_cycles_are_freed_after(tmp_path):
    import gc

    from coalition_docs.engine import outputs

    refs: list = []
    (enabled, _seconds) = outputs._render(_make_a_cycle, tmp_path, "a/b.txt", (refs,))
    assert enabled is False  # no collection in the middle of a document
    assert gc.isenabled()
    assert refs[0]() is None  # the cycle it left was collected on the way out
    with pytest.raises(ZeroDivisionError):  # an output that fails leaves the collector on
        outputs._render_run(tmp_path, ((_make_a_cycle, "a/d.txt", (refs,)), (_failing_output, "a/e.txt", ())))
    assert gc.isenabled() and refs[1]() is None
    gc.disable()  # a caller that turned the collector off keeps it off
    try:
        assert outputs._render(_make_a_cycle, tmp_path, "a/c.txt", (refs,))[0] is False
        assert not gc.isenabled()
        assert refs[-1]() is not None  # and nothing was collected behind its back
    finally:
        gc.enable()
        gc.collect()


def _note_pid(folder: str) -> None:
    (Path(folder) / str(os.getpid())).touch()


@pytest.mark.slow  # worker processes started and timed
def test_workers_started_ahead_set_up_once_each_and_take_even_a_single_task(tmp_path):
    # A build starts its workers before it fills the documents, so that their set-up (WeasyPrint)
    # runs beside the filling; then even one letter to render goes to a worker that is ready.
    before = children_before()
    with runner.Workers(2, warm=(_note_pid, (str(tmp_path),))) as workers:
        workers.start()
        seen = []
        runner.run([runner.Task("one", os.getpid)], jobs=2, done=lambda task, pid: seen.append(pid),
                   workers=workers)
        assert seen and seen[0] != os.getpid()
    assert len(list(tmp_path.iterdir())) == 2 and seen[0] in {int(p.name) for p in tmp_path.iterdir()}
    assert children(os.getpid()) <= before


def test_workers_started_ahead_end_at_once_when_the_build_fails_before_rendering(tmp_path):
    before = children_before()
    with pytest.raises(ValueError), runner.Workers(2) as workers:
        workers.start()
        assert len(children(os.getpid()) - before) == 2
        raise ValueError("a letter lacks a value")
    assert children(os.getpid()) <= before


@pytest.mark.slow  # worker processes started and timed
def test_the_parts_of_a_join_go_before_bigger_work_that_nothing_waits_for():
    # The worksheet's last, smallest piece must not wait behind the letters: the assembly that
    # waits for it would then run alone at the end of the build.
    order: list[str] = []
    tasks = [runner.Task("assembly", _pid, cost=10, after=("small piece", "big piece")),
             runner.Task("small piece", _pid, cost=1), runner.Task("big piece", _pid, cost=6),
             runner.Task("letter", _pid, cost=5), runner.Task("envelopes", _pid, cost=8)]
    runner.run(tasks, jobs=1, done=lambda task, result: order.append(task.name))
    assert order == ["big piece", "small piece", "assembly", "envelopes", "letter"]
    with pytest.raises(RuntimeError, match="tasks wait for each other"):
        runner.run([runner.Task("x", _pid, after=("y",)), runner.Task("y", _pid, after=("x",))], jobs=1)


def _note_setup(folder: str) -> None:
    # A set-up holds the "busy" file while it runs; one that finds it taken was run beside another.
    busy = Path(folder) / "busy"
    try:
        os.close(os.open(busy, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        (Path(folder) / f"{os.getpid()}.set-up").write_text("beside another set-up")
        return
    time.sleep(0.2)
    busy.unlink()
    (Path(folder) / f"{os.getpid()}.set-up").write_text("alone")


@pytest.mark.slow  # worker processes started and timed
def test_workers_set_up_one_at_a_time(tmp_path):
    # The build's own process reads the content meanwhile: one set-up beside it, not two.
    with runner.Workers(2, warm=(_note_setup, (str(tmp_path),))) as workers:
        workers.start()
        runner.run([runner.Task(f"t{i}", os.getpid) for i in range(2)], jobs=2, workers=workers)
    assert [p.read_text() for p in tmp_path.glob("*.set-up")] == ["alone", "alone"]


def test_work_that_needs_the_builds_state_runs_in_the_build_when_the_workers_came_first():
    # Workers started before the site was planned do not have it: its pages render in the build's
    # own process, beside the workers; workers forked later take them as any other work.
    tasks = [runner.Task("page", os.getpid, inherits=True), runner.Task("pdf", os.getpid, cost=5)]
    for before_state, page_here in ((True, True), (False, False)):
        seen: dict[str, int] = {}
        with runner.Workers(2, before_state=before_state) as workers:
            workers.start()
            runner.run(tasks, jobs=2, done=lambda task, pid: seen.setdefault(task.name, pid), workers=workers)
        assert (seen["page"] == os.getpid()) is page_here
        assert seen["pdf"] != os.getpid()


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


@pytest.mark.slow  # worker processes started and timed
def test_the_build_renders_beside_its_own_workers_work_that_needs_its_state():
    # A pool the runner starts itself is forked after the state was shared: such work (site pages)
    # goes to its workers and to the build's process, which saves a worker; other work (PDFs)
    # never runs in the build's process.
    pages = [runner.Task(f"page {n}", _pid_after, (0.05,), inherits=True) for n in range(8)]
    seen: dict[str, int] = {}
    runner.run(pages, jobs=2, done=lambda task, pid: seen.setdefault(task.name, pid))
    here = [name for name, pid in seen.items() if pid == os.getpid()]
    assert len(seen) == 8 and 0 < len(here) < 8
    assert len(set(seen.values())) == 2  # the build and one worker: jobs in all
    pdfs = [runner.Task(f"pdf {n}", _pid_after, (0.01,)) for n in range(4)]
    seen.clear()
    runner.run(pdfs, jobs=2, done=lambda task, pid: seen.setdefault(task.name, pid))
    assert os.getpid() not in seen.values() and len(seen) == 4


def test_what_is_handed_to_workers_is_found_by_a_new_token_and_replaces_the_last_of_its_kind():
    first = runner.hand_to_workers("test-state", ["first"])
    second = runner.hand_to_workers("test-state", ["second"])
    assert first != second
    assert runner.once_per_process(("test-state", second), lambda: ["made again"]) == ["second"]
    assert runner.once_per_process(("test-state", first), lambda: ["made again"]) == ["made again"]  # dropped
