"""A delimited text file as Excel and LibreOffice save it: its encoding and its separator.

Excel's "CSV UTF-8" is UTF-8 with a byte order mark; its "CSV (Comma delimited)" is
Windows-1252 in Western locales; its "Unicode Text" is UTF-16 with tabs; and European
locales separate with semicolons. Each is read as what it is, never guessed into mojibake:
Windows-1252 is tried only when a file is not UTF-8, only if every byte is defined in it
(0x81, 0x8D, 0x8F, 0x90 and 0x9D are not), and the person is told.
"""

from __future__ import annotations

import codecs
import csv
import re
from pathlib import Path

from coalition_docs.content.load import line_column
from coalition_docs.content.scalars import CONTROL, char_name
from coalition_docs.errors import UsageError
from coalition_docs.inventory.spreadsheets.columns import known_headings, norm

SEPARATORS = (",", ";", "\t")
# A letter encoded as UTF-8 (two to four bytes), which Windows-1252 text hardly ever holds ("Ã©")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def decode(raw: bytes, path: Path, notes: list[str]) -> str:
    """The file's text; a note in `notes` when it was read as Windows-1252."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise UsageError(f"{path}: not UTF-16 text, although it starts as UTF-16 does (expected a CSV "
                             "file saved as UTF-8)") from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if _UTF8_SEQUENCE.search(raw):  # UTF-8 letters beside a stray byte: Windows-1252 makes mojibake
                raise UsageError(f"{path}: not UTF-8 text (expected a CSV file saved as UTF-8, found byte "
                                 f"0x{raw[exc.start]:02x} on line {_line(raw, exc.start)} in a file whose other "
                                 "letters are UTF-8)") from None
            try:
                text = raw.decode("cp1252")  # strict: the five bytes Windows-1252 leaves undefined fail
            except UnicodeDecodeError as exc:
                raise UsageError(f"{path}: not UTF-8 text (expected a CSV file saved as UTF-8, found byte "
                                 f"0x{raw[exc.start]:02x} on line {_line(raw, exc.start)}, which is neither UTF-8 nor "
                                 "Windows-1252)") from None
            notes.append(f"{path.name}: read as Windows-1252, as it is not UTF-8 (Excel's \"CSV UTF-8\" "
                         "format saves every language's letters)")
    bad = CONTROL.search(text)
    if bad:
        line, column = line_column(text, bad.start())
        raise UsageError(f"{path}:{line}:{column}: control character {char_name(bad.group())} in the file "
                         "(expected text; a NUL byte or other control character is often the sign of a "
                         "binary file or a bad copy and paste)")
    return text


def _line(raw: bytes, index: int) -> int:
    return raw.count(b"\n", 0, index) + 1


def separator(text: str) -> str:
    """The separator of a heading row: the one that splits out the most of the worksheet's
    headings in the first rows; without any known heading, the one that splits the first row
    into the most cells (a comma if none splits it)."""
    known = known_headings()
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    best, score = ",", (0, 1)
    for candidate in SEPARATORS:
        rows = list(csv.reader(lines, delimiter=candidate))
        found = max((sum(1 for cell in row if norm(cell) in known) for row in rows), default=0)
        cells = len(rows[0]) if rows else 0
        if (found, cells) > score:
            best, score = candidate, (found, cells)
    return best
