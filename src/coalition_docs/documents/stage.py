"""The documents stage: plan every PDF, fill every template, then lay out what changed.

1. `plan_documents` turns the coalition into `PlannedDocument`s (the worksheet,
   a letter per partner that gets one, the positionality statements) and
   `PlannedBundle`s (letters.pdf, joined from the letters' own files).
2. fill.py fills every template first; every value any document lacks is
   reported before anything is laid out.
3. `plan_outputs` turns each document into a `PlannedOutput` of the engine (its
   path, its key, how to render it): the engine (engine/outputs.py) reuses
   what did not change and lays out the rest with pdf.py's writer on every
   core; a bundle is joined (assemble.py) as soon as its parts exist;
   a long worksheet is laid out in pieces (pieces.py) and assembled the same way.
"""

from __future__ import annotations

import marshal
import re
from dataclasses import astuple, fields
import shutil
from html import unescape
from collections.abc import Mapping, Sequence
from typing import Any
from pathlib import Path

from coalition_docs.content import model
from coalition_docs.documents.assemble import Placed, assemble, join_files, measure, place, strides
from coalition_docs.documents.fill import check_documents
from coalition_docs.documents.drafts import draft_warnings, plan_drafts, write_draft
from coalition_docs.documents.fonts import font_faces_css, font_sources
from coalition_docs.documents.filled import Kept, fill_keys
from coalition_docs.documents.glyphs import check_glyphs, needed_families, printed_characters
from coalition_docs.documents.letters import letter_context, letter_order
from coalition_docs.documents.pdf import PAPER_STYLESHEETS, PDF_OPTIONS, PdfWriter, pdf_identifier
from coalition_docs.documents.mail import addressed, envelope_context, label_context, mail_warnings
from coalition_docs.documents.rawpdf import Memo, RawPdf, compress_streams
from coalition_docs.documents.plan import (DOCUMENTS_FOLDER, ENVELOPE_TEMPLATE, LABELS_TEMPLATE, LETTER_TEMPLATE,
                                           STATEMENT_TEMPLATE, WORKSHEET_TEMPLATE, DocumentPlan, PlannedBundle,
                                           PlannedDocument, logo_path)
from coalition_docs.documents.pieces import FOOTERS, PIECES_FOLDER, PLACEMENTS, Piece, html_kicker, footers, split
from coalition_docs.documents.statements import statement_context
from coalition_docs.documents.worksheet import worksheet_context
from coalition_docs.engine.manifest import OutputRecords, digest_bytes, file_digest, tool_fingerprint, tree_files
from coalition_docs.engine.outputs import RenderProgress, PlannedOutput, make
from coalition_docs.engine.runner import once_per_process
from coalition_docs.files import UnreadableFile, read_regular
from coalition_docs.launch.agreement import CONTACTS_TEMPLATE
from coalition_docs.launch.plan import launch_documents, launch_files, write_file
from coalition_docs.stage import Plan
from coalition_docs.templating import Theme


def plan_stage(coalition: model.Coalition, theme: Theme, records: OutputRecords) -> Plan:
    """The documents stage's plan (DocumentsStage.plan, in documents/__init__.py)."""
    # Every document is filled before any is rendered: a letter that lacks a value fails, with every such problem.
    plan = plan_documents(coalition)
    outputs = plan_outputs(coalition, theme, records.tool, records.previous_folder, plan)
    labels = next((d.context for d in plan.documents if d.template == LABELS_TEMPLATE), None)
    return Plan(outputs, [], document_warnings(coalition, labels))


