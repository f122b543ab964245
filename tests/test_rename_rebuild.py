"""A member renamed: its rows move across the runs of the long tables, and the rebuild stays small and exact.

The worksheet (its partner tables) and the contact sheet (its partner contacts)
list partners by name, so a rename moves a row from one run of rows to
another (documents/pieces.py). The rebuild lays out again only the runs the
row leaves and enters, and writes, file for file, the bytes a clean build of
the renamed content writes. The example coalition is short: it is cut into
small pieces here (the thresholds are module settings), as a long one is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from coalition_docs.documents import pieces
from coalition_docs.phases import build

from .conftest import edit
from .test_pdfjoin import structure_problems
from .test_worksheet_pieces import example, small_pieces  # noqa: F401 - fixtures


def shown(out: Path) -> dict[str, bytes]:
    """Every file of the output a person sees (not the engine's hidden files), with its bytes."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)}


def first_member(content: Path) -> tuple[Path, str]:
    found = []
    for path in (content / "partners").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"(?m)^stage: member$", text):
            found.append((re.search(r"(?m)^name: (.*)$", text).group(1), path))
    name, path = min(found)
    return path, name


def pieces_of(result, document: str) -> list[str]:
    return [p for p in result.rendered if f"/.pieces/{document}/" in p]


@pytest.mark.slow  # a coalition large enough to cut, built and renamed
def test_a_rename_lays_out_only_the_runs_its_rows_leave_and_enter(small_pieces, example, tmp_path):
    out, clean = tmp_path / "out", tmp_path / "clean"
    full = build(example, out, jobs=1)
    worksheet_pieces = len(pieces_of(full, "worksheet"))
    contact_pieces = len(pieces_of(full, "contacts"))
    assert worksheet_pieces >= 8 and contact_pieces >= 3  # both long documents really were cut
    path, name = first_member(example)
    edit(path, f"name: {name}", "name: Zzz Renamed To The End")
    result = build(example, out, jobs=1)
    # Its row leaves the first run of two tables of the worksheet (its relationship's and table 3)
    # and enters their last; one in the contact sheet, and the chunks before it that show its people
    # (their organization): a group or two of them. A boundary that moves with it costs one more.
    assert 2 <= len(pieces_of(result, "worksheet")) <= 6
    assert 1 <= len(pieces_of(result, "contacts")) <= 5
    assert {"documents/worksheet.pdf", "documents/contacts.pdf"} <= set(result.rendered)
    assert not [p for p in result.rendered if p.startswith("documents/letters")]
    build(example, clean, jobs=1, clean=True)
    mine, theirs = shown(out), shown(clean)
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []
    text = " ".join(page.extract_text() for page in PdfReader(out / "documents" / "contacts.pdf").pages)
    assert "Zzz Renamed To The End" in re.sub(r"\s+", " ", text) and name not in text


def outline(items, reader) -> list:
    """(title, page number, children) of each bookmark, as a reader shows them."""
    tree, previous = [], None
    for item in items:
        if isinstance(item, list):
            previous[2].extend(outline(item, reader))
            continue
        previous = (item.title, reader.get_destination_page_number(item), [])
        tree.append(previous)
    return tree


