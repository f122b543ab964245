"""The documents stage: plan every PDF, fill every template, then lay out what changed.

1. `plan_documents` turns the coalition into `PlannedDocument`s (the worksheet,
   a letter per partner that gets one, the positionality statements) and
   `PlannedBundle`s (letters.pdf, joined from the letters' own files).
2. fill.py fills every template first; every value any document lacks is
   reported before anything is laid out.
3. The PDFs whose key changed are laid out and written by pdf.py's writer,
   in a pool of processes; a bundle is joined (join.py) once its parts exist.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coalition_docs.content import model
from coalition_docs.documents.fill import check_documents, document_environment
from coalition_docs.documents.fonts import font_faces_css
from coalition_docs.documents.letters import letter_context, letter_order
from coalition_docs.documents.pdf import PDF_OPTIONS, PdfWriter, pdf_identifier
from coalition_docs.documents.plan import (DOCUMENTS_FOLDER, LETTER_TEMPLATE, STATEMENT_TEMPLATE,
                                           WORKSHEET_TEMPLATE, DocumentPlan, PlannedBundle, PlannedDocument,
                                           logo_path)
from coalition_docs.documents.statements import statement_context
from coalition_docs.documents.worksheet import worksheet_context
from coalition_docs.engine.manifest import Outputs, digest_bytes, file_digest, tree_files
from coalition_docs.templating import Theme


def plan_documents(coalition: model.Coalition) -> DocumentPlan:
    documents = [PlannedDocument("worksheet.pdf", WORKSHEET_TEMPLATE, worksheet_context(coalition))]
    logo = logo_path(coalition)
    letters = []
    for partner in letter_order(coalition):
        context, needs = letter_context(coalition, partner, logo)
        letters.append(PlannedDocument(f"letters/{partner.id}.pdf", LETTER_TEMPLATE, context, needs))
    documents += letters
    for statement in coalition.statements:
        documents.append(PlannedDocument(f"positionality/{statement.id}.pdf", STATEMENT_TEMPLATE,
                                         statement_context(coalition, statement)))
    bundles = []
    if letters:
        bundles.append(PlannedBundle(
            "letters.pdf", tuple(d.path for d in letters),
            title=f"{coalition.name}: invitation letters", author=coalition.name,
            language=coalition.language))
    return DocumentPlan(tuple(documents), tuple(bundles))



def check_letters(coalition: model.Coalition, theme: Theme) -> None:
    """Fill every document template without rendering PDFs: what `check` runs.

    Raises ContentErrors naming every value a letter needs and the content lacks.
    """
    check_documents(document_environment(theme), plan_documents(coalition))


def build_documents(coalition: model.Coalition, theme: Theme, dest: Path, outputs: Outputs | None = None,
                    jobs: int | None = None, progress: Any = None) -> list[str]:
    """Write the PDFs into dest/documents; return their paths relative to it, sorted."""
    out = Path(dest) / DOCUMENTS_FOLDER
    if out.exists():
        shutil.rmtree(out)
    return render_plan(plan_documents(coalition), coalition, theme, out, outputs, jobs, progress)


def document_keys(plan: DocumentPlan, html: Mapping[str, str], coalition: model.Coalition, theme: Theme,
                  tool: str = "") -> dict[str, str]:
    """The key of every planned PDF: a hash of everything it is made from.

    A document's HTML already holds every value of the content and every line of
    the templates it used; what the HTML only points at is added: the
    stylesheets, fonts and images of the theme, the content's static files (the
    logo), WeasyPrint's version and the PDF options.
    """
    from importlib.metadata import version

    shared = [tool, version("weasyprint"), repr(sorted(PDF_OPTIONS.items())), font_faces_css(theme)]
    for folder in ("documents", "fonts"):
        for rel in theme.files(folder):
            if not rel.endswith((".html", ".htm", ".jinja", ".md", ".txt")):
                shared.append(f"{rel}:{file_digest(theme.find(rel))}")
    static = Path(coalition.content_dir) / "static"
    if static.is_dir():
        shared += [f"static/{p.relative_to(static).as_posix()}:{file_digest(p)}" for p in tree_files(static)]
    common = digest_bytes(*shared)
    keys = {d.path: digest_bytes(common, d.path, html[d.path], pdf_identifier(coalition.name, d.path))
            for d in plan.documents}
    for bundle in plan.bundles:
        keys[bundle.path] = digest_bytes(common, bundle.path, bundle.title, bundle.author, bundle.language,
                                         pdf_identifier(coalition.name, bundle.path),
                                         *(keys[part] for part in bundle.parts))
    return keys


@dataclass
class _Job:
    """Work for one process: lay out documents and write them."""

    parts: list[tuple[str, str, bytes, bool]]  # path, HTML, PDF identifier, whether to write it
    cost: int = 0

    @property
    def count(self) -> int:
        return sum(1 for *_, write in self.parts if write)


_WORKER: tuple["PdfWriter", Path] | None = None


def _start_worker(theme: Theme, content_dir: Path, out: Path) -> None:
    global _WORKER
    _WORKER = (PdfWriter(theme, content_dir), out)


def _run_job(job: _Job) -> list[str]:
    """Lay out and write a job's documents with this process's WeasyPrint setup."""
    assert _WORKER is not None
    writer, out = _WORKER
    written = []
    for path, html, identifier, write in job.parts:
        label = f"{DOCUMENTS_FOLDER}/{path}"
        document = writer.render(html, label)
        if write:
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            writer.write(document, target, identifier, label)
            written.append(path)
    return written


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _pool_context():
    """fork when it is safe (no threads, WeasyPrint's libraries untouched here), else spawn."""
    if (threading.active_count() == 1 and "weasyprint" not in sys.modules
            and "fork" in multiprocessing.get_all_start_methods()):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def render_plan(plan: DocumentPlan, coalition: model.Coalition, theme: Theme, out: Path,
                outputs: Outputs | None = None, jobs: int | None = None, progress: Any = None) -> list[str]:
    """Check every template first, then render the planned PDFs whose key changed into out.

    PDFs render in a pool of `jobs` processes (default: every core), each with
    one WeasyPrint setup (font configuration, parsed stylesheets) that it reuses
    for every document it lays out. A bundle (letters.pdf) is joined from its
    parts' files (pdfjoin.py) as soon as they are all written, so the letters
    render on every core and one changed letter does not lay out the others.
    """
    outputs = outputs if outputs is not None else Outputs()
    env = document_environment(theme)
    html = check_documents(env, plan)  # nothing is written unless every template is satisfied
    keys = document_keys(plan, html, coalition, theme, outputs.tool)
    prefix = f"{out.name}/"
    fresh = {path for path, key in keys.items() if not outputs.take(prefix + path, key)}
    identifier = {path: pdf_identifier(coalition.name, path) for path in keys}

    work = [_Job([(d.path, html[d.path], identifier[d.path], True)], cost=len(html[d.path]))
            for d in plan.documents if d.path in fresh]
    work.sort(key=lambda job: -job.cost)  # the longest first: the pool finishes together
    # A bundle (letters.pdf) joins its parts' files once they are all written.
    joins = [b for b in plan.bundles if b.path in fresh]
    waiting = {b.path: {p for p in b.parts if p in fresh} for b in joins}
    if progress is not None:
        progress.documents(len(keys), len(keys) - len(work) - len(joins))

    out.mkdir(parents=True, exist_ok=True)
    jobs = max(1, jobs or default_jobs())
    written: list[str] = []

    def ready(done: Sequence[str]) -> list[PlannedBundle]:
        """The bundles whose last missing part is among `done`."""
        now = []
        for bundle in joins:
            parts = waiting[bundle.path]
            if parts is not None and not parts - set(done):
                waiting[bundle.path] = None
                now.append(bundle)
        return now

    def join_args(bundle: PlannedBundle) -> tuple:
        return (bundle.path, bundle.parts, bundle.title, bundle.author, bundle.language, identifier[bundle.path])

    if jobs == 1 or len(work) + len(joins) < 2:
        _start_worker(theme, coalition.content_dir, out)
        try:
            for job in work:
                written += _run_job(job)
                if progress is not None:
                    progress.advance_documents(job.count)
            for bundle in ready(written):
                written.append(_join(*join_args(bundle)))
                if progress is not None:
                    progress.advance_documents(1)
        finally:
            _stop_worker()
    else:
        sys.stdout.flush()
        sys.stderr.flush()
        with ProcessPoolExecutor(max_workers=min(jobs, len(work) + len(joins)), mp_context=_pool_context(),
                                 initializer=_start_worker,
                                 initargs=(theme, coalition.content_dir, out)) as pool:
            pending = {pool.submit(_run_job, job): job.count for job in work}
            pending.update({pool.submit(_join, *join_args(b)): 1 for b in ready([])})
            try:
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        count = pending.pop(future)
                        result = future.result()
                        done = result if isinstance(result, list) else [result]
                        written += done
                        if progress is not None:
                            progress.advance_documents(count)
                        for bundle in ready(written):
                            pending[pool.submit(_join, *join_args(bundle))] = 1
            except BaseException:
                # Fail now, not after the longest job: stop what is queued and running.
                processes = list((getattr(pool, "_processes", None) or {}).values())
                pool.shutdown(wait=False, cancel_futures=True)
                for process in processes:
                    process.terminate()
                raise
    for path in written:
        outputs.made(prefix + path, keys[path])
    return sorted(keys)


def _join(path: str, parts: Sequence[str], title: str, author: str, language: str, identifier: bytes) -> str:
    """Make a bundle (letters.pdf) from its parts' files, keeping it a tagged PDF."""
    from coalition_docs.documents.join import concatenate

    assert _WORKER is not None
    _, out = _WORKER
    concatenate([out / part for part in parts], out / path, title=title, author=author, language=language,
                identifier=identifier)
    return path


def _stop_worker() -> None:
    global _WORKER
    _WORKER = None