def plan_documents(coalition: model.Coalition) -> DocumentPlan:
    primary = coalition.language
    documents = [PlannedDocument("worksheet.pdf", WORKSHEET_TEMPLATE, worksheet_context(coalition),
                                 language=primary)]
    logo = logo_path(coalition)
    letters = []
    order = letter_order(coalition)
    for partner in order:
        context, needs = letter_context(coalition, partner, logo)
        letters.append(PlannedDocument(f"letters/{partner.id}.pdf", LETTER_TEMPLATE, context, needs,
                                       language=coalition.letter_language(partner)))
    documents += letters
    if addressed(order):  # envelopes and labels for the letters that have a postal address
        documents.append(PlannedDocument("envelopes.pdf", ENVELOPE_TEMPLATE, envelope_context(coalition, order)))
        documents.append(PlannedDocument("labels.pdf", LABELS_TEMPLATE, label_context(coalition, order)))
    for statement in coalition.statements:
        documents.append(PlannedDocument(f"positionality/{statement.id}.pdf", STATEMENT_TEMPLATE,
                                         statement_context(coalition, statement), language=primary))
    launch, problems = launch_documents(coalition)  # agendas, the working agreement, the contact sheet
    documents += launch
    bundles = []
    if letters:
        bundles.append(PlannedBundle(
            "letters.pdf", tuple(d.path for d in letters),
            title=f"{coalition.name}: invitation letters", author=coalition.name,
            language=coalition.language, duplex=coalition.duplex))
    return DocumentPlan(tuple(documents), tuple(bundles), tuple(problems))



def document_warnings(coalition: model.Coalition, labels: Mapping[str, Any] | None = None) -> list[str]:
    """What `build` says about the mail (the documents still build): letters that get
    no envelope, label or e-mail draft, addresses too long for a label (`labels`: the
    labels' context, when planned)."""
    order = letter_order(coalition)
    return mail_warnings(coalition, order, labels) + draft_warnings(coalition, order)


def document_keys(plan: DocumentPlan, html: Mapping[str, str], coalition: model.Coalition, theme: Theme,
                  tool: str = "") -> dict[str, str]:
    """The key of every planned PDF: a hash of everything it is made from.

    A document's HTML already holds every value of the content and every line of
    the templates it used; what the HTML only points at is added: the
    stylesheets, fonts and images of the theme, the content's static files (the
    logo), WeasyPrint's version and the PDF options.
    """
    common = shared_key(coalition, theme, tool)
    keys = {d.path: digest_bytes(common, d.path, html[d.path], pdf_identifier(coalition.name, d.path))
            for d in plan.documents}
    for bundle in plan.bundles:
        keys[bundle.path] = digest_bytes(common, bundle.path, bundle.title, bundle.author, bundle.language,
                                         f"duplex:{bundle.duplex}", pdf_identifier(coalition.name, bundle.path),
                                         *(keys[part] for part in bundle.parts))
    return keys


# An output's cost is its work in characters of HTML to lay out (about 60,000 a second
# here). Joining files lays nothing out: letters.pdf copies its letters' bytes (a
# fiftieth of their time), the worksheet's assembly also lays out its page footers
# when the page count is new (a twentieth). The runner starts the longest chain of
# work first (runner._Graph), so these keep joins from looking longer than they are.
JOIN_COST = 0.02
ASSEMBLY_COST = 0.05


def shared_key(coalition: model.Coalition, theme: Theme, tool: str) -> str:
    """What every PDF is made from besides its HTML: theme files, fonts, static files, versions."""
    from importlib.metadata import version

    shared = [tool, version("weasyprint"), repr(sorted(PDF_OPTIONS.items())), font_faces_css(theme),
              f"paper:{coalition.paper}"]
    for folder in ("documents", "fonts"):
        for rel in theme.files(folder):
            if not rel.endswith((".html", ".htm", ".jinja", ".md", ".txt")):
                shared.append(f"{rel}:{file_digest(theme.find(rel))}")
    static = Path(coalition.content_dir) / "static"
    if static.is_dir():
        shared += [f"static/{p.relative_to(static).as_posix()}:{file_digest(p)}" for p in tree_files(static)]
    return digest_bytes(*shared)


def _writer(theme: Theme, content_dir: Path, paper: str, html: str) -> PdfWriter:
    """This process's WeasyPrint setup for the theme, the paper and the scripts `html` prints.

    Made once per worker and set of system font families (most documents need none).
    """
    return _writer_for(theme, content_dir, paper, needed_families(html, theme))


def _writer_for(theme: Theme, content_dir: Path, paper: str, families: tuple[str, ...]) -> PdfWriter:
    key = ("pdf", tuple(str(p) for p in theme.search_path), str(content_dir), paper, families)
    return once_per_process(key, lambda: PdfWriter(theme, content_dir, paper, families))


