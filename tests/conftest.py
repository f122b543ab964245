"""Shared fixtures: a small valid content folder to copy and break, and the example built once.

A test process is one of several (pytest-xdist starts one per core), so a build in a test
renders in the test's own process unless the test asks for workers (`jobs=2`, `-j 2`): the
default "every core" would start more processes than the machine has cores, each setting up
WeasyPrint again. The example coalition is built once per test run (`example_build`, shared by
the test processes); a test that only reads the output reads that one, a test that edits gets its
own copy (`example_copy`).
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from coalition_docs.cli import main
from coalition_docs.content.validate import load_coalition
from coalition_docs.engine import runner
from coalition_docs.errors import ContentErrors

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "content"
CLI = [sys.executable, "-m", "coalition_docs.cli"]  # the command, in a process of its own
FAST = False  # the fast loop (`make test-fast`: tests marked slow are left out); set in pytest_configure


def pytest_configure(config) -> None:
    global FAST
    # Ctrl-C as Python sets it in a terminal: a run started in the background of a shell inherits
    # SIGINT ignored, and the commands that tests stop with Ctrl-C would inherit that in turn.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    FAST = "not slow" in (config.getoption("markexpr", "") or "")


def examples(thorough: int) -> int:
    """How many examples a property test tries: `thorough` in the whole suite, a tenth in the fast loop."""
    return max(10, thorough // 10) if FAST else thorough


@pytest.fixture(scope="session", autouse=True)
def one_process_per_build():
    """A build renders in the test's process unless the test asks for workers (see above)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "default_jobs", lambda: 1)
        yield


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory):
    """The tool's cache (compiled templates, content files read: files.user_cache) in a folder of this
    test process, never the user's."""
    from coalition_docs import templating

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COALITION_DOCS_CACHE", str(tmp_path_factory.mktemp("cache")))
        templating._compiled_templates.cache_clear()
        yield
    templating._compiled_templates.cache_clear()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/minimal (valid) that a test may edit."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@contextmanager
def within(seconds: int):
    """What runs inside fails the test after `seconds` instead of hanging it (SIGALRM: POSIX, main thread)."""
    def stop(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def render_documents(content: Path, out: Path, *paths: str) -> list[str]:
    """Plan every document of `content` as the build does, then lay out only `paths` (under documents/).

    Every template is filled and checked first, as in a whole build, so that what a missing value or a
    broken template makes the build say is the same; the PDFs a test does not read are not laid out,
    which is most of a build's time. Returns every document the build plans (sorted, relative to
    documents/): the files a whole build writes. What the build leaves out is tested on this list.
    """
    from coalition_docs.documents.stage import plan_outputs
    from coalition_docs.engine.manifest import OutputRecords
    from coalition_docs.engine.outputs import make
    from coalition_docs.templating import Theme

    planned = {o.path: o for o in plan_outputs(load_coalition(content), Theme(content))}
    wanted = [f"documents/{p}" for p in paths]
    assert not set(wanted) - planned.keys(), f"not planned: {sorted(set(wanted) - planned.keys())}"
    chosen: set[str] = set()
    while wanted:  # with what they are made from (letters.pdf from the letters, a worksheet from its pieces)
        path = wanted.pop()
        if path not in chosen:
            chosen.add(path)
            wanted += planned[path].parts
    make([o for o in planned.values() if o.path in chosen], OutputRecords(), Path(out), jobs=1)
    return sorted(path.removeprefix("documents/") for path in planned if "/." not in path)


def problems(content: Path) -> list[str]:
    """What loading the content reports, each problem as a person reads it."""
    with pytest.raises(ContentErrors) as caught:
        load_coalition(content)
    return [p.format() for p in caught.value.problems]


def city_hall(content: Path) -> Path:
    """The minimal fixture's partner with a contact and an invitation."""
    return content / "partners" / "city-hall.yaml"


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Path:
    """The wheel and sdist built from this checkout, once per test run (slow tests only)."""
    from .package_helpers import build_dist

    return build_dist(tmp_path_factory.mktemp("dist"))


class ExampleBuild:
    """The example coalition (content/) built once per test run, site and documents.

    `content` and `out` are read only. The build is made where `example_copy` puts each
    test's copy, and kept aside: a copy at the same place is a build that finds nothing
    changed (the letters' keys hold the logo's path). A build `made` by another test
    process is read where it is; the first copy this process hands out builds it again
    at this process's place, which lays out again only what depends on the place.
    """

    def __init__(self, root: Path, only: str | None = None, made: Path | None = None) -> None:
        self.work = root / "work"
        self.kept = root / "kept"  # a build made at `work`, to copy back there
        self.only = only
        self.result = None  # what the build reported, when this process made it
        if made is None:
            shutil.copytree(EXAMPLE, self.work / "project" / "content")
            self.result = self._build()
            assert self.result.rendered and not self.result.reused
            shutil.copytree(self.work, self.kept, symlinks=True)
            made = self.kept
        self.content = made / "project" / "content"
        self.out = made / "out"

    def _build(self):
        from coalition_docs.phases import build

        return build(self.work / "project" / "content", self.work / "out", self.only, jobs=1)

    def copy(self) -> tuple[Path, Path]:
        """A fresh copy of the build for one test to edit: its content folder and output."""
        if not self.kept.exists():  # made by another process, at its place: made here once
            shutil.copytree(self.content.parent.parent, self.work, symlinks=True)
            self._build()
            shutil.copytree(self.work, self.kept, symlinks=True)
        shutil.rmtree(self.work)
        shutil.copytree(self.kept, self.work, symlinks=True)
        return self.work / "project" / "content", self.work / "out"


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> ExampleBuild:
    """The example's build, made once in the run: pytest-xdist's processes share it (a file lock
    in the run's folder, which is common to them, makes the others wait for the first)."""
    root = tmp_path_factory.mktemp("example-build")
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return ExampleBuild(root)
    from filelock import FileLock

    run = tmp_path_factory.getbasetemp().parent
    with FileLock(run / "example-build.lock"):
        made = run / "example-build.txt"  # where the first process kept its build
        if made.is_file():
            return ExampleBuild(root, made=Path(made.read_text(encoding="utf-8")))
        example = ExampleBuild(root)
        made.write_text(str(example.kept), encoding="utf-8")
        return example


@pytest.fixture
def example_copy(example_build) -> tuple[Path, Path]:
    """The example and its complete build, for a test to edit and build again."""
    return example_build.copy()


@pytest.fixture(scope="session")
def example_coalition():
    """The example coalition, loaded (read only)."""
    return load_coalition(EXAMPLE)

