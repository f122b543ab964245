"""From letters to the mailbox: envelopes.pdf and labels.pdf (documents/mail.py).

Page sizes are read with pypdf; what is printed, and where, with pypdf's text
and poppler's `pdftotext -bbox` (a word's box on the page). Expected values come
from the loaded content, never from copies of the example's text.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from coalition_docs.cli import main
from coalition_docs.content.validate import load_coalition
from coalition_docs.documents import mail
from coalition_docs.documents.stage import letter_order

from .conftest import edit, render_documents
from .test_documents import built, example, flat, pdf_text  # noqa: F401 - the example's documents, built once


NO10 = (684.0, 297.0)  # 9.5 x 4.125 in
DL = (623.62, 311.81)  # 220 x 110 mm
LETTER = (612.0, 792.0)
A4 = (595.28, 841.89)
LONG_ADDRESS = ("Attention: Office of Intergovernmental Affairs and Community Partnerships\n"
                "1234 Extraordinarily Long Boulevard of the Pioneers and Veterans Memorial Parkway, Suite 5678\n"
                "Superlongtownnamewithoutanyspacesatallforwrapping, ST 40112-0001")


def size(page) -> tuple[float, float]:
    return (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))


def words(path: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Every word of every page with its box (x0, y0, x1, y1 in points from the top left corner)."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out, re.S):
        pages.append([(html.unescape(w), float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)])
    return pages


def inside(word, box, slack: float = 1.5) -> bool:
    """Whether a word's box is inside `box` (x, y, width, height); a glyph box reaches a little above and
    below its line box (Noto Sans' ascent and descent are 1.36 em, a line 1.2 em)."""
    _, x0, y0, x1, y1 = word
    return box[0] - slack <= x0 and x1 <= box[0] + box[2] + slack and box[1] - slack <= y0 and y1 <= box[1] + box[3] + slack


def overlaps(found) -> list[tuple]:
    """Pairs of words printed over each other (lines set too close, or a box too small)."""
    pairs = []
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            across = min(a[3], b[3]) - max(a[1], b[1])
            down = min(a[4], b[4]) - max(a[2], b[2])
            if across > 0.5 and down > 3:  # glyph boxes of adjacent lines touch by less than that
                pairs.append((a, b))
    return pairs


def test_the_example_has_letters_with_and_without_a_postal_address(example):
    order = letter_order(example)
    assert 0 < len(mail.addressed(order)) < len(order)  # so that the build's warning shows
    assert mail.address_lines(example.convener)


def test_one_no10_envelope_per_addressed_letter_in_letter_order(example, built):
    reader = PdfReader(built / "envelopes.pdf")
    addressed = mail.addressed(letter_order(example))
    assert len(reader.pages) == len(addressed)
    sender = [example.convener.name, *mail.address_lines(example.convener)]
    for page, partner in zip(reader.pages, addressed):
        assert size(page) == NO10
        text = flat(page.extract_text())
        contact = partner.contact
        for line in [contact.name, contact.title, partner.name, *mail.address_lines(partner), *sender]:
            assert flat(line) in text, (partner.id, line)
        # the recipient comes after the return address, in reading order
        assert text.index(flat(contact.name)) > text.index(flat(sender[-1]))
    assert PdfReader(built / "envelopes.pdf").metadata.title == f"{example.name}: envelopes (No. 10)"


def test_every_addressee_is_on_an_avery_5160_label(example, built):
    reader = PdfReader(built / "labels.pdf")
    assert {size(page) for page in reader.pages} == {LETTER}
    text = pdf_text(built / "labels.pdf")
    positions = []
    for partner in mail.addressed(letter_order(example)):
        for line in mail.recipient_lines(partner):
            assert flat(line) in text, (partner.id, line)
        positions.append(text.index(flat(partner.contact.name)))
    assert positions == sorted(positions)  # in the order of letters.pdf


def test_a_partner_without_an_address_gets_no_envelope_or_label_and_the_build_says_so(example, built, capsys,
                                                                                         example_copy):
    missing = [p for p in letter_order(example) if not mail.address_lines(p)]
    assert missing
    for name in ("envelopes.pdf", "labels.pdf"):
        text = pdf_text(built / name)
        assert all(p.contact.name not in text for p in missing)
    content, out = example_copy  # built once already: an edited letter is what this build renders
    edit(content / "partners" / "cafe-nandu-workers-cooperative.yaml",
         "Café Ñandú demuestra cada sábado", "Café Ñandú demuestra todos los sábados")
    code = main(["build", str(content), "--out", str(out), "--only", "documents"])
    err = capsys.readouterr().err
    assert code == 0
    for partner in missing:
        assert re.search(rf"^partners/{partner.id}\.yaml:\d+:\d+: warning: {partner.id} has no postal address "
                         r"\(contact\.address\): its letter gets no envelope and no label$", err, re.M), err
    # a build that finds nothing changed says it again
    assert main(["build", str(content), "--out", str(out), "--only", "documents"]) == 0
    again = capsys.readouterr().err
    assert all(f"warning: {p.id} has no postal address" in again for p in missing), again


def long_address_content(content: Path) -> None:
    """The minimal fixture's letter with an address far too long for a label, and the convener's address."""
    edit(content / "partners" / "city-hall.yaml", "    1 Main St\n    Testville\n",
         "".join(f"    {line}\n" for line in LONG_ADDRESS.splitlines()))
    (content / "partners" / "test-backbone.yaml").write_text(
        (content / "partners" / "test-backbone.yaml").read_text(encoding="utf-8")
        + "contact:\n  name: Pat Manager\n  address: |\n    9 Backbone Road\n    Testville, ST 40100\n",
        encoding="utf-8")


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_very_long_address_shrinks_and_wraps_inside_its_label_and_envelope(content, tmp_path, paper):
    long_address_content(content)
    if paper == "a4":
        edit(content / "coalition.yaml", "working_groups:", "print:\n  paper: a4\nworking_groups:")
    render_documents(content, tmp_path / "out", "labels.pdf", "envelopes.pdf")
    out = tmp_path / "out" / "documents"
    sheet, envelope = mail.PAPERS[paper].labels, mail.PAPERS[paper].envelope
    labels, envelopes = PdfReader(out / "labels.pdf"), PdfReader(out / "envelopes.pdf")
    assert [size(p) for p in labels.pages] == [LETTER if paper == "letter" else A4]
    assert [size(p) for p in envelopes.pages] == [NO10 if paper == "letter" else DL]
    expected = " ".join(["Alex Mayor", "Mayor", "City Hall", *LONG_ADDRESS.splitlines()])
    for name in ("labels.pdf", "envelopes.pdf"):
        text = PdfReader(out / name).pages[0].extract_text()
        # every word printed, in order (a word too long for a line is broken across lines)
        assert re.sub(r"\s", "", expected) in re.sub(r"\s", "", text), text
    assert not overlaps(words(out / "labels.pdf")[0]) and not overlaps(words(out / "envelopes.pdf")[0])
    first_label = (sheet.left, sheet.top, sheet.width, sheet.height)
    assert all(inside(word, first_label) for word in words(out / "labels.pdf")[0]), words(out / "labels.pdf")[0]
    box = envelope.recipient
    recipient = [w for w in words(out / "envelopes.pdf")[0] if w[2] > envelope.sender.y + envelope.sender.height]
    assert recipient and all(inside(w, (box.x, box.y, box.width, box.height)) for w in recipient), recipient
    assert all(inside(w, (0, 0, envelope.width, envelope.height)) for w in words(out / "envelopes.pdf")[0])


def test_fit_shrinks_only_what_does_not_fit():
    sheet = mail.PAPERS["letter"].labels
    width, height = sheet.width - 2 * sheet.padding_x, sheet.height - 2 * sheet.padding_y
    assert mail.fit(["Ana Diaz", "1 Main St", "Testville, ST 40100"], width, height, sheet.sizes) == (10, True)
    size, fits = mail.fit(LONG_ADDRESS.splitlines(), width, height, sheet.sizes)
    assert size < 10 and fits
    assert mail.fit(["word " * 400], width, height, sheet.sizes) == (sheet.sizes[-1], False)
    assert mail.wrap("abcdefghij", mail.text_width("abcde", 10), 10) == ["abcde", "fghij"]


def test_labels_fill_sheets_row_by_row(content):
    """31 addresses: Avery 5160 holds 30 a sheet, L7160 21; the 31st starts a sheet at the top left."""
    template = (content / "partners" / "city-hall.yaml").read_text(encoding="utf-8")
    for i in range(30):
        (content / "partners" / f"office-{i:02d}.yaml").write_text(
            template.replace("name: City Hall", f"name: Office {i:02d}", 1), encoding="utf-8")
    coalition = load_coalition(content)
    order = letter_order(coalition)
    assert len(mail.addressed(order)) == 31
    for paper, per_sheet in (("letter", 30), ("a4", 21)):
        coalition.paper = paper
        sheets = mail.label_context(coalition, order)["sheets"]
        sheet = mail.PAPERS[paper].labels
        assert [len(s) for s in sheets] == [per_sheet, 31 - per_sheet]
        first, second, last = sheets[0][0], sheets[0][1], sheets[0][-1]
        assert (first["x"], first["y"]) == (round(sheet.left, 2), round(sheet.top, 2))
        assert second["x"] == round(sheet.left + sheet.width + sheet.column_gap, 2) and second["y"] == first["y"]
        assert last["y"] == round(sheet.top + (sheet.rows - 1) * sheet.height, 2)
        assert (sheets[1][0]["x"], sheets[1][0]["y"]) == (first["x"], first["y"])
        right = sheet.left + sheet.columns * sheet.width + (sheet.columns - 1) * sheet.column_gap
        assert abs(right + sheet.left - sheet.page_width) < 0.5  # the grid is centred on the page
        assert sheet.top + sheet.rows * sheet.height <= sheet.page_height


def test_no_letter_with_an_address_means_no_envelopes_or_labels(content, tmp_path):
    edit(content / "partners" / "city-hall.yaml", "  address: |\n    1 Main St\n    Testville\n", "")
    written = render_documents(content, tmp_path / "out", "letters.pdf")
    assert "envelopes.pdf" not in written and "labels.pdf" not in written and "letters.pdf" in written
    assert (tmp_path / "out" / "documents" / "letters.pdf").is_file()


@pytest.mark.slow  # labels and envelopes built
def test_an_address_too_long_even_at_the_smallest_size_is_cut_short_inside_its_label(content, tmp_path, capsys):
    absurd = "".join(f"    Building {i}, Wing {i}, Floor {i}, Corridor {i}\n" for i in range(40))
    edit(content / "partners" / "city-hall.yaml", "    1 Main St\n    Testville\n", absurd)
    code = main(["build", str(content), "--out", str(tmp_path / "out"), "--only", "documents", "-j", "1"])
    err = capsys.readouterr().err
    assert code == 0
    assert re.search(r"^partners/city-hall\.yaml:\d+:\d+: warning: the address of city-hall is too long for "
                     r"an Avery 5160 label even at 5\.5 pt: its label is cut short \(shorten the address\)$", err, re.M), err
    labels = tmp_path / "out" / "documents" / "labels.pdf"
    sheet = mail.PAPERS["letter"].labels
    found = words(labels)[0]
    assert found[-1][0].endswith("…") and "Building 39" not in " ".join(w[0] for w in found)
    assert all(inside(w, (sheet.left, sheet.top, sheet.width, sheet.height)) for w in found) and not overlaps(found)
    # the envelope has room for more, and shrinks and cuts the same way
    assert all(inside(w, (0, 0, NO10[0], NO10[1])) for w in words(tmp_path / "out" / "documents" / "envelopes.pdf")[0])
