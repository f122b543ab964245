"""Every printed character has a face: checked before any PDF is laid out.

The documents' HTML holds every character they print. Each one is looked up in
the union of the document fonts' character maps (documents/fonts.py); a
character that no face can draw would print as an empty box, so it is a
located error at the content line where it was typed, in `check` and `build`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from coalition_docs.content import model
from coalition_docs.content.load import line_column
from coalition_docs.errors import ContentErrors, Problem
from coalition_docs.documents.fonts import FONT_FACES, PACKAGES, SYSTEM_FACES, face_files, family_order
from coalition_docs.templating import Theme

_TAG = re.compile(r"<[^>]*>")
_STYLE = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)
# Characters that need no glyph of their own: controls, format characters (joiners,
# direction marks), variation selectors, spaces a layout engine draws as space.
_NO_GLYPH = {"Cc", "Cf", "Zl", "Zp", "Mn"}


@lru_cache(maxsize=64)
def _cmap(path: str, mtime: float) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=0, lazy=True) if path.endswith((".ttc", ".otc")) else TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap() or ())
    finally:
        font.close()


def coverage(theme: Theme) -> frozenset[int]:
    """Every code point some document face can draw."""
    covered: set[int] = set()
    for path in face_files(theme):
        covered.update(_cmap(str(path), path.stat().st_mtime))
    return frozenset(covered)


def _family_coverage(theme: Theme) -> tuple[tuple[str, frozenset[int], bool], ...]:
    """(family, the code points its faces draw, whether it is a system family), in print order."""
    key = tuple(str(p) for p in theme.search_path)
    found = _FAMILIES.get(key)
    if found is None:
        files: dict[str, list[Path]] = {}
        for family, relative, *_ in FONT_FACES:
            files.setdefault(family, []).append(theme.find(relative).resolve())
        system = set()
        for family, path, *_ in SYSTEM_FACES:
            system.add(family)
            if Path(path).is_file():
                files.setdefault(family, []).append(Path(path))
        found = _FAMILIES[key] = tuple(
            (family, frozenset().union(*(_cmap(str(p), p.stat().st_mtime) for p in files.get(family, []))),
             family in system)
            for family in family_order())
    return found


_FAMILIES: dict[tuple[str, ...], tuple[tuple[str, frozenset[int], bool], ...]] = {}


def needed_families(html_text: str, theme: Theme) -> tuple[str, ...]:
    """The system families one document needs, in print order.

    For each character it prints, the first family in print order that draws
    it: the same face the layout engine would pick with every family declared.
    """
    order = _family_coverage(theme)
    first = order[0][1]
    needed: set[str] = set()
    for char in printed_characters([html_text]):
        point = ord(char)
        if point in first:
            continue
        for family, cover, system in order:
            if point in cover:
                if system:
                    needed.add(family)
                break
    return tuple(family for family, _, _ in order if family in needed)


def _needs_glyph(char: str) -> bool:
    if char.isspace():
        return False
    if 0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF:  # variation selectors
        return False
    return unicodedata.category(char) not in _NO_GLYPH


def printed_characters(documents: Iterable[str]) -> set[str]:
    chars: set[str] = set()
    for text in documents:
        chars.update(html.unescape(_TAG.sub(" ", _STYLE.sub(" ", text))))
    return {c for c in chars if _needs_glyph(c)}


def check_glyphs(html_by_document: Mapping[str, str], coalition: model.Coalition, theme: Theme) -> None:
    """Raise ContentErrors naming every character the documents print that no font draws."""
    covered = coverage(theme)
    missing = sorted(c for c in printed_characters(html_by_document.values()) if ord(c) not in covered)
    if not missing:
        return
    problems = []
    for char in missing:
        places = list(_locate(char, Path(coalition.content_dir)))
        message = (f"the PDFs have no font for \"{char}\" ({_describe(char)}) (expected a character of "
                   f"the scripts the document fonts cover, found one none of them has)")
        hint = (f"install the fonts with `make build` (Debian: {', '.join(PACKAGES)}), or write the name "
                "without this character")
        if not places:
            places = [("templates", 1, 1)]
        problems.extend(Problem(path, line, column, message, hint) for path, line, column in places)
    raise ContentErrors(problems)


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".strip()


def _locate(char: str, root: Path) -> Iterable[tuple[str, int, int]]:
    """Where `char` is typed in the content files (each file's first place)."""
    files = [root / "coalition.yaml", root / "roster.yaml",
             *sorted((root / "partners").glob("*.yaml")), *sorted((root / "positionality").glob("*.yaml")),
             *sorted((root / "pages").glob("*.md"))]
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        index = text.find(char)
        if index < 0:
            continue
        yield (path.relative_to(root).as_posix(), *line_column(text, index))
