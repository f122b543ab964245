"""What the benchmarks share to time a version of coalition-docs against another in the same run.

    from versions import baseline_source, coalition_docs, load_average

A baseline is a checkout of another version (`git archive main | tar -x -C
DIR`); its command runs from DIR/src with this Python, so that both versions
run with the same interpreter and packages.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def baseline_source(checkout: Path | None) -> Path | None:
    """The src folder of a checkout given with --baseline (None without one); exits if it is not one."""
    if checkout is None:
        return None
    source = checkout.resolve() / "src"
    if not (source / "coalition_docs").is_dir():
        raise SystemExit(f"{checkout}: expected a checkout of coalition-docs (its src/coalition_docs)")
    return source


def coalition_docs(*args: str, source: Path | None = None, cache: Path | None = None) -> tuple[float, float, str]:
    """`coalition-docs ARGS` in a new process, as a person runs it: wall and CPU seconds (its workers
    included) and what it printed. `source`: the src folder of another version to run instead;
    `cache`: the tool's cache folder to use (COALITION_DOCS_CACHE) instead of the user's."""
    command = [sys.executable, "-m", "coalition_docs", *args]
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    if cache is not None:
        env["COALITION_DOCS_CACHE"] = str(cache)
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env, cwd=tempfile.gettempdir())
    seconds, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, done.stdout


def load_average() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
