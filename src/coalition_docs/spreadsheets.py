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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import vocab
from .errors import ContentErrors, Problem, UsageError, did_you_mean

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

    def match(self, typed: str) -> str | None:
        key = _norm(typed)
        if key in self.lookup:
            return self.lookup[key]
        # "Nonprofit" for "Nonprofit or community-based organization": a unique prefix.
        starts = {term_id for label, term_id in self.lookup.items() if label.startswith(key + " ")}
        if len(starts) == 1:
            return starts.pop()
        return None

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
    row: int  # the spreadsheet's row number (the heading row is 1)
    column: str  # "C" in a workbook, "3" in a CSV


@dataclass
class Sheet:
    name: str  # "people.csv" or "people.xlsx[Existing partnerships]"
    headings: list[Cell]
    rows: list[list[Cell]]


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheets(path: Path) -> list[Sheet]:
    """The tables of a CSV file or of every sheet of an .xlsx workbook."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UsageError(f"{path}: not UTF-8 text (expected a CSV file saved as UTF-8)") from None
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        table = list(csv.reader(io.StringIO(text, newline=""), dialect))
        return [_sheet(path.name, table, lambda i: str(i + 1))]
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
            raise UsageError(f"{path}: not a readable Excel workbook ({exc})") from None
        sheets = []
        for ws in book.worksheets:
            table = [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            sheets.append(_sheet(f"{path.name}[{ws.title}]", table, _column_letter))
        book.close()
        return sheets
    raise UsageError(f"{path}: expected a .csv or .xlsx file, found {suffix or 'no extension'}")


def _sheet(name: str, table: list[list[str]], column: Any) -> Sheet:
    # The heading row is the first row with a cell that names a known column.
    known = {_norm(h) for h, _, _, other in COLUMNS for h in (h, *other)}
    start = next((i for i, row in enumerate(table) if any(_norm(c) in known for c in row)), 0)
    head = table[start] if table else []
    headings = [Cell(_text(v), start + 1, column(i)) for i, v in enumerate(head)]
    rows = []
    for r, row in enumerate(table[start + 1:], start=start + 2):
        cells = [Cell(_text(v), r, column(i)) for i, v in enumerate(row)]
        if any(c.value for c in cells):
            rows.append(cells)
    return Sheet(name, headings, rows)


# ------------------------------------------------------------------ rows to partners


@dataclass
class ImportedPartner:
    id: str
    data: dict[str, Any]  # only the fields the spreadsheet has
    where: str  # "file.csv:4"


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
            problems.append(Problem(sheet.name, cell.row, _col_number(cell.column), f"unknown column heading "
                                    f"(expected one of the worksheet's headings, found {cell.value!r})",
                                    hint))
            continue
        found[index] = column
    return found


def _col_number(column: str) -> int:
    if column.isdigit():
        return int(column)
    number = 0
    for ch in column:
        number = number * 26 + ord(ch) - 64
    return number


def _split(value: str) -> list[str]:
    parts = re.split(r"\s*;\s*", value) if ";" in value else re.split(r"\s*,\s*", value)
    return [p.strip() for p in parts if p.strip()]


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


def rows_to_partners(sheets: Sequence[Sheet], extra: Mapping[str, Mapping[str, str]] | None = None,
                     taken: Iterable[str] = ()) -> ImportResult:
    """Every row as partner data; raises ContentErrors with every bad cell of every sheet."""
    from .validate import slugify

    vocabs = vocabularies(extra)
    problems: list[Problem] = []
    result = ImportResult()
    ids: dict[str, str] = {}
    for sheet in sheets:
        columns = _columns_of(sheet, problems)
        names = {name for name, _ in columns.values()}
        sheet_relationship = None
        if "relationship" not in names:
            title = _norm(sheet.name.partition("[")[2].rstrip("]"))
            sheet_relationship = next((rel for key, rel in SHEET_RELATIONSHIP.items() if key in title), None)
        if "name" not in names:
            if sheet.rows:
                problems.append(Problem(sheet.name, sheet.headings[0].row if sheet.headings else 1, 1,
                                        "no \"Organization name\" column (expected the worksheet's headings "
                                        "in the first row)"))
            continue
        for row in sheet.rows:
            data: dict[str, Any] = {}
            row_problems = len(problems)
            for index, (name, kind) in columns.items():
                cell = row[index] if index < len(row) else Cell("", row[0].row, "")
                if not cell.value:
                    continue
                where = (sheet.name, cell.row, _col_number(cell.column))
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
                        elif term not in value:
                            if _norm(typed) not in (_norm(vocabs[kind].labels[term]), _norm(term)):
                                result.notes.append(f"{sheet.name}:{cell.row}:{_col_number(cell.column)}: read "
                                                    f"{typed!r} as {vocabs[kind].labels[term]!r}")
                            value.append(term)
                else:
                    value = vocabs[kind].match(cell.value)
                    if value is None:
                        problems.append(Problem(*where, f"{name}: unknown label (expected one of "
                                                + ", ".join(repr(v) for v in vocabs[kind].labels.values())
                                                + f"; found {cell.value!r})", vocabs[kind].suggest(cell.value)))
                        continue
                head, _, sub = name.partition(".")
                if sub:
                    data.setdefault(head, {})[sub] = value
                else:
                    data[name] = value
            if "relationship" not in data and sheet_relationship:
                data["relationship"] = sheet_relationship
            first = row[0].row
            if "name" not in data:
                problems.append(Problem(sheet.name, first, 1, "this row has no organization name (expected a "
                                        "name in the \"Organization name\" column)"))
                continue
            for required, heading in (("type", "Type of organization"), ("relationship", "Relationship")):
                if required not in data and len(problems) == row_problems:
                    problems.append(Problem(sheet.name, first, 1, f"{data['name']}: no {heading.lower()} "
                                            f"(expected a \"{heading}\" column, or a sheet named for the "
                                            "relationship)" if required == "relationship" else
                                            f"{data['name']}: no {heading.lower()} (expected a value in the "
                                            f"\"{heading}\" column)"))
            given = data.pop("id", None)
            if given is not None and not re.fullmatch(vocab.ID_PATTERN, given):
                column = next(i for i, (n, _) in columns.items() if n == "id")
                problems.append(Problem(sheet.name, first, _col_number(row[column].column),
                                        f"id: not a valid id (expected lowercase letters, digits and hyphens, "
                                        f"found {given!r})", f"did you mean '{slugify(given)}'?"))
                continue
            base = given or slugify(data["name"]) or "partner"
            partner_id, n = base, 2
            while given is None and partner_id in ids and ids[partner_id] != _norm(data["name"]):
                partner_id, n = f"{base}-{n}", n + 1
            if partner_id in ids:
                problems.append(Problem(sheet.name, first, 1, f"{data['name']}: this organization is already "
                                        "in the spreadsheet (expected each organization once)"))
                continue
            ids[partner_id] = _norm(data["name"])
            if len(problems) == row_problems:  # the format's own checks, once the labels are right
                problems.extend(_schema_problems(data, sheet.name, first, columns, row))
            result.partners.append(ImportedPartner(partner_id, data, f"{sheet.name}:{first}"))
    if problems:
        raise ContentErrors(problems)
    return result


def _schema_problems(data: dict, sheet: str, row: int, columns: Mapping[int, tuple[str, str]],
                     cells: list[Cell]) -> list[Problem]:
    """The content format's own checks (URLs, e-mail addresses...), at the cell that fails them."""
    from pydantic import ValidationError

    from .schema import PartnerFile

    try:
        PartnerFile.model_validate(data)
    except ValidationError as exc:
        found = []
        for error in exc.errors():
            name = ".".join(str(p) for p in error["loc"] if not isinstance(p, int))
            column = next((i for i, (n, _) in columns.items() if n == name), None)
            col = _col_number(cells[column].column) if column is not None and column < len(cells) else 1
            found.append(Problem(sheet, row, col, f"{name}: {error['msg'].lower()}"))
        return found
    return []