def warm_up(theme: Theme, content_dir: Path, paper: str) -> None:
    """A worker's set-up before its first document (runner.Workers): WeasyPrint imported (0.4 s,
    most of it cffi reading Pango's declarations) and set up for `paper` and documents that need
    no system font, as most do. It runs while the build reads the content and fills the documents."""
    _writer_for(theme, content_dir, paper, ())


def paper_hint(content_dir: Path) -> str:
    """The paper coalition.yaml names, read before the content is loaded, for the workers' set-up.

    Only a hint: a file that cannot be read as plain YAML gives the default, and a
    worker makes the writer for the paper the loaded content names when it differs.
    """
    import yaml

    try:
        data = yaml.safe_load(read_regular(Path(content_dir) / "coalition.yaml"))
        paper = data.get("print", {}).get("paper", "letter")
    except Exception:  # noqa: BLE001 - the loader reports whatever is wrong with the file
        return "letter"
    return paper if paper in PAPER_STYLESHEETS else "letter"


def write_pdf(root: Path, path: str, theme: Theme, content_dir: Path, paper: str, html: str,
              identifier: bytes) -> None:
    """Lay out one document and write it (in a worker: one WeasyPrint setup per process).

    Written with a plain object structure (streams deflated afterwards), so that
    assemble.py can join it into letters.pdf or the worksheet by copying bytes."""
    writer = _writer(theme, content_dir, paper, html)
    data = writer.write(writer.render(html, path), None, identifier, path, uncompressed=True)
    (root / path).write_bytes(compress_streams(data))


def join_pdf(root: Path, path: str, parts: Sequence[str], title: str, author: str, language: str,
             identifier: bytes, duplex: bool = False, faces: Sequence[tuple[str, str]] = ()) -> None:
    """A bundle (letters.pdf) from its parts' files, kept a tagged PDF, each font in it once."""
    join_files([root / part for part in parts], root / path, title=title, author=author, language=language,
               identifier=identifier, duplex=duplex, faces=faces)


def plan_outputs(coalition: model.Coalition, theme: Theme, tool: str = "", previous: Path | None = None,
                 plan: DocumentPlan | None = None) -> list[PlannedOutput]:
    """Every PDF as an output of the engine. Fills every template once, first:
    raises ContentErrors with every value any document lacks, before any layout.
    `previous` is the last build's output folder (the worksheet's footers are kept there)."""
    plan = plan if plan is not None else plan_documents(coalition)
    kept = Kept(theme, tool, previous, f"{DOCUMENTS_FOLDER}/{PIECES_FOLDER}")
    html = fill(plan, coalition, theme, kept)
    keys = document_keys(plan, html, coalition, theme, tool)
    prefix = f"{DOCUMENTS_FOLDER}/"
    planned: list[PlannedOutput] = []
    for d in plan.documents:
        identifier = pdf_identifier(coalition.name, d.path)
        # Long documents in pieces: the worksheet cut at its parts and tables, the contact sheet in its long table.
        pieces = split(html[d.path], parts=d.template == WORKSHEET_TEMPLATE) \
            if d.template in (WORKSHEET_TEMPLATE, CONTACTS_TEMPLATE) else None
        if pieces is None:
            planned.append(PlannedOutput(prefix + d.path, keys[d.path], write_pdf,
                                         (theme, Path(coalition.content_dir), coalition.paper, html[d.path],
                                          identifier), cost=len(html[d.path])))
        else:
            planned += piece_outputs(prefix + d.path, pieces, coalition, theme, tool, html[d.path], previous)
    costs = {o.path: o.cost for o in planned}
    for b in plan.bundles:
        parts = tuple(prefix + part for part in b.parts)
        planned.append(PlannedOutput(prefix + b.path, keys[b.path], join_pdf,
                                     (parts, b.title, b.author, b.language, pdf_identifier(coalition.name, b.path),
                                      b.duplex, font_sources(theme)),
                                     cost=JOIN_COST * sum(costs[part] for part in parts), parts=parts))
    for draft in plan_drafts(coalition, theme, letter_order(coalition), kept):
        letter = prefix + draft.letter  # attached as it is: made (or reused) first
        planned.append(PlannedOutput(prefix + draft.path, digest_bytes(keys[draft.letter], repr(astuple(draft))),
                                     write_draft, (draft, DOCUMENTS_FOLDER), parts=(letter,),
                                     batch=f"{DOCUMENTS_FOLDER}/email"))  # a few milliseconds each: in runs
    for path, data in launch_files(coalition, theme).items():  # meetings.ics, contacts.vcf: keyed by their bytes
        planned.append(PlannedOutput(prefix + path, digest_bytes(path, data), write_file, (data,), cost=0.01))
    planned.append(kept.output())  # what was filled, for the next build
    return planned


