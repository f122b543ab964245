"""The internal documents: the filled worksheet, invitation letters, positionality statements.

The stage works in two steps, like the site:

1. `plan_documents` turns the coalition into a list of `PlannedDocument`s (an
   output path, a theme template and the template's context, nothing else) and
   `PlannedBundle`s (a PDF made of the pages of other planned documents, such as
   `letters.pdf`). Plans are plain data, so a later step can render them in
   parallel or skip the ones whose inputs did not change.
2. `render_html` fills every template with Jinja first. A letter whose template
   asks for a value the content lacks is a located content problem; every
   missing value of every letter is collected before the build fails, and no
   PDF is written. Only then does `PdfWriter` lay the pages out with WeasyPrint
   and write the files.

Same content, same bytes: no wall-clock date is ever written (neither in the
text nor in the PDF's metadata), the PDF identifier is derived from the
coalition's name and the output path, and the fonts ship with the theme.
Every PDF is tagged (PDF/UA-1 variant), with a title, a language and an author.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import logging
import multiprocessing
import os
import shutil
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from coalition_docs.content import model
from coalition_docs.content import vocab
from coalition_docs.inventory.analysis import NEED_KINDS, coverage
from coalition_docs.errors import BuildError, ContentErrors, Problem
from coalition_docs.engine.manifest import Outputs, digest_bytes, file_digest, tree_files
from coalition_docs.templating import Theme

DOCUMENTS_FOLDER = "documents"
WORKSHEET_TEMPLATE = "documents/worksheet.html"
LETTER_TEMPLATE = "documents/letter.html"
STATEMENT_TEMPLATE = "documents/statement.html"
STYLESHEET = "documents/print.css"

# The font faces every document may use, as theme files. print.css names the
# families; the faces are declared here so that they always point at the files
# the theme really holds (an override folder may replace any of them).
FONT_FACES: tuple[tuple[str, str, int, str], ...] = (
    ("Noto Sans Print", "fonts/NotoSans-Regular.ttf", 400, "normal"),
    ("Noto Sans Print", "fonts/NotoSans-Italic.ttf", 400, "italic"),
    ("Noto Sans Print", "fonts/NotoSans-Bold.ttf", 700, "normal"),
    ("Noto Sans Print", "fonts/NotoSans-BoldItalic.ttf", 700, "italic"),
    # Ballot boxes (U+2610, U+2611) for the worksheet's checklists.
    ("Noto Sans Symbols Print", "documents/fonts/NotoSansSymbols2-Regular.ttf", 400, "normal"),
)

LOGO_NAMES = ("logo.svg", "logo.png")

# WeasyPrint options shared by every PDF. "pdf/ua-1" tags the PDF (structure
# tree, /MarkInfo, /Lang, DisplayDocTitle) and writes XMP metadata without dates.
PDF_OPTIONS: Mapping[str, Any] = {
    "pdf_variant": "pdf/ua-1",
    "pdf_tags": True,
    "custom_metadata": False,
}

log = logging.getLogger(__name__)


# ------------------------------------------------------------------ the plan


@dataclass(frozen=True)
class Need:
    """What to report if a template asks for a value the content does not have."""

    problem: Problem
    placeholder: Any = ""  # stands in while the rest of the template is checked


@dataclass(frozen=True)
class PlannedDocument:
    path: str  # relative to OUT/documents, e.g. "letters/city-hall.pdf"
    template: str  # theme-relative, e.g. "documents/letter.html"
    context: Mapping[str, Any]
    # Values the context lacks, keyed by how a template asks for them
    # ("contact.name", "sender", "data_points[0].source").
    needs: Mapping[str, Need] = field(default_factory=dict)


@dataclass(frozen=True)
class PlannedBundle:
    """One PDF made of the pages of other planned documents, in order (for printing)."""

    path: str
    parts: tuple[str, ...]
    title: str
    author: str
    language: str


@dataclass(frozen=True)
class DocumentPlan:
    documents: tuple[PlannedDocument, ...]
    bundles: tuple[PlannedBundle, ...]


class Fields(dict):
    """A template's view of one record: only the values the content has.

    A key that is absent is Undefined in Jinja (StrictUndefined fails on it), and
    the record's prefix ("contact", "sender", ...) names the missing value.
    """

    def __init__(self, prefix: str, values: Mapping[str, Any] | None = None):
        super().__init__(values or {})
        self._field_prefix = prefix

    def __deepcopy__(self, memo):
        return Fields(self._field_prefix, {k: copy.deepcopy(v, memo) for k, v in self.items()})

    def __reduce__(self):
        return (Fields, (self._field_prefix, dict(self)))


class _Anything(dict):
    """Placeholder for a missing record while the rest of a letter is checked."""

    def __missing__(self, key: str) -> str:
        return ""


def _absent(value: Any) -> bool:
    return value is None or (isinstance(value, (str, tuple, list, dict)) and not value)


def _by_name(partners: Sequence[model.Partner]) -> list[model.Partner]:
    return sorted(partners, key=lambda p: (p.name.casefold(), p.id))


def logo_path(coalition: model.Coalition) -> Path | None:
    """content/static/logo.svg or logo.png, if the coalition has one."""
    for name in LOGO_NAMES:
        if name in coalition.static_files:
            return (Path(coalition.content_dir) / "static" / name).resolve()
    return None


class _LetterBuilder:
    """Builds one letter's context and records every value it lacks."""

    def __init__(self, coalition: model.Coalition, partner: model.Partner, logo: Path | None):
        self.coalition = coalition
        self.partner = partner
        self.logo = logo
        self.needs: dict[str, Need] = {}

    def problem(self, where: model.Source, what: str, hint: str | None = None) -> Problem:
        return Problem(where.path, where.line, where.column,
                       f"partner {self.partner.id}: the letter needs {what}", hint)

    def record(self, prefix: str, items: list[tuple[str, Any, str, model.Source, str | None, Any]]) -> Fields:
        """Fields(prefix) from (key, value, what, where, hint, placeholder) rows."""
        fields = Fields(prefix)
        for key, value, what, where, hint, placeholder in items:
            if _absent(value):
                self.needs[f"{prefix}.{key}"] = Need(self.problem(where, what, hint), placeholder)
            else:
                fields[key] = value
        return fields

    def person(self, prefix: str, person: model.Person, role: str) -> Fields:
        rows = []
        for key, value in (
            ("id", person.id),
            ("name", person.name),
            ("title", person.title),
            ("organization", person.organization.name if person.organization else None),
            ("community_member", person.community_member or None),
            ("pronouns", person.pronouns),
            ("email", person.email),
            ("phone", person.phone),
        ):
            rows.append((key, value, f"the {key} of {person.id} ({role})", person.source,
                         "add it to this person in roster.yaml", ""))
        return self.record(prefix, rows)

    def build(self) -> tuple[dict[str, Any], dict[str, Need]]:
        c, p = self.coalition, self.partner
        contact = p.contact or model.Contact()
        inv = p.invitation or model.Invitation()
        default = c.invitation

        def here(dotted: str) -> str:
            section, _, key = dotted.rpartition(".")
            return f"add {key} under {section} in this partner's file" if section else f"add {key} to this partner's file"

        coalition = self.record("coalition", [
            ("name", c.name, "name", c.position("name"), None, ""),
            ("community", c.community, "community", c.position("community"), None, ""),
            ("mission", c.mission, "mission", c.position("mission"), None, ""),
            ("decision_model", c.decision_model_label, "decision_model", c.position("decision_model"),
             "add decision_model to coalition.yaml", ""),
            ("logo_url", self.logo.as_uri() if self.logo else None, "a logo (static/logo.svg or static/logo.png)",
             c.source, "put logo.svg or logo.png into the content's static/ folder", ""),
        ])
        partner = self.record("partner", [
            ("id", p.id, "id", p.source, None, ""),
            ("name", p.name, "name", p.position("name"), None, ""),
            ("type", p.type.label, "type", p.position("type"), None, ""),
            ("website", p.website, "website", p.position("website"), here("website"), ""),
        ])
        # The address block prints the organization's name itself: an address that
        # starts with it too would show it twice.
        address = [line.strip() for line in (contact.address or "").splitlines()
                   if line.strip() and line.strip().casefold() != p.name.strip().casefold()]
        contact_fields = self.record("contact", [
            ("name", contact.name, "contact.name", p.position("contact.name"), here("contact.name"), ""),
            ("title", contact.title, "contact.title", p.position("contact.title"), here("contact.title"), ""),
            ("address_lines", address, "contact.address", p.position("contact.address"), here("contact.address"), []),
            ("email", contact.email, "contact.email", p.position("contact.email"), here("contact.email"), ""),
            ("phone", contact.phone, "contact.phone", p.position("contact.phone"), here("contact.phone"), ""),
        ])
        overridable = "write it in this partner's invitation, or give every letter a default under invitation in coalition.yaml"
        invitation = self.record("invitation", [
            ("rationale", inv.rationale, "invitation.rationale", p.position("invitation.rationale"),
             "say in this partner's invitation why you invite them", ""),
            *[
                (key, getattr(inv, key) or getattr(default, key), f"invitation.{key}",
                 p.position(f"invitation.{key}"), overridable, "")
                for key in ("what_is_different", "resources_offered", "power_sharing")
            ],
            ("respond_by", default.respond_by, "invitation.respond_by", c.position("invitation.respond_by"),
             "set the date every letter asks for an answer by under invitation in coalition.yaml",
             dt.date(2000, 1, 1)),
            ("sent", inv.sent, "invitation.sent", p.position("invitation.sent"), here("invitation.sent"), dt.date(2000, 1, 1)),
            ("response", vocab.RESPONSES.get(inv.response or ""), "invitation.response",
             p.position("invitation.response"), here("invitation.response"), ""),
        ])
        context: dict[str, Any] = {
            "language": c.language,
            "coalition": coalition,
            "partner": partner,
            "contact": contact_fields,
            "invitation": invitation,
            "project_manager": self.person("project_manager", c.project_manager, "the project manager"),
        }
        if inv.sender is not None:
            context["sender"] = self.person("sender", inv.sender, "the sender")
        else:
            self.needs["sender"] = Need(self.problem(
                p.position("invitation.sender"), "invitation.sender",
                "name the person (a roster id) who signs this partner's letter"), _Anything())
        if c.data_points:
            context["data_points"] = [
                self.record(f"data_points[{i}]", [
                    ("text", point.text, f"data_points[{i}].text", c.position(f"data_points.{i}.text"), None, ""),
                    ("source", point.source, f"data_points[{i}].source", c.position(f"data_points.{i}"),
                     "say where the figure comes from in coalition.yaml", ""),
                ])
                for i, point in enumerate(c.data_points)
            ]
        else:
            self.needs["data_points"] = Need(self.problem(
                c.position("data_points"), "data_points",
                "list the key local figures (text and source) under data_points in coalition.yaml"), [])
        return context, self.needs