# ------------------------------------------------------------------ writing YAML


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
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
    body = yaml.dump(ordered(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=None)
    return f"# A partner organization: see content-format.md, \"partners/ID.yaml\".\n# Imported from {source}.\n{body}"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class Plan:
    new: list[ImportedPartner] = field(default_factory=list)
    changed: list[tuple[ImportedPartner, dict]] = field(default_factory=list)  # and the merged data
    unchanged: list[ImportedPartner] = field(default_factory=list)


def plan_import(result: ImportResult, partners_dir: Path) -> Plan:
    plan = Plan()
    for partner in result.partners:
        path = partners_dir / f"{partner.id}.yaml"
        if not path.exists():
            plan.new.append(partner)
            continue
        try:
            existing = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError):
            existing = {}
        if not isinstance(existing, dict):
            existing = {}
        merged = dict(existing)
        for key, value in partner.data.items():
            if key == "contact" and isinstance(existing.get("contact"), dict):
                merged["contact"] = {**existing["contact"], **value}
            else:
                merged[key] = value
        if merged == existing:
            plan.unchanged.append(partner)
        else:
            plan.changed.append((partner, merged))
    return plan


def import_spreadsheet(source: Path, content: Path, *, force: bool = False, dry_run: bool = False,
                       print_=print) -> Plan:
    """Import `source` into content/partners; nothing is written if any cell has a problem."""
    source, content = Path(source), Path(content)
    if not source.is_file():
        raise UsageError(f"{source}: no such file (expected a .csv or .xlsx file)")
    extra = _extra_vocabulary(content)
    result = rows_to_partners(read_sheets(source), extra)
    partners_dir = content / "partners"
    plan = plan_import(result, partners_dir)
    for note in result.notes:
        print_(note)
    for partner in plan.new:
        print_(f"{'would write' if dry_run else 'wrote'} partners/{partner.id}.yaml ({partner.where})")
    for partner, _ in plan.changed:
        if force:
            print_(f"{'would update' if dry_run else 'updated'} partners/{partner.id}.yaml ({partner.where})")
        else:
            print_(f"partners/{partner.id}.yaml differs from {partner.where}: left as it is "
                   "(use --force to update it)")
    if not dry_run:
        for partner in plan.new:
            _write_atomic(partners_dir / f"{partner.id}.yaml", partner_yaml(partner.data, source.name))
        if force:
            for partner, merged in plan.changed:
                _write_atomic(partners_dir / f"{partner.id}.yaml", partner_yaml(merged, source.name))
    print_(f"{len(plan.new)} new, {len(plan.changed)} changed"
           f"{'' if force or not plan.changed else ' (not written)'}, {len(plan.unchanged)} unchanged"
           f"{' (dry run: nothing written)' if dry_run else ''}.")
    return plan


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
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        _write_atomic(target, buffer.getvalue())
    else:
        import openpyxl
        from openpyxl.styles import Alignment, Font

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Partner inventory"
        for row in rows:
            sheet.append(row)
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
