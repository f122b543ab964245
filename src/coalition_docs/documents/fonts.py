"""The font faces of every document: one place.

The theme ships Noto Sans (Latin, Greek, Cyrillic, Vietnamese) and a symbols
font for the worksheet's boxes. Every other script a coalition's names may be
written in comes from Debian's Noto packages (fonts-noto-core,
fonts-noto-cjk) and Symbola (fonts-symbola) for emoji and symbols, at fixed
paths, so that every machine that ran `make build` lays out the same glyphs
and writes the same bytes. print.css names the families in the order below;
`glyphs.py` checks before rendering that every printed character has a face.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from coalition_docs.templating import Theme

NOTO = "/usr/share/fonts/truetype/noto"
NOTO_CJK = "/usr/share/fonts/opentype/noto"
SYMBOLA = "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"

# (family, theme-relative file, weight, style): the theme's own faces.
FONT_FACES: tuple[tuple[str, str, int, str], ...] = (
    ("Noto Sans Print", "fonts/NotoSans-Regular.ttf", 400, "normal"),
    ("Noto Sans Print", "fonts/NotoSans-Italic.ttf", 400, "italic"),
    ("Noto Sans Print", "fonts/NotoSans-Bold.ttf", 700, "normal"),
    ("Noto Sans Print", "fonts/NotoSans-BoldItalic.ttf", 700, "italic"),
    # Ballot boxes (U+2610, U+2611) for the worksheet's checklists.
    ("Noto Sans Symbols Print", "documents/fonts/NotoSansSymbols2-Regular.ttf", 400, "normal"),
)

# Scripts from Debian's fonts-noto-core: NotoSans<Script>-Regular/-Bold.ttf.
_NOTO_SCRIPTS = (
    "Arabic", "Hebrew", "Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu",
    "Kannada", "Malayalam", "Sinhala", "Thai", "Lao", "Khmer", "Myanmar", "Ethiopic", "Armenian",
    "Georgian", "Cherokee", "CanadianAboriginal", "Adlam", "Thaana", "Syriac", "Tifinagh", "Javanese",
    "Mongolian", "Yi", "Math",
)

# (family, absolute file, weight, style, index in a collection): the system's faces, in fallback order.
SYSTEM_FACES: tuple[tuple[str, str, int, str], ...] = (
    *(face for script in _NOTO_SCRIPTS for face in (
        (f"Noto Sans {script} Print", f"{NOTO}/NotoSans{script}-Regular.ttf", 400, "normal"),
        (f"Noto Sans {script} Print", f"{NOTO}/NotoSans{script}-Bold.ttf", 700, "normal"),
    )),
    # Han, Kana and Hangul (the collection's first face, Japanese forms; any CJK name prints).
    ("Noto Sans CJK Print", f"{NOTO_CJK}/NotoSansCJK-Regular.ttc", 400, "normal"),
    ("Noto Sans CJK Print", f"{NOTO_CJK}/NotoSansCJK-Bold.ttc", 700, "normal"),
    ("Noto Sans Symbols One Print", f"{NOTO}/NotoSansSymbols-Regular.ttf", 400, "normal"),
    ("Noto Sans Symbols One Print", f"{NOTO}/NotoSansSymbols-Bold.ttf", 700, "normal"),
    # Emoji and the symbols no Noto face above has, drawn in one colour.
    ("Symbola Print", SYMBOLA, 400, "normal"),
)

# The Debian packages that hold SYSTEM_FACES (the Makefile installs them).
PACKAGES = ("fonts-noto-core", "fonts-noto-cjk", "fonts-symbola")


def family_order() -> list[str]:
    """Every family, in the order print.css names them."""
    order: list[str] = []
    for family, *_ in (*FONT_FACES[:4], *SYSTEM_FACES[:-1], FONT_FACES[4], SYSTEM_FACES[-1]):
        if family not in order:
            order.append(family)
    return order


def system_font_files() -> list[Path]:
    """The system font files documents may read (and nothing else of the system)."""
    return [Path(path) for _, path, _, _ in SYSTEM_FACES if Path(path).is_file()]


def face_files(theme: Theme) -> list[Path]:
    """The font files documents use that exist on this machine (theme faces first)."""
    return [Path(path) for _, path in font_sources(theme)]


def font_sources(theme: Theme) -> tuple[tuple[str, str], ...]:
    """(family, file) of every face a document may embed (theme faces first): what a join subsets anew."""
    faces = [(family, str(theme.find(relative).resolve())) for family, relative, _, _ in FONT_FACES]
    faces += [(family, path) for family, path, _, _ in SYSTEM_FACES if Path(path).is_file()]
    return tuple(faces)


def font_faces_css(theme: Theme, families: Iterable[str] | None = None) -> str:
    """The @font-face rules of the theme's faces and of the system `families` (None: all present).

    WeasyPrint copies every face it is given into a folder of its own when it
    reads the rules, so each document declares only the system faces its
    characters need (glyphs.needed_families): about 100 MB less to copy per
    worker for a coalition written in Latin script alone.
    """
    wanted = None if families is None else set(families)
    rules = []
    for family, relative, weight, style in FONT_FACES:
        url = theme.find(relative).resolve().as_uri()
        rules.append(f'@font-face {{ font-family: "{family}"; src: url("{url}"); '
                     f"font-weight: {weight}; font-style: {style}; }}")
    declared = {family for family, *_ in FONT_FACES}
    for family, path, weight, _ in SYSTEM_FACES:
        if (wanted is None or family in wanted) and Path(path).is_file():
            declared.add(family)
            for style in ("normal", "italic"):  # upright glyphs serve italic text too: no other face wins
                rules.append(f'@font-face {{ font-family: "{family}"; src: url("{Path(path).as_uri()}"); '
                             f"font-weight: {weight}; font-style: {style}; }}")
    families = ", ".join(f'"{family}"' for family in family_order() if family in declared) + ", sans-serif"
    rules.append(f"@page {{ font-family: {families}; }}")
    rules.append(f"html {{ font-family: {families}; }}")
    return "\n".join(rules) + "\n"
