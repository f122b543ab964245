"""The worksheet in pieces: laid out in parallel, cached by key, assembled into one PDF.

A long worksheet is cut, after its template is filled, at its parts
(`<section class="part">`) and, inside a part, its long table into runs of
rows. A long document without parts (the contact sheet) is cut in its
longest table, and what comes before that table's section at its sections and
group headings, in chunks of a page or more. Each piece is a document of its
own (the worksheet's head, a part, a run of rows, a chunk of sections; a run
repeats the table's header row), laid out on any core and kept by the hash of
its HTML: an edit to one partner changes the HTML of the pieces that show it,
and only those are laid out again. Runs end where
a row's hash says so (content-defined, like rsync's chunks), so adding a
partner does not move every later boundary, and renaming one moves its row
from one run to another: those two runs are laid out again. A run is a few
pages (its size counted in characters of HTML, as the layout's time is), so
that laying out two of them again is a small part of the whole.

Pieces have no footer; at assembly (assemble.py) every page gets "Page N of M"
from a small untagged PDF of M footer-only pages laid out with the same page
rules, stamped as a pagination artifact.
"""

from __future__ import annotations

import hashlib
import html as html_module
import re
from collections.abc import Callable
from dataclasses import dataclass

PIECES_FOLDER = ".pieces"  # OUT/documents/.pieces/worksheet/KEY.pdf
FOOTERS = "footers.pdf"  # beside the pieces: the last footers laid out, for the next assembly
PLACEMENTS = "placements.bin"  # beside the pieces: each piece as the last assembly placed it (stage.py)
# A document with fewer table rows than this stays one document.
PIECES_FROM_ROWS = 150
# Runs of rows: a boundary after a row whose hash is 0 modulo RUN, once the run has MIN_CHARS of
# HTML, and always at MAX_CHARS (about 3,700 characters of a table make a page). A row moved from
# one run to another in the tables of 1,000 partners lays out 18,000 characters again on average
# (29,000 with runs of at least 8,000 and a boundary every 10 rows); a lower MAX_CHARS cuts more
# runs at a size, not at a row, and a boundary moved there moves the next ones too.
RUN, MIN_CHARS, MAX_CHARS = 6, 6_000, 24_000

NO_FOOTER = "<style>%s</style>" % "".join(
    f"@page{name} {{ @bottom-left {{ content: none }} @bottom-right {{ content: none }} }}"
    for name in ("", " worksheet", " launch"))  # page rules with footers, in print.css and in earlier themes

_PART = re.compile(r'<section class="part"')
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(frozen=True)
class Piece:
    html: str
    title: str | None  # a bookmark for the piece's first page (its part's heading), or None
    level: int = 1  # the level of its first heading (h2: 2), where its own bookmarks go in the whole's


def _text(fragment: str) -> str:
    return html_module.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _heading(body: str) -> str | None:
    found = re.search(r"<h([12])\b[^>]*>(.*?)</h\1>", body, re.S)
    return " ".join(_text(found.group(2)).split()) if found else None


def _rows(html: str, start: int = 0, end: int | None = None) -> list[str]:
    """The table rows (`<tr ...>...</tr>`) of html[start:end], in order, found with str.find: a
    regular expression (`<tr\\b.*?</tr>`) takes three to four times as long over a long worksheet."""
    end = len(html) if end is None else end
    rows = []
    at = html.find("<tr", start, end)
    while at >= 0:
        after = html[at + 3:at + 4] if at + 3 < end else ""
        if after.isalnum() or after == "_":  # another tag (<track>)
            at = html.find("<tr", at + 3, end)
            continue
        close = html.find("</tr>", at + 3, end)
        if close < 0:
            break
        rows.append(html[at:close + 5])
        at = html.find("<tr", close + 5, end)
    return rows


def _runs(rows: list[str]) -> list[list[str]]:
    runs: list[list[str]] = [[]]
    size = 0
    for row in rows:
        runs[-1].append(row)
        size += len(row)
        cut = int.from_bytes(hashlib.blake2b(row.encode(), digest_size=4).digest(), "big") % RUN == 0
        if size >= MAX_CHARS or (size >= MIN_CHARS and cut):
            runs.append([])
            size = 0
    if not runs[-1]:
        runs.pop()
    if len(runs) > 1 and sum(map(len, runs[-1])) < MIN_CHARS:
        last = runs.pop()
        runs[-1] += last
    return runs


def _nesting(html: str, seen: Callable[[re.Match, list[tuple[str, re.Match]]], None] | None = None
             ) -> list[tuple[str, re.Match]] | None:
    """The elements `html` leaves open (name, opening tag), outermost first; None when a closing tag
    does not close the element opened last. `seen` is told of each opening tag and the elements around it."""
    stack: list[tuple[str, re.Match]] = []
    for found in _TAG.finditer(html):
        closing, name = found.group(1), found.group(2).lower()
        if name in _VOID or found.group(3):
            continue
        if closing:
            if not stack or stack[-1][0] != name:
                return None
            stack.pop()
        else:
            if seen is not None:
                seen(found, stack)
            stack.append((name, found))
    return stack


def _open_section(html: str) -> re.Match | None:
    """The opening tag of the element that `html` leaves open, if it is a <section> and the only one."""
    stack = _nesting(html)
    return stack[0][1] if stack is not None and len(stack) == 1 and stack[0][0] == "section" else None


