"""A hostile but fair user: odd values, odd files, odd targets, a failing machine.

Every case asserts what the person sees: the exact line, the exit code, no
traceback, nothing leaked, nothing overwritten, the previous output whole.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from coalition_docs.content.validate import load_coalition
from coalition_docs.errors import ContentErrors

from .conftest import edit, run_cli

CLI = [sys.executable, "-m", "coalition_docs.cli"]


def problems(content: Path) -> list[str]:
    with pytest.raises(ContentErrors) as info:
        load_coalition(content)
    return [p.format() for p in info.value.problems]


def partner(content: Path) -> Path:
    return content / "partners" / "city-hall.yaml"


# ---------------------------------------------------------------- values are what was typed


@pytest.mark.parametrize("written", ["02071234567", "0x1F", "1_000", "1:30", ".inf", "0o17", "+44", "1e3", "007"])
def test_numbers_where_text_is_expected_keep_what_was_typed(content, written):
    edit(partner(content), "  title: Mayor", f"  title: Mayor\n  phone: {written}")
    edit(partner(content), "name: City Hall", f"name: {written}")
    coalition = load_coalition(content)
    city = next(p for p in coalition.partners if p.id == "city-hall")
    assert city.name == written
    assert city.contact.phone == written


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "Yes"])
def test_consent_accepts_only_true_or_false(content, word):
    edit(content / "roster.yaml", "    public: true", f"    public: {word}")
    assert problems(content) == [
        f"roster.yaml:8:13: people[0].public: wrong kind of value (expected true or false, found '{word}')\n"
        "    write true or false (YAML's yes/no/on/off are read as text here)"
    ]


def test_yes_and_no_where_text_is_expected_stay_text(content):
    edit(partner(content), "  title: Mayor", "  title: yes")
    city = next(p for p in load_coalition(content).partners if p.id == "city-hall")
    assert city.contact.title == "yes"


def test_a_boolean_where_text_is_expected_says_to_quote_it(content):
    edit(partner(content), "name: City Hall", "name: true")
    assert problems(content) == [
        "partners/city-hall.yaml:1:7: name: wrong kind of value (expected text, found true)\n"
        '    put the value in quotes to keep it as text, e.g. "yes"'
    ]


def test_nul_byte_is_reported_at_its_own_line_and_column(content):
    path = partner(content)
    path.write_bytes(path.read_bytes().replace(b"Alex Mayor", b"Alex\x00Mayor"))
    assert problems(content) == [
        "partners/city-hall.yaml:6:13: control character NUL (U+0000) in the file (expected text; a NUL byte "
        "or other control character is often the sign of a binary file or a bad copy and paste)"
    ]


def test_escaped_control_character_in_quotes_is_located(content):
    edit(partner(content), "  name: Alex Mayor", '  name: "Alex\\aMayor"')
    assert problems(content) == [
        "partners/city-hall.yaml:6:9: contact.name: control character U+0007 in the text "
        "(expected printable text; remove the escape)"
    ]


def test_raw_control_character_in_markdown_page_is_located(content):
    page = content / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "bell \x07 here\n", encoding="utf-8")
    found = problems(content)
    assert len(found) == 1 and found[0].startswith("pages/about.md:") and "U+0007" in found[0]


def test_invalid_utf8_is_located(content):
    path = partner(content)
    path.write_bytes(path.read_bytes().replace(b"Mayor\n", b"May\xffor\n", 1))
    assert problems(content) == [
        "partners/city-hall.yaml:6:17: file is not valid UTF-8 (expected UTF-8 text, found byte 0xff); "
        "save the file as UTF-8"
    ]


def test_impossible_date_is_located(content):
    edit(partner(content), "  rationale: You run the city.", "  rationale: You run the city.\n  sent: 2026-02-30")
    assert problems(content) == [
        "partners/city-hall.yaml:15:9: invitation.sent: not a real date (expected a date such as 2027-01-15, "
        "found '2026-02-30')"
    ]


# ---------------------------------------------------------------- odd files never hang


def test_fifo_in_partners_is_an_error_not_a_hang(content):
    os.mkfifo(content / "partners" / "pipe.yaml")
    result = subprocess.run([*CLI, "check", str(content)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "partners/pipe.yaml:1:1: not a regular file (expected a file, found a FIFO (named pipe))" in result.stderr
    assert "Traceback" not in result.stderr


def test_fifo_in_partners_fails_build_not_hangs_it(content, tmp_path):
    os.mkfifo(content / "partners" / "pipe.yaml")
    result = subprocess.run([*CLI, "build", str(content), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "partners/pipe.yaml:1:1: not a regular file (expected a file, found a FIFO (named pipe))" in result.stderr
    assert "Traceback" not in result.stderr


def test_fifo_in_static_is_an_error_not_a_hang(content):
    (content / "static").mkdir()
    os.mkfifo(content / "static" / "pipe.png")
    assert problems(content) == [
        "static/pipe.png:1:1: not a regular file (expected a file, found a FIFO (named pipe))"
    ]


def test_fifo_given_to_import_is_an_error_not_a_hang(content, tmp_path):
    os.mkfifo(tmp_path / "rows.csv")
    result = subprocess.run([*CLI, "import", str(tmp_path / "rows.csv"), "--content", str(content)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "rows.csv: not a regular file (expected a file, found a FIFO (named pipe))" in result.stderr
    assert "Traceback" not in result.stderr


def test_huge_partner_file_is_refused_before_reading(content):
    with (content / "partners" / "huge.yaml").open("w") as handle:
        handle.write("name: x\n" + "# padding\n" * 600_000)
    assert problems(content) == [
        "partners/huge.yaml:1:1: file is too large (expected at most 5 MiB, found 5.7 MiB)"
    ]


def test_binary_file_posing_as_yaml_is_located(content):
    (content / "partners" / "photo.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    found = problems(content)
    assert found[0].startswith("partners/photo.yaml:1:1: file is not valid UTF-8")


# ---------------------------------------------------------------- privacy whatever links do


def test_static_link_to_the_roster_is_refused_and_nothing_leaks(content, tmp_path, capsys):
    (content / "static").mkdir()
    (content / "static" / "roster.yaml").symlink_to("../roster.yaml")
    assert problems(content) == [
        f"static/roster.yaml:1:1: link to another content file ({(content / 'roster.yaml').resolve()}); only "
        "files inside static/ are published (expected a file in static/, found a link leaving it)"
    ]
    code, _, err = run_cli(capsys, "build", content, "--out", tmp_path / "out", "--only", "site")
    assert code == 1 and "static/roster.yaml:1:1" in err
    assert not (tmp_path / "out").exists()


def test_static_folder_linked_to_the_content_folder_is_refused(content):
    (content / "static").symlink_to(".")
    assert problems(content) == [
        "static/:1:1: static/ is a link (to .); expected a folder: static/ is published whole, so it must be "
        "a real folder inside the content folder"
    ]


def test_partner_file_linked_to_another_content_file_is_refused(content):
    (content / "partners" / "copy.yaml").symlink_to("city-hall.yaml")
    assert problems(content) == [
        "partners/copy.yaml:1:1: link to another content file (partners/city-hall.yaml) (expected a file of its "
        "own, found a link inside the content folder)\n    replace the link by a copy, or remove it"
    ]


def test_linked_folder_inside_the_content_folder_is_refused(content):
    (content / "pages" / "all").symlink_to("..")
    assert problems(content) == [
        "pages/all/:1:1: link to another content file (the content folder itself) (expected a file of its own, "
        "found a link inside the content folder)\n    replace the link by a copy, or remove it"
    ]


def test_link_loop_in_static_is_located(content):
    (content / "static").mkdir()
    (content / "static" / "loop.png").symlink_to("loop.png")
    assert problems(content) == [
        "static/loop.png:1:1: link to a missing file or a link loop (expected a file to publish)"
    ]


def test_link_inside_static_to_static_is_published(content, tmp_path, capsys):
    (content / "static").mkdir()
    (content / "static" / "notes.txt").write_bytes(b"text")
    (content / "static" / "same.txt").symlink_to("notes.txt")
    code, _, _ = run_cli(capsys, "build", content, "--out", tmp_path / "out", "--only", "site")
    assert code == 0
    assert (tmp_path / "out/site/static/same.txt").read_bytes() == b"text"


def test_editor_and_backup_files_are_never_published(content, tmp_path, capsys):
    static = content / "static"
    static.mkdir()
    for name in ("notes.txt~", ".#notes.txt", "notes.txt.swp", "notes.bak", ".env", "#notes#"):
        (static / name).write_text("SECRET", encoding="utf-8")
    (static / ".git").mkdir()
    (static / ".git" / "config").write_text("SECRET", encoding="utf-8")
    (static / "notes.txt").write_text("public", encoding="utf-8")
    code, _, _ = run_cli(capsys, "build", content, "--out", tmp_path / "out", "--only", "site")
    assert code == 0
    published = sorted(p.name for p in (tmp_path / "out/site/static").rglob("*") if p.is_file())
    assert published == ["notes.txt"]


# ---------------------------------------------------------------- check refuses what build would


def test_page_named_like_a_site_page_is_a_check_error(content, capsys):
    (content / "pages" / "index.md").write_text("---\ntitle: Home\n---\nHi\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "check", content)
    assert code == 1
    assert err.startswith("pages/index.md:1:1: the page name 'index' is used by the site itself")


@pytest.mark.parametrize("url", ["https://[::1", "https://example.org:99999/", "https://", "https://exa mple.org",
                                 "ftp://example.org", "javascript:alert(1)"])
def test_web_addresses_later_code_cannot_parse_are_check_errors(content, url):
    edit(content / "partners" / "test-backbone.yaml", "website: https://example.org/", f'website: "{url}"')
    found = problems(content)
    assert len(found) == 1
    assert found[0].startswith("partners/test-backbone.yaml:5:10: website: not a valid web address")


# ---------------------------------------------------------------- nothing a person wrote is overwritten


def test_export_refuses_the_content_folder(content, capsys):
    before = (content / "roster.yaml").read_bytes()
    code, _, err = run_cli(capsys, "export", "--content", content, "--output", content / "roster.yaml",
                           "--format", "csv")
    assert code == 1
    assert err == (f"coalition-docs: error: refusing to write the spreadsheet to {content / 'roster.yaml'}: it is "
                   f"inside the content folder {content.resolve()}, where every file is a person's record "
                   "(choose a path outside it, or add --force)\n")
    assert (content / "roster.yaml").read_bytes() == before


def test_export_refuses_a_file_it_did_not_write_unless_forced(content, tmp_path, capsys):
    target = tmp_path / "budget.csv"
    target.write_text("my,own,numbers\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "export", "--content", content, "--output", target)
    assert code == 1 and "refusing to overwrite" in err and "add --force" in err
    assert target.read_text(encoding="utf-8") == "my,own,numbers\n"
    code, _, _ = run_cli(capsys, "export", "--content", content, "--output", target, "--force")
    assert code == 0 and target.read_text(encoding="utf-8").startswith("Organization")


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_replaces_its_own_file(content, tmp_path, capsys, suffix):
    target = tmp_path / f"inventory.{suffix}"
    assert run_cli(capsys, "export", "--content", content, "--output", target)[0] == 0
    assert run_cli(capsys, "export", "--content", content, "--output", target)[0] == 0


def test_export_below_a_regular_file_is_one_line(content, tmp_path, capsys):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, _, err = run_cli(capsys, "export", "--content", content, "--output", tmp_path / "afile" / "x.csv")
    assert code == 1
    assert err.startswith("coalition-docs: error: cannot use ") and err.count("\n") == 1


def test_schema_out_refuses_a_schema_file_it_did_not_write(tmp_path, capsys):
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "partner.schema.json").write_text("{\"mine\": true}\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "schema", "--out", folder)
    assert code == 1 and "refusing to overwrite" in err
    assert (folder / "partner.schema.json").read_text(encoding="utf-8") == "{\"mine\": true}\n"
    assert not (folder / "coalition.schema.json").exists()  # nothing written when anything is refused
    assert run_cli(capsys, "schema", "--out", folder, "--force")[0] == 0
    assert run_cli(capsys, "schema", "--out", folder)[0] == 0  # its own files it may replace


def test_schema_out_a_file_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")
    code, _, err = run_cli(capsys, "schema", "--out", tmp_path / "x.json")
    assert code == 2 and "is a file (expected a folder for the schema files)" in err


def test_new_refuses_a_folder_with_files(tmp_path, capsys):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep", encoding="utf-8")
    code, _, err = run_cli(capsys, "new", tmp_path / "mine")
    assert code == 2 and "not empty" in err
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep"


# ---------------------------------------------------------------- spreadsheets are data


FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "'=already"]


def _export_with(content: Path, tmp_path: Path, capsys, suffix: str, value: str) -> Path:
    edit(content / "partners" / "test-backbone.yaml", "name: Test Backbone",
         "name: Test Backbone\naligned_initiatives: " + repr(value).replace("\\'", "''"))
    target = tmp_path / f"out.{suffix}"
    assert run_cli(capsys, "export", "--content", content, "--output", target)[0] == 0
    return target


@pytest.mark.parametrize("value", FORMULAS)
def test_csv_export_neutralises_formulas_and_import_reads_them_back(content, tmp_path, capsys, value):
    target = _export_with(content, tmp_path, capsys, "csv", value)
    rows = list(csv.reader(target.open(encoding="utf-8", newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + value in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    from coalition_docs.inventory.spreadsheets.tables import read_sheets

    read_back = [cell.value for sheet in read_sheets(target) for row in sheet.rows for cell in row]
    assert value in read_back


@pytest.mark.parametrize("value", FORMULAS[:4])
def test_xlsx_export_stores_formulas_as_text(content, tmp_path, capsys, value):
    import openpyxl

    target = _export_with(content, tmp_path, capsys, "xlsx", value)
    sheet = openpyxl.load_workbook(target).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == value]
    assert cells and all(cell.data_type == "s" for cell in cells)
    with zipfile.ZipFile(target) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_zip_bomb_workbook_is_refused_before_reading(content, tmp_path, capsys):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(210):
                member.write(block)
    assert bomb.stat().st_size < 1_000_000
    code, _, err = run_cli(capsys, "import", bomb, "--content", content)
    assert code == 2
    assert "bomb.xlsx: the workbook unzips to 210 MiB in 1 parts (expected at most 200 MiB)" in err


def test_damaged_workbook_is_one_line(content, tmp_path, capsys):
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    code, _, err = run_cli(capsys, "import", tmp_path / "bad.xlsx", "--content", content)
    assert code == 2 and err.count("\n") == 1 and "bad.xlsx: not a readable Excel workbook" in err


# ---------------------------------------------------------------- the machine fails


def test_out_below_a_regular_file_is_a_usage_error(content, tmp_path, capsys):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, _, err = run_cli(capsys, "build", content, "--out", tmp_path / "afile" / "out")
    assert code == 2
    assert f"{tmp_path / 'afile'} is a file, so no folder can be made inside it" in err


@pytest.mark.parametrize("port", ["70000", "0", "-1", "http"])
def test_serve_port_out_of_range_is_a_usage_error(content, capsys, port):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(capsys, "serve", content, "--port", port)
    assert exit_info.value.code == 2
    assert "expected a port number from 1 to 65535" in capsys.readouterr().err


def _mount(kind: str, where: Path, options: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None or os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", kind, "-o", options, kind, str(where)], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    where = tmp_path / "disk"
    if not _mount("tmpfs", where, "size=50m"):
        pytest.skip("needs root to mount a tmpfs")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_disk_full_is_one_line_and_leaves_the_previous_output(content, small_disk, capsys):
    out = small_disk / "out"
    assert run_cli(capsys, "build", content, "--out", out, "--only", "site")[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * (free - 4096))
    edit(content / "pages" / "about.md", "---\n", "---\n", )
    (content / "pages" / "about.md").write_text((content / "pages" / "about.md").read_text() + "\nMore.\n")
    code, _, err = run_cli(capsys, "build", content, "--out", out, "--only", "site")
    assert code == 1
    assert err == (f"coalition-docs: error: cannot write the build into {out}: No space left on device "
                   "(free some disk space and try again); the previous output is unchanged\n")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "out"]  # no staging folder left


def test_read_only_output_is_one_line_and_leaves_the_previous_output(content, small_disk, capsys):
    out = small_disk / "out"
    assert run_cli(capsys, "build", content, "--out", out, "--only", "site")[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True).returncode == 0
    (content / "pages" / "about.md").write_text((content / "pages" / "about.md").read_text() + "\nMore.\n")
    code, _, err = run_cli(capsys, "build", content, "--out", out, "--only", "site")
    assert code == 1
    assert err.startswith(f"coalition-docs: error: cannot write the build into {out}: Read-only file system")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_unexpected_error_is_one_line_not_a_traceback(content, capsys, monkeypatch):
    import coalition_docs.cli as cli

    def broken(args):
        raise RuntimeError("something odd")

    monkeypatch.setitem(cli.COMMANDS, "check", broken)
    code, _, err = run_cli(capsys, "check", content)
    assert code == 1
    assert err.startswith("coalition-docs: internal error: RuntimeError: something odd (this is a bug")
    assert "Traceback" not in err


# ---------------------------------------------------------------- themes from anyone


def test_theme_override_cannot_reach_into_python(content, tmp_path, capsys):
    override = tmp_path / "templates" / "site"
    override.mkdir(parents=True)
    (override / "page.html").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "build", content, "--out", tmp_path / "out", "--only", "site")
    assert code == 1
    assert f"{override / 'page.html'}:1" in err
    assert "access to attribute '__class__' of 'str' object is unsafe" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_fifo_in_the_theme_is_an_error_not_a_hang(content, tmp_path):
    override = tmp_path / "templates" / "site"
    override.mkdir(parents=True)
    os.mkfifo(override / "page.html")
    result = subprocess.run([*CLI, "build", str(content), "--out", str(tmp_path / "out"), "--only", "site"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "page.html: not a regular file (expected a file, found a FIFO (named pipe))" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- links and images, found by check


@pytest.mark.parametrize(("link", "message"), [
    ("../../etc/passwd", "link '../../etc/passwd' leaves the site (expected a link from the site root such as "
                         "'members/' or 'static/map.png', found one that climbs out with '..')"),
    ("static/missing.png", "link 'static/missing.png' points at static/missing.png, which is not in static/ "
                           "(expected a file there)"),
    ("/nowhere/", "link '/nowhere/' points at a page the site does not have (expected one of about, coverage, "
                  "members, people, sitemap, statements, static, structure, working-groups, found 'nowhere')"),
])
def test_markdown_links_the_site_cannot_follow_are_check_errors(content, link, message):
    page = content / "pages" / "about.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join(lines) + f"\n\nSee [this]({link}).\n", encoding="utf-8")
    assert problems(content) == [f"pages/about.md:{len(lines) + 2}:1: {message}"]


def test_markdown_link_in_a_partner_summary_is_located_at_the_field(content):
    edit(content / "partners" / "test-backbone.yaml", "name: Test Backbone",
         "name: Test Backbone\nsummary: Read [our plan](../plan.pdf).")
    assert problems(content) == [
        "partners/test-backbone.yaml:2:10: summary: link '../plan.pdf' leaves the site (expected a link from the "
        "site root such as 'members/' or 'static/map.png', found one that climbs out with '..')"
    ]


def test_links_the_site_can_follow_pass(content):
    page = content / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8")
                    + "\n[m](members/) [a](/about/) [w](https://example.org/) [e](mailto:a@example.org) [h](#top)"
                    " [up](../people/)\n",
                    encoding="utf-8")
    load_coalition(content)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("logo.png", b"GIF89a....", "not a PNG image (expected a file that starts like a PNG, found other bytes); "
                                "save it again as PNG"),
    ("photo.jpg", b"\x89PNG\r\n", "not a JPEG image (expected a file that starts like a JPEG, found other bytes)"),
    ("logo.svg", b"PK\x03\x04zip", "not an SVG image (expected an XML file with an <svg> element, found other text)"),
    ("huge.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + (100_000).to_bytes(4, "big") + (100_000).to_bytes(4, "big"),
     "image is too large (expected at most 40,000,000 pixels, found 100000 x 100000); scale it down"),
])
def test_images_that_cannot_be_shown_are_check_errors(content, name, data, message):
    (content / "static").mkdir()
    (content / "static" / name).write_bytes(data)
    assert problems(content) == [f"static/{name}:1:1: {message}"]


def test_deeply_nested_lists_are_located_not_a_crash(content, capsys):
    (content / "partners" / "deep.yaml").write_text("name: x\nsummary: " + "[" * 900 + "]" * 900 + "\n",
                                                    encoding="utf-8")
    code, _, err = run_cli(capsys, "check", content)
    assert code == 1
    assert "partners/deep.yaml:2:59: lists and maps nested too deeply (expected at most 50 levels, found more)" in err
    assert "internal error" not in err


def test_new_refuses_a_folder_inside_a_content_folder(content, capsys):
    code, _, err = run_cli(capsys, "new", content / "partners" / "other")
    assert code == 2
    assert f"inside the content folder {content.resolve()}" in err
    assert not (content / "partners" / "other").exists()


def test_a_build_leaves_nothing_in_the_temporary_folder(content, tmp_path):
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    result = subprocess.run([*CLI, "build", str(content), "--out", str(tmp_path / "out"), "-j", "2"],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in scratch.iterdir()) == []  # WeasyPrint's font copies went with the workers
    assert tempfile.gettempdir() != str(scratch)