def fill(plan: DocumentPlan, coalition: model.Coalition, theme: Theme, kept: Kept) -> dict[str, str]:
    """Every document's HTML, its characters checked: ContentErrors for a value any lacks or a character
    no font draws. A document filled from the same inputs by the last build (`kept`) is not filled again."""
    keys = fill_keys(plan, kept)
    reused = {path: entry for path, key in keys.items() if (entry := kept.get(key)) is not None}
    html = check_documents(theme, plan, {path: text for path, (text, _) in reused.items()}, kept.loaded)
    characters = {path: reused[path][1] if path in reused else "".join(sorted(printed_characters([html[path]])))
                  for path in keys}
    printed = set().union(*characters.values(), printed_characters(html[d.path] for d in plan.documents
                                                                    if d.path not in keys))
    check_glyphs(printed, coalition, theme)
    for path, key in keys.items():
        kept.keep(key, html[path], characters[path])
    return html


def piece_outputs(path: str, pieces: Sequence[Piece], coalition: model.Coalition, theme: Theme, tool: str,
                  html: str, previous: Path | None = None) -> list[PlannedOutput]:
    """A long document's pieces (cached by the hash of their HTML) and their assembly into `path`."""
    common = shared_key(coalition, theme, tool)
    folder = f"{DOCUMENTS_FOLDER}/{PIECES_FOLDER}/{Path(path).stem}"
    outputs: dict[str, PlannedOutput] = {}
    order = []
    for piece in pieces:
        key = digest_bytes(common, piece.html)
        where = f"{folder}/{key[:24]}.pdf"
        order.append(where)
        outputs.setdefault(where, PlannedOutput(where, key, write_pdf,
                                                (theme, Path(coalition.content_dir), coalition.paper, piece.html,
                                                 pdf_identifier(coalition.name, where)), cost=len(piece.html)))
    identifier = pdf_identifier(coalition.name, path.removeprefix(f"{DOCUMENTS_FOLDER}/"))
    key = digest_bytes(common, path, identifier, *(outputs[p].key for p in order))
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    author = re.search(r'<meta name="author" content="([^"]*)"', html)
    language = re.search(r'<html lang="([^"]*)"', html)
    head = html[:html.index(">", html.index("<body")) + 1]
    assembly = PlannedOutput(path, key, assemble_pieces,
                             (tuple(order), tuple(p.title for p in pieces), tuple(p.level for p in pieces), head,
                              html_kicker(html),
                              unescape(title.group(1)) if title else "", unescape(author.group(1)) if author else "",
                              language.group(1) if language else coalition.language, identifier, theme,
                              Path(coalition.content_dir), coalition.paper, previous),
                             # As costly as all its parts: once they exist it goes before smaller work.
                             cost=ASSEMBLY_COST * sum(o.cost for o in outputs.values()),
                             parts=tuple(dict.fromkeys(order)), extras=(f"{folder}/{FOOTERS}", f"{folder}/{PLACEMENTS}"))
    return [*outputs.values(), assembly]


