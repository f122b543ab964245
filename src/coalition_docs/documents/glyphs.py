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
from collections.abc import Iterable
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


def uncovered(points: Iterable[int], theme: Theme) -> set[int]:
    """The code points of `points` that no document face can draw.

    Fonts are read in print order until every point has a face: a coalition
    written in Latin script reads the theme's own fonts, not the sixty system
    faces kept for other scripts (about 0.3 s a build).
    """
    pending = set(points)
    for path in face_files(theme):
        if not pending:
            break
        pending -= _cmap(str(path), path.stat().st_mtime)
    return pending


class _Families:
    """The document families in print order, each family's character map read when first needed."""

    def __init__(self, theme: Theme):
        files: dict[str, list[Path]] = {}
        for family, relative, *_ in FONT_FACES:
            files.setdefault(family, []).append(theme.find(relative).resolve())
        self.system = set()
        for family, path, *_ in SYSTEM_FACES:
            self.system.add(family)
            if Path(path).is_file():
                files.setdefault(family, []).append(Path(path))
        self.order = family_order()
        self.files = files
        self._covers: dict[str, frozenset[int]] = {}

    def cover(self, family: str) -> frozenset[int]:
        found = self._covers.get(family)
        if found is None:
            found = self._covers[family] = frozenset().union(
                *(_cmap(str(p), p.stat().st_mtime) for p in self.files.get(family, [])))
        return found

    def first_drawing(self, point: int) -> str | None:
        for family in self.order:
            if point in self.cover(family):
                return family
        return None


def _families(theme: Theme) -> _Families:
    key = tuple(str(p) for p in theme.search_path)
    found = _FAMILIES.get(key)
    if found is None:
        found = _FAMILIES[key] = _Families(theme)
    return found


_FAMILIES: dict[tuple[str, ...], _Families] = {}


def needed_families(html_text: str, theme: Theme) -> tuple[str, ...]:
    """The system families one document needs, in print order.

    For each character it prints, the first family in print order that draws
    it: the same face the layout engine would pick with every family declared.
    """
    families = _families(theme)
    first = families.cover(families.order[0])
    needed: set[str] = set()
    for char in printed_characters([html_text]):
        point = ord(char)
        if point in first:
            continue
        family = families.first_drawing(point)
        if family is not None and family in families.system:
            needed.add(family)
    return tuple(family for family in families.order if family in needed)


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


def check_glyphs(printed: Iterable[str], coalition: model.Coalition, theme: Theme) -> None:
    """Raise ContentErrors naming every character the documents print (`printed_characters`) that no font draws."""
    missing = sorted(chr(point) for point in uncovered((ord(c) for c in printed), theme))
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
             *sorted((root / "pages").glob("*.md")), *sorted((root / "meetings").glob("*.yaml"))]
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        index = text.find(char)
        if index < 0:
            continue
        yield (path.relative_to(root).as_posix(), *line_column(text, index))
