"""Joined PDFs carry each font once (documents/fontshare.py), and still read and look the same."""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from pypdf import PdfReader

from coalition_docs.documents.assemble import join_files
from coalition_docs.documents.fonts import font_sources
from coalition_docs.phases import build
from coalition_docs.templating import Theme

from .conftest import EXAMPLE, edit


# Names in the scripts whose glyphs come from other faces than the theme's (CJK with CFF outlines,
# Devanagari with its conjuncts) and Vietnamese (stacked diacritics), in more than one letter.
HANGUL, DEVANAGARI, VIETNAMESE = "김민준", "प्रिया शर्मा", "Nguyễn Thị Hương"
OTHER_HANGUL = "이서연"
# Its first glyph, the reph (र्), is also the first of a cluster of DEVANAGARI that reads otherwise
# ("र्मा", not "र्जु"): a glyph maps to one text only, so this letter's Devanagari face cannot be shared.
OTHER_DEVANAGARI = "अर्जुन"


@pytest.fixture(scope="module")
def built(tmp_path_factory, example_build) -> Path:
    # A copy of the example's build: the letters are made again, and what shows their names.
    work = tmp_path_factory.mktemp("fontshare")
    shutil.copytree(example_build.kept, work, dirs_exist_ok=True)
    content = work / "project" / "content"
    edit(content / "partners" / "marlow-falls-public-schools.yaml", "  name: Dr. Yolanda Castellanos",
         f"  name: {HANGUL} {DEVANAGARI} {VIETNAMESE}")
    edit(content / "partners" / "cafe-nandu-workers-cooperative.yaml", "  name: Inés Carvajal Rojas",
         f"  name: {OTHER_HANGUL} {DEVANAGARI}")
    edit(content / "partners" / "vietnamese-community-association.yaml", "  name: Trần Văn Minh",
         f"  name: Trần Văn Minh {OTHER_DEVANAGARI}")
    build(content, work / "out", only="documents", jobs=1)
    return work / "out" / "documents"


def _letters(built: Path) -> list[Path]:
    found = sorted((built / "letters").glob("*.pdf"))
    assert len(found) >= 3
    return found


def _fonts(path: Path) -> dict[str, set[int]]:
    """Every font the pages of a PDF use: base name -> the objects that hold it."""
    found: dict[str, set[int]] = defaultdict(set)
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            found[str(font.get_object()["/BaseFont"])].add(font.idnum)
    return found


@pytest.mark.slow  # letters in every script, built and joined
def test_letters_pdf_weighs_at_most_half_of_the_letters_it_joins(built):
    letters = sum(path.stat().st_size for path in _letters(built))
    assert (built / "letters.pdf").stat().st_size <= 0.5 * letters


@pytest.mark.slow  # letters in every script, built and joined
def test_each_font_is_in_the_joined_letters_once(built):
    """Once, but for the Devanagari face of the letter whose glyph reads as another text (OTHER_DEVANAGARI)."""
    joined = _fonts(built / "letters.pdf")
    copies = {name: len(objects) for name, objects in joined.items()}
    assert copies == {name: 2 if "Devanagari" in name else 1 for name in joined}
    names = set().union(*(_fonts(path) for path in _letters(built)))
    assert set(joined) == names
    assert any("CJK" in name for name in joined) and any("Devanagari" in name for name in joined)
    listed = subprocess.run(["pdffonts", str(built / "letters.pdf")], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert len(listed) == sum(copies.values())


@pytest.mark.slow  # letters in every script, built and joined
def test_every_page_of_the_joined_letters_reads_as_its_letter(built):
    expected = [page.extract_text() for path in _letters(built) for page in PdfReader(path).pages]
    joined = [page.extract_text() for page in PdfReader(built / "letters.pdf").pages]
    assert joined == expected
    text = "".join(joined)
    # pypdf reads "शर्मा" as "शार्मा" (from the letter's own file too): the first name is the check.
    for name in (HANGUL, DEVANAGARI.split()[0], VIETNAMESE, OTHER_HANGUL, OTHER_DEVANAGARI):
        assert name in text


def _pictures(path: Path, folder: Path) -> list[bytes]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(path), str(folder / "page")], check=True)
    return [p.read_bytes() for p in sorted(folder.glob("*.pgm"))]


@pytest.mark.slow  # letters in every script, built and joined
def test_every_page_of_the_joined_letters_looks_as_its_letter(built, tmp_path):
    expected = [picture for i, path in enumerate(_letters(built))
                for picture in _pictures(path, tmp_path / f"letter{i}")]
    assert _pictures(built / "letters.pdf", tmp_path / "joined") == expected


@pytest.mark.slow  # letters in every script, built and joined
def test_a_font_that_is_not_the_faces_own_subset_stays_as_the_letter_wrote_it(built, tmp_path):
    letters = _letters(built)
    theme = Theme(EXAMPLE)
    # The regular face's file named as the bold face's: subsetting it does not give the letters' bytes back.
    wrong = [(family, path.replace("Bold", "Regular")) for family, path in font_sources(theme)]
    join_files(letters, tmp_path / "wrong.pdf", title="t", author="a", language="en", identifier=b"0" * 32,
               faces=wrong)
    fonts = _fonts(tmp_path / "wrong.pdf")
    bold = [objects for name, objects in fonts.items() if name.endswith("Noto-Sans-Print-Bold")]
    regular = [objects for name, objects in fonts.items() if name.endswith("Noto-Sans-Print")]
    assert len(bold[0]) == len(letters) and len(regular[0]) == 1
    joined = [page.extract_text() for page in PdfReader(tmp_path / "wrong.pdf").pages]
    assert joined == [page.extract_text() for path in letters for page in PdfReader(path).pages]


@pytest.mark.slow  # letters in every script, built and joined
def test_same_letters_same_joined_bytes(built, tmp_path):
    faces = font_sources(Theme(EXAMPLE))
    for name in ("a.pdf", "b.pdf"):
        join_files(_letters(built), tmp_path / name, title="t", author="a", language="en",
                   identifier=b"0" * 32, faces=faces)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