def _continued(opening: str) -> str:
    """The opening tag of a run's section: its section's, without its id, with the class "continued"."""
    tag = re.sub(r'\s+id="[^"]*"', "", opening)
    if re.search(r'\sclass="', tag):
        return re.sub(r'\sclass="([^"]*)"', lambda m: f' class="{m.group(1)} continued"', tag, count=1)
    return tag[:-1] + ' class="continued">'


def _cuts(html: str) -> list[tuple[int, re.Match | None]]:
    """Where a run of elements may be cut: before a <section> of its own, and before an <h3> right
    inside one (with the opening tag of that section, which is closed before and opened again after).
    None when its elements are not nested as they should be (it stays whole)."""
    cuts: list[tuple[int, re.Match | None]] = []

    def seen(found: re.Match, around: list[tuple[str, re.Match]]) -> None:
        name = found.group(2).lower()
        if name == "section" and not around:
            cuts.append((found.start(), None))
        elif name == "h3" and len(around) == 1 and around[0][0] == "section":
            cuts.append((found.start(), around[0][1]))

    return cuts if _nesting(html, seen) == [] else []


def _sections(html: str) -> list[str]:
    """What comes before a long table's section (the contact sheet's team, leads, groups, ...) in
    chunks of at least half MIN_CHARS of HTML (a page or two), cut at its sections and at the headings
    of its groups, so that an edit lays out again only the chunk that shows it."""
    chunks: list[str] = []
    start, reopen, least = 0, "", MIN_CHARS // 2
    for at, section in _cuts(html):
        if at - start < least or len(html) - at < least:
            continue
        chunks.append(reopen + html[start:at] + ("</section>" if section else ""))
        start, reopen = at, _continued(section.group(0)) if section else ""
    return [*chunks, reopen + html[start:]]


def _split_part(part: str, longest: bool = False) -> list[tuple[str, bool]]:
    """A part as (body, first) chunks: its one long table (or, `longest`, its longest) cut into runs of rows.

    Cut only where the table sits right inside a <section> of the part, which each chunk closes
    and the next opens again. With `longest`, what comes before that section is cut apart from it
    (the table's section starts a page), so that its first run is as short as the others, and into
    chunks of its own sections (`_sections`)."""
    if part.count("<tbody") != 1 and not longest:
        return [(part, True)]
    bodies = [m.end() for m in re.finditer(r"<tbody\b[^>]*>", part)]
    if not bodies:
        return [(part, True)]
    spans = [(open_at, part.index("</tbody>", open_at)) for open_at in bodies if "</tbody>" in part[open_at:]]
    if not spans:
        return [(part, True)]
    open_at, close_at = max(spans, key=lambda span: len(_rows(part, *span)))
    rows = _rows(part, open_at, close_at)
    runs = _runs(rows)
    if len(runs) < 2:
        return [(part, True)]
    before, after = part[:open_at], part[close_at:]
    table_at = before.rindex("<table")
    section = _open_section(before[:table_at])
    if section is None:
        return [(part, True)]
    table_head = re.sub(r"<caption\b.*?</caption>", "", before[table_at:], flags=re.S)
    continued = _continued(section.group(0)) + table_head
    closing = "</tbody></table></section>"
    chunks = []
    if longest and before[:section.start()].strip():
        chunks += [(chunk, not index) for index, chunk in enumerate(_sections(before[:section.start()]))]
        before = before[section.start():]
    chunks.append((before + "".join(runs[0]) + closing, not chunks))
    chunks += [(continued + "".join(run) + closing, False) for run in runs[1:-1]]
    chunks.append((continued + "".join(runs[-1]) + after, False))
    return chunks


def split(html: str, parts: bool = True) -> list[Piece] | None:
    """A long document's pieces, or None when it is short enough to stay one document.

    `parts`: cut at its parts too (the worksheet); else only its longest table is cut (the contact
    sheet), and its pieces have no titles (the assembly keeps their own bookmarks)."""
    if len(_rows(html)) < PIECES_FROM_ROWS or "<body" not in html or "</body>" not in html:
        return None  # short, or a theme's worksheet without a body to cut: one document
    body_at = html.index(">", html.index("<body")) + 1
    end_at = html.rindex("</body>")
    head = html[:body_at].replace("</head>", NO_FOOTER + "</head>", 1)
    body = html[body_at:end_at]
    starts = [m.start() for m in _PART.finditer(body)][1:] if parts else []  # the first part stays with the header
    bounds = [0, *starts, len(body)]
    pieces = []
    for start, end in zip(bounds, bounds[1:]):
        for chunk, first in _split_part(body[start:end], longest=not parts):
            level = re.search(r"<h([1-6])\b", chunk)
            pieces.append(Piece(head + chunk + html[end_at:], _heading(chunk) if first and parts else None,
                                int(level.group(1)) if level else 1))
    return pieces


def html_kicker(html: str) -> str:
    """The element that names the document's owner in its footers (hidden), or nothing."""
    kicker = re.search(r'<p class="kicker"[^>]*>.*?</p>', html, re.S)
    return kicker.group(0).replace('<p class="kicker"', '<p class="kicker" style="visibility: hidden; '
                                   'height: 0; margin: 0; overflow: hidden"', 1) if kicker else ""


def footers(head: str, owner: str, pages: int) -> str:
    """A document of `pages` empty pages with the page rules and footers of `head` (up to <body>)."""
    blank = '<div style="break-before: page"></div>'
    return head + owner + "<div></div>" + blank * (pages - 1) + "</body></html>"
