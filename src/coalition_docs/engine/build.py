"""Orchestration: validate everything, render what changed, then swap the output in.

As in MkDocs's build command, everything is gathered and checked before any
file of the output is touched; stages render into a staging folder that
output.py swaps in only when all of them succeeded. An incremental build
(manifest.py) carries unchanged outputs over from the previous build and
renders only the rest; when no input changed at all it stops before parsing
any YAML.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from coalition_docs.engine import policy, runner
from coalition_docs.engine.outputs import Counter, make
from coalition_docs.engine.manifest import Manifest, Outputs, inputs_fingerprint, tool_fingerprint
from coalition_docs.engine.staging import Staging, carry_over, check_output_folder
from coalition_docs.templating import Theme

STAGES = ("site", "documents")


@dataclass
class BuildResult:
    out: Path
    written: dict[str, list[str]] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    unchanged: bool = False  # nothing changed: the previous output was kept as it was
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of each stage, workers included
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


class Progress(Counter):
    """What a build tells the person waiting for it. The base class says nothing."""

    def stage(self, name: str) -> None: ...

    def close(self) -> None: ...


def _cpu() -> float:
    """CPU seconds of this process and of its workers that have ended."""
    import resource

    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _fingerprint_inputs(content: Path, theme: Theme, only: str | None, previous: Manifest | None):
    return inputs_fingerprint(
        [Path(content).resolve(), *theme.search_path],
        {"tool": tool_fingerprint(), "only": only or "all"},
        previous.files if previous else None,
    )


def build(content: Path, out: Path, only: str | None = None, *, clean: bool = False, jobs: int | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Build `content` into `out`; only what changed since the last build is rendered again.

    `clean` ignores the previous build (everything is rendered); `jobs` is the
    number of processes that render (default: every core).
    """
    with policy.batch_work():
        return _build(content, out, only, clean, jobs, progress)


def _build(content: Path, out: Path, only: str | None, clean: bool, jobs: int | None,
           progress: Progress | None) -> BuildResult:
    started = time.perf_counter()
    progress = progress or Progress()
    content, out = Path(content), Path(out)
    check_output_folder(out, content)
    theme = Theme(content)
    previous = None if clean else Manifest.read(out)
    tool = tool_fingerprint()
    fingerprint, files = _fingerprint_inputs(content, theme, only, previous)
    result = BuildResult(out)
    if previous is not None and previous.fingerprint == fingerprint and previous.tool == tool \
            and previous.outputs_intact(out):
        result.unchanged = True
        result.warnings = list(previous.warnings)
        result.reused = sorted(previous.outputs)
        for path in previous.outputs:
            if "/." in path:
                continue
            result.written.setdefault(path.partition("/")[0], []).append(path.partition("/")[2])
        result.seconds = time.perf_counter() - started
        return result

    progress.stage("Checking the content")
    cpu = _cpu()
    jobs = max(1, jobs or runner.default_jobs())
    with ExitStack() as stack:
        workers = None
        if only in (None, "documents") and jobs > 1:
            from coalition_docs.documents.stage import paper_hint, warm_up

            # The workers start first and set up WeasyPrint (0.4 s each) while this process
            # reads the content and fills every document; as they are forked before the site
            # is planned, the site's pages are rendered by this process, beside them.
            workers = stack.enter_context(runner.Workers(jobs, warm=(warm_up, (
                theme, Path(content), paper_hint(content))), before_state=True)).start()
        from coalition_docs.content.validate import load_coalition

        # Workers started for the documents are busy setting up WeasyPrint: this process reads alone.
        coalition = load_coalition(content, jobs=1 if workers is not None else jobs)
        from coalition_docs.i18n import check_languages

        check_languages(coalition, theme)  # every language the site and letters are written in has the theme's words
        staged = Staging(out)
        outputs = Outputs(previous, staged, tool)
        site = None
        if only in (None, "site"):
            from coalition_docs.site.render import plan_outputs as plan_site

            site = plan_site(coalition, theme, outputs)
        documents = []
        if only in (None, "documents"):
            from coalition_docs.documents.stage import document_warnings, plan_outputs

            # Every document is filled before any is rendered: a letter that lacks a
            # value fails the build, with every such problem.
            documents = plan_outputs(coalition, theme, tool, out if previous is not None else None)
            result.warnings = document_warnings(coalition)
        elif previous is not None:  # the documents are carried over: so is what was said about them
            result.warnings = list(previous.warnings)
        result.cpu["check"], cpu = _cpu() - cpu, _cpu()
        stack.enter_context(staged)  # nothing of the output folder is touched before the content passed
        staging = staged.path
        assert staging is not None
        planned, checks, labels = [], [], []
        for stage in STAGES:
            if only and stage != only:
                carry_over(out, staging, stage)
                if previous is not None:
                    for path, record in previous.outputs.items():
                        if path.startswith(stage + "/"):
                            outputs.records[path] = record
                continue
            result.written[stage] = []
            if stage == "site":
                assert site is not None
                planned += site.outputs
                checks.append(site.check)
                labels.append("pages")
            else:
                planned += documents
                labels.append("PDFs")
        result.cpu["plan"], cpu = _cpu() - cpu, _cpu()
        progress.stage("Rendering")
        rendering: dict[str, float] = {}
        made = make(planned, outputs, staging, label=" and ".join(labels), jobs=jobs, progress=progress,
                    cpu=rendering, workers=workers)
        if workers is not None:
            workers.close()  # they end before the links are read
        for path in made:
            if "/." not in path:  # pieces of a document (documents/.pieces/) are kept for the next build, not shown
                stage, _, rest = path.partition("/")
                result.written[stage].append(rest)
        for stage in result.written:
            result.cpu[stage] = rendering.get(stage, 0.0)
        cpu = _cpu()
        progress.stage("Checking links")
        for check in checks:
            check(staging)
        result.cpu["links"] = _cpu() - cpu
        manifest = Manifest(tool, fingerprint, files, outputs.records, result.warnings)
        manifest.write(staging)
    if previous is not None:
        result.removed = sorted(set(previous.outputs) - set(outputs.records))
    result.rendered = sorted(outputs.rendered)
    result.reused = sorted(outputs.reused)
    result.seconds = time.perf_counter() - started
    return result