def letter_context(coalition: model.Coalition, partner: model.Partner,
                   logo: Path | None = None) -> tuple[dict[str, Any], dict[str, Need]]:
    """The letter template's context (present values only) and the values it lacks."""
    return _LetterBuilder(coalition, partner, logo).build()


def _checklist(terms: Mapping[str, model.Term], chosen: Sequence[model.Term],
               groups: Sequence[tuple[str | None, Sequence[str]]]) -> list[dict[str, Any]]:
    """Option groups for one part-1 question: every option, the chosen ones checked,
    the coalition's own entries (custom terms) in a last group, "Other"."""
    picked = {t.id for t in chosen}
    out = []
    for label, ids in groups:
        out.append({
            "label": label,
            "other": False,
            "options": [{"id": i, "label": terms[i].label, "checked": i in picked} for i in ids if i in terms],
        })
    custom = [t for t in terms.values() if t.custom]
    out.append({
        "label": "Other",
        "other": True,
        "options": [{"id": t.id, "label": t.label, "checked": t.id in picked} for t in custom],
    })
    return out


def worksheet_context(coalition: model.Coalition) -> dict[str, Any]:
    voc = coalition.vocabulary
    fixed_populations = [i for i in voc.populations if not voc.populations[i].custom]
    fixed_assets = [i for i in voc.assets if not voc.assets[i].custom]
    questions = [
        {"id": "populations",
         "groups": _checklist(voc.populations, coalition.needs_populations, [(None, fixed_populations)])},
        {"id": "areas",
         "groups": _checklist(voc.areas, coalition.needs_areas,
                              [(label, [a for a, _ in areas]) for _, label, areas in vocab.PILLARS])},
        {"id": "assets",
         "groups": _checklist(voc.assets, coalition.needs_assets, [(None, fixed_assets)])},
    ]
    partners = _by_name(coalition.partners)
    invite_list = [
        {
            "partner": p,
            "member": p.contact.name if p.contact and p.contact.name else None,
            "member_title": p.contact.title if p.contact and p.contact.title else None,
            "sender": p.invitation.sender if p.invitation else None,
            "sent": p.invitation.sent if p.invitation else None,
            "response": vocab.RESPONSES.get(p.invitation.response or "") if p.invitation else None,
        }
        for p in partners if p.gets_letter
    ]
    return {
        "language": coalition.language,
        "coalition": coalition,
        "questions": questions,
        "existing": [p for p in partners if p.relationship == "existing"],
        "new": [p for p in partners if p.relationship == "new"],
        "partners": partners,
        "invite_list": invite_list,
        "keep_informed": [p for p in partners if p.stage == "keep-informed"],
        "gaps": coverage(coalition),
        "need_kinds": dict(NEED_KINDS),
    }


