"""The worksheet in pieces (documents/pieces.py, documents/assemble.py).

A long worksheet is laid out in pieces and assembled into one tagged PDF. The
example coalition is short, so these tests cut it into small pieces (the
thresholds are module settings); what they check is what a reader sees: a
"Page N of M" on every page, one structure tree, a title, a language, the
same bytes every build, and an edit that lays out only the pieces showing it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from coalition_docs.content.validate import load_coalition
from coalition_docs.documents import pieces
from coalition_docs.phases import build

from .conftest import EXAMPLE, ExampleBuild, edit
from .test_pdfjoin import structure_problems



SMALL = {"PIECES_FROM_ROWS": 5, "RUN": 4, "MIN_CHARS": 3 * 300, "MAX_CHARS": 8 * 300}


@pytest.fixture
def small_pieces(monkeypatch):
    for name, value in SMALL.items():
        monkeypatch.setattr(pieces, name, value)


@pytest.fixture(scope="module")
def cut(tmp_path_factory) -> ExampleBuild:
    """The example's documents built once in small pieces (read only, or copied to edit)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SMALL.items():
            patch.setattr(pieces, name, value)
        return ExampleBuild(tmp_path_factory.mktemp("pieces"), only="documents")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "project" / "content"
    shutil.copytree(EXAMPLE, target)
    return target


def piece_files(out: Path) -> set[str]:
    return {p.name for p in (out / "documents" / ".pieces" / "worksheet").glob("*.pdf")}


@pytest.mark.slow  # the worksheet of a large coalition, cut and assembled
def test_every_page_of_the_assembled_worksheet_says_page_n_of_m(cut):
    out, result = cut.out, cut.result
    assert len(piece_files(out)) >= 6  # it really was cut: parts and runs of rows
    assert "worksheet.pdf" in result.written["documents"]
    assert not [p for p in result.written["documents"] if ".pieces" in p]  # pieces are not shown as PDFs
    coalition = load_coalition(cut.content)
    owner = f"{coalition.name} · {coalition.community}"
    reader = PdfReader(out / "documents" / "worksheet.pdf")
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text()
        assert re.findall(r"Page \d+ of \d+", text) == [f"Page {number} of {total}"], f"page {number}"
        assert owner in text, f"page {number} lacks its footer's owner"
    # Long tables repeat their header row on every page of every run.
    starts = [i for i, page in enumerate(reader.pages) if "Populations served" in page.extract_text()]
    assert len(starts) >= 3


@pytest.mark.slow  # the worksheet of a large coalition, cut and assembled
def test_the_assembled_worksheet_is_one_tagged_pdf(cut):
    out = cut.out
    assert structure_problems(out / "documents" / "worksheet.pdf") == []
    reader = PdfReader(out / "documents" / "worksheet.pdf")
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert root["/Lang"] == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title.startswith("Identifying potential coalition members")
    assert b"pdfuaid:part>1<" in root["/Metadata"].get_object().get_data()
    tree = root["/StructTreeRoot"]
    [document] = tree["/K"]
    document = document.get_object()
    assert document["/S"] == "/Document"
    kids = [k.get_object() for k in document["/K"]]
    assert {k["/S"] for k in kids} == {"/Part"} and len(kids) >= 6
    # Every page's marked content is reachable: each page's key is in the ParentTree.
    nums = tree["/ParentTree"]["/Nums"]
    keys = {int(nums[i]) for i in range(0, len(nums), 2)}
    assert all(int(page["/StructParents"]) in keys for page in reader.pages)
    assert int(tree["/ParentTreeNextKey"]) > max(keys)
    # The footers are pagination artifacts, outside the structure tree.
    content = reader.pages[0].get_contents().get_data()
    assert b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in content
    titles = [item["/Title"] for item in reader.outline]
    assert "Part 4 What each partner could add" in titles


