"""What the tool reads from a content folder (files.py, content/static.py): odd files never hang,
links never publish what is private, editor files never publish, images that cannot be shown are errors."""

from __future__ import annotations

import os

import pytest

from .conftest import problems, run_cli, within


# A FIFO's open() waits for a writer: the commands run here, stopped if they wait (`within`).
def test_fifo_in_partners_is_an_error_not_a_hang(content, capsys):
    os.mkfifo(content / "partners" / "pipe.yaml")
    with within(60):
        code, _, err = run_cli(capsys, "check", content)
    assert code == 1
    assert "partners/pipe.yaml:1:1: not a regular file (expected a file, found a FIFO (named pipe))" in err
    assert "Traceback" not in err


def test_fifo_in_partners_fails_build_not_hangs_it(content, tmp_path, capsys):
    os.mkfifo(content / "partners" / "pipe.yaml")
    with within(60):
        code, _, err = run_cli(capsys, "build", content, "--out", tmp_path / "out")
    assert code == 1
    assert "partners/pipe.yaml:1:1: not a regular file (expected a file, found a FIFO (named pipe))" in err
    assert "Traceback" not in err


def test_fifo_in_static_is_an_error_not_a_hang(content):
    (content / "static").mkdir()
    os.mkfifo(content / "static" / "pipe.png")
    assert problems(content) == [
        "static/pipe.png:1:1: not a regular file (expected a file, found a FIFO (named pipe))"
    ]


def test_fifo_given_to_import_is_an_error_not_a_hang(content, tmp_path, capsys):
    os.mkfifo(tmp_path / "rows.csv")
    with within(60):
        code, _, err = run_cli(capsys, "import", tmp_path / "rows.csv", "--content", content)
    assert code == 2
    assert "rows.csv: not a regular file (expected a file, found a FIFO (named pipe))" in err
    assert "Traceback" not in err


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


def test_fifo_in_the_theme_is_an_error_not_a_hang(content, tmp_path, capsys):
    override = tmp_path / "templates" / "site"
    override.mkdir(parents=True)
    os.mkfifo(override / "page.html")
    with within(60):
        code, _, err = run_cli(capsys, "build", content, "--out", tmp_path / "out", "--only", "site")
    assert code == 1
    assert "page.html: not a regular file (expected a file, found a FIFO (named pipe))" in err
    assert "Traceback" not in err


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