def statement_context(coalition: model.Coalition, statement: model.Statement) -> dict[str, Any]:
    return {
        "language": coalition.language,
        "coalition": coalition,
        "statement": statement,
        # The author's own copy carries the reflections. Identities stay in the
        # content: the statement is what the author chose to say about them, and
        # a PDF travels further than a YAML file.
        "reflections": list(statement.reflections),
    }


def letter_order(coalition: model.Coalition) -> list[model.Partner]:
    """The partners that get a letter, in the worksheet's table 4 order (by name)."""
    return _by_name(coalition.letter_partners)


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


# ------------------------------------------------------------------ Jinja


class _MissingValue(jinja2.UndefinedError):
    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


class _Undefined(jinja2.StrictUndefined):
    """StrictUndefined that says which value was missing ("contact.name")."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args, **kwargs):
        obj, name = self._undefined_obj, self._undefined_name
        if isinstance(obj, Fields):
            key = f"{obj._field_prefix}.{name}"
        elif obj is jinja2.utils.missing:
            key = str(name)
        else:
            key = f"{type(obj).__name__}.{name}"
        try:
            super()._fail_with_undefined_error(*args, **kwargs)
        except jinja2.UndefinedError as exc:
            raise _MissingValue(key, str(exc)) from None

    def __format__(self, spec: str) -> str:  # f"{value:%B}" in a filter
        return self._fail_with_undefined_error()


# Undefined binds every operator (str(), iteration, ==, +, ...) to the base
# class's failing method; point them at ours.
for _name, _value in [*vars(jinja2.Undefined).items(), *vars(jinja2.StrictUndefined).items()]:
    if _value is jinja2.Undefined._fail_with_undefined_error and _name != "_fail_with_undefined_error":
        setattr(_Undefined, _name, _Undefined._fail_with_undefined_error)
del _name, _value


def _finalize(value: Any) -> Any:
    # A None that reaches the output is a blank, never the word "None".
    return "" if value is None else value


def document_environment(theme: Theme) -> jinja2.Environment:
    env = theme.environment(autoescape=True)
    env.undefined = _Undefined
    env.finalize = _finalize
    return env


def _template_line(exc: BaseException) -> str:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and frame.filename.endswith((".html", ".htm", ".jinja")):
            return f"{frame.filename}:{frame.lineno}"
    return ""


def render_html(env: jinja2.Environment, planned: PlannedDocument) -> tuple[str | None, list[Problem]]:
    """Fill the document's template; return the HTML, or None and every value it lacks."""
    template = env.get_template(planned.template)
    context = dict(planned.context)
    problems: list[Problem] = []
    seen: set[str] = set()
    while True:
        try:
            html = template.render(context)
        except _MissingValue as exc:
            need = planned.needs.get(exc.key)
            if need is None or exc.key in seen:
                where = _template_line(exc)
                raise BuildError(
                    f"{where or planned.template}: the template asks for {exc.key}, which this "
                    f"document does not have ({exc})") from None
            if not seen:  # placeholders go into a copy; the plan stays as it was
                context = copy.deepcopy(context)
            seen.add(exc.key)
            problems.append(need.problem)
            _fill(context, exc.key, need.placeholder)
            continue
        except jinja2.TemplateError as exc:
            raise BuildError(f"{_template_line(exc) or planned.template}: {exc}") from None
        return (None, problems) if problems else (html, [])


