"""print.paper and print.duplex (coalition.yaml, content-format v1.1): page sizes and double-sided letters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from coalition_docs.content.validate import load_coalition
from coalition_docs.documents.assemble import BLANK_NOTE
from coalition_docs.phases import build
from coalition_docs.errors import ContentErrors

from .conftest import edit
from .test_pdfjoin import structure_problems

LETTER = (612.0, 792.0)
A4 = (595.28, 841.89)


def size(page) -> tuple[float, float]:
    box = page.mediabox
    return (round(float(box.width), 2), round(float(box.height), 2))


def sizes(folder: Path) -> dict[str, set[tuple[float, float]]]:
    return {p.relative_to(folder).as_posix(): {size(page) for page in PdfReader(p).pages}
            for p in sorted(folder.rglob("*.pdf")) if "/." not in p.as_posix()}


def set_print(content: Path, text: str) -> None:
    edit(content / "coalition.yaml", "working_groups:", f"print:\n{text}working_groups:")


@pytest.mark.slow  # every document built on both papers
def test_every_pdf_is_letter_by_default_and_a4_when_asked(content, tmp_path):
    build(content, tmp_path / "out", only="documents", jobs=1)
    letter = sizes(tmp_path / "out" / "documents")
    assert {"worksheet.pdf", "letters.pdf", "letters/city-hall.pdf", "positionality/team.pdf"} <= set(letter)
    # envelopes have a size of their own (tests/test_mail.py); everything else is the paper
    assert all(found == {LETTER} for path, found in letter.items() if path != "envelopes.pdf"), letter

    set_print(content, "  paper: a4\n")
    result = build(content, tmp_path / "out", only="documents", jobs=1)
    a4 = sizes(tmp_path / "out" / "documents")
    assert set(a4) == set(letter)
    assert all(found == {A4} for path, found in a4.items() if path != "envelopes.pdf"), a4
    # the paper is part of every PDF's key: nothing of the letter build is reused
    assert not [p for p in result.reused if p.endswith(".pdf")], result.reused


@pytest.mark.slow  # every document built on both papers
def test_a4_margins_follow_the_paper(content, tmp_path):
    """The text block of a letter sits inside A4's width with the theme's A4 margins."""
    set_print(content, "  paper: a4\n")
    build(content, tmp_path / "out", only="documents", jobs=1)
    page = PdfReader(tmp_path / "out" / "documents" / "letters" / "city-hall.pdf").pages[0]
    xs = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, font_size: xs.append(tm[4] * cm[0] + cm[4])
                      if text.strip() else None)
    left = min(xs)
    assert abs(left - 24 / 25.4 * 72) < 1.5, left  # paper-a4.css: 24 mm (68 pt), not letter paper's 1 in (72 pt)


def test_print_settings_are_checked_where_they_are_written(content):
    set_print(content, "  paper: A5\n  duplex: sometimes\n  colour: true\n")
    with pytest.raises(ContentErrors) as caught:
        load_coalition(content)
    messages = [str(p) for p in caught.value.problems]
    assert any(re.match(r"coalition\.yaml:\d+:\d+: print\.paper: .*expected one of letter, a4, found 'A5'", m)
               for m in messages), messages
    assert any(re.match(r"coalition\.yaml:\d+:\d+: print\.duplex: .*expected true or false", m)
               for m in messages), messages
    assert any("unknown field 'colour' in print" in m for m in messages), messages


def long_letter(content: Path) -> None:
    """A partner whose letter runs to three pages and prints before city-hall (by name)."""
    text = (content / "partners" / "city-hall.yaml").read_text(encoding="utf-8")
    text = text.replace("name: City Hall", "name: Aardvark Housing Trust", 1)
    story = " ".join(["We have worked beside you on the east bank for years, and we would like to keep going."] * 60)
    text = re.sub(r"rationale: .*", "rationale: >\n    " + story, text, count=1)
    (content / "partners" / "aardvark.yaml").write_text(text, encoding="utf-8")


@pytest.mark.slow  # every document built on both papers
def test_duplex_starts_every_letter_on_a_right_hand_page(content, tmp_path):
    long_letter(content)
    assert "name: City Hall" in (content / "partners" / "city-hall.yaml").read_text(encoding="utf-8")
    set_print(content, "  duplex: true\n")
    build(content, tmp_path / "out", only="documents", jobs=1)
    out = tmp_path / "out" / "documents"
    own = {pid: len(PdfReader(out / "letters" / f"{pid}.pdf").pages) for pid in ("aardvark", "city-hall")}
    assert own["aardvark"] % 2 == 1, own  # the case that needs a blank page
    reader = PdfReader(out / "letters.pdf")
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert all(start % 2 == 0 for start in starts), starts  # 0-based: pages 1, 3, 5, ...
    assert len(reader.pages) == sum(n + n % 2 for n in own.values())
    titles = [item.title for item in reader.outline]
    assert titles[0].endswith(BLANK_NOTE) and "Aardvark" in titles[0], titles
    assert (not titles[1].endswith(BLANK_NOTE)) == (own["city-hall"] % 2 == 0), titles
    blank = reader.pages[own["aardvark"]]
    assert blank.extract_text().strip() == ""
    assert blank.get_contents().get_data().strip() == b"/Artifact <</Type /Pagination>> BDC\nEMC"
    assert size(blank) == size(reader.pages[0])
    assert structure_problems(out / "letters.pdf") == []


@pytest.mark.slow  # every document built on both papers
def test_without_duplex_letters_follow_each_other(content, tmp_path):
    long_letter(content)
    build(content, tmp_path / "out", only="documents", jobs=1)
    out = tmp_path / "out" / "documents"
    own = [len(PdfReader(out / "letters" / f"{pid}.pdf").pages) for pid in ("aardvark", "city-hall")]
    reader = PdfReader(out / "letters.pdf")
    assert len(reader.pages) == sum(own)
    assert [reader.get_destination_page_number(item) for item in reader.outline] == [0, own[0]]
    assert not any(item.title.endswith(BLANK_NOTE) for item in reader.outline)


def test_the_workers_paper_hint_never_blocks_and_never_fails(tmp_path):
    # Read before the content is loaded, to set the workers up while it is: a hint only.
    import os

    from coalition_docs.documents.stage import paper_hint

    content = tmp_path / "content"
    content.mkdir()
    assert paper_hint(content) == "letter"  # no coalition.yaml yet
    (content / "coalition.yaml").write_text("name: X\nprint:\n  paper: a4\n", encoding="utf-8")
    assert paper_hint(content) == "a4"
    (content / "coalition.yaml").write_text("print: [not, a, map\n", encoding="utf-8")
    assert paper_hint(content) == "letter"
    (content / "coalition.yaml").write_text("print:\n  paper: legal\n", encoding="utf-8")
    assert paper_hint(content) == "letter"
    (content / "coalition.yaml").unlink()
    os.mkfifo(content / "coalition.yaml")
    assert paper_hint(content) == "letter"  # a FIFO is not waited on
