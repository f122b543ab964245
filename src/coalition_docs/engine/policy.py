"""How a build spends memory and processes: every performance policy, in one place, with its reason.

Each policy below was kept because it was measured on a 2-core machine with
WeasyPrint 70 / pydyf 0.13 and Python 3.11; the numbers are those runs'.

- **The collector runs less often** (`batch_work`, `BUILD_GC_THRESHOLDS`).
  Python's cyclic garbage collector runs after every 700 new objects. A build
  makes millions (pages, layout boxes), frees nearly all of them by reference
  counting, and keeps the content for its whole length, so the collector
  mostly walks the same long-lived objects again and again: a tenth of the
  site's time at 1,000 partners. Every command is batch work on the whole
  content, so the command line enters `batch_work` once for any command; the
  `build()` of the Python API enters it too (entering it again inside does
  nothing).
- **The collector waits while an output is made** (`one_collection`). Laying
  out a document makes objects by the million; the collector would walk them
  again and again while they are alive, each time they move up a generation:
  about 5% of the documents' CPU at 1,000 partners. All of them are in the
  youngest generation when the output is done, so one walk of that generation
  frees the cycles among them.
- **What workers inherit or set up is frozen** (`before_fork`, `after_pool`,
  `after_worker_set_up`). A forked worker finds the build's objects frozen, so
  its collector neither walks them nor copies their memory pages; what a
  worker's set-up made (WeasyPrint's modules, fonts, style sheets) lives as
  long as the worker, and freezing it saved a twentieth of a worker's time.
- **Workers are forked only when that is safe** (`can_fork`, `pool_context`):
  one thread, and WeasyPrint (cffi, Pango) not loaded yet. Otherwise they are
  spawned and import everything again: worth it for PDFs (0.4 s of set-up
  each), not for work of a fraction of a second.
- **The command ends without freeing its objects one by one** (`exit_now`).
  When a build ends, the process holds the content and the site of every
  language; Python would free those objects one by one on its way out, a
  twentieth of a second at 1,000 partners, after everything was written.
  The exit handlers run (workers are ended by then), then the process ends.
  Running the handlers needs `atexit._run_exitfuncs`, private: it is used on
  the Python versions it was tested with (`FAST_EXIT_TESTED`), and any other
  version ends the ordinary way (tests/test_policy.py fails on a new Python
  until it is tested there).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BUILD_GC_THRESHOLDS = (50_000, 20, 100)
# Python versions whose atexit._run_exitfuncs runs every registered handler, as exit_now needs.
FAST_EXIT_TESTED = {(3, 11), (3, 12), (3, 13)}

_depth = 0  # how many batch_work blocks this process is in


@contextmanager
def batch_work() -> Iterator[None]:
    """Collect garbage less often while a command or a build runs; the previous thresholds are restored after.

    Entered again inside itself, it does nothing more.
    """
    global _depth
    if _depth:
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
        return
    previous = gc.get_threshold()
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    _depth = 1
    try:
        yield
    finally:
        _depth = 0
        gc.set_threshold(*previous)


@contextmanager
def one_collection() -> Iterator[None]:
    """The cycle collector waits while an output is made, then walks what the output left, once.

    A caller that turned the collector off keeps it off, and nothing is collected behind its back.
    """
    if not gc.isenabled():  # someone else decides
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def in_worker() -> None:
    """A worker collects at the build's pace (a spawned worker starts with Python's defaults)."""
    gc.set_threshold(*BUILD_GC_THRESHOLDS)


def after_worker_set_up() -> None:
    """What a worker's set-up made lives as long as the worker: its collector need not walk it again."""
    gc.freeze()


def before_fork(forking: bool) -> None:
    """What forked workers inherit is never walked by their collector (nor copied page by page)."""
    if forking:
        gc.freeze()


def after_pool(forked: bool) -> None:
    """The build's objects are the collector's again once its forked workers are gone."""
    if forked:
        gc.unfreeze()


def can_fork() -> bool:
    """Whether workers start as forks of this process (one thread, no WeasyPrint loaded yet)."""
    return (threading.active_count() == 1 and "weasyprint" not in sys.modules
            and "fork" in multiprocessing.get_all_start_methods())


def pool_context():
    """fork when it is safe (see can_fork), else spawn."""
    return multiprocessing.get_context("fork" if can_fork() else "spawn")


def fast_exit_available() -> bool:
    import atexit

    return sys.version_info[:2] in FAST_EXIT_TESTED and callable(getattr(atexit, "_run_exitfuncs", None))


def exit_now(code: int) -> None:
    """End the process with `code`: buffers flushed, exit handlers run, objects not freed one by one.

    On a Python this was not tested with, the process ends the ordinary way (SystemExit).
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away, or a closed stream: nothing left to say
            pass
    if not fast_exit_available():
        raise SystemExit(code)
    import atexit

    atexit._run_exitfuncs()
    os._exit(code)
