"""The partner inventory as a spreadsheet: import from CSV or Excel, export back.

Columns carry the worksheet's table headings ("Organization name", "Type of
organization", "Target populations served", ...); cells carry the worksheet's
labels as people type them ("Nonprofit", "young people, residents with low
incomes"), in any case, several values separated by commas or semicolons.
Each label is matched to a vocabulary id (vocab.py); a cell that matches
nothing is a located problem, `file.csv:ROW:COLUMN`, with a suggestion. Rows
become `partners/ID.yaml`. An existing file is never overwritten unless asked
(`--force`), and then only the fields the spreadsheet has are replaced.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from coalition_docs.content import vocab
from coalition_docs.errors import ContentErrors, Problem, UsageError, did_you_mean
from coalition_docs.files import SIGNATURE, UnreadableFile, atomic_write, check_regular, read_regular

# (heading, field, kind, other headings people use for it)
COLUMNS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Organization name", "name", "text", ("Identified partner", "Potential coalition member", "Organization",
                                           "Name", "Partner")),
    ("Type of organization", "type", "type", ("Type", "Organization type")),
    ("Relationship", "relationship", "relationship", ("Partnership",)),
    ("Stage", "stage", "stage", ("Status",)),
    ("Target populations served", "populations", "populations", ("Populations", "Target populations")),
    ("Domains of work", "domains", "areas", ("Domain of work", "Domains", "Areas")),
    ("Assets", "assets", "assets", ()),
    ("Asset notes", "asset_notes", "text", ()),
    ("Aligned initiatives", "aligned_initiatives", "text", ()),
    ("Motivations for joining", "motivations", "text", ("Motivations",)),
    ("Roles", "roles", "text", ()),
    ("Barriers to partnership / how they're a good partner", "considerations", "text",
     ("Barriers to partnership", "Considerations")),
    ("Website", "website", "text", ()),
    ("Summary", "summary", "text", ()),
    ("Contact name", "contact.name", "text", ()),
    ("Contact title", "contact.title", "text", ()),
    ("Contact email", "contact.email", "text", ("Email",)),
    ("Contact phone", "contact.phone", "text", ("Phone",)),
    ("Contact address", "contact.address", "text", ("Address",)),
    ("ID", "id", "text", ("Partner ID", "File name")),
)
FIELD_ORDER = ("name", "type", "relationship", "stage", "website", "summary", "populations", "domains", "assets",
               "asset_notes", "aligned_initiatives", "motivations", "roles", "considerations", "contact",
               "invitation")
CONTACT_ORDER = ("name", "title", "email", "phone", "address")
LIST_KINDS = ("populations", "areas", "assets")

# What people type for a label that is not the worksheet's own wording.
ALIASES: Mapping[str, Mapping[str, str]] = {
    "type": {"nonprofit": "nonprofit", "community based organization": "nonprofit", "cbo": "nonprofit",
             "government": "local-government", "city": "local-government", "advocacy": "advocacy-group",
             "foundation": "philanthropy", "funder": "philanthropy", "research": "research-organization",
             "anchor": "anchor-institution", "business": "private-sector", "private": "private-sector",
             "company": "private-sector"},
    "relationship": {"existing": "existing", "new": "new", "potential": "new", "potential new": "new",
                     "table 1": "existing", "table 2": "new"},
    "assets": {"research and analytic capacity": "research-and-analytical-capacity",
               "analytic capacity": "research-and-analytical-capacity",
               "data sharing": "data-sharing-and-transparency",
               "strong data sharing capabilities": "data-sharing-and-transparency",
               "data sharing capabilities": "data-sharing-and-transparency",
               "community engagement": "community-engagement-experience",
               "racial equity": "racial-equity-approach", "positionality": "understanding-of-positionality",
               "power sharing": "power-sharing-practice", "narrative change": "narrative-change-experience",
               "data informed decisionmaking": "data-informed-decisionmaking"},
}
SHEET_RELATIONSHIP = {"existing": "existing", "table 1": "existing", "new": "new", "potential": "new",
                      "table 2": "new"}


def _norm(text: str) -> str:
    """Lowercase ASCII words: "Private-sector" and "private sector" read the same."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text.replace("(s)", "s")))


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _loose(text: str) -> str:
    """_norm, then every word singular and no leading article: "Nonprofits" reads as "nonprofit"."""
    words = [_singular(w) for w in _norm(text).split()]
    while words and words[0] in ("a", "an", "the"):
        words = words[1:]
    return " ".join(words)


