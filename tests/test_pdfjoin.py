"""letters.pdf joined from the letters' files (documents/assemble.py) stays a whole tagged PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from coalition_docs.documents.assemble import join_files as concatenate



@pytest.fixture(scope="module")
def letters(example_build) -> list[Path]:
    found = sorted((example_build.out / "documents" / "letters").glob("*.pdf"))
    assert len(found) >= 3
    return found


def structure_problems(path: Path) -> list[str]:
    """What is wrong with a PDF's structure tree, as a screen reader would meet it."""
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    problems = []
    if "/StructTreeRoot" not in catalog:
        return ["no structure tree"]
    tree = catalog["/StructTreeRoot"]
    pages = {page.indirect_reference.idnum for page in reader.pages}
    documents = 0
    stack = [(tree["/K"], tree.indirect_reference.idnum)]
    while stack:
        kids, parent = stack.pop()
        for kid in kids if isinstance(kids, list) else [kids]:
            element = kid.get_object() if hasattr(kid, "get_object") else kid
            if not isinstance(element, dict) or "/S" not in element:
                continue
            documents += element["/S"] == "/Document"
            if element.raw_get("/P").idnum != parent:
                problems.append(f"{element['/S']}: /P is not its parent")
            if "/Pg" in element and element.raw_get("/Pg").idnum not in pages:
                problems.append(f"{element['/S']}: /Pg is not a page of this file")
            if "/K" in element:
                stack.append((element["/K"], kid.idnum if hasattr(kid, "idnum") else None))
    if documents != 1:
        problems.append(f"{documents} Document elements (expected 1)")
    nums = tree["/ParentTree"]["/Nums"]
    parents = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    for number, page in enumerate(reader.pages):
        mcids = [int(m) for m in re.findall(rb"/MCID (\d+)", page.get_contents().get_data())]
        key = page.get("/StructParents")
        if mcids and key is None:
            problems.append(f"page {number + 1}: marked content but no /StructParents")
            continue
        for mcid in mcids:
            entry = parents[int(key)][mcid].get_object()
            if entry.raw_get("/Pg").idnum != page.indirect_reference.idnum:
                problems.append(f"page {number + 1}: MCID {mcid} belongs to another page")
    return problems


@pytest.mark.slow  # every letter's structure tree read
def test_the_joined_file_is_one_whole_structure_tree(letters, tmp_path):
    target = tmp_path / "letters.pdf"
    concatenate(letters, target, title="Letters", author="The coalition", language="en", identifier=b"x" * 32)
    assert structure_problems(target) == []
    joined = PdfReader(target)
    sources = [PdfReader(p) for p in letters]
    assert len(joined.pages) == sum(len(s.pages) for s in sources)
    texts = [page.extract_text() for s in sources for page in s.pages]
    assert [page.extract_text() for page in joined.pages] == texts
    catalog = joined.trailer["/Root"]
    assert catalog["/Lang"] == "en" and bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert joined.metadata.title == "Letters" and joined.metadata.author == "The coalition"
    xmp = catalog["/Metadata"].get_data().decode()
    assert "<rdf:li xml:lang=\"x-default\">Letters</rdf:li>" in xmp and "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert [item.title for item in joined.outline] == [s.metadata.title for s in sources]
    assert b"CreationDate" not in target.read_bytes() and b"ModDate" not in target.read_bytes()


def test_a_plain_append_would_fail_the_structure_check(letters, tmp_path):
    """The check above can fail: pypdf's own append drops the structure tree."""
    plain = PdfWriter()
    for path in letters:
        plain.append(PdfReader(path))
    target = tmp_path / "plain.pdf"
    plain.write(target)
    assert structure_problems(target) != []


def test_same_sources_same_bytes(letters, tmp_path):
    for name in ("a.pdf", "b.pdf"):
        concatenate(letters, tmp_path / name, title="Letters", author="A", language="en", identifier=b"y" * 32)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert str(PdfReader(tmp_path / "a.pdf").trailer["/ID"][0]) == "y" * 32


def test_renumbering_a_piece_at_once_changes_references_only_as_one_at_a_time_does():
    from coalition_docs.documents.rawpdf import _SEP, renumber, renumber_many

    mapping = {1: 11, 2: 12, 10: 20}
    bodies = [b"<</Type /Page/Parent 1 0 R/Contents 2 0 R>>",
              b"<</Type /StructElem/Alt (see 2 0 R, not a reference)/P 10 0 R>>",
              b"<</Length 8>>\nstream\n1 0 R 2 \nendstream",  # stream data is never touched
              b"[1 0 R 10 0 R]"]
    expected = [renumber(body, mapping) for body in bodies]
    assert renumber_many(bodies, mapping) == expected
    assert expected[0] == b"<</Type /Page/Parent 11 0 R/Contents 12 0 R>>"
    assert expected[1].endswith(b"(see 2 0 R, not a reference)/P 20 0 R>>")
    assert expected[2].endswith(b"stream\n1 0 R 2 \nendstream")
    # A dictionary that holds the separator itself (inside a string) is renumbered one object at a time.
    odd = [bodies[0], b"<</T (a" + _SEP + b"b)/P 1 0 R>>", bodies[3]]
    assert renumber_many(odd, mapping) == [renumber(body, mapping) for body in odd]


# ---------------------------------------------------------------- the guard on pydyf's layout


def test_the_installed_pydyf_is_a_version_whose_layout_was_tested():
    import pydyf

    from coalition_docs.documents import rawpdf

    # Joining reads pydyf's files by their exact layout: a new pydyf fails here until it is tested.
    assert pydyf.__version__ in rawpdf.LAYOUT_TESTED
    assert rawpdf.layout_round_trips(pydyf)


def test_a_pydyf_whose_layout_changed_stops_the_build_with_one_line(monkeypatch):
    import io

    import pydyf

    from coalition_docs.documents import rawpdf
    from coalition_docs.errors import BuildError

    original = pydyf.PDF.write

    def other_layout(self, output, *args, **kwargs):  # a pydyf that writes its trailer otherwise
        buffer = io.BytesIO()
        original(self, buffer, *args, **kwargs)
        output.write(buffer.getvalue().replace(b"trailer\n<<\n", b"trailer <<\n"))

    monkeypatch.setattr(pydyf, "__version__", "99.0")
    monkeypatch.setattr(pydyf.PDF, "write", other_layout)
    rawpdf.check_layout.cache_clear()
    try:
        with pytest.raises(BuildError) as error:
            rawpdf.RawPdf.parse(b"")
        assert str(error.value) == (
            "pydyf 99.0 writes PDFs in a layout this version of coalition-docs cannot join (expected pydyf "
            "0.13.0, found 99.0); install one of those versions, e.g. pip install 'pydyf==0.13.0'")
        monkeypatch.setattr(pydyf.PDF, "write", original)  # the same layout under another version: accepted
        rawpdf.check_layout.cache_clear()
        rawpdf.check_layout()
    finally:
        rawpdf.check_layout.cache_clear()