@pytest.mark.slow  # the worksheet of a large coalition, cut and assembled
def test_each_font_is_in_the_assembled_worksheet_once(cut):
    # Each piece (and the footers) embeds its own subset of a face; the whole has one of each.
    out = cut.out
    assert len(piece_files(out)) >= 6
    listed = subprocess.run(["pdffonts", str(out / "documents" / "worksheet.pdf")], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    names = [line.split()[0] for line in listed]
    assert len(names) >= 3 and len(names) == len(set(names))
    text = "".join(page.extract_text() for page in PdfReader(out / "documents" / "worksheet.pdf").pages)
    assert "Café Ñandú Workers' Cooperative" in re.sub(r"\s+", " ", text)


@pytest.mark.slow  # the example's documents built twice
def test_same_content_same_worksheet_bytes(small_pieces, example, tmp_path):
    build(example, tmp_path / "one", only="documents", jobs=2)
    build(example, tmp_path / "two", only="documents", jobs=1)
    one = (tmp_path / "one" / "documents" / "worksheet.pdf").read_bytes()
    assert one == (tmp_path / "two" / "documents" / "worksheet.pdf").read_bytes()
    assert piece_files(tmp_path / "one") == piece_files(tmp_path / "two")


@pytest.mark.slow  # the worksheet of a large coalition, cut and assembled
def test_a_one_partner_edit_lays_out_only_the_pieces_that_show_it(small_pieces, cut):
    example, out = cut.copy()
    before = piece_files(out)
    edit(example / "partners" / "cafe-nandu-workers-cooperative.yaml",
         "motivations:", "motivations: Edited for the test.")
    result = build(example, out, only="documents", jobs=1)
    laid_out = [p for p in result.rendered if "/.pieces/" in p]
    assert len(laid_out) == 1  # the run of table 3 that shows this partner
    assert len(before) >= 6 and len(piece_files(out) - before) == 1
    assert set(result.rendered) - set(laid_out) == {"documents/worksheet.pdf"}
    text = "".join(page.extract_text() for page in PdfReader(out / "documents" / "worksheet.pdf").pages)
    assert "Edited for the test." in re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("count", [0, 1, 11, 12, 13, 40, 119, 120, 121, 500])
def test_runs_of_rows_keep_every_row_once_in_order(count):
    rows = [f"<tr><td>row {i} {'x' * (i * 37 % 900)}</td></tr>" for i in range(count)]
    runs = pieces._runs(rows)
    assert [row for run in runs for row in run] == rows
    longest = max(map(len, rows), default=0)
    assert all(sum(map(len, run)) < pieces.MAX_CHARS + pieces.MIN_CHARS + longest for run in runs)
    assert all(sum(map(len, run)) >= pieces.MIN_CHARS for run in runs[1:])


@pytest.mark.parametrize("html", [
    "<table><tr><td>a</td></tr><tr class=\"x\"><td>b</td></tr></table>",
    "<video><track src=\"t.vtt\"></video><tr><td>a <b>bold</b></td></tr><tr_x>",  # <track> is no row
    "<tr><td>opened, never closed</td>",
    "<tr\n  class=\"y\"><td>a</td>\n</tr>",
])
def test_rows_are_found_as_a_regular_expression_finds_them(html):
    assert pieces._rows(html) == re.findall(r"<tr\b.*?</tr>", html, re.S)
    assert pieces._rows(html, 3, len(html) - 2) == re.compile(r"<tr\b.*?</tr>", re.S).findall(html, 3, len(html) - 2)


def test_a_worksheet_without_parts_or_body_stays_one_document(small_pieces):
    rows = "".join(f"<tr><td>{i}</td></tr>" for i in range(20))
    assert pieces.split(f"<table><tbody>{rows}</tbody></table>") is None  # no <body> (a theme's fragment)
    whole = f"<html><body><table><tbody>{rows}</tbody></table><table><tbody>{rows}</tbody></table></body></html>"
    [piece] = pieces.split(whole)  # no part to cut at, two tables in one part: not cut
    assert piece.html.count("<tr>") == 40


@pytest.mark.slow  # the example's documents built five times
def test_the_assembly_after_an_edit_places_again_only_the_edited_piece(small_pieces, example, tmp_path,
                                                                       monkeypatch):
    # Pieces are numbered apart, and each placement is kept beside the pieces: the next assembly
    # renumbers only the piece that changed, and writes the bytes a clean build writes. A damaged
    # file of placements costs only time.
    from coalition_docs.documents import assemble, stage

    out, clean = tmp_path / "out", tmp_path / "clean"
    build(example, out, only="documents", jobs=1)
    placements = out / "documents" / ".pieces" / "worksheet" / pieces.PLACEMENTS
    assert placements.is_file()
    placed: list[int] = []
    real = assemble.place
    monkeypatch.setattr(stage, "place", lambda pdf, index, *a: placed.append(index) or real(pdf, index, *a))
    edit(example / "partners" / "cafe-nandu-workers-cooperative.yaml",
         "motivations:", "motivations: Edited for the test, at enough length to take another line or two.")
    build(example, out, only="documents", jobs=1)
    assert len(placed) == 1  # the run of table 3 that shows this partner
    build(example, clean, only="documents", jobs=1)
    assert len(placed) > 6  # a clean build places every piece
    worksheet = (out / "documents" / "worksheet.pdf").read_bytes()
    assert worksheet == (clean / "documents" / "worksheet.pdf").read_bytes()
    assert structure_problems(out / "documents" / "worksheet.pdf") == []
    placements.write_bytes(b"\x00not a placement file")
    edit(example / "partners" / "cafe-nandu-workers-cooperative.yaml", "Edited for the test", "Edited again")
    placed.clear()
    build(example, out, only="documents", jobs=1)
    build(example, clean, only="documents", jobs=1, clean=True)
    assert len(placed) > 12  # nothing kept could be read: every piece placed, twice
    assert (out / "documents" / "worksheet.pdf").read_bytes() == (clean / "documents" / "worksheet.pdf").read_bytes()
