"""The font faces of every document: one place, as theme files.

print.css names the families; the faces are declared here so that they always
point at the files the theme really holds (an override folder may replace any
of them). The PDF writer and the documents' cache keys both read them here.
"""

from __future__ import annotations

from coalition_docs.templating import Theme

FONT_FACES: tuple[tuple[str, str, int, str], ...] = (
    ("Noto Sans Print", "fonts/NotoSans-Regular.ttf", 400, "normal"),
    ("Noto Sans Print", "fonts/NotoSans-Italic.ttf", 400, "italic"),
    ("Noto Sans Print", "fonts/NotoSans-Bold.ttf", 700, "normal"),
    ("Noto Sans Print", "fonts/NotoSans-BoldItalic.ttf", 700, "italic"),
    # Ballot boxes (U+2610, U+2611) for the worksheet's checklists.
    ("Noto Sans Symbols Print", "documents/fonts/NotoSansSymbols2-Regular.ttf", 400, "normal"),
)


def font_faces_css(theme: Theme) -> str:
    """The @font-face rules of FONT_FACES, pointing at the theme's files."""
    rules = []
    for family, relative, weight, style in FONT_FACES:
        url = theme.find(relative).resolve().as_uri()
        rules.append(f'@font-face {{ font-family: "{family}"; src: url("{url}"); '
                     f"font-weight: {weight}; font-style: {style}; }}")
    return "\n".join(rules) + "\n"

