"""Rows to partners: every cell read against its column, every bad cell a located problem."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from coalition_docs.content import vocab
from coalition_docs.errors import ContentErrors, Problem, did_you_mean
from coalition_docs.inventory.spreadsheets.columns import (
    COLUMNS, LIST_KINDS, language_column, pieces, norm, relationship_of, vocabularies)
from coalition_docs.inventory.spreadsheets.tables import Cell, Sheet

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
            wanted.setdefault(norm(h), (name, kind))
    found: dict[int, tuple[str, str]] = {}
    for index, cell in enumerate(sheet.headings):
        if not cell.value:
            continue
        column = wanted.get(norm(cell.value))
        translated = language_column(cell.value) if column is None else None
        if translated is not None:
            column = (f"{translated[0]}@{translated[1]}", "text")  # "summary@es": one language of a text
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
                     existing: Mapping[str, str] | None = None, primary: str = "en") -> ImportResult:
    """Every row as partner data; raises ContentErrors with every bad cell of every table.

    `existing` maps the ids of the partner files already in the content folder to their names: a row
    with the name of one of them gets its id; a new name never takes an id that is in use. Rows of
    different tables that name the same organization are one partner (the worksheet lists each
    partner in table 1 or 2 and again in table 3).
    """
    from coalition_docs.content.ids import slugify

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
        table_relationship = None if "relationship" in names else relationship_of(sheet.title)
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
                    value: Any = cell.value.replace("\r\n", "\n").replace("\r", "\n")
                elif kind in LIST_KINDS:
                    value = []
                    for typed in pieces(cell.value, vocabs[kind]):
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
            key = norm(data["name"])
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
    by_name = {norm(name): pid for pid, name in (existing or {}).items()}
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
        _gather_translations(data, partner.cells, primary)
        problems.extend(_schema_problems(data, partner.cells, sheet_name, first))
        result.partners.append(ImportedPartner(partner_id, _nested(data), f"{sheet_name}:{first}", partner.fields))
    if problems:
        raise ContentErrors(problems)
    return result


def _gather_translations(data: dict[str, Any], cells: dict[str, tuple[str, int, int]], primary: str) -> None:
    """A row's "Summary" and "Summary (es)" as one translatable text: {en: ..., es: ...}."""
    for key in sorted(k for k in data if "@" in k):
        base, _, code = key.partition("@")
        current = data.get(base)
        texts = dict(current) if isinstance(current, dict) else ({primary: current} if current is not None else {})
        texts[code] = data.pop(key)
        data[base] = texts
        cells.setdefault(base, cells[key])


def _schema_problems(data: dict, cells: Mapping[str, tuple[str, int, int]], sheet: str, row: int) -> list[Problem]:
    """The content format's own checks (URLs, e-mail addresses...), worded as `check` words them, at the
    cell that fails them."""
    from pydantic import ValidationError

    from coalition_docs.content.load import Document, Position
    from coalition_docs.content.schema import PartnerFile
    from coalition_docs.content.schema_errors import translate

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
            found.append(translate(document, PartnerFile, item))
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
