"""Content folder -> a validated, cross-referenced `model.Coalition`, or every error.

Three passes, all of whose problems are gathered before anything is raised:
1. load every file (load.py) and check it against its schema (schema.py);
2. check ids, vocabularies and cross-references, each at the line where the
   reference is written;
3. build the model, resolving every id into the object it names.
"""

from __future__ import annotations

import re
import datetime as dt
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from coalition_docs.content import model
from coalition_docs.content import schema
from coalition_docs.content import vocab
from coalition_docs.content.links import link_problem, links
from coalition_docs.files import MAX_STATIC_BYTES, UnreadableFile, check_regular, image_problem, is_junk
from coalition_docs.errors import ContentErrors, Problem, UsageError, describe, did_you_mean
from coalition_docs.errors import field_path as _field_path
from coalition_docs.content.load import Document, LoadError, load_page_file, load_yaml_file, relative_name

_ID_RE = re.compile(vocab.ID_PATTERN)
_ID_RULE = "an id of lowercase letters, digits and single hyphens"


def slugify(text: str) -> str:
    """The id a person probably meant: 'Harbor_Tenants Union' -> 'harbor-tenants-union'."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# -- turning pydantic's errors into located, human messages --------------------


def _unwrap(annotation: Any) -> Any:
    """Strip Optional / Annotated down to the type that matters."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _model_at(model_cls: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The pydantic model that holds the mapping at `loc`, if any."""
    current: Any = model_cls
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _unwrap(info.annotation)
        while typing.get_origin(current) in (list, tuple):
            current = _unwrap(typing.get_args(current)[0])
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _expected_for(model_cls: type[BaseModel], loc: tuple) -> str:
    owner = _model_at(model_cls, loc[:-1])
    info = owner.model_fields.get(loc[-1]) if owner else None
    if info is None:
        return "a value"
    annotation = _unwrap(info.annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return "one of " + ", ".join(typing.get_args(annotation))
    if typing.get_origin(annotation) is list:
        return "a list"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "a map of fields"
    if loc[-1] in ("id", "convener", "project_manager", "lead", "sender"):
        return _ID_RULE
    return "text"


_EXPECTED_BY_TYPE = {
    "string_type": "text",
    "string_too_short": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "date_type": "a date such as 2027-01-15",
    "date_parsing": "a date such as 2027-01-15",
    "date_from_datetime_parsing": "a date such as 2027-01-15",
    "date_from_datetime_inexact": "a date without a time, such as 2027-01-15",
    "list_type": "a list",
    "dict_type": "a map of fields",
    "model_type": "a map of fields",
    "model_attributes_type": "a map of fields",
}


def schema_problems(document: Document, model_cls: type[BaseModel], error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        if any(loc[:n] in document.invalid for n in range(len(loc) + 1)):
            continue  # already reported by the loader
        problems.append(_translate(document, model_cls, item))
    return problems


def _translate(document: Document, model_cls: type[BaseModel], item: dict) -> Problem:
    kind, found = item["type"], item.get("input")
    loc = tuple(item["loc"])
    field_name = _field_path(loc)
    prefix = f"{field_name}: " if field_name else ""
    if kind == "extra_forbidden":
        owner = _model_at(model_cls, loc[:-1])
        known = list(owner.model_fields) if owner else []
        where = _field_path(loc[:-1])
        return document.problem(
            loc,
            f"unknown field '{loc[-1]}'" + (f" in {where}" if where else "")
            + f" (expected one of {', '.join(known)})",
            did_you_mean(str(loc[-1]), known),
            prefer_key=True,
        )
    if kind == "missing":
        return document.problem(
            loc[:-1],
            f"{prefix}required field is missing (expected {_expected_for(model_cls, loc)}, found nothing)",
        )
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", item.get("ctx", {}).get("expected", ""))
        return document.problem(
            loc,
            f"{prefix}unknown value (expected one of {', '.join(allowed)}, found {describe(found)})",
            did_you_mean(found, allowed),
        )
    if kind == "string_pattern_mismatch":
        pattern = item.get("ctx", {}).get("pattern")
        if pattern == vocab.ID_PATTERN:
            hint = None
            if isinstance(found, str) and slugify(found) and slugify(found) != found:
                hint = f"did you mean '{slugify(found)}'?"
            return document.problem(loc, f"{prefix}not a valid id (expected {_ID_RULE}, found {describe(found)})", hint)
        return document.problem(
            loc, f"{prefix}not a valid language code (expected a code such as en or es-MX, found {describe(found)})"
        )
    if kind == "value_error":
        what = str(item.get("ctx", {}).get("error", ""))
        expected = {"url": "an http:// or https:// address", "email": "an email address such as name@example.org"}
        return document.problem(
            loc, f"{prefix}not a valid {'web address' if what == 'url' else what} "
            f"(expected {expected.get(what, 'a valid value')}, found {describe(found)})"
        )
    if kind == "string_too_short":
        return document.problem(loc, f"{prefix}must not be empty (expected text, found an empty string)")
    expected = _EXPECTED_BY_TYPE.get(kind)
    if expected is None:
        return document.problem(loc, f"{prefix}{item['msg']} (found {describe(found)})")
    hint = None
    if expected == "text" and isinstance(found, (bool, dt.date)):
        hint = "put the value in quotes to keep it as text, e.g. \"yes\""
    elif expected == "true or false" and str(found).lower() in ("yes", "no", "on", "off", "y", "n", "1", "0"):
        hint = "write true or false (YAML's yes/no/on/off are read as text here)"
    elif expected == "text" and isinstance(found, (list, dict)):
        hint = "put the value in quotes if it holds ': ', '[' or '{'"
    return document.problem(loc, f"{prefix}wrong kind of value (expected {expected}, found {describe(found)})", hint)


# -- pass 1: load and check each file -------------------------------------------


@dataclass
class Loaded:
    """A file that loaded: its document and, if it passed its schema, the value."""

    document: Document
    value: Any = None


@dataclass
class _Run:
    root: Path
    problems: list[Problem] = field(default_factory=list)
    refused: set[Path] = field(default_factory=set)  # links to other content files, already reported

    def load(self, path: Path, model_cls: type[BaseModel]) -> Loaded | None:
        try:
            document = load_yaml_file(path, self.root)
        except LoadError as exc:
            self.problems.append(exc.problem)
            return None
        return self.check(document, model_cls)

    def check(self, document: Document, model_cls: type[BaseModel]) -> Loaded:
        self.problems.extend(document.problems)
        data = document.data
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.problems.append(
                document.problem((), f"expected a map of fields at the top of the file, found {describe(data)}")
            )
            return Loaded(document)
        try:
            return Loaded(document, model_cls.model_validate(data))
        except ValidationError as exc:
            self.problems.extend(schema_problems(document, model_cls, exc))
            return Loaded(document)

    def missing(self, name: str, what: str) -> None:
        self.problems.append(Problem(name, 1, 1, f"required {what} is missing (expected {name} in the content folder)"))

    def folder(self, name: str, suffix: str, *, required: bool) -> list[Path]:
        folder = self.root / name
        if not folder.is_dir():
            if required:
                self.problems.append(
                    Problem(f"{name}/", 1, 1, f"required folder is missing (expected a folder {name}/ "
                            "in the content folder; it may be empty)")
                )
            return []
        paths = []
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir() or path in self.refused:
                continue
            rel = relative_name(path, self.root)
            if path.suffix == ".yml" and suffix == ".yaml":
                self.problems.append(Problem(rel, 1, 1, f"file is ignored: wrong extension (expected "
                                             f"{path.stem}.yaml, found {path.name})"))
                continue
            if path.suffix != suffix:
                continue
            if not _ID_RE.match(path.stem):
                hint = f"rename it to {slugify(path.stem)}{suffix}" if slugify(path.stem) else None
                self.problems.append(
                    Problem(rel, 1, 1, f"file name is not a valid id (expected {_ID_RULE}, found "
                            f"'{path.stem}')", hint)
                )
            paths.append(path)
        return paths


# -- pass 2 and 3 ------------------------------------------------------------------


def load_coalition(content_dir: Path | str) -> model.Coalition:
    """Load, validate and cross-reference a content folder; raise ContentErrors with all problems."""
    root = Path(content_dir)
    if not root.is_dir():
        raise UsageError(f"content folder not found: {root} (expected a folder holding coalition.yaml, "
                         "or a project folder holding content/coalition.yaml)")
    run = _Run(root)
    run.refused = _content_links(root, run)

    coalition_file = root / "coalition.yaml"
    coalition = run.load(coalition_file, schema.CoalitionFile) if coalition_file.is_file() else None
    if not coalition_file.is_file():
        run.missing("coalition.yaml", "file")
    roster_file = root / "roster.yaml"
    roster = run.load(roster_file, schema.RosterFile) if roster_file.is_file() else None
    if not roster_file.is_file():
        run.missing("roster.yaml", "file")
    partners = {p.stem: run.load(p, schema.PartnerFile) for p in run.folder("partners", ".yaml", required=True)}
    statements = {
        p.stem: run.load(p, schema.StatementFile) for p in run.folder("positionality", ".yaml", required=False)
    }
    pages = {}
    for path in run.folder("pages", ".md", required=False):
        try:
            page = load_page_file(path, root)
        except LoadError as exc:
            run.problems.append(exc.problem)
            continue
        if path.stem in vocab.RESERVED_PAGE_NAMES:
            run.problems.append(Problem(
                relative_name(path, root), 1, 1, f"the page name '{path.stem}' is used by the site itself "
                f"(expected another name, found {path.name}; reserved: {', '.join(sorted(vocab.RESERVED_PAGE_NAMES))})",
                "rename the file, e.g. to about.md"))
            continue
        pages[path.stem] = (run.check(page.front, schema.PageFrontMatter), page)
    static = _static_files(root, run)

    refs = _References(run, coalition, roster, partners, statements)
    refs.check()
    _check_links(run, coalition, roster, partners, statements, pages, static)
    if run.problems:
        raise ContentErrors(run.problems)
    return _Builder(root, coalition, roster, partners, statements, pages, static).build()


# Markdown fields whose links the site renders: (file kind, path to the field, list key).
_MARKDOWN_FIELDS = {
    "coalition": [("mission",), ("working_groups", "*", "description")],
    "partner": [("summary",)],
    "roster": [("people", "*", "bio")],
    "statement": [("statement",)],
}


def _check_links(run: _Run, coalition, roster, partners, statements, pages, static) -> None:
    page_names = [name for name, (loaded, _) in pages.items()
                  if loaded.value is not None and not loaded.value.draft]

    def check_text(document: Document, loc: tuple, text: Any, first_line: int | None = None,
                   base: str = "") -> None:
        if not isinstance(text, str) or ("](" not in text and "]:" not in text):
            return
        for offset, target in links(text):
            problem = link_problem(target, page_names, static, base)
            if problem is None:
                continue
            if first_line is not None:
                run.problems.append(Problem(document.path, first_line + offset, 1, problem))
            else:
                run.problems.append(document.problem(loc, f"{_field_path(loc)}: {problem}"))

    def fields(loaded, kind: str) -> None:
        if loaded is None:
            return
        for path in _MARKDOWN_FIELDS[kind]:
            for loc, value in _expand(loaded.document.data, path):
                check_text(loaded.document, loc, value)

    fields(coalition, "coalition")
    fields(roster, "roster")
    for loaded in partners.values():
        fields(loaded, "partner")
    for loaded in statements.values():
        fields(loaded, "statement")
    for name, (loaded, page) in pages.items():
        check_text(loaded.document, (), page.body, page.body_line, base=f"{name}/")


def _expand(data: Any, path: tuple) -> list[tuple[tuple, Any]]:
    """The values at `path` in data ("*" for every item of a list), with their locations."""
    found = [((), data)]
    for part in path:
        step = []
        for loc, value in found:
            if part == "*":
                if isinstance(value, list):
                    step.extend((loc + (i,), item) for i, item in enumerate(value))
            elif isinstance(value, dict) and part in value:
                step.append((loc + (part,), value[part]))
        found = step
    return found


def _static_files(root: Path, run: _Run) -> tuple[str, ...]:
    """The files of static/ that are published: regular files whose real path lies inside static/.

    Editor and backup files and dotfiles are skipped; anything else that cannot be published
    (a link leaving static/, a FIFO, a file too large) is a located problem, never silently copied.
    """
    folder = root / "static"
    if folder.is_symlink():
        run.problems.append(Problem("static/", 1, 1, f"static/ is a link (to {_target(folder)}); "
                                    "expected a folder: static/ is published whole, so it must be a real "
                                    "folder inside the content folder"))
        return ()
    if not folder.is_dir():
        return ()
    real_static = folder.resolve()
    files = []
    for directory, dirs, names in os.walk(folder):
        here = Path(directory)
        dirs[:] = sorted(d for d in dirs if not is_junk(d))
        for name in sorted(names) + [d for d in dirs if (here / d).is_symlink()]:
            if is_junk(name):
                continue
            path = here / name
            rel = relative_name(path, root)
            real = _real(path)
            if real is None:
                run.problems.append(Problem(rel, 1, 1, "link to a missing file or a link loop "
                                            "(expected a file to publish)"))
                continue
            if not real.is_relative_to(real_static):
                inside = real.is_relative_to(root.resolve())
                what = "another content file" if inside else "a file outside the content folder"
                run.problems.append(Problem(
                    rel, 1, 1, f"link to {what} ({real}); only files inside static/ are published "
                    "(expected a file in static/, found a link leaving it)",
                    "copy the file into static/ if it is meant to be public" if not inside else None))
                continue
            try:
                check_regular(path, MAX_STATIC_BYTES)
            except UnreadableFile as exc:
                run.problems.append(Problem(rel, 1, 1, str(exc)))
                continue
            problem = image_problem(path)
            if problem is not None:
                run.problems.append(Problem(rel, 1, 1, problem))
                continue
            files.append(path.relative_to(folder).as_posix())
    return tuple(sorted(files))


def _real(path: Path) -> Path | None:
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None


def _target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _content_links(root: Path, run: _Run) -> set[Path]:
    """A link inside the content folder that points at another content file is an error.

    Such a link would publish or duplicate a file under another name (static/roster.yaml ->
    ../roster.yaml), so it is refused wherever it sits; links inside static/ that stay in static/
    are checked with static/ itself.
    """
    real_root = root.resolve()
    refused: set[Path] = set()
    for directory, dirs, names in os.walk(root):
        here = Path(directory)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names) + sorted(dirs):
            path = here / name
            if not path.is_symlink():
                continue
            real = _real(path)
            rel = relative_name(path, root) + ("/" if name in dirs else "")
            if real is None or not real.is_relative_to(real_root):
                continue  # a missing target or one outside: reported where the file is read
            if path.is_relative_to(root / "static"):
                continue  # static/ and what it holds are checked by _static_files
            shown = relative_name(real, real_root) if real != real_root else "the content folder itself"
            run.problems.append(Problem(
                rel, 1, 1, f"link to another content file ({shown}) (expected a file of its own, "
                "found a link inside the content folder)", "replace the link by a copy, or remove it"))
            refused.add(path)
    return refused


def _get(data: Any, *path: Any) -> Any:
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and part < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data


def _items(data: Any, *path: Any) -> list[tuple[int, Any]]:
    value = _get(data, *path)
    return list(enumerate(value)) if isinstance(value, list) else []


class _References:
    """Ids, vocabularies and cross-references, each checked where it is written.

    Works on the loaded data, not on schema-checked values, so that a file
    with one schema error still has its references checked; a position the
    schema already reported is not reported twice.
    """

    def __init__(self, run: _Run, coalition, roster, partners, statements):
        self.run = run
        self.reported = {(p.path, p.line, p.column) for p in run.problems}
        self.coalition: Document | None = coalition.document if coalition else None
        self.roster: Document | None = roster.document if roster else None
        self.partners: dict[str, Document | None] = {k: v.document if v else None for k, v in partners.items()}
        self.statements = {k: v.document for k, v in statements.items() if v}
        self.person_ids: set[str] = set()
        self.group_ids: set[str] = set()
        self.vocab = {key: dict(table) for key, table in vocab.EXTENDABLE.items()}

    def report(self, document: Document, loc: tuple, message: str, hint: str | None = None,
               *, prefer_key: bool = False) -> None:
        problem = document.problem(loc, message, hint, prefer_key=prefer_key)
        if (problem.path, problem.line, problem.column) not in self.reported:
            self.run.problems.append(problem)

    def check(self) -> None:
        self.person_ids = self._ids(self.roster, "people", "person")
        self.group_ids = self._ids(self.coalition, "working_groups", "working group")
        self._extra_vocabulary()
        if self.coalition is not None:
            doc, data = self.coalition, self.coalition.data
            self.partner_ref(doc, ("convener",))
            self.person_ref(doc, ("project_manager",))
            for key in ("populations", "areas", "assets"):
                self.terms(doc, ("needs", key), key)
            for index, _ in _items(data, "working_groups"):
                self.person_ref(doc, ("working_groups", index, "lead"))
                self.terms(doc, ("working_groups", index, "areas"), "areas")
        for doc in self.partners.values():
            if doc is None:
                continue
            self.terms(doc, ("populations",), "populations")
            self.terms(doc, ("domains",), "areas")
            self.terms(doc, ("assets",), "assets")
            self.person_ref(doc, ("invitation", "sender"))
        if self.roster is not None:
            doc = self.roster
            for index, _ in _items(doc.data, "people"):
                self.partner_ref(doc, ("people", index, "organization"))
                for n, group in _items(doc.data, "people", index, "working_groups"):
                    if isinstance(group, str) and group not in self.group_ids:
                        self.report(doc, ("people", index, "working_groups", n),
                                    f"{_field_path(('people', index, 'working_groups', n))}: no such working "
                                    f"group (expected one of {', '.join(sorted(self.group_ids)) or 'none defined'}, "
                                    f"found '{group}')", did_you_mean(group, self.group_ids))
        for doc in self.statements.values():
            kind = _get(doc.data, "kind")
            if kind == "individual":
                self.person_ref(doc, ("author",))
            elif kind == "institutional":
                self.partner_ref(doc, ("author",))

    def _ids(self, doc: Document | None, key: str, what: str) -> set[str]:
        if doc is None:
            return set()
        first: dict[str, int] = {}
        for index, item in _items(doc.data, key):
            item_id = _get(item, "id")
            if not isinstance(item_id, str):
                continue
            if item_id in first:
                line = doc.position((key, first[item_id], "id")).line
                self.report(doc, (key, index, "id"), f"{key}[{index}].id: duplicate {what} id (expected each "
                            f"id once, found '{item_id}' again; first used at line {line})")
            first.setdefault(item_id, index)
        return set(first)

    def _extra_vocabulary(self) -> None:
        if self.coalition is None:
            return
        for key in self.vocab:
            extra = _get(self.coalition.data, "extra_vocabulary", key)
            if not isinstance(extra, dict):
                continue
            for new_id, label in extra.items():
                if new_id in self.vocab[key]:
                    self.report(self.coalition, ("extra_vocabulary", key, new_id),
                                f"extra_vocabulary.{key}.{new_id}: already a standard id (expected a new id, "
                                f"found one of the fixed {key})", prefer_key=True)
                self.vocab[key][new_id] = str(label)

    def partner_ref(self, doc: Document, loc: tuple) -> None:
        value = _get(doc.data, *loc)
        if isinstance(value, str) and value not in self.partners:
            self.report(doc, loc, f"{_field_path(loc)}: no such partner (expected the id of a file in "
                        f"partners/, found '{value}')", did_you_mean(value, self.partners))

    def person_ref(self, doc: Document, loc: tuple) -> None:
        value = _get(doc.data, *loc)
        if isinstance(value, str) and value not in self.person_ids:
            self.report(doc, loc, f"{_field_path(loc)}: no such person (expected an id from roster.yaml, "
                        f"found '{value}')", did_you_mean(value, self.person_ids))

    def terms(self, doc: Document, loc: tuple, key: str) -> None:
        table = self.vocab[key]
        singular = {"populations": "population", "areas": "area", "assets": "asset"}[key]
        for index, term in _items(doc.data, *loc):
            if isinstance(term, str) and term not in table:
                self.report(doc, loc + (index,), f"{_field_path(loc + (index,))}: unknown {singular} "
                            f"(expected one of the {key} in content-format.md or extra_vocabulary, "
                            f"found '{term}')", did_you_mean(term, table))


class _Builder:
    """Pass 3: resolve every id into the object it names."""

    def __init__(self, root, coalition, roster, partners, statements, pages, static):
        self.root = root
        self.c: Loaded = coalition
        self.roster: Loaded = roster
        self.partner_files: dict[str, Loaded] = partners
        self.statement_files: dict[str, Loaded] = statements
        self.page_files = pages
        self.static = static
        extra = self.c.value.extra_vocabulary
        self.vocabulary = model.Vocabulary(
            populations=_terms(vocab.POPULATIONS, extra.populations),
            areas=_terms(vocab.AREAS, extra.areas),
            assets=_terms(vocab.ASSETS, extra.assets),
            organization_types=_terms(vocab.ORGANIZATION_TYPES, {}),
            roles=_terms(vocab.MANAGEMENT_ROLES, {}),
        )

    def build(self) -> model.Coalition:
        v = self.vocabulary
        partners = {pid: self.partner(pid, loaded) for pid, loaded in sorted(self.partner_files.items())}
        c = self.c.value
        groups = {
            g.id: model.WorkingGroup(
                id=g.id, name=g.name, description=g.description, areas=tuple(v.areas[a] for a in g.areas),
                meets=g.meets, source=_source(self.c.document, ("working_groups", i)),
            )
            for i, g in enumerate(c.working_groups)
        }
        people = []
        for index, entry in enumerate(self.roster.value.people):
            person = model.Person(
                id=entry.id, name=entry.name, source=_source(self.roster.document, ("people", index)),
                organization=partners.get(entry.organization) if entry.organization else None,
                title=entry.title, pronouns=entry.pronouns, bio=entry.bio,
                community_member=entry.community_member, compensated=entry.compensated,
                roles=tuple(v.roles[r] for r in entry.roles), champion=entry.champion,
                email=entry.email, phone=entry.phone, public=entry.public,
                working_groups=[groups[g] for g in entry.working_groups],
            )
            people.append(person)
            for group in person.working_groups:
                group.members.append(person)
            if person.organization is not None:
                person.organization.people.append(person)
        by_id = {p.id: p for p in people}
        for entry in c.working_groups:
            if entry.lead:
                groups[entry.id].lead = by_id[entry.lead]
        for pid, loaded in self.partner_files.items():
            invitation = loaded.value.invitation
            if invitation and invitation.sender:
                partners[pid].invitation.sender = by_id[invitation.sender]
        statements = tuple(self.statement(sid, loaded, by_id, partners)
                           for sid, loaded in sorted(self.statement_files.items()))
        pages = sorted(
            (self.page(name, loaded, page) for name, (loaded, page) in self.page_files.items()),
            key=lambda p: (p.order is None, p.order or 0, p.title.lower(), p.name),
        )
        doc = self.c.document
        return model.Coalition(
            name=c.name, community=c.community, mission=c.mission,
            convener=partners[c.convener], project_manager=by_id[c.project_manager],
            content_dir=self.root, source=model.Source(doc.path), vocabulary=v,
            decision_model=c.decision_model, site_url=c.site.url, language=c.site.language,
            needs_populations=tuple(v.populations[t] for t in c.needs.populations),
            needs_areas=tuple(v.areas[t] for t in c.needs.areas),
            needs_assets=tuple(v.assets[t] for t in c.needs.assets),
            data_points=tuple(model.DataPoint(d.text, d.source) for d in c.data_points),
            invitation=model.CoalitionInvitation(**c.invitation.model_dump()),
            paper=c.print.paper, duplex=c.print.duplex,
            working_groups=tuple(groups.values()),
            meetings=model.Meetings(**c.meetings.model_dump()),
            partners=tuple(partners.values()), people=tuple(people), statements=statements,
            pages=tuple(pages), static_files=self.static, positions=_positions(doc),
        )

    def partner(self, pid: str, loaded: Loaded) -> model.Partner:
        v, p, doc = self.vocabulary, loaded.value, loaded.document
        invitation = None
        if p.invitation is not None:
            invitation = model.Invitation(**p.invitation.model_dump(exclude={"sender"}))
        return model.Partner(
            id=pid, name=p.name, type=v.organization_types[p.type], relationship=p.relationship,
            stage=p.stage, source=model.Source(doc.path), website=p.website, summary=p.summary,
            populations=tuple(v.populations[t] for t in p.populations),
            domains=tuple(v.areas[t] for t in p.domains),
            assets=tuple(v.assets[t] for t in p.assets),
            asset_notes=p.asset_notes, aligned_initiatives=p.aligned_initiatives,
            motivations=p.motivations, roles=p.roles, considerations=p.considerations,
            contact=model.Contact(**p.contact.model_dump()) if p.contact else None,
            invitation=invitation, positions=_positions(doc),
        )

    def statement(self, sid, loaded: Loaded, people, partners) -> model.Statement:
        s = loaded.value
        return model.Statement(
            id=sid, kind=s.kind, author=s.author, statement=s.statement,
            source=model.Source(loaded.document.path), title=s.title, identities=dict(s.identities),
            reflections=tuple(model.Reflection(r.prompt, r.answer) for r in s.reflections),
            public=s.public,
            author_person=people.get(s.author) if s.kind == "individual" else None,
            author_partner=partners.get(s.author) if s.kind == "institutional" else None,
        )

    def page(self, name: str, loaded: Loaded, page) -> model.Page:
        front = loaded.value
        return model.Page(
            name=name, title=front.title, body=page.body, order=front.order, draft=front.draft,
            description=front.description, source=model.Source(loaded.document.path),
        )


def _terms(fixed, extra) -> dict[str, model.Term]:
    terms = {key: model.Term(key, label) for key, label in fixed.items()}
    terms.update({key: model.Term(key, label, custom=True) for key, label in extra.items()})
    return terms


def _source(document: Document, loc: tuple) -> model.Source:
    where = document.position(loc)
    return model.Source(document.path, where.line, where.column)


def _positions(document: Document) -> dict[str, model.Source]:
    return {
        ".".join(str(part) for part in loc): model.Source(document.path, where.line, where.column)
        for loc, where in document.values.items()
        if loc
    }
