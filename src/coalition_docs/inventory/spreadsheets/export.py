"""Export: the partner inventory under the worksheet's headings, as CSV or Excel, that import reads back."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from coalition_docs.content.load import load_yaml_file
from coalition_docs.content.model import by_name
from coalition_docs.errors import UsageError
from coalition_docs.files import SIGNATURE, atomic_write
from coalition_docs.inventory.spreadsheets.columns import (COLUMNS, LIST_KINDS, TRANSLATABLE, language_column,
                                                           language_heading, vocabularies)
from coalition_docs.inventory.spreadsheets.guards import guard_cell
from coalition_docs.inventory.spreadsheets.importer import extra_vocabulary

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
    headings = ",".join(heading for heading, *_ in COLUMNS)
    return first == headings or first.startswith(headings + ",") and all(
        language_column(heading) for heading in first[len(headings) + 1:].split(","))


def export_rows(coalition) -> list[list[str]]:
    """The inventory as rows under the worksheet's headings, labels instead of ids."""
    primary, *others = coalition.languages or (coalition.language,)
    translated = [(name, code) for name in TRANSLATABLE for code in others]
    rows = [[heading for heading, *_ in COLUMNS] + [language_heading(name, code) for name, code in translated]]
    vocabs = vocabularies(extra_vocabulary(Path(coalition.content_dir)))
    for partner in by_name(coalition.partners):
        raw = {**partner_data(coalition, partner.id), "id": partner.id}
        texts = {name: raw.get(name) for name in TRANSLATABLE}
        raw.update({name: value.get(primary) for name, value in texts.items() if isinstance(value, dict)})
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
        for name, code in translated:
            value = texts[name].get(code) if isinstance(texts[name], dict) else None
            row.append(str(value).rstrip("\n") if value is not None else "")
        rows.append(row)
    return rows


def partner_data(coalition, partner_id: str) -> dict:
    """A partner's file as written (ids, and no defaults filled in), read as `check` read it."""
    content = Path(coalition.content_dir)
    data = load_yaml_file(content / "partners" / f"{partner_id}.yaml", content).data
    return data if isinstance(data, dict) else {}


def export_spreadsheet(coalition, target: Path, fmt: str) -> int:
    rows = export_rows(coalition)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\r\n").writerows(
            [[guard_cell(cell) if index else cell for cell in row] for index, row in enumerate(rows)])
        atomic_write(target, buffer.getvalue())
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
