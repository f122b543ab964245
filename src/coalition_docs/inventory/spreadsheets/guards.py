"""Spreadsheets are data: formulas never run, and files too large to be an inventory are not read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coalition_docs.errors import UsageError

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
