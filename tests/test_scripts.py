"""Every name prints with its own glyphs, in any script, or the build says which character cannot."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from .conftest import edit, run_cli


# One name per script a coalition's communities may write in.
NAMES = {
    "Latin with diacritics": "Nguyễn Thị Hương",
    "Cyrillic": "Світлана Коваленко",
    "Greek": "Ελένη Παπαδοπούλου",
    "Arabic": "مريم",
    "Hebrew": "שרה",
    "Devanagari": "प्रिया",
    "Bengali": "রহিম",
    "Thai": "สมชาย",
    "Hangul": "김민준",
    "Han": "王伟",
    "Kana": "さくら",
    "Ethiopic": "አበበ",
    "Armenian": "Անի",
    "Georgian": "ნინო",
    "Tamil": "கமலா",
    "Khmer": "សុខា",
}
EMOJI = "🙂"


def _fonts(reader: pypdf.PdfReader) -> set[str]:
    found = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            found.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import shutil

    from .conftest import FIXTURES

    root = tmp_path_factory.mktemp("scripts")
    content = root / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    edit(content / "partners" / "city-hall.yaml", "  name: Alex Mayor", "  name: " + " ".join(NAMES.values()))
    edit(content / "partners" / "city-hall.yaml", "name: City Hall", f"name: City Hall {EMOJI}")
    from coalition_docs.cli import main

    assert main(["build", str(content), "--out", str(root / "out"), "--only", "documents", "-q"]) == 0
    return root


@pytest.mark.slow  # letters in every script, built
def test_every_script_prints_in_the_letter(built):
    reader = pypdf.PdfReader(built / "out/documents/letters/city-hall.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    for script, name in NAMES.items():
        assert name in text, f"{script} name {name!r} is not in the letter's text"
    assert EMOJI in text


@pytest.mark.slow  # letters in every script, built
def test_every_script_is_drawn_by_a_real_font(built):
    fonts = _fonts(pypdf.PdfReader(built / "out/documents/letters/city-hall.pdf"))
    for family in ("Noto-Sans-Print", "Noto-Sans-Arabic-Print", "Noto-Sans-Hebrew-Print",
                   "Noto-Sans-Devanagari-Print", "Noto-Sans-Bengali-Print", "Noto-Sans-Thai-Print",
                   "Noto-Sans-CJK-Print", "Noto-Sans-Ethiopic-Print", "Noto-Sans-Armenian-Print",
                   "Noto-Sans-Georgian-Print", "Noto-Sans-Tamil-Print", "Noto-Sans-Khmer-Print"):
        assert family in fonts, f"{family} not embedded: {sorted(fonts)}"
    assert any(font.startswith("Symbola") for font in fonts)  # the emoji
    assert not any("DejaVu" in font or "Liberation" in font for font in fonts)  # nothing from fontconfig's guess


def test_a_character_no_font_has_fails_check_and_build_at_its_place(content, tmp_path, capsys):
    edit(content / "partners" / "city-hall.yaml", "  name: Alex Mayor", "  name: Alex 𓀀 Mayor")
    expected = ('partners/city-hall.yaml:6:14: the PDFs have no font for "𓀀" (U+13000 EGYPTIAN HIEROGLYPH A001) '
                "(expected a character of the scripts the document fonts cover, found one none of them has)\n"
                "    install the fonts with `make build` (Debian: fonts-noto-core, fonts-noto-cjk, fonts-symbola), "
                "or write the name without this character\n1 error found.\n")
    code, _, err = run_cli(capsys, "check", content)
    assert (code, err) == (1, expected)
    code, _, err = run_cli(capsys, "build", content, "--out", tmp_path / "out")
    assert (code, err) == (1, expected)
    assert not (tmp_path / "out").exists()


def test_a_document_declares_only_the_system_faces_its_characters_need(tmp_path):
    """WeasyPrint copies every declared face per worker: a Latin letter declares none of the system ones."""
    from coalition_docs.documents.fonts import font_faces_css
    from coalition_docs.documents.glyphs import needed_families
    from coalition_docs.templating import Theme

    theme = Theme(tmp_path)
    assert needed_families("<p>Dear Ms. Nguyễn, café ☐</p>", theme) == ()
    assert needed_families(f"<p>{NAMES['Arabic']} and {NAMES['Thai']}</p>", theme) == (
        "Noto Sans Arabic Print", "Noto Sans Thai Print")
    assert "Symbola Print" in needed_families(f"<p>{EMOJI}</p>", theme)
    css = font_faces_css(theme, ("Noto Sans Thai Print",))
    assert "NotoSansThai-Regular.ttf" in css and "NotoSansArabic" not in css
    assert 'font-family: "Noto Sans Print", "Noto Sans Thai Print", "Noto Sans Symbols Print", sans-serif' in css
