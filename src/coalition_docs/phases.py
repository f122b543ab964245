"""The build, top to bottom: named phases, the progress told between each (as MkDocs's commands/build.py).

    build(content, out)
      unchanged_since_last    the last build's manifest; stop at once when no input changed
      start_workers           processes that set up ahead, for the stages that ask (WeasyPrint)
      load_content            the checked coalition: every problem at once, nothing written yet
      plan_stages             every stage's outputs, checks and warnings (stage.py); nothing rendered
      render                  into a staging folder: the engine reuses what did not change, renders the rest
      check_output            each stage's checks of what was written (the site's links)
      the manifest is written, and the staging folder swapped in for the output

The stages are listed once, in STAGES; `--only NAME` builds one and keeps the
others' previous output. Everything is checked before any file of the output
is touched; a build that fails leaves the previous output as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coalition_docs import __version__
from coalition_docs.content import model
from coalition_docs.content.cache import FileCache
from coalition_docs.documents import DocumentsStage
from coalition_docs.engine import policy, runner
from coalition_docs.engine.manifest import Manifest, OutputRecords, inputs_fingerprint, tool_fingerprint
from coalition_docs.engine.outputs import RenderProgress, make
from coalition_docs.engine.staging import Staging, carry_over, check_output_folder
from coalition_docs.errors import ContentErrors
from coalition_docs.site.stage import SiteStage
from coalition_docs.stage import Plan, Stage
from coalition_docs.templating import Theme

STAGES: tuple[Stage, ...] = (SiteStage(), DocumentsStage())  # every kind of output, in the order they are planned


@dataclass
class BuildResult:
    out: Path
    written: dict[str, list[str]] = field(default_factory=dict)  # top folder -> files written in it
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    unchanged: bool = False  # nothing changed: the previous output was kept as it was
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of each phase and folder, workers included
    # "path:line:column: warning: ..." lines: the build succeeded, but a person may want to know
    # (a letter without an envelope, a draft without an address).
    warnings: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return sum(1 for p in self.written.get("site", []) if p.endswith(".html"))

    @property
    def pdfs(self) -> int:
        return sum(1 for p in self.written.get("documents", []) if p.endswith(".pdf"))

    @property
    def drafts(self) -> int:
        return sum(1 for p in self.written.get("documents", []) if p.endswith(".eml"))

    def summary(self) -> str:
        if self.unchanged:
            return f"Nothing changed since the last build; {self.out} is up to date ({self.seconds:.2f} s)."
        made = []
        if "site" in self.written:
            made.append(f"{self.pages} page{'s' if self.pages != 1 else ''}")
        if "documents" in self.written:
            made.append(f"{self.pdfs} PDF{'s' if self.pdfs != 1 else ''}")
            if self.drafts:
                made.append(f"{self.drafts} e-mail draft{'s' if self.drafts != 1 else ''}")
        what = (", ".join(made[:-1]) + " and " + made[-1]) if len(made) > 1 else (made[0] if made else "nothing")
        parts = [f"{len(self.rendered)} rendered", f"{len(self.reused)} reused"]
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
        return f"Built {what} into {self.out} ({', '.join(parts)}) in {self.seconds:.2f} s."


class Progress(RenderProgress):
    """What a build tells the person waiting for it: each phase, then each output. The base class says nothing."""

    def stage(self, name: str) -> None: ...

    def close(self) -> None: ...


def selected(only: str | None) -> list[Stage]:
    """The stages `--only` names (every stage without it)."""
    return [stage for stage in STAGES if only is None or stage.name == only]


def plan_stages(stages: Sequence[Stage], coalition: model.Coalition, theme: Theme,
                records: OutputRecords) -> dict[str, Plan]:
    """Every stage's plan, in order; ContentErrors with all that the stages refuse. What `check` runs too."""
    plans, problems = {}, []
    for stage in stages:
        try:
            plans[stage.name] = stage.plan(coalition, theme, records)
        except ContentErrors as refused:
            problems += refused.problems
    if problems:
        raise ContentErrors(problems)
    return plans


def build(content: Path, out: Path, only: str | None = None, *, clean: bool = False, jobs: int | None = None,
          progress: Progress | None = None, files: FileCache | None = None) -> BuildResult:
    """Build `content` into `out`; only what changed since the last build is rendered again.

    `clean` ignores the previous build (everything is rendered); `jobs` is the
    number of processes that render (default: every core); `files`, the content
    files a process that builds again and again has read (serve.py).
    """
    with policy.batch_work():
        return _build(Path(content), Path(out), only, clean, max(1, jobs or runner.default_jobs()),
                      progress or Progress(), files)


