"""One runner for every output: work items on every core, the longest chain of work first.

The runner knows nothing of pages or PDFs. A `Task` is a picklable function
with its arguments, a cost (for ordering: the longest chain of work starts
first, so the cores finish together) and the names of the tasks it needs (a
join step starts as soon as its parts exist, not after every other task).

Workers are children that die with the build:

- each worker asks Linux to kill it when its parent dies (PR_SET_PDEATHSIG),
  so `kill -9` of the build leaves no process behind;
- workers ignore SIGINT: Ctrl-C reaches the build alone, which kills every
  worker at once and reports one line (exit 130, see cli.py);
- the first task that fails kills the pool at once; its error is raised.

A task's own per-process setup (a WeasyPrint font configuration, a Jinja
environment) is made once per worker with `once_per_process()`; `Workers` can start the
processes ahead of their tasks and run such a set-up in each as it starts.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import shutil
import signal
import tempfile
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from coalition_docs.engine import policy

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Task:
    name: str
    function: Callable[..., Any]  # module-level, so a worker can import it
    args: tuple = ()
    cost: float = 1.0
    after: tuple[str, ...] = ()  # tasks that must have finished first
    # Reads what the build handed to the workers (hand_to_workers): runs in a worker forked after that,
    # or, when the workers were started before (Workers(before_state=True)), in the build's own process.
    inherits: bool = False


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# What this process holds for its work, by key: values made once per process (a worker's set-up)
# and what the build handed to the workers it forks next. A process has one of these (fork copies it).
_PER_PROCESS: dict[tuple, Any] = {}
_handed = itertools.count(1)


def once_per_process(key: tuple, make: Callable[[], Any]) -> Any:
    """One value per process for `key`, made on first use (a worker's set-up, a spawned worker's state)."""
    try:
        return _PER_PROCESS[key]
    except KeyError:
        value = _PER_PROCESS[key] = make()
        return value


def hand_to_workers(kind: str, value: Any) -> str:
    """Hand `value` to the workers the next pool forks; return its token.

    A task finds it with once_per_process((kind, token), make_it_again).

    The token is new each time (never an object's id, which a later object may
    get). Earlier values of the same kind are dropped, so a long-running process
    (`serve`) keeps one build's worth.
    """
    for old in [k for k in _PER_PROCESS if k[:1] == (kind,)]:
        del _PER_PROCESS[old]
    token = f"{os.getpid()}-{next(_handed)}"
    _PER_PROCESS[(kind, token)] = value
    return token


def _start_worker(parent: int, scratch: str | None, warm: tuple[Callable[..., Any], tuple] | None,
                  one_at_a_time: Any = None) -> None:
    """Worker initializer: die with the build, then the owner's set-up (`warm`: a function and its arguments).

    The set-ups run one at a time (`one_at_a_time`, a lock): the first worker is
    ready sooner, and the build's own process, reading the content meanwhile,
    keeps a core to itself.
    """
    _die_with_parent(parent, scratch)
    if warm is not None:
        try:
            with one_at_a_time if one_at_a_time is not None else nullcontext():
                warm[0](*warm[1])
        except Exception:  # a set-up that fails is made again, and reported, by the task that needs it
            pass
        policy.after_worker_set_up()


def _die_with_parent(parent: int, scratch: str | None = None) -> None:
    """Worker initializer: end with the build, leave Ctrl-C to the build.

    Temporary files go into `scratch`, a folder the build removes when the pool ends:
    a worker is killed, never shut down, so what it leaves in /tmp (WeasyPrint copies
    every font face it is given into a folder of its own) would otherwise stay there.
    """
    if scratch is not None:
        tempfile.tempdir = scratch
    policy.in_worker()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked by the build while it started us
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            pass
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)


def _call(task: Task) -> Any:
    return task.function(*task.args)


class _Graph:
    """Which tasks may start (those whose `after` tasks have all finished), and in what order.

    A task's rank is its cost plus the highest rank among the tasks that wait
    for it: the longest chain of work it starts. Ready tasks go highest rank
    first, so the small last piece of a document that must be joined goes
    before a bigger task that nothing waits for, and the join does not end up
    alone at the end of the build.
    """

    def __init__(self, tasks: Sequence[Task]):
        names = {t.name for t in tasks}
        self.waiting = {t.name: {a for a in t.after if a in names} for t in tasks}
        self.by_name = {t.name: t for t in tasks}
        dependents: dict[str, list[str]] = {}
        for name, needs in self.waiting.items():
            for need in needs:
                dependents.setdefault(need, []).append(name)
        # Ranked from the last tasks back (the reverse of a topological order); tasks in a
        # cycle keep their own cost, and the run reports them ("tasks wait for each other").
        self.rank: dict[str, float] = {}
        left = {name: len(dependents.get(name, ())) for name in self.waiting}
        todo = [name for name, count in left.items() if count == 0]
        while todo:
            name = todo.pop()
            self.rank[name] = self.by_name[name].cost + max(
                (self.rank[d] for d in dependents.get(name, ())), default=0.0)
            for need in self.waiting[name]:
                left[need] -= 1
                if left[need] == 0:
                    todo.append(need)
        for name, task in self.by_name.items():
            self.rank.setdefault(name, task.cost)

    def order(self, tasks: Iterable[Task]) -> list[Task]:
        return sorted(tasks, key=lambda t: (-self.rank[t.name], t.name))

    def ready(self) -> list[Task]:
        now = [self.by_name[n] for n, missing in self.waiting.items() if not missing]
        for task in now:
            del self.waiting[task.name]
        return self.order(now)

    def finished(self, name: str) -> None:
        for missing in self.waiting.values():
            missing.discard(name)


def run(tasks: Sequence[Task], jobs: int | None = None,
        done: Callable[[Task, Any], None] | None = None, workers: "Workers | None" = None,
        meanwhile: Callable[[], None] | None = None) -> None:
    """Run every task (in `jobs` processes); call `done(task, result)` as each finishes.

    `workers`, when given, are processes started earlier (see Workers): every
    task runs in them, even a single one. `meanwhile` is called once, in this
    process, while the first tasks run (or first, when they run here). The first
    failure stops everything and is raised; so is KeyboardInterrupt.
    """
    graph = _Graph(tasks)
    jobs = max(1, jobs or default_jobs())
    done = done or (lambda task, result: None)
    meanwhile = meanwhile or (lambda: None)
    if workers is not None or (tasks and jobs > 1 and len(tasks) >= 2):
        if not tasks:
            meanwhile()
        elif workers is not None:
            _run_in(workers, graph, done, meanwhile)
        else:
            # Tasks that read the build's state (site pages) are rendered by this process too, beside
            # one worker fewer: it has every page's data at hand, where a forked worker copies each
            # memory page it touches, and one fork is saved.
            helps = any(task.inherits for task in tasks)
            with Workers(min(jobs - 1 if helps else jobs, len(tasks)), helps=helps) as own:
                _run_in(own, graph, done, meanwhile)
        return
    meanwhile()  # one process: what it does meanwhile comes first
    ready = graph.ready()
    while ready:
        task = ready.pop(0)
        result = _call(task)
        graph.finished(task.name)
        done(task, result)
        ready = graph.order([*ready, *graph.ready()])
    if graph.waiting:
        raise RuntimeError(f"tasks wait for each other: {sorted(graph.waiting)}")


class Workers:
    """Worker processes for one build: children that die with it.

    `with Workers(jobs, warm) as workers: workers.start()` starts them ahead of
    their tasks; `warm`, a module-level function and its arguments, runs in each
    as it starts (imports, a PDF writer's set-up), so that this start-up runs
    beside the build's own planning instead of after it. Leaving the block ends
    them: at once if it is left by an exception.
    """

    def __init__(self, jobs: int, warm: tuple[Callable[..., Any], tuple] | None = None, *,
                 before_state: bool = False, helps: bool = False):
        self.jobs = max(1, jobs)
        # Started before the build handed its state to workers: tasks that inherit it run in the build's process.
        self.before_state = before_state
        # The build's process takes tasks that inherit its state too, beside the workers.
        self.helps = helps
        context = policy.pool_context()
        self.forked = context.get_start_method() == "fork"
        if self.forked and sys.platform.startswith("linux"):
            import ctypes  # noqa: F401 - once here rather than in each forked worker (_die_with_parent)
        sys.stdout.flush()
        sys.stderr.flush()
        self.scratch = tempfile.mkdtemp(prefix="coalition-docs-workers-")
        policy.before_fork(self.forked)
        self._others = set(multiprocessing.active_children())  # children that are not this pool's workers
        self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context, initializer=_start_worker,
                                        initargs=(os.getpid(), self.scratch, warm,
                                                  context.Lock() if warm is not None else None))
        self.closed = False

    def start(self) -> "Workers":
        """Start every worker now."""
        with _sigint_blocked():  # a worker starts here: Ctrl-C must not reach it before it ignores it
            for _ in range(self.jobs):
                self.pool.submit(int)
        return self

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(kill=exc_type is not None)

    def close(self, kill: bool = False) -> None:
        """End the workers: when their work is done, or at once (`kill`). Closing twice does nothing."""
        if self.closed:
            return
        self.closed = True
        try:
            if kill:
                self.kill()
            else:
                self.pool.shutdown(wait=True)
        finally:
            policy.after_pool(self.forked)
            shutil.rmtree(self.scratch, ignore_errors=True)


    def processes(self) -> list[multiprocessing.process.BaseProcess]:
        """This pool's worker processes still alive: the children started since it was made."""
        return [p for p in multiprocessing.active_children() if p not in self._others]

    def kill(self) -> None:
        """Stop every worker now: queued work is dropped, running work is killed."""
        processes = self.processes()
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            try:
                process.kill()
            except (OSError, ValueError):  # already gone
                pass
        for process in processes:
            try:
                process.join(timeout=5)
            except (OSError, ValueError):
                pass


def _run_in(workers: Workers, graph: "_Graph", done: Callable[[Task, Any], None],
            meanwhile: Callable[[], None] | None = None) -> None:
    pool = workers.pool
    # A worker's next task waits in the queue while this process works on one of its own,
    # so that it never idles until this process looks again.
    slots = workers.jobs * (2 if workers.helps else 1)
    only_here = workers.before_state  # tasks that inherit the build's state run in this process alone ...
    here = only_here or workers.helps  # ... or here and in the workers
    pending: dict[Future, Task] = {}
    ready: list[Task] = []

    def collect(finished: Iterable[Future]) -> None:
        for future in sorted(finished, key=lambda f: pending[f].name):
            task = pending.pop(future)
            result = future.result()
            graph.finished(task.name)
            done(task, result)

    try:
        # Only as many tasks in flight as workers: a join that becomes ready
        # goes before the smaller work still queued, not after all of it.
        while True:
            ready = graph.order([*ready, *graph.ready()])
            # Helping, this process takes the longest work it may do before the workers are served:
            # it has the build's data at hand, where a forked worker first copies what it touches.
            local = next((t for t in ready if t.inherits), None) if workers.helps else None
            if local is not None:
                ready.remove(local)
            for task in [t for t in ready if not (only_here and t.inherits)]:
                if len(pending) >= slots:
                    break
                ready.remove(task)
                with _sigint_blocked():  # a worker may start here: see Workers.start
                    pending[pool.submit(_call, task)] = task
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            if local is None:
                local = next((t for t in ready if here and t.inherits), None)
                if local is not None:
                    ready.remove(local)
            if local is not None:  # the workers are busy or have nothing to take: this process works too
                result = _call(local)
                graph.finished(local.name)
                done(local, result)
                if pending:
                    collect(wait(pending, timeout=0)[0])
                continue
            if not pending:
                break
            collect(wait(pending, return_when=FIRST_COMPLETED)[0])
        if graph.waiting:
            raise RuntimeError(f"tasks wait for each other: {sorted(graph.waiting)}")
    except BaseException:
        workers.kill()
        raise


@contextmanager
def _sigint_blocked():
    """Hold Ctrl-C back while workers start: they inherit the mask and unblock it once SIGINT is ignored.

    Without it a Ctrl-C that lands between a worker's start and its initializer
    kills that worker with a traceback of its own. The build gets the held signal
    as soon as the block ends.
    """
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
