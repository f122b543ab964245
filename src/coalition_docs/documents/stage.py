"""The documents stage: plan every PDF, fill every template, then lay out what changed.

1. `plan_documents` turns the coalition into `PlannedDocument`s (the worksheet,
   a letter per partner that gets one, the positionality statements) and
   `PlannedBundle`s (letters.pdf, joined from the letters' own files).
2. fill.py fills every template first; every value any document lacks is
   reported before anything is laid out.
3. `plan_outputs` turns each document into an `Output` of the engine (its
   path, its key, how to render it): the engine (engine/outputs.py) reuses
   what did not change and lays out the rest with pdf.py's writer on every
   core; a bundle is joined (join.py) as soon as its parts exist.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

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
from coalition_docs.engine.outputs import Counter, Output, make
from coalition_docs.engine.runner import shared
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


def _theme_key(theme: Theme, content_dir: Path) -> tuple:
    return (tuple(str(p) for p in theme.search_path), str(content_dir))


def write_pdf(root: Path, path: str, theme: Theme, content_dir: Path, html: str, identifier: bytes) -> None:
    """Lay out one document and write it (in a worker: one WeasyPrint setup per process)."""
    writer = shared(("pdf", _theme_key(theme, content_dir)), lambda: PdfWriter(theme, content_dir))
    writer.write(writer.render(html, path), root / path, identifier, path)


def join_pdf(root: Path, path: str, parts: Sequence[str], title: str, author: str, language: str,
             identifier: bytes) -> None:
    """A bundle (letters.pdf) from its parts' files, kept a tagged PDF."""
    from coalition_docs.documents.join import concatenate

    concatenate([root / part for part in parts], root / path, title=title, author=author, language=language,
                identifier=identifier)


def plan_outputs(coalition: model.Coalition, theme: Theme, tool: str = "") -> list[Output]:
    """Every PDF as an output of the engine. Fills every template once, first:
    raises ContentErrors with every value any document lacks, before any layout."""
    plan = plan_documents(coalition)
    html = check_documents(document_environment(theme), plan)
    keys = document_keys(plan, html, coalition, theme, tool)
    prefix = f"{DOCUMENTS_FOLDER}/"
    planned = [Output(prefix + d.path, keys[d.path], write_pdf,
                      (theme, Path(coalition.content_dir), html[d.path], pdf_identifier(coalition.name, d.path)),
                      cost=len(html[d.path]))
               for d in plan.documents]
    for b in plan.bundles:
        parts = tuple(prefix + part for part in b.parts)
        planned.append(Output(prefix + b.path, keys[b.path], join_pdf,
                              (parts, b.title, b.author, b.language, pdf_identifier(coalition.name, b.path)),
                              cost=len(parts), parts=parts))
    return planned


def build_documents(coalition: model.Coalition, theme: Theme, dest: Path, outputs: Outputs | None = None,
                    jobs: int | None = None, progress: Counter | None = None) -> list[str]:
    """Write the PDFs into dest/documents; return their paths relative to it, sorted."""
    out = Path(dest) / DOCUMENTS_FOLDER
    if out.exists():
        shutil.rmtree(out)
    outputs = outputs if outputs is not None else Outputs()
    made = make(plan_outputs(coalition, theme, outputs.tool), outputs, Path(dest), label="PDFs",
                jobs=jobs, progress=progress)
    return sorted(path.removeprefix(DOCUMENTS_FOLDER + "/") for path in made)