def _build(content: Path, out: Path, only: str | None, clean: bool, jobs: int, progress: Progress,
           files: FileCache | None) -> BuildResult:
    started = time.perf_counter()
    check_output_folder(out, content)
    theme = Theme(content)
    previous = None if clean else Manifest.read(out)
    tool = tool_fingerprint()
    fingerprint, table = inputs_fingerprint([content.resolve(), *theme.search_path],
                                            {"tool": tool, "only": only or "all"},
                                            previous.files if previous else None)
    result = BuildResult(out)
    if unchanged_since_last(previous, fingerprint, tool, out, result):
        result.seconds = time.perf_counter() - started
        return result

    stages = selected(only)
    progress.stage("Checking the content")
    cpu = _cpu()
    with ExitStack() as stack:
        workers = start_workers(stack, stages, content, theme, jobs)
        coalition = load_content(content, theme, jobs=1 if workers is not None else jobs, files=files, tool=tool)
        staged = Staging(out)
        records = OutputRecords(previous, staged, tool)
        plans = plan_stages(stages, coalition, theme, records)
        # the content's own warnings (an agenda longer than its meeting), then each stage's
        warnings = {"content": content_warnings(coalition), **stage_warnings(plans, previous)}
        result.warnings = [warning for said in warnings.values() for warning in said]
        result.cpu["check"], cpu = _cpu() - cpu, _cpu()
        staging = stack.enter_context(staged)  # nothing of the output folder is touched before the content passed
        keep_other_stages(stages, previous, out, staging, records)
        result.cpu["plan"], cpu = _cpu() - cpu, _cpu()
        progress.stage("Rendering")
        render(stages, plans, records, staging, jobs, progress, workers, result)
        cpu = _cpu()
        progress.stage("Checking links")
        check_output(plans, staging)
        result.cpu["links"] = _cpu() - cpu
        Manifest(tool, fingerprint, table, records.records, warnings, __version__).write(staging)
    if previous is not None:
        result.removed = sorted(set(previous.outputs) - set(records.records))
    result.rendered = sorted(records.rendered)
    result.reused = sorted(records.reused)
    result.seconds = time.perf_counter() - started
    return result


def unchanged_since_last(previous: Manifest | None, fingerprint: str, tool: str, out: Path,
                         result: BuildResult) -> bool:
    """Whether no input changed since the last build and its output is whole (then `result` says so)."""
    if previous is None or previous.fingerprint != fingerprint or previous.tool != tool \
            or not previous.outputs_intact(out):
        return False
    result.unchanged = True
    result.warnings = list(previous.warnings)
    result.reused = sorted(previous.outputs)
    for path in previous.outputs:
        if "/." not in path:
            result.written.setdefault(path.partition("/")[0], []).append(path.partition("/")[2])
    return True


def start_workers(stack: ExitStack, stages: Sequence[Stage], content: Path, theme: Theme,
                  jobs: int) -> runner.Workers | None:
    """Workers started before the content is read, when a stage has a set-up for them (WeasyPrint, 0.4 s
    each): it runs while this process reads the content and plans. Started before the site is planned,
    they leave the site's pages to this process, which renders them beside them."""
    warm = [w for stage in stages if (w := stage.warm_up(content, theme)) is not None]
    if not warm or jobs < 2:
        return None
    set_up = warm[0] if len(warm) == 1 else (_warm_all, (tuple(warm),))
    return stack.enter_context(runner.Workers(jobs, warm=set_up, before_state=True)).start()


def _warm_all(set_ups: tuple[tuple[Callable[..., Any], tuple], ...]) -> None:
    for function, args in set_ups:
        function(*args)


def load_content(content: Path, theme: Theme, jobs: int, files: FileCache | None = None,
                 tool: str | None = None) -> model.Coalition:
    """The checked coalition, and every language it is written in has the theme's words; ContentErrors else.

    `files`: what an earlier build of this process read (content/cache.py); only changed files are read again."""
    from coalition_docs.content.validate import load_coalition
    from coalition_docs.i18n import check_languages

    coalition = load_coalition(content, jobs=jobs, cache=files, tool=tool)
    check_languages(coalition, theme)
    return coalition


def content_warnings(coalition: model.Coalition) -> list[str]:
    """What the checked content itself may want a person to know, whatever is built from it."""
    from coalition_docs.content.meeting_model import meeting_warnings

    return meeting_warnings(coalition)


def stage_warnings(plans: dict[str, Plan], previous: Manifest | None) -> dict[str, list[str]]:
    """What each stage warns of: a planned stage's plan says; a stage `--only` left as it was, the last build."""
    kept = previous.stage_warnings if previous is not None else {}
    return {stage.name: plans[stage.name].warnings if stage.name in plans else list(kept.get(stage.name, []))
            for stage in STAGES if stage.name in plans or kept.get(stage.name)}


def keep_other_stages(stages: Sequence[Stage], previous: Manifest | None, out: Path, staging: Path,
                      records: OutputRecords) -> None:
    """The previous output of every stage not built this time (`--only`), carried over as it was."""
    building = {folder for stage in stages for folder in stage.folders}
    for stage in STAGES:
        for folder in stage.folders:
            if folder in building:
                continue
            carry_over(out, staging, folder)
            if previous is not None:
                for path, record in previous.outputs.items():
                    if path.startswith(folder + "/"):
                        records.records[path] = record


def render(stages: Sequence[Stage], plans: dict[str, Plan], records: OutputRecords, staging: Path, jobs: int,
           progress: Progress, workers: runner.Workers | None, result: BuildResult) -> None:
    """Every planned output reused or rendered into the staging folder, on every core."""
    for stage in stages:
        for folder in stage.folders:
            result.written.setdefault(folder, [])
    planned = [output for stage in stages for output in plans[stage.name].outputs]
    rendering: dict[str, float] = {}
    made = make(planned, records, staging, label=" and ".join(stage.label for stage in stages), jobs=jobs,
                progress=progress, cpu=rendering, workers=workers)
    if workers is not None:
        workers.close()  # they end before the links are read
    for path in made:
        if "/." not in path:  # pieces of a document (documents/.pieces/) are kept for the next build, not shown
            folder, _, rest = path.partition("/")
            result.written.setdefault(folder, []).append(rest)
    for folder in result.written:
        result.cpu[folder] = rendering.get(folder, 0.0)


def check_output(plans: dict[str, Plan], staging: Path) -> None:
    """Each stage's checks of what was written (the site's internal links); BuildError on the first that fails."""
    for plan in plans.values():
        for check in plan.checks:
            check(staging)


def _cpu() -> float:
    """CPU seconds of this process and of its workers that have ended."""
    import resource

    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