def assemble_pieces(root: Path, path: str, parts: Sequence[str], titles: Sequence[str | None],
                    levels: Sequence[int], head: str,
                    owner: str, title: str, author: str, language: str, identifier: bytes, theme: Theme,
                    content_dir: Path, paper: str, previous: Path | None) -> None:
    """One tagged PDF from the pieces, each page stamped with its "Page N of M" footer.

    Kept beside the pieces for the next build: the footers (they depend on M,
    the head and the paper only), and each piece as this assembly placed it
    (its objects renumbered: most of the assembly's work). Pieces are numbered
    apart (assemble.strides), so the next assembly reuses the placement of
    every piece whose file and place are the same: after an edit of one
    partner, every piece but the one that shows it.
    """
    folder = Path(parts[0]).parent.as_posix()
    kept, sizes, memo = _read_placements(Path(previous) / folder / PLACEMENTS) if previous else ({}, {}, Memo())
    parsed: dict[str, RawPdf] = {}
    for part in dict.fromkeys(parts):
        stem = Path(part).stem
        if stem not in sizes:
            parsed[stem] = RawPdf.parse((root / part).read_bytes())
            sizes[stem] = measure(parsed[stem])
    apart = strides([sizes[Path(part).stem] for part in parts])
    placed: dict[str, tuple] = {}

    def placer(part: str):
        stem = Path(part).stem

        def place_it(index: int, first: int, offset: int) -> Placed:
            name = f"{stem}:{index}:{first}:{offset}:{language}"
            record = kept.get(name)
            if record is None:
                if stem not in parsed:  # measured by the last assembly, placed elsewhere now
                    parsed[stem] = RawPdf.parse((root / part).read_bytes())
                piece = place(parsed[stem], index, first, offset, language)
            else:
                piece = Placed(*record)
            placed[name] = piece.to_tuple()
            return piece
        return place_it

    def stamps(pages: int) -> bytes:
        name = f"{folder}/{FOOTERS}"
        wanted = digest_bytes(head, owner, str(pages), paper)[:32].encode("ascii")
        last = Path(previous) / name if previous else None
        data = last.read_bytes() if last is not None and last.is_file() else b""
        if b"/ID [<%s>" % wanted.hex().encode() not in data[-300:] and b"/ID [(%s)" % wanted not in data[-300:]:
            html = footers(head, owner, pages)
            writer = _writer(theme, content_dir, paper, html)
            stamp = writer.render(html, f"{path} (footers)", tagged=False)
            data = writer.write(stamp, None, wanted, f"{path} (footers)", tagged=False, uncompressed=True)
        (root / name).write_bytes(data)
        return data

    (root / path).write_bytes(assemble([placer(part) for part in parts], stamps, title=title, author=author,
                                       language=language, identifier=identifier, outline=titles, apart=apart,
                                       faces=font_sources(theme), memo=memo,
                                       # pieces without titles keep their own bookmarks
                                       own_outlines=None if any(titles) else levels))
    used = {Path(part).stem for part in parts}
    (root / folder / PLACEMENTS).write_bytes(marshal.dumps(
        (placed, {stem: size for stem, size in sizes.items() if stem in used}, memo.used)))


MAX_PLACEMENTS_BYTES = 1 << 30  # about 10 MB for 1,000 partners


def _read_placements(path: Path) -> tuple[dict[str, tuple], dict[str, tuple[int, int]], Memo]:
    """The placements, piece sizes and memo the last assembly kept; none when missing, damaged or not ours."""
    try:
        placements, sizes, memo = marshal.loads(read_regular(path, MAX_PLACEMENTS_BYTES))
    except (OSError, UnreadableFile, ValueError, EOFError, TypeError):
        return {}, {}, Memo()
    if not isinstance(placements, dict) or not isinstance(sizes, dict) or not isinstance(memo, dict):
        return {}, {}, Memo()
    return ({name: record for name, record in placements.items()
             if isinstance(name, str) and isinstance(record, tuple) and len(record) == len(fields(Placed))},
            {stem: tuple(size) for stem, size in sizes.items() if isinstance(stem, str) and isinstance(size, tuple)
             and len(size) == 2 and all(isinstance(n, int) for n in size)},
            Memo({key: value for key, value in memo.items() if isinstance(key, bytes) and isinstance(value, bytes)}))


def build_documents(coalition: model.Coalition, theme: Theme, dest: Path, outputs: OutputRecords | None = None,
                    jobs: int | None = None, progress: RenderProgress | None = None) -> list[str]:
    """Write the PDFs into dest/documents; return their paths relative to it, sorted."""
    out = Path(dest) / DOCUMENTS_FOLDER
    if out.exists():
        shutil.rmtree(out)
    outputs = outputs if outputs is not None else OutputRecords(tool=tool_fingerprint())
    made = make(plan_outputs(coalition, theme, outputs.tool), outputs, Path(dest), label="PDFs",
                jobs=jobs, progress=progress)
    return sorted(path.removeprefix(DOCUMENTS_FOLDER + "/") for path in made if "/." not in path)