@dataclass
class Vocabulary:
    """Labels and ids of one vocabulary, with the ways people write them."""

    kind: str
    labels: Mapping[str, str]  # id -> label

    def __post_init__(self) -> None:
        self.lookup: dict[str, str] = {}
        for term_id, label in self.labels.items():
            self.lookup[_norm(label)] = term_id
            self.lookup[_norm(term_id)] = term_id
        for typed, term_id in ALIASES.get(self.kind, {}).items():
            self.lookup.setdefault(_norm(typed), term_id)
        # The same keys, loosened; a key two terms share is no key at all.
        loose: dict[str, set[str]] = {}
        for key, term_id in self.lookup.items():
            loose.setdefault(_loose(key), set()).add(term_id)
        self.loose = {key: ids.pop() for key, ids in loose.items() if len(ids) == 1}

    def match(self, typed: str) -> str | None:
        key = _norm(typed)
        if not key:
            return None
        if key in self.lookup:
            return self.lookup[key]
        key = _loose(typed)
        if key in self.loose:
            return self.loose[key]
        # "Nonprofit" for "Nonprofit or community-based organization": the first words of one label only;
        # "homelessness" for "People experiencing housing instability or homelessness": words inside one label.
        for found in (lambda label: label.startswith(key + " "),
                      lambda label: len(key) >= 5 and f" {key} " in f" {label} "):
            ids = {term_id for label, term_id in self.loose.items() if found(label)}
            if len(ids) == 1:
                return ids.pop()
            if ids:
                return None
        return None

    def exact(self, typed: str, term_id: str) -> bool:
        """Whether `typed` is the label or the id itself (else the match is reported to the person)."""
        return _norm(typed) in (_norm(self.labels[term_id]), _norm(term_id))

    def suggest(self, typed: str) -> str | None:
        return did_you_mean(typed, list(self.labels.values()))


def vocabularies(extra: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, Vocabulary]:
    extra = extra or {}
    return {
        "type": Vocabulary("type", vocab.ORGANIZATION_TYPES),
        "relationship": Vocabulary("relationship", vocab.RELATIONSHIPS),
        "stage": Vocabulary("stage", vocab.STAGES),
        "populations": Vocabulary("populations", {**vocab.POPULATIONS, **extra.get("populations", {})}),
        "areas": Vocabulary("areas", {**vocab.AREAS, **extra.get("areas", {})}),
        "assets": Vocabulary("assets", {**vocab.ASSETS, **extra.get("assets", {})}),
    }


# ------------------------------------------------------------------ reading


@dataclass
class Cell:
    value: str
    row: int  # the spreadsheet's row number (the first row is 1)
    column: int  # the spreadsheet's column number (A = 1 in a workbook)


@dataclass
class Sheet:
    """One table: a heading row and the rows under it, down to the next table or the end."""

    name: str  # "people.csv" or "people.xlsx[Existing partnerships]": the start of every error line
    headings: list[Cell]
    rows: list[list[Cell]]
    title: str = ""  # the table's title row ("Table 1 Existing partnerships"), or the workbook sheet's name


def _known_headings() -> set[str]:
    return {_norm(h) for heading, _, _, other in COLUMNS for h in (heading, *other)}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _delimiter(text: str) -> str:
    """The delimiter that splits the heading row into the most known headings (a comma if none does)."""
    known = _known_headings()
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    best, score = ",", 0
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(lines, delimiter=delimiter):
            found = sum(1 for cell in row if _norm(cell) in known)
            if found > score:
                best, score = delimiter, found
    return best