def _fill(context: dict[str, Any], key: str, placeholder: Any) -> None:
    """Put a placeholder where the missing value would be, to check the rest."""
    prefix, _, name = key.rpartition(".")
    if not prefix:
        context[key] = copy.deepcopy(placeholder)
        return
    head, _, index = prefix.partition("[")
    target = context[head]
    if index:
        target = target[int(index.rstrip("]"))]
    target[name] = copy.deepcopy(placeholder)


# ------------------------------------------------------------------ WeasyPrint


def _local_fetcher(roots: Sequence[Path]):
    """A WeasyPrint URL fetcher for files of the theme and the content folder, nothing else.

    No network: a document must not depend on what a server answers today.
    """
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher

    allowed = [Path(r).resolve() for r in roots]

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(url2pathname(url.split("?")[0].removeprefix("file:").removeprefix("//"))).resolve()
                if not any(path.is_relative_to(root) for root in allowed):
                    raise ValueError(f"documents may only use files of the theme or the content folder, not {url}")
            elif not url.startswith("data:"):
                raise ValueError(f"documents may not fetch {url} (only local files)")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file", "data"})


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # pragma: no cover - a malformed log call
            message = str(record.msg)
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(message)


@contextmanager
def weasyprint_errors(label: str) -> Iterator[_Collect]:
    """Turn what WeasyPrint logs as an error into a BuildError; keep warnings as warnings."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    for message in handler.warnings:
        log.warning("%s: WeasyPrint: %s", label, message)
    if handler.errors:
        details = "\n".join(f"    {m}" for m in handler.errors)
        raise BuildError(f"{label}: WeasyPrint could not render it:\n{details}")


def font_faces_css(theme: Theme) -> str:
    rules = []
    for family, relative, weight, style in FONT_FACES:
        url = theme.find(relative).resolve().as_uri()
        rules.append(f'@font-face {{ font-family: "{family}"; src: url("{url}"); '
                     f"font-weight: {weight}; font-style: {style}; }}")
    return "\n".join(rules) + "\n"


def pdf_identifier(coalition_name: str, path: str) -> bytes:
    """A fixed file identifier: the same document of the same coalition keeps it."""
    digest = hashlib.sha256(f"coalition-docs\0{coalition_name}\0{path}".encode()).hexdigest()
    return digest[:32].encode("ascii")


class PdfWriter:
    """One WeasyPrint setup per run: one font configuration, stylesheets parsed once."""

    def __init__(self, theme: Theme, content_dir: Path):
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        self._weasyprint = weasyprint
        self.font_config = FontConfiguration()
        self.url_fetcher = _local_fetcher([*theme.search_path, Path(content_dir)])
        self.base_url = (theme.find(STYLESHEET).parent.resolve().as_uri()) + "/"
        with weasyprint_errors(STYLESHEET):
            self.stylesheets = [
                weasyprint.CSS(string=font_faces_css(theme), font_config=self.font_config,
                               url_fetcher=self.url_fetcher, base_url=self.base_url),
                weasyprint.CSS(filename=str(theme.find(STYLESHEET)), font_config=self.font_config,
                               url_fetcher=self.url_fetcher),
            ]

    def render(self, html: str, label: str):
        """Lay out one document: a weasyprint Document."""
        with weasyprint_errors(label):
            return self._weasyprint.HTML(
                string=html, base_url=self.base_url, url_fetcher=self.url_fetcher
            ).render(font_config=self.font_config, stylesheets=self.stylesheets, **PDF_OPTIONS)

    def write(self, document, target: Path, identifier: bytes, label: str) -> None:
        with weasyprint_errors(label):
            document.write_pdf(target, pdf_identifier=identifier, **PDF_OPTIONS)


# ------------------------------------------------------------------ the stage


def check_documents(env: jinja2.Environment, plan: DocumentPlan) -> dict[str, str]:
    """Every document's HTML; raises ContentErrors with every value any letter lacks."""
    html: dict[str, str] = {}
    problems: list[Problem] = []
    for planned in plan.documents:
        text, missing = render_html(env, planned)
        problems.extend(missing)
        if text is not None:
            html[planned.path] = text
    if problems:
        raise ContentErrors(problems)
    return html


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
