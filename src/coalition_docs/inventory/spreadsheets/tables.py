"""Reading a spreadsheet: the tables of a CSV file or of every sheet of an .xlsx workbook."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coalition_docs.errors import UsageError
from coalition_docs.files import UnreadableFile, check_regular, read_regular
from coalition_docs.inventory.spreadsheets.columns import known_headings, norm, relationship_of
from coalition_docs.inventory.spreadsheets.guards import (
    MAX_CELLS, MAX_SPREADSHEET_BYTES, check_workbook_size, unguard_cell)
from coalition_docs.inventory.spreadsheets.text import decode, separator

# Delimited text: Excel's CSV formats, and its "Unicode Text" (.txt, tab-separated)
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")

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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheets(path: Path, notes: list[str] | None = None) -> list[Sheet]:
    """The tables of a delimited text file (.csv, .tsv, .txt) or of every sheet of an .xlsx workbook;
    how a text file was read is added to `notes`."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        try:
            raw = read_regular(path, MAX_SPREADSHEET_BYTES)
        except UnreadableFile as exc:
            raise UsageError(f"{path}: {exc}") from None
        text = decode(raw, path, [] if notes is None else notes)
        try:
            table = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator(text)))
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
    raise UsageError(f"{path}: expected a .csv or .xlsx file (or .tsv, .txt), found {suffix or 'no extension'}")


def _is_title(text: str) -> bool:
    """A table's title, not an organization with nothing else filled in: "Table 2 ...", "Existing partners"."""
    return norm(text).startswith("table ") or relationship_of(text) is not None


def _tables(name: str, title: str, table: list[list[str]]) -> list[Sheet]:
    """The tables of one sheet. A heading row (two or more of the worksheet's headings) starts a table; a
    row with a single cell just above it is that table's title ("Table 2 Potential new partnerships"); below
    another table, only a row that reads as a title is one (a partner with only its name filled is a row)."""
    known = known_headings()
    rows = [[_text(v) for v in row] for row in table]

    def filled(row: list[str]) -> list[str]:
        return [v for v in row if v]

    heads = [i for i, row in enumerate(rows) if sum(1 for v in row if norm(v) in known) >= 2]
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
