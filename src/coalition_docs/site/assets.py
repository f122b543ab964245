"""The site's files that are not pages: the theme's assets and fonts, content/static, the sitemap.

Each is an output of the engine (engine/outputs.py) keyed by its source's
bytes, so an unchanged file is carried over from the previous build.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from coalition_docs.errors import BuildError
from coalition_docs.engine.manifest import digest_bytes, file_digest
from coalition_docs.engine.outputs import PlannedOutput
from coalition_docs.site.plan import SITE_FOLDER, PlannedPage
from coalition_docs.site.public import PublicSite
from coalition_docs.templating import Theme

FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf")
# Static font faces the stylesheet uses; other weights are not copied.
FONT_STYLES = {
    "regular": ("400", "normal"),
    "italic": ("400", "italic"),
    "bold": ("700", "normal"),
    "bolditalic": ("700", "italic"),
}


def _copy(root: Path, path: str, source: str) -> None:
    shutil.copyfile(source, root / path)


def _copy_static(root: Path, path: str, source: str, static_root: str) -> None:
    # checked again here: a link changed since the content was checked publishes nothing
    _check_static(Path(source), Path(static_root), path)
    shutil.copyfile(source, root / path)


def _check_static(source: Path, static_root: Path, path: str) -> None:
    if source.is_symlink() and not source.resolve().is_relative_to(static_root) or not source.is_file():
        raise BuildError(f"{path.removeprefix(SITE_FOLDER + '/')}: changed while building (expected a regular "
                         "file inside static/); build again")


# A new file, or one emptied, written as bytes (O_BINARY: no line ends turned into \r\n on Windows).
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def write_text(root: Path, path: str, text: str) -> None:
    """Write a generated text file (a page, the sitemap) as UTF-8, its line ends as they are (Unix).

    The encoded bytes go to the file in one system call, without a text file's
    layers: a thousand pages are written in a build.
    """
    data = text.encode("utf-8")
    fd = os.open(os.path.join(root, path), _WRITE, 0o666)
    try:
        written = os.write(fd, data)
        while written < len(data):  # a write may take less than all of it
            written += os.write(fd, memoryview(data)[written:])
    finally:
        os.close(fd)


def plan_assets(theme: Theme, content_dir: Path, static_files: Iterable[str]) -> tuple[list[PlannedOutput], bool]:
    """The theme's assets, its fonts and content/static as outputs; and whether the site has fonts."""
    planned: list[PlannedOutput] = []
    names: set[str] = set()

    def copy(source: Path, rel: str, render=_copy, *extra: str) -> None:
        planned.append(PlannedOutput(f"{SITE_FOLDER}/{rel}", file_digest(source), render, (str(source), *extra),
                                     cost=0.01, batch=SITE_FOLDER))
        names.add(rel)

    for rel in theme.files("site/assets"):
        copy(theme.find(rel), "assets/" + rel.removeprefix("site/assets/"))

    faces = []
    for rel in theme.files("fonts"):
        name = PurePosixPath(rel).name
        face = _font_face(name)
        if face is None and not name.upper().startswith(("OFL", "LICENSE")):
            continue
        copy(theme.find(rel), f"assets/fonts/{name}")
        if face is not None:
            faces.append(face)
    if faces and "assets/fonts.css" not in names:  # a theme's own fonts.css wins
        css = "\n".join(faces) + "\n"
        planned.append(PlannedOutput(f"{SITE_FOLDER}/assets/fonts.css", digest_bytes(css), write_text, (css,),
                                     cost=0.01, batch=SITE_FOLDER))
        names.add("assets/fonts.css")
    has_fonts = "assets/fonts.css" in names

    static_root = Path(content_dir) / "static"
    real_static = static_root.resolve()
    for rel in static_files:
        source = static_root / rel
        _check_static(source, real_static, f"static/{rel}")
        copy(source, f"static/{rel}", _copy_static, str(real_static))
    return planned, has_fonts


def theme_has_fonts(theme: Theme) -> bool:
    """Whether the theme ships font files the site uses (and so writes assets/fonts.css)."""
    return any(_font_face(PurePosixPath(rel).name) for rel in theme.files("fonts"))


def _font_face(filename: str) -> str | None:
    """An @font-face rule for a font file named like NotoSans-BoldItalic.ttf."""
    stem, _, suffix = filename.rpartition(".")
    if "." + suffix.lower() not in FONT_SUFFIXES:
        return None
    family_part, _, style_part = stem.partition("-")
    if "[" in family_part:  # a variable font, NotoSans[wdth,wght].ttf
        family_part, _, axes = family_part.partition("[")
        if "wght" not in axes:
            return None
        weight, style = "100 900", "italic" if "italic" in stem.lower() else "normal"
    else:
        key = style_part.lower()
        if key not in FONT_STYLES:
            return None
        weight, style = FONT_STYLES[key]
    family = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", family_part)
    fmt = {"woff2": "woff2", "woff": "woff", "ttf": "truetype", "otf": "opentype"}[suffix.lower()]
    return (
        "@font-face {\n"
        f'  font-family: "{family}";\n'
        f'  src: url("fonts/{filename}") format("{fmt}");\n'
        f"  font-weight: {weight};\n"
        f"  font-style: {style};\n"
        "  font-display: swap;\n"
        "}"
    )


def sitemap_xml(view: PublicSite, pages: Iterable[PlannedPage]) -> str | None:
    """sitemap.xml with absolute URLs of the public pages, or None without site.url."""
    site_url = view.coalition.site_url
    if not site_url:
        return None
    pages = [page for page in pages if page.in_sitemap]
    translated = any(page.alternates for page in pages)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        + (' xmlns:xhtml="http://www.w3.org/1999/xhtml">' if translated else ">"),
    ]
    for page in pages:
        if not page.alternates:
            lines.append(f"  <url><loc>{html.escape(site_url + page.url, quote=False)}</loc></url>")
            continue
        # Every language of the page, itself included (as search engines ask for hreflang).
        links = "".join(f'<xhtml:link rel="alternate" hreflang="{code}" href="{html.escape(site_url + url)}"/>'
                        for code, url in page.alternates)
        lines.append(f"  <url><loc>{html.escape(site_url + page.url, quote=False)}</loc>{links}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