def read_sheets(path: Path) -> list[Sheet]:
    """The tables of a CSV file or of every sheet of an .xlsx workbook."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            raw = read_regular(path, MAX_SPREADSHEET_BYTES)
        except UnreadableFile as exc:
            raise UsageError(f"{path}: {exc}") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UsageError(f"{path}: not UTF-8 text (expected a CSV file saved as UTF-8)") from None
        try:
            table = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
        except csv.Error as exc:
            raise UsageError(f"{path}: not a readable CSV file ({exc})") from None
        return _tables(path.name, "", [[unguard_cell(cell) for cell in row] for row in table])
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            check_regular(path, MAX_SPREADSHEET_BYTES)
        except UnreadableFile as exc:
            raise UsageError(f"{path}: {exc}") from None
        check_workbook_size(path)
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
            raise UsageError(f"{path}: not a readable Excel workbook ({exc})") from None
        sheets = []
        cells = 0
        try:
            for ws in book.worksheets:
                table = []
                for row in ws.iter_rows(values_only=True):
                    cells += len(row)
                    if cells > MAX_CELLS:
                        raise UsageError(f"{path}: the workbook has too many cells (expected at most "
                                         f"{MAX_CELLS:,}, found more); export only the partner tables")
                    table.append([unguard_cell(_text(v)) for v in row])
                sheets.extend(_tables(f"{path.name}[{ws.title}]", ws.title, table))
        except UsageError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged sheet inside a readable zip
            raise UsageError(f"{path}: not a readable Excel workbook ({exc})") from None
        finally:
            book.close()
        return sheets
    raise UsageError(f"{path}: expected a .csv or .xlsx file, found {suffix or 'no extension'}")


def _is_title(text: str) -> bool:
    """A table's title, not an organization with nothing else filled in: "Table 2 ...", "Existing partners"."""
    return _norm(text).startswith("table ") or _relationship_of(text) is not None


def _tables(name: str, title: str, table: list[list[str]]) -> list[Sheet]:
    """The tables of one sheet. A heading row (two or more of the worksheet's headings) starts a table; a
    row with a single cell just above it is that table's title ("Table 2 Potential new partnerships"); below
    another table, only a row that reads as a title is one (a partner with only its name filled is a row)."""
    known = _known_headings()
    rows = [[_text(v) for v in row] for row in table]

    def filled(row: list[str]) -> list[str]:
        return [v for v in row if v]

    heads = [i for i, row in enumerate(rows) if sum(1 for v in row if _norm(v) in known) >= 2]
    if not heads:  # no heading row: the first row is the heading row, and its mistakes are reported
        heads = [next((i for i, row in enumerate(rows) if filled(row)), 0)]
    tables = []
    for n, head in enumerate(heads):
        stop = heads[n + 1] if n + 1 < len(heads) else len(rows)
        if n + 1 < len(heads):  # the next table's title is not a row of this one
            before = stop - 1
            while before > head and not filled(rows[before]):
                before -= 1
            if before > head and len(filled(rows[before])) == 1 and _is_title(filled(rows[before])[0]):
                stop = before
        above = head - 1
        while above >= 0 and not filled(rows[above]):
            above -= 1
        own_title = filled(rows[above])[0] if above >= 0 and len(filled(rows[above])) == 1 else ""
        headings = [Cell(v, head + 1, i + 1) for i, v in enumerate(rows[head])] if rows else []
        body = [[Cell(v, r + 1, i + 1) for i, v in enumerate(rows[r])]
                for r in range(head + 1, stop) if filled(rows[r])]
        tables.append(Sheet(name, headings, body, own_title or title))
    return tables


# ------------------------------------------------------------------ rows to partners


@dataclass
class ImportedPartner:
    id: str
    data: dict[str, Any]  # the fields the spreadsheet gives a value
    where: str  # "file.csv:4", the partner's first row
    fields: set[str] = field(default_factory=set)  # every field the spreadsheet has a column for ("contact.email")


@dataclass
class ImportResult:
    partners: list[ImportedPartner] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # labels matched loosely, for the person to see