@pytest.mark.slow  # the contact sheet built whole and in pieces
def test_the_contact_sheet_in_pieces_keeps_its_text_bookmarks_and_anchors(small_pieces, example, tmp_path,
                                                                        monkeypatch):
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    build(example, cut, only="documents", jobs=1)
    monkeypatch.setattr(pieces, "PIECES_FROM_ROWS", 10_000)  # as a short coalition is: one document
    build(example, whole, only="documents", jobs=1)
    assert (cut / "documents" / ".pieces" / "contacts").is_dir()
    assert not (whole / "documents" / ".pieces" / "contacts").exists()
    one, many = (PdfReader(w / "documents" / "contacts.pdf") for w in (whole, cut))

    def words(reader) -> str:  # every page's text, without its footer and the header rows repeated on each
        text = " ".join(page.extract_text() for page in reader.pages)
        return " ".join(re.sub(r"Page \d+ of \d+|Marlow Falls Mobility Coalition · Internal: do not share|"
                               r"Name\s+Organization\s+E-mail\s+Phone", "", text).split())

    assert words(many) == words(one)
    total = len(many.pages)
    for number, page in enumerate(many.pages, 1):
        assert re.findall(r"Page \d+ of \d+", page.extract_text()) == [f"Page {number} of {total}"]

    def titles(tree) -> list:
        return [(title, titles(children)) for title, _, children in tree]

    mine = outline(many.outline, many)
    assert titles(mine) == titles(outline(one.outline, one))
    assert [title for title, _ in titles(mine)[0][1]][-1] == "Partner contacts"
    # Each bookmark and named destination points at the page that shows its heading.
    for title, page, _ in mine[0][2]:
        assert title in many.pages[page].extract_text()
    anchors = {name: many.get_destination_page_number(dest) for name, dest in many.named_destinations.items()}
    assert set(anchors) == set(one.named_destinations) and "partners" in anchors
    assert "Partner contacts" in many.pages[anchors["partners"]].extract_text()
    assert structure_problems(cut / "documents" / "contacts.pdf") == []


def test_a_long_table_is_cut_only_inside_its_own_section(small_pieces):
    rows = "".join(f"<tr><td>{i} {'x' * 400}</td></tr>" for i in range(40))
    table = f"<table><thead><tr><th>h</th></tr></thead><tbody>{rows}</tbody></table>"
    head = "<html><head><title>t</title></head><body>"
    cut = pieces.split(f"{head}<p>before</p><section id=\"s\"><h2>S</h2>{table}</section></body></html>",
                       parts=False)
    assert cut is not None and len(cut) >= 3
    assert cut[0].html.count("<tr>") == 0 and "before" in cut[0].html  # what comes before: a piece of its own
    assert all(piece.title is None for piece in cut)
    assert all(piece.html.count("<section") == piece.html.count("</section>") for piece in cut)
    assert sum(piece.html.count("<tr>") - piece.html.count("<th>") for piece in cut[1:]) == 40
    assert 'id="s"' in cut[1].html and all('id="s"' not in piece.html for piece in cut[2:])
    # A table inside another element than a section is left whole.
    assert len(pieces.split(f"{head}<div><section>{table}</section><div>{table}</div></div></body></html>",
                            parts=False)) == 1


def test_what_comes_before_the_long_table_is_cut_at_its_sections_and_group_headings(small_pieces):
    def group(name: str) -> str:
        rows = "".join(f"<tr><td>{name} {i} {'x' * 300}</td></tr>" for i in range(3))
        return f"<h3>{name}</h3><table><tbody>{rows}</tbody></table>"

    before = (f'<header><h1>Contact sheet</h1></header><section id="team"><h2>Team</h2>{group("T")}</section>'
              f'<section id="groups"><h2>Groups</h2>{group("A")}{group("B")}{group("C")}</section>')
    rows = "".join(f"<tr><td>{i} {'x' * 400}</td></tr>" for i in range(40))
    long = (f'<section id="partners"><h2>Partners</h2><table><thead><tr><th>h</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></section>")
    cut = pieces.split(f"<html><head><title>t</title></head><body>{before}{long}</body></html>", parts=False)
    bodies = [piece.html[piece.html.index("<body>") + len("<body>"):] for piece in cut]
    # A person renamed in group B lays out again the piece of group B, not the team's or the other groups'.
    assert [re.findall(r"<h\d>([^<]*)", body) for body in bodies[:5]] == [
        ["Contact sheet", "Team", "T"], ["Groups", "A"], ["B"], ["C"], ["Partners"]]
    assert all(body.startswith('<section class="continued"><h3>') for body in bodies[2:4])
    assert [piece.level for piece in cut[:5]] == [1, 2, 3, 3, 2]  # where their bookmarks go in the whole
    assert all(piece.html.count("<section") == piece.html.count("</section>") for piece in cut)
    assert sum(piece.html.count('id="groups"') for piece in cut) == 1
    assert sum(piece.html.count("<tr><td>") for piece in cut) == 4 * 3 + 40
