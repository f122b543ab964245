"""import reads the text files Excel writes: UTF-8 with or without a BOM, UTF-16 with tabs
("Unicode Text"), Windows-1252 ("CSV (Comma delimited)" in Western locales), semicolons
(European locales). Never mojibake; a file that is none of these is refused as before."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml

from .conftest import FIXTURES, run_cli

ROWS = FIXTURES / "worksheet-rows.csv"
NAME = "Asociación de Niños y Familias"  # é/ñ/ó: bytes that differ between UTF-8 and Windows-1252


def table() -> list[list[str]]:
    with ROWS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][0] = NAME
    return rows


def text(separator: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(table())  # as Excel ends lines
    return out.getvalue()


def imported(capsys, content: Path, sheet: Path) -> tuple[int, str, str, dict]:
    code, out, err = run_cli(capsys, "import", sheet, "--content", content)
    partners = {p.name: yaml.safe_load(p.read_text(encoding="utf-8"))
                for p in sorted((content / "partners").glob("*.yaml"))}
    return code, out, err, partners


@pytest.fixture
def expected(capsys, tmp_path) -> dict:
    """The partners the same rows give when saved as plain UTF-8 with commas."""
    reference = tmp_path / "reference"
    shutil.copytree(FIXTURES / "minimal", reference)
    sheet = tmp_path / "utf8.csv"
    sheet.write_bytes(text(",").encode("utf-8"))
    code, out, err, partners = imported(capsys, reference, sheet)
    assert code == 0, err
    assert partners["asociacion-de-ninos-y-familias.yaml"]["name"] == NAME
    return partners


@pytest.mark.parametrize("name, data", [
    ("bom.csv", b"\xef\xbb\xbf" + text(",").encode("utf-8")),  # Excel's "CSV UTF-8"
    ("european.csv", b"\xef\xbb\xbf" + text(";").encode("utf-8")),  # the same, in a European locale
    ("semicolons.csv", text(";").encode("utf-8")),  # LibreOffice's UTF-8 with semicolons
    ("unicode.txt", text("\t").encode("utf-16")),  # Excel's "Unicode Text": UTF-16 (BOM) with tabs
    ("unicode-be.tsv", b"\xfe\xff" + text("\t").encode("utf-16-be")),
])
def test_excel_text_formats_import_the_same_partners(capsys, content, tmp_path, expected, name, data):
    sheet = tmp_path / name
    sheet.write_bytes(data)
    code, out, err, partners = imported(capsys, content, sheet)
    assert (code, err) == (0, "")
    assert "Windows-1252" not in out
    assert partners == expected


def test_a_windows_1252_csv_is_read_as_such_and_says_so(capsys, content, tmp_path, expected):
    sheet = tmp_path / "comma-delimited.csv"  # Excel's "CSV (Comma delimited)" in a Western locale
    data = text(",").encode("cp1252")
    assert "ñ".encode("cp1252") in data
    sheet.write_bytes(data)
    code, out, err, partners = imported(capsys, content, sheet)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == ("comma-delimited.csv: read as Windows-1252, as it is not UTF-8 (Excel's "
                                   "\"CSV UTF-8\" format saves every language's letters)")
    assert partners == expected  # "Asociación", never "AsociaciÃ³n"
    written = (content / "partners" / "asociacion-de-ninos-y-familias.yaml").read_text(encoding="utf-8")
    assert NAME in written and "Ã" not in written


def test_a_windows_1252_csv_with_semicolons(capsys, content, tmp_path, expected):
    sheet = tmp_path / "european-1252.csv"
    sheet.write_bytes(text(";").encode("cp1252"))
    code, out, err, partners = imported(capsys, content, sheet)
    assert (code, partners) == (0, expected)
    assert "read as Windows-1252" in out.splitlines()[0]


@pytest.mark.parametrize("byte", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_bytes_undefined_in_windows_1252_are_refused(capsys, content, tmp_path, byte):
    sheet = tmp_path / "odd.csv"
    data = text(",").encode("cp1252")
    sheet.write_bytes(data.replace(b"Chamber", b"Cham" + bytes([byte]) + b"ber"))
    code, out, err = run_cli(capsys, "import", sheet, "--content", content)
    assert code == 2 and out == ""
    assert err == (f"coalition-docs: error: {sheet}: not UTF-8 text (expected a CSV file saved as UTF-8, found "
                   f"byte 0x{byte:02x} on line 4, which is neither UTF-8 nor Windows-1252)\n")
    assert list((content / "partners").glob("asociacion*")) == []


@pytest.mark.parametrize("name, data, where, char", [
    ("nul.csv", text(",").encode("utf-8").replace(b"Forest City Chamber", b"Forest\x00City Chamber"),
     "4:7", "NUL (U+0000)"),
    ("nul-1252.csv", text(",").encode("cp1252").replace(b"Chamber", b"Cham\x00ber"), "4:17", "NUL (U+0000)"),
    ("bell.txt", text("\t").replace("Private-sector", "Private\x07sector").encode("utf-16"), "4:40", "U+0007"),
    ("utf16-no-bom.txt", text("\t").encode("utf-16-le"), "1:2", "NUL (U+0000)"),
])
def test_control_characters_are_refused_at_their_place(capsys, content, tmp_path, name, data, where, char):
    sheet = tmp_path / name
    sheet.write_bytes(data)
    code, out, err = run_cli(capsys, "import", sheet, "--content", content)
    assert code == 2 and out == ""
    assert err == (f"coalition-docs: error: {sheet}:{where}: control character {char} in the file (expected "
                   "text; a NUL byte or other control character is often the sign of a binary file or a bad "
                   "copy and paste)\n")


def test_the_separator_comes_from_the_heading_row_not_from_the_cells(capsys, content, tmp_path, expected):
    """Cells full of semicolons and commas do not mislead: the headings decide."""
    rows = table()
    rows[1][5] = "Strong data-sharing capabilities; experience conducting deep and meaningful community engagement"
    sheet = tmp_path / "tabs.tsv"
    sheet.write_text("\r\n".join("\t".join(row) for row in rows) + "\r\n", encoding="utf-8")
    code, out, err, partners = imported(capsys, content, sheet)
    assert (code, err) == (0, "")
    assert partners == expected


def test_utf8_letters_beside_a_stray_byte_are_refused_not_turned_into_mojibake(capsys, content, tmp_path):
    sheet = tmp_path / "mixed.csv"  # rows pasted from two files: UTF-8 "ó", then a Windows-1252 "é"
    sheet.write_bytes(text(",").encode("utf-8").replace(b"Chamber", "Chambér".encode("cp1252")))
    code, out, err = run_cli(capsys, "import", sheet, "--content", content)
    assert code == 2 and out == ""
    assert err == (f"coalition-docs: error: {sheet}: not UTF-8 text (expected a CSV file saved as UTF-8, found "
                   "byte 0xe9 on line 4 in a file whose other letters are UTF-8)\n")
