"""The worksheet in pieces: laid out in parallel, cached by key, assembled into one PDF.

A long worksheet is cut, after its template is filled, at its parts
(`<section class="part">`) and, inside a part, its long table into runs of
rows. Each piece is a document of its own (the worksheet's head, a part or a
run of rows; a run repeats the table's header row), laid out on any core and
kept by the hash of its HTML: an edit to one partner changes the HTML of the
pieces that show it, and only those are laid out again. Runs end where a
row's hash says so (content-defined, like rsync's chunks), so adding a
partner does not move every later boundary.

Pieces have no footer; at assembly (assemble.py) every page gets "Page N of M"
from a small untagged PDF of M footer-only pages laid out with the same page
rules, stamped as a pagination artifact.
"""

from __future__ import annotations

import hashlib
import html as html_module
import re
from dataclasses import dataclass

PIECES_FOLDER = ".pieces"  # OUT/documents/.pieces/worksheet/KEY.pdf
FOOTERS = "footers.pdf"  # beside the pieces: the last footers laid out, for the next assembly
PLACEMENTS = "placements.bin"  # beside the pieces: each piece as the last assembly placed it (stage.py)
# A worksheet with fewer table rows than this stays one document.
PIECES_FROM_ROWS = 150
# Runs of rows: a boundary after a row whose hash is 0 modulo RUN, within MIN..MAX rows.
RUN, MIN_RUN, MAX_RUN = 40, 12, 120

NO_FOOTER = ("<style>@page { @bottom-left { content: none } @bottom-right { content: none } }"
             "@page worksheet { @bottom-left { content: none } @bottom-right { content: none } }</style>")

_PART = re.compile(r'<section class="part"')
_ROW = re.compile(r"<tr\b.*?</tr>", re.S)


@dataclass(frozen=True)
class Piece:
    html: str
    title: str | None  # a bookmark for the piece's first page (its part's heading), or None


def _text(fragment: str) -> str:
    return html_module.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _heading(body: str) -> str | None:
    found = re.search(r"<h([12])\b[^>]*>(.*?)</h\1>", body, re.S)
    return " ".join(_text(found.group(2)).split()) if found else None


def _runs(rows: list[str]) -> list[list[str]]:
    runs: list[list[str]] = [[]]
    for row in rows:
        runs[-1].append(row)
        size = len(runs[-1])
        cut = int.from_bytes(hashlib.blake2b(row.encode(), digest_size=4).digest(), "big") % RUN == 0
        if size >= MAX_RUN or (size >= MIN_RUN and cut):
            runs.append([])
    if not runs[-1]:
        runs.pop()
    if len(runs) > 1 and len(runs[-1]) < MIN_RUN:
        last = runs.pop()
        runs[-1] += last
    return runs


def _split_part(part: str) -> list[tuple[str, bool]]:
    """A part as (body, first) chunks: its one long table cut into runs of rows."""
    if part.count("<tbody") != 1:
        return [(part, True)]
    open_at = part.index("<tbody")
    open_at = part.index(">", open_at) + 1
    close_at = part.index("</tbody>", open_at)
    rows = _ROW.findall(part[open_at:close_at])
    runs = _runs(rows)
    if len(runs) < 2:
        return [(part, True)]
    before, after = part[:open_at], part[close_at:]
    table_at = before.rindex("<table")
    table_head = re.sub(r"<caption\b.*?</caption>", "", before[table_at:], flags=re.S)
    continued = '<section class="part continued">' + table_head
    closing = "</tbody></table></section>"
    chunks = [(before + "".join(runs[0]) + closing, True)]
    chunks += [(continued + "".join(run) + closing, False) for run in runs[1:-1]]
    chunks.append((continued + "".join(runs[-1]) + after, False))
    return chunks


def split(html: str) -> list[Piece] | None:
    """The worksheet's pieces, or None when it is short enough to stay one document."""
    if len(_ROW.findall(html)) < PIECES_FROM_ROWS or "<body" not in html or "</body>" not in html:
        return None  # short, or a theme's worksheet without a body to cut: one document
    body_at = html.index(">", html.index("<body")) + 1
    end_at = html.rindex("</body>")
    head = html[:body_at].replace("</head>", NO_FOOTER + "</head>", 1)
    body = html[body_at:end_at]
    starts = [m.start() for m in _PART.finditer(body)][1:]  # the first part stays with the header
    bounds = [0, *starts, len(body)]
    pieces = []
    for start, end in zip(bounds, bounds[1:]):
        for chunk, first in _split_part(body[start:end]):
            pieces.append(Piece(head + chunk + html[end_at:], _heading(chunk) if first else None))
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
