"""The bookmarks and named destinations of the pieces of a document, kept in the whole.

A document cut only in its long table (the contact sheet: pieces.py) keeps the
bookmarks WeasyPrint made for its headings, nested as they were, and its named
destinations (`contacts.pdf#partners`): each piece's are read with their pages
renumbered as the piece is placed (assemble.place), and the whole lists them
in the pieces' order, a piece's first bookmarks nested by the level of its
first heading (a run that starts with an h2 goes under the h1 before it). The
worksheet has a bookmark a part instead (assemble's own outline).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from coalition_docs.documents.rawpdf import RawPdf, _decode, dictionary, renumber

_STRING = rb"(\((?:\\.|[^\\()])*\)|<[0-9a-fA-F]*>)"
_TITLE = re.compile(rb"/Title " + _STRING)
_DEST = re.compile(rb"/Dest (\[[^\]]*\])")
_COUNT = re.compile(rb"/Count (-?\d+)")
_NAMES = re.compile(rb"/Names <</Dests <</Names \[(.*?)\]>>>>", re.S)
_NAME = re.compile(_STRING + rb" (\[[^\]]*\])")

# An item: (its title as a PDF string, its destination, its /Count, its children).
Item = tuple[bytes, bytes, int, list]


def own_outline(pdf: RawPdf, mapping: dict[int, int]) -> tuple[list[Item], list[tuple[bytes, bytes]]]:
    """A piece's bookmarks and named destinations, their pages renumbered by `mapping`; none if unreadable."""
    try:
        top = pdf.ref(pdf.root, b"/Outlines")
        items = _items(pdf, pdf.ref(top, b"/First"), mapping, 0) if top else []
        found = _NAMES.search(dictionary(pdf.objects[pdf.root]))
        names = [(name, renumber(dest, mapping)) for name, dest in _NAME.findall(found.group(1))] if found else []
    except (KeyError, ValueError, AttributeError, RecursionError):
        return [], []
    return items, names


def _items(pdf: RawPdf, number: int | None, mapping: dict[int, int], depth: int) -> list[Item]:
    items: list[Item] = []
    seen: set[int] = set()
    while number is not None and number not in seen and depth < 50:
        seen.add(number)
        body = dictionary(pdf.objects[number])
        title, dest, count = _TITLE.search(body), _DEST.search(body), _COUNT.search(body)
        if title is None or dest is None:
            raise ValueError(f"outline item {number} is not as WeasyPrint writes one")
        items.append((title.group(1), renumber(dest.group(1), mapping), int(count.group(1)) if count else 0,
                      _items(pdf, pdf.ref(number, b"/First"), mapping, depth + 1)))
        number = pdf.ref(number, b"/Next")
    return items


def merge(pieces: Sequence[tuple[int, list[Item]]]) -> list[Item]:
    """The bookmarks of the pieces as one tree: (level of a piece's first bookmarks, its bookmarks) in order.

    Within a piece, a bookmark's children are one level deeper; a piece's first bookmarks go under the
    last bookmark before them of a lower level."""
    merged: list[Item] = []
    stack: list[tuple[int, list[Item]]] = [(0, merged)]  # (level, where its children go), shallowest first
    for level, items in pieces:
        for item in map(_copy, items):  # the pieces' own stay as they were (an assembly keeps them)
            while len(stack) > 1 and stack[-1][0] >= level:
                stack.pop()
            stack[-1][1].append(item)
            deeper, last = level, item
            stack.append((deeper, last[3]))
            while last[3]:  # the last bookmark of each level below it: where a later piece may continue
                deeper, last = deeper + 1, last[3][-1]
                stack.append((deeper, last[3]))
    return merged


def _copy(item: Item) -> Item:
    title, dest, count, children = item
    return title, dest, count, [_copy(child) for child in children]


def write_outline(objects: dict[int, bytes], reserve: Callable[[], int], items: Sequence[Item]) -> int | None:
    """The outline of `items` as objects; the number of its root, or None when there is none."""
    if not items:
        return None
    top = reserve()
    first, last = _write(objects, reserve, items, top)
    objects[top] = b"<</Count %d/First %d 0 R/Last %d 0 R>>" % (_visible(items), first, last)
    return top


def _visible(items: Sequence[Item]) -> int:
    """How many bookmarks show below these, each item open unless its piece had it closed (a negative /Count)."""
    return sum(1 + (_visible(children) if count >= 0 else 0) for _, _, count, children in items)


def _write(objects: dict[int, bytes], reserve: Callable[[], int], items: Sequence[Item], parent: int
           ) -> tuple[int, int]:
    numbers = [reserve() for _ in items]
    for i, ((title, dest, count, children), number) in enumerate(zip(items, numbers)):
        body = b"<</Title %s/Dest %s" % (title, dest)
        if children:
            first, last = _write(objects, reserve, children, number)
            shown = _visible(children)
            body += b"/Count %d/First %d 0 R/Last %d 0 R" % (shown if count >= 0 else -shown, first, last)
        body += b"/Parent %d 0 R" % parent
        body += b"/Prev %d 0 R" % numbers[i - 1] if i else b""
        body += b"/Next %d 0 R" % numbers[i + 1] if i + 1 < len(numbers) else b""
        objects[number] = body + b">>"
    return numbers[0], numbers[-1]


def names_entry(names: Sequence[tuple[bytes, bytes]]) -> bytes:
    """The catalog's /Names entry for named destinations, sorted by name as a PDF name tree wants."""
    if not names:
        return b""
    ordered = sorted(dict(names).items(), key=lambda item: _decode(item[0]))
    return b"/Names <</Dests <</Names [%s]>>>>" % b" ".join(b"%s %s" % item for item in ordered)