def _columns_of(sheet: Sheet, problems: list[Problem]) -> dict[int, tuple[str, str]]:
    wanted = {}
    for heading, name, kind, other in COLUMNS:
        for h in (heading, *other):
            wanted.setdefault(_norm(h), (name, kind))
    found: dict[int, tuple[str, str]] = {}
    for index, cell in enumerate(sheet.headings):
        if not cell.value:
            continue
        column = wanted.get(_norm(cell.value))
        if column is None:
            hint = did_you_mean(cell.value, [h for h, *_ in COLUMNS])
            problems.append(Problem(sheet.name, cell.row, cell.column, f"unknown column heading "
                                    f"(expected one of the worksheet's headings, found {cell.value!r})",
                                    hint))
            continue
        if column in found.values():
            problems.append(Problem(sheet.name, cell.row, cell.column, f"a second column for {column[0]} "
                                    f"(expected each heading once, found {cell.value!r})"))
            continue
        found[index] = column
    return found


def _split(value: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*[;,\n]\s*", value) if p.strip()]


def _pieces(value: str, vocabulary: Vocabulary) -> list[str]:
    """The labels of a cell; a label with a comma in it ("Outreach in Spanish, Vietnamese") stays whole."""
    parts = _split(value)
    pieces, i = [], 0
    while i < len(parts):
        for j in range(len(parts), i, -1):  # the longest run of parts that is one label
            joined = ", ".join(parts[i:j])
            if j == i + 1 or vocabulary.match(joined) is not None:
                break
        pieces.append(joined)
        i = j
    return pieces


def _relationship_of(title: str) -> str | None:
    """"Table 1 Existing partnerships" -> existing; a title that names both (table 3) -> None."""
    words = f" {_norm(title)} "
    found = {rel for key, rel in SHEET_RELATIONSHIP.items() if f" {key} " in words}
    return found.pop() if len(found) == 1 else None


@dataclass
class _Partner:
    """A partner while its rows are read: data, and the cell each value came from."""

    data: dict[str, Any]
    cells: dict[str, tuple[str, int, int]]
    where: tuple[str, int]
    fields: set[str]
    failed: set[str] = field(default_factory=set)  # fields whose cell was reported already
    spots: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # where an empty cell of a column is


def rows_to_partners(sheets: Sequence[Sheet], extra: Mapping[str, Mapping[str, str]] | None = None,
                     existing: Mapping[str, str] | None = None) -> ImportResult:
    """Every row as partner data; raises ContentErrors with every bad cell of every table.

    `existing` maps the ids of the partner files already in the content folder to their names: a row
    with the name of one of them gets its id; a new name never takes an id that is in use. Rows of
    different tables that name the same organization are one partner (the worksheet lists each
    partner in table 1 or 2 and again in table 3).
    """
    from coalition_docs.content.validate import slugify

    vocabs = vocabularies(extra)
    problems: list[Problem] = []
    result = ImportResult()
    partners: dict[str, _Partner] = {}  # by normalized name, in the order of the spreadsheet
    for sheet in sheets:
        columns = _columns_of(sheet, problems)
        names = {name for name, _ in columns.values()}
        if "name" not in names:
            if sheet.rows:
                problems.append(Problem(sheet.name, sheet.headings[0].row if sheet.headings else 1, 1,
                                        "no \"Organization name\" column (expected the worksheet's headings "
                                        "in the first row)"))
            continue
        table_relationship = None if "relationship" in names else _relationship_of(sheet.title)
        for row in sheet.rows:
            data: dict[str, Any] = {}
            cells: dict[str, tuple[str, int, int]] = {}
            failed: set[str] = set()
            spots: dict[str, tuple[str, int, int]] = {}
            first = row[0].row
            for index, (name, kind) in columns.items():
                cell = row[index] if index < len(row) else Cell("", first, index + 1)
                if not cell.value:
                    spots[name] = (sheet.name, first, index + 1)
                    continue
                where = (sheet.name, cell.row, cell.column)
                if kind == "text":
                    value: Any = cell.value.replace("\r\n", "\n")
                elif kind in LIST_KINDS:
                    value = []
                    for typed in _pieces(cell.value, vocabs[kind]):
                        term = vocabs[kind].match(typed)
                        if term is None:
                            problems.append(Problem(*where, f"{name}: unknown label (expected one of the "
                                                    f"worksheet's labels, found {typed!r})",
                                                    vocabs[kind].suggest(typed)))
                            failed.add(name)
                        elif term not in value:
                            if not vocabs[kind].exact(typed, term):
                                result.notes.append(f"{sheet.name}:{cell.row}:{cell.column}: read "
                                                    f"{typed!r} as {vocabs[kind].labels[term]!r}")
                            value.append(term)
                else:
                    value = vocabs[kind].match(cell.value)
                    if value is None:
                        problems.append(Problem(*where, f"{name}: unknown label (expected one of "
                                                + ", ".join(repr(v) for v in vocabs[kind].labels.values())
                                                + f"; found {cell.value!r})", vocabs[kind].suggest(cell.value)))
                        failed.add(name)
                        continue
                    if not vocabs[kind].exact(cell.value, value):
                        result.notes.append(f"{sheet.name}:{cell.row}:{cell.column}: read {cell.value!r} as "
                                            f"{vocabs[kind].labels[value]!r}")
                data[name] = value
                cells[name] = where
            if "name" not in data:
                problems.append(Problem(sheet.name, first, 1, "this row has no organization name (expected a "
                                        "name in the \"Organization name\" column)"))
                continue
            if "relationship" not in data and table_relationship:
                data["relationship"] = table_relationship
                cells["relationship"] = (sheet.name, first, 1)
            key = _norm(data["name"])
            fields = {name for name, _ in columns.values()} | set(data)
            if key not in partners:
                partners[key] = _Partner(data, cells, (sheet.name, first), fields, failed, spots)
                continue
            # The same organization again: its other cells add to the first row's, and must agree with them.
            partner = partners[key]
            clash = [name for name in data if name != "name" and name in partner.data
                     and partner.data[name] != data[name]]
            if clash:
                at = cells[clash[0]]
                problems.append(Problem(*at, f"{data['name']}: this organization is already in the "
                                        f"spreadsheet at row {partner.where[1]} with another {clash[0]} (expected "
                                        f"each organization once, or the same values)"))
                continue
            for name, value in data.items():
                if name not in partner.data:
                    partner.data[name] = value
                    partner.cells[name] = cells[name]
            partner.fields |= fields
            partner.failed |= failed
            partner.spots = {**spots, **partner.spots}

    ids: dict[str, str] = {}  # id -> normalized name
    by_name = {_norm(name): pid for pid, name in (existing or {}).items()}
    for key, partner in partners.items():
        data, (sheet_name, first) = partner.data, partner.where
        for required, heading in (("type", "Type of organization"), ("relationship", "Relationship")):
            if required not in data and required not in partner.failed:
                problems.append(Problem(*partner.spots.get(required, (sheet_name, first, 1)),
                                        f"{data['name']}: no {heading.lower()} (expected "
                                        + (f"a \"{heading}\" column, or a table or sheet named for the "
                                           "relationship)" if required not in partner.fields else
                                           f"a value in the \"{heading}\" column)")))
        given = data.pop("id", None)
        partner.fields.discard("id")
        if given is not None and not re.fullmatch(vocab.ID_PATTERN, given):
            problems.append(Problem(*partner.cells["id"], f"id: not a valid id (expected lowercase letters, "
                                    f"digits and hyphens, found {given!r})", f"did you mean '{slugify(given)}'?"))
            continue
        if given is not None:
            partner_id = given
        elif key in by_name:
            partner_id = by_name[key]  # the file this organization already has
        else:
            base = slugify(data["name"]) or "partner"
            partner_id, n = base, 2
            while partner_id in ids or partner_id in (existing or {}):
                partner_id, n = f"{base}-{n}", n + 1
        if partner_id in ids:
            problems.append(Problem(*partner.cells.get("id", (sheet_name, first, 1)), f"id: {partner_id!r} is "
                                    "given to two organizations (expected each id once)"))
            continue
        ids[partner_id] = key
        problems.extend(_schema_problems(data, partner.cells, sheet_name, first))
        result.partners.append(ImportedPartner(partner_id, _nested(data), f"{sheet_name}:{first}", partner.fields))
    if problems:
        raise ContentErrors(problems)
    return result


def _schema_problems(data: dict, cells: Mapping[str, tuple[str, int, int]], sheet: str, row: int) -> list[Problem]:
    """The content format's own checks (URLs, e-mail addresses...), worded as `check` words them, at the
    cell that fails them."""
    from pydantic import ValidationError

    from coalition_docs.content.load import Document, Position
    from coalition_docs.content.schema import PartnerFile
    from coalition_docs.content.validate import _translate

    try:
        PartnerFile.model_validate(_nested(data))
    except ValidationError as exc:
        found = []
        for item in exc.errors(include_url=False):
            loc = tuple(str(p) for p in item["loc"] if not isinstance(p, int))
            name = ".".join(loc)
            if name in ("type", "relationship") and name not in data:
                continue  # reported already: the row has no such value
            at = cells.get(name, (sheet, row, 1))
            document = Document(at[0], data, values={(): Position(row, 1), loc: Position(at[1], at[2])})
            found.append(_translate(document, PartnerFile, item))
        return found
    return []


def _nested(data: Mapping[str, Any]) -> dict[str, Any]:
    """{"contact.email": x} -> {"contact": {"email": x}}."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        head, _, sub = name.partition(".")
        if sub:
            out.setdefault(head, {})[sub] = value
        else:
            out[name] = value
    return out


# ------------------------------------------------------------------ writing YAML


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):  # lists indented under their key
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def ordered(data: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: data[k] for k in FIELD_ORDER if k in data}
    out.update({k: v for k, v in data.items() if k not in out})
    if isinstance(out.get("contact"), Mapping):
        contact = out["contact"]
        out["contact"] = {k: contact[k] for k in CONTACT_ORDER if k in contact} | {
            k: v for k, v in contact.items() if k not in CONTACT_ORDER}
    return out


def partner_yaml(data: Mapping[str, Any], source: str) -> str:
    """The partner file: block style, the content format's order of keys, UTF-8 as it is."""
    body = yaml.dump(ordered(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96,
                     default_flow_style=False)
    return (f"# A partner organization (content-format.md, \"partners/ID.yaml\").\n"
            f"# Imported from {_place(source)}; edit freely.\n{body}")


def _place(where: str) -> str:
    """"rows.csv:3" -> "rows.csv, row 3"."""
    name, _, row = where.rpartition(":")
    return f"{name}, row {row}" if name and row.isdigit() else where


# A cell a spreadsheet would run as a formula (OWASP's CSV injection rule): these first
# characters get a leading apostrophe in CSV, and import takes exactly that apostrophe off.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_SPREADSHEET_BYTES = 20 * 1024 * 1024  # the file itself
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # an .xlsx once unzipped
MAX_CELLS = 1_000_000


def guard_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet will run: '=SUM(A1)' is written as "'=SUM(A1)"."""
    if isinstance(value, str) and value.startswith(_FORMULA_START + ("'",)):
        if value.startswith("'") and not value[1:].startswith(_FORMULA_START + ("'",)):
            return value
        return "'" + value
    return value


def unguard_cell(value: str) -> str:
    """The inverse of guard_cell, so that export then import gives back what was written."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_START + ("'",)):
        return value[1:]
    return value


def check_workbook_size(path: Path) -> None:
    """Refuse a workbook that unzips beyond a sane size (a zip bomb) before opening it."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UsageError(f"{path}: not a readable Excel workbook ({exc})") from None
    total = sum(member.file_size for member in members)
    if total > MAX_UNZIPPED_BYTES or len(members) > 10_000:
        raise UsageError(
            f"{path}: the workbook unzips to {total / (1024 * 1024):,.0f} MiB in {len(members):,} parts "
            f"(expected at most {MAX_UNZIPPED_BYTES // (1024 * 1024)} MiB); it is not read, as it may be "
            "a zip bomb or hold much more than a partner inventory")


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)


@dataclass
class Plan:
    new: list[ImportedPartner] = field(default_factory=list)
    changed: list[tuple[ImportedPartner, dict, list[str]]] = field(default_factory=list)  # merged data, fields
    unchanged: list[ImportedPartner] = field(default_factory=list)


def _read_partner(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def existing_partners(partners_dir: Path) -> dict[str, str]:
    """The ids of the partner files in a folder, with their names."""
    names = {}
    for path in sorted(Path(partners_dir).glob("*.yaml")):
        name = _read_partner(path).get("name")
        names[path.stem] = name if isinstance(name, str) else ""
    return names


def _same(a: Any, b: Any) -> bool:
    """Equal as a person reads them: a block scalar's final newline does not count."""
    if isinstance(a, str) and isinstance(b, str):
        return a.rstrip("\n") == b.rstrip("\n")
    return a == b


def merge(existing: Mapping[str, Any], partner: ImportedPartner) -> tuple[dict, list[str]]:
    """The file's data with the spreadsheet's columns in place: a value replaces the file's, an empty cell
    removes it; fields the spreadsheet has no column for (the invitation...) stay. And what changed."""
    merged = dict(existing)
    changed = []

    def put(target: dict, key: str, value: Any, label: str) -> None:
        if value is None:
            if key in target:
                del target[key]
                changed.append(label)
        elif key not in target or not _same(target[key], value):
            target[key] = value
            changed.append(label)

    contact = dict(existing["contact"]) if isinstance(existing.get("contact"), dict) else {}
    for name in sorted(partner.fields, key=lambda f: [c[1] for c in COLUMNS].index(f)
                       if f in [c[1] for c in COLUMNS] else 99):
        head, _, sub = name.partition(".")
        if sub:
            value = partner.data.get(head, {}).get(sub)
            put(contact, sub, value, name)
        else:
            put(merged, name, partner.data.get(name), name)
    if any(name.startswith("contact.") for name in partner.fields):
        if contact:
            merged["contact"] = contact
        else:
            merged.pop("contact", None)
    return merged, changed


def plan_import(result: ImportResult, partners_dir: Path) -> Plan:
    plan = Plan()
    for partner in result.partners:
        path = partners_dir / f"{partner.id}.yaml"
        if not path.exists():
            plan.new.append(partner)
            continue
        merged, changed = merge(_read_partner(path), partner)
        if changed:
            plan.changed.append((partner, merged, changed))
        else:
            plan.unchanged.append(partner)
    return plan


def _indented(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


def import_spreadsheet(source: Path, content: Path, *, force: bool = False, dry_run: bool = False,
                       print_=print) -> Plan:
    """Import `source` into content/partners; nothing is written if any cell has a problem."""
    source, content = Path(source), Path(content)
    if not source.exists():
        raise UsageError(f"{source}: no such file (expected a .csv or .xlsx file)")
    partners_dir = content / "partners"
    extra = _extra_vocabulary(content)
    result = rows_to_partners(read_sheets(source), extra, existing_partners(partners_dir))
    plan = plan_import(result, partners_dir)
    texts = {p.id: partner_yaml(p.data, p.where) for p in plan.new}
    texts.update({p.id: partner_yaml(merged, p.where) for p, merged, _ in plan.changed})
    _check_written(texts, content)
    for note in result.notes:
        print_(note)
    for partner in plan.new:
        print_(f"{'would write' if dry_run else 'wrote'} partners/{partner.id}.yaml ({partner.where})"
               + (":\n" + _indented(texts[partner.id]) if dry_run else ""))
    for partner, _, changed in plan.changed:
        what = ", ".join(changed)
        if force:
            print_(f"{'would update' if dry_run else 'updated'} partners/{partner.id}.yaml ({partner.where}): "
                   f"{what}")
        else:
            print_(f"partners/{partner.id}.yaml differs from {partner.where} in {what}: left as it is "
                   "(use --force to update it)")
    if not dry_run:
        for partner in plan.new:
            _write_atomic(partners_dir / f"{partner.id}.yaml", texts[partner.id])
        if force:
            for partner, _, _ in plan.changed:
                _write_atomic(partners_dir / f"{partner.id}.yaml", texts[partner.id])
    print_(f"{len(plan.new)} new, {len(plan.changed)} changed"
           f"{'' if force or not plan.changed else ' (not written)'}, {len(plan.unchanged)} unchanged"
           f"{' (dry run: nothing written)' if dry_run else ''}.")
    if not (content / "coalition.yaml").is_file():
        print_(f"note: {content} has no coalition.yaml, which `coalition-docs check` and `build` need; "
               "start a coalition with `coalition-docs new DIR` and import into DIR/content.")
    return plan


def _check_written(texts: Mapping[str, str], content: Path) -> None:
    """What is about to be written passes the checks of a hand-written partner file (`check`'s own)."""
    from coalition_docs.content.load import LoadError, parse_yaml
    from coalition_docs.content.schema import PartnerFile
    from coalition_docs.content.validate import _Run

    run = _Run(content)
    for partner_id, text in texts.items():
        try:
            run.check(parse_yaml(text, f"partners/{partner_id}.yaml"), PartnerFile)
        except LoadError as exc:
            run.problems.append(exc.problem)
    if run.problems:
        raise ContentErrors(run.problems)


def _extra_vocabulary(content: Path) -> dict[str, dict[str, str]]:
    path = content / "coalition.yaml"
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    extra = data.get("extra_vocabulary") if isinstance(data, dict) else None
    return {k: dict(v) for k, v in (extra or {}).items() if isinstance(v, dict)}


# ------------------------------------------------------------------ export


def written_by_us(path: Path) -> bool:
    """Whether an existing file is a spreadsheet `export` wrote (so it may be replaced)."""
    if path.suffix.lower() == ".xlsx":
        import zipfile

        try:
            with zipfile.ZipFile(path) as archive:
                core = archive.read("docProps/core.xml").decode("utf-8", "replace")
        except (KeyError, zipfile.BadZipFile, OSError):
            return False
        return f"<dc:creator>{SIGNATURE}</dc:creator>" in core
    with path.open("rb") as handle:
        first = handle.readline(4096).decode("utf-8-sig", "replace").rstrip("\r\n")
    return first == ",".join(heading for heading, *_ in COLUMNS)


def export_rows(coalition) -> list[list[str]]:
    """The inventory as rows under the worksheet's headings, labels instead of ids."""
    rows = [[heading for heading, *_ in COLUMNS]]
    vocabs = vocabularies(_extra_vocabulary(Path(coalition.content_dir)))
    for partner in sorted(coalition.partners, key=lambda p: (p.name.casefold(), p.id)):
        raw = {**partner_data(coalition, partner.id), "id": partner.id}
        row = []
        for _, name, kind, _ in COLUMNS:
            head, _, sub = name.partition(".")
            value = raw.get(head)
            if sub:
                value = value.get(sub) if isinstance(value, dict) else None
            if value is None:
                row.append("")
            elif kind in LIST_KINDS:
                row.append("; ".join(vocabs[kind].labels.get(v, v) for v in value))
            elif kind in ("type", "relationship", "stage"):
                row.append(vocabs[kind].labels.get(value, value))
            else:
                row.append(str(value).rstrip("\n") if not isinstance(value, str) else value.rstrip("\n"))
        rows.append(row)
    return rows


def partner_data(coalition, partner_id: str) -> dict:
    path = Path(coalition.content_dir) / "partners" / f"{partner_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data if isinstance(data, dict) else {}


def export_spreadsheet(coalition, target: Path, fmt: str) -> int:
    rows = export_rows(coalition)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\r\n").writerows(
            [[guard_cell(cell) if index else cell for cell in row] for index, row in enumerate(rows)])
        _write_atomic(target, buffer.getvalue())
    else:
        import openpyxl
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Alignment, Font

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Partner inventory"
        book.properties.creator = SIGNATURE
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
                    raise UsageError(f"{target}: row {number}, column {column}: the text holds a control "
                                     "character a workbook cannot store (expected printable text); "
                                     "export as CSV instead")
                if isinstance(value, str) and len(value) > 32767:
                    raise UsageError(f"{target}: row {number}, column {column}: the text is longer than a "
                                     "workbook cell holds (expected at most 32,767 characters); "
                                     "export as CSV instead")
                cell = sheet.cell(row=number, column=column, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, never a formula, whatever it starts with
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column in sheet.columns:
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "B2"
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".xlsx", dir=target.parent)
        os.close(fd)
        try:
            book.save(tmp)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return len(rows) - 1
