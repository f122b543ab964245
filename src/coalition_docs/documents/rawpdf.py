"""PDFs as pydyf writes them, read and written as bytes: the objects of a file, renumbered, written back.

The documents' PDFs are written by WeasyPrint with a plain (uncompressed)
object structure: `N 0 obj ... endobj` at the offsets of an xref table.
`RawPdf` reads such a file into its objects without parsing them;
`renumber` rewrites the references of an object's dictionary (never a string
or stream data); `write` lays the objects out again with an xref table.
assemble.py joins documents with them.

Reading a file this way relies on the exact layout pydyf writes (its header,
`N 0 obj` lines, xref rows, trailer), which pydyf does not promise. The
versions in LAYOUT_TESTED were tested; with any other, `check_layout` first
writes a small PDF with the installed pydyf and checks that it reads back and
is written again to the same bytes, and stops the build with one line if not
(tests/test_pdfjoin.py fails on a new version until it is tested).
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from coalition_docs.errors import BuildError

LAYOUT_TESTED = {"0.13.0"}  # pydyf versions whose uncompressed PDFs RawPdf reads and writes as pydyf does


_REF = re.compile(rb"\((?:\\.|[^\\()])*\)|\b(\d+) 0 R\b", re.S)
_XREF_ROW = re.compile(rb"(\d{10}) (\d{5}) ([nf])")


@dataclass
class RawPdf:
    """The objects of a PDF written by pydyf (uncompressed structure), as bytes."""

    objects: dict[int, bytes]
    root: int
    info: int | None = None
    order: list[int] = field(default_factory=list)

    @classmethod
    def parse(cls, data: bytes) -> "RawPdf":
        check_layout()
        start = data.rindex(b"startxref")
        xref_at = int(data[start + 9:].split()[0])
        if not data.startswith(b"xref", xref_at):
            raise ValueError("not a PDF with a plain xref table (written with uncompressed_pdf=True?)")
        return cls(*_read(data, start, xref_at))

    def ref(self, number: int, key: bytes) -> int | None:
        found = re.search(re.escape(key) + rb" (\d+) 0 R", dictionary(self.objects[number]))
        return int(found.group(1)) if found else None

    def refs(self, number: int, key: bytes) -> list[int]:
        found = re.search(re.escape(key) + rb" \[([^\]]*)\]", dictionary(self.objects[number]))
        return [int(n) for n in re.findall(rb"(\d+) 0 R", found.group(1))] if found else []


def _read(data: bytes, start: int, xref_at: int) -> tuple[dict[int, bytes], int, int | None, list[int]]:
    """The objects, root, info and order of a PDF whose xref table is at `xref_at` (startxref at `start`)."""
    rows = data[xref_at:data.index(b"trailer", xref_at)]
    offsets = [int(m.group(1)) for m in _XREF_ROW.finditer(rows) if m.group(3) == b"n"]
    starts = sorted(offsets)
    objects = {}
    for offset, end in zip(starts, [*starts[1:], xref_at]):
        chunk = data[offset:end]
        head, _, body = chunk.partition(b" 0 obj\n")
        objects[int(head)] = body[:body.rindex(b"endobj")].rstrip(b"\n")
    trailer = data[data.index(b"trailer", xref_at):start]
    root = int(re.search(rb"/Root (\d+) 0 R", trailer).group(1))
    info = re.search(rb"/Info (\d+) 0 R", trailer)
    return objects, root, int(info.group(1)) if info else None, sorted(objects)


def _split(body: bytes) -> tuple[bytes, bytes]:
    """An object as its dictionary part and the rest (its stream, from "\\nstream\\n"; empty if none)."""
    at = body.find(b"\nstream\n")
    return (body, b"") if at < 0 else (body[:at], body[at:])


def dictionary(body: bytes) -> bytes:
    """The dictionary part of an object (before its stream data, if any)."""
    return _split(body)[0]


def stream_data(body: bytes) -> bytes:
    """The data of a stream object, between "stream" and "endstream"."""
    return body[body.index(b"\nstream\n") + 8:body.rindex(b"\nendstream")]


def renumber(body: bytes, mapping: dict[int, int]) -> bytes:
    """References renumbered in the dictionary part; strings and stream data untouched."""
    head, tail = _split(body)

    def swap(match: re.Match) -> bytes:
        if match.group(1) is None:
            return match.group(0)
        return b"%d 0 R" % mapping[int(match.group(1))]

    return _REF.sub(swap, head) + tail


_SEP = b"\n\0\0\n"  # between objects' dictionaries in renumber_many: nothing a PDF dictionary holds


def renumber_many(bodies: Sequence[bytes], mapping: dict[int, int]) -> list[bytes]:
    """`renumber` for every object of a piece in one pass of the pattern (a piece has thousands)."""
    table = {b"%d" % old: b"%d 0 R" % new for old, new in mapping.items()}

    def swap(match: re.Match) -> bytes:
        number = match.group(1)
        return match.group(0) if number is None else table[number]

    heads, tails = zip(*map(_split, bodies)) if bodies else ((), ())
    joined = _SEP.join(heads)
    if joined.count(_SEP) != max(len(heads) - 1, 0):  # a dictionary holding the separator: one at a time
        return [renumber(body, mapping) for body in bodies]
    return [head + tail for head, tail in zip(_REF.sub(swap, joined).split(_SEP), tails)]


def compress_streams(data: bytes) -> bytes:
    """The same PDF with every unfiltered stream deflated (pieces are written uncompressed)."""
    pdf = RawPdf.parse(data)
    for number, body in pdf.objects.items():
        head, tail = _split(body)
        if not tail or b"/Filter" in head:
            continue
        packed = zlib.compress(stream_data(body), 6)
        head = re.sub(rb"/Length \d+", b"/Length %d/Filter /FlateDecode" % len(packed), head, count=1)
        pdf.objects[number] = head + b"\nstream\n" + packed + b"\nendstream"
    return write(pdf.objects, pdf.root, pdf.info, None)


class Memo:
    """What an assembly may take from the last one instead of making it again (compressed blocks of
    objects, font programs), by a digest of what it is made from; `used` is what this one took or made,
    for the next. The same bytes either way: a value depends on its key only."""

    def __init__(self, last: dict[bytes, bytes] | None = None) -> None:
        self.last = last or {}
        self.used: dict[bytes, bytes] = {}

    def get(self, key: bytes, make: Callable[[], bytes]) -> bytes:
        value = self.last.get(key)
        if value is None:
            value = make()
        self.used[key] = value
        return value


def digest(*parts: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(b"%d:" % len(part))
        h.update(part)
    return h.digest()


def _runs(numbers: Sequence[int]) -> list[Sequence[int]]:
    """Sorted numbers as runs of consecutive ones."""
    cuts = [i for i, (a, b) in enumerate(zip(numbers, numbers[1:]), 1) if b != a + 1]
    return [numbers[start:end] for start, end in zip([0, *cuts], [*cuts, len(numbers)])] if numbers else []


PACK = 500  # objects per object stream at most (a run of numbers is cut into blocks of this many)


def write(objects: dict[int, bytes], root: int, info: int | None, identifier: bytes | None,
          packed: bool = False, memo: Memo | None = None) -> bytes:
    """The objects laid out as a PDF: with a plain xref table, or `packed` (PDF 1.5): every object
    that is not a stream compressed in object streams, and a cross-reference stream.

    Packed, the objects are cut into blocks by runs of numbers, so that a block
    depends on its own objects only (a piece numbered apart is blocks of its own):
    `memo` gives the blocks an earlier write compressed."""
    if packed:
        return _write_packed(objects, root, info, identifier, memo or Memo())
    out = bytearray(b"%PDF-1.7\n%\xf0\x9f\x96\xa4\n")
    size = max(objects) + 1
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    # One subsection per run of consecutive numbers (the worksheet's pieces are numbered apart).
    for run in _runs([0, *sorted(offsets)]):
        out += b"%d %d\n" % (run[0], len(run))
        out += b"".join(b"0000000000 65535 f \n" if n == 0 else b"%010d 00000 n \n" % offsets[n] for n in run)
    out += b"trailer\n<<\n/Size %d\n/Root %d 0 R\n" % (size, root)
    if info is not None:
        out += b"/Info %d 0 R\n" % info
    if identifier is not None:
        out += b"/ID [<%s> <%s>]\n" % (identifier.hex().encode(), identifier.hex().encode())
    out += b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


_XREF_STREAM_ROW = struct.Struct(">BIH")  # a cross-reference stream's row, /W [1 4 2]: type, offset or stream, index
_INDEXES = [i.to_bytes(2, "big") for i in range(PACK)]


def _write_packed(objects: dict[int, bytes], root: int, info: int | None, identifier: bytes | None,
                  memo: Memo) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xf0\x9f\x96\xa4\n")
    rows: dict[int, bytes] = {0: _XREF_STREAM_ROW.pack(0, 0, 65535)}
    loose = []
    for number in sorted(objects):
        body = objects[number]
        if b"\nstream\n" in body:
            rows[number] = _XREF_STREAM_ROW.pack(1, len(out), 0)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        else:
            loose.append(number)
    number = max(objects) + 1
    for run in _runs(loose):
        for at in range(0, len(run), PACK):
            block = run[at:at + PACK]
            bodies = [objects[n] for n in block]
            places = accumulate((len(body) + 1 for body in bodies[:-1]), initial=0)
            index = b" ".join(map(b"%d %d".__mod__, zip(block, places))) + b"\n"
            data = index + b"\n".join(bodies)
            deflated = memo.get(b"block" + digest(data), lambda: zlib.compress(data, 6))
            rows[number] = _XREF_STREAM_ROW.pack(1, len(out), 0)
            out += b"%d 0 obj\n<</Type /ObjStm/N %d/First %d/Length %d/Filter /FlateDecode>>\nstream\n%s" \
                   b"\nendstream\nendobj\n" % (number, len(block), len(index), len(deflated), deflated)
            rows.update(zip(block, map(b"\x02%s".__mod__(number.to_bytes(4, "big")).__add__, _INDEXES)))
            number += 1
    xref = number
    rows[xref] = _XREF_STREAM_ROW.pack(1, len(out), 0)
    numbers = sorted(rows)
    deflated = zlib.compress(b"".join(map(rows.__getitem__, numbers)), 6)
    index = b" ".join(b"%d %d" % (run[0], len(run)) for run in _runs(numbers))
    trailer = b"/Size %d/Root %d 0 R" % (xref + 1, root)
    if info is not None:
        trailer += b"/Info %d 0 R" % info
    if identifier is not None:
        trailer += b"/ID [<%s> <%s>]" % (identifier.hex().encode(), identifier.hex().encode())
    out += (b"%d 0 obj\n<</Type /XRef%s/Index [%s]/W [1 4 2]/Length %d/Filter /FlateDecode>>\nstream\n"
            % (xref, trailer, index, len(deflated)) + deflated + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % _XREF_STREAM_ROW.unpack(rows[xref])[1]
    return bytes(out)


def pdf_string(text: str) -> bytes:
    try:
        return b"(" + re.sub(rb"([\\()])", rb"\\\1", text.encode("latin-1")) + b")"
    except UnicodeEncodeError:
        return b"<" + ("\ufeff" + text).encode("utf-16-be").hex().encode() + b">"


def _decode(literal: bytes) -> str:
    """A PDF string as pydyf writes it: (latin-1 with escapes) or <UTF-16BE hex with BOM>."""
    if literal.startswith(b"<"):
        return bytes.fromhex(literal[1:-1].decode()).decode("utf-16")
    return re.sub(rb"\\(.)", rb"\1", literal[1:-1]).decode("latin-1")


def info_title(pdf: RawPdf) -> str | None:
    if pdf.info is None:
        return None
    found = re.search(rb"/Title (\((?:\\.|[^\\()])*\)|<[0-9a-fA-F]*>)", pdf.objects[pdf.info])
    return _decode(found.group(1)) if found else None


@lru_cache(maxsize=1)
def check_layout() -> None:
    """Raise BuildError if the installed pydyf writes a layout RawPdf does not read (checked once a process)."""
    import pydyf

    version = getattr(pydyf, "__version__", "unknown")
    if version in LAYOUT_TESTED or layout_round_trips(pydyf):
        return
    raise BuildError(f"pydyf {version} writes PDFs in a layout this version of coalition-docs cannot join "
                     f"(expected pydyf {', '.join(sorted(LAYOUT_TESTED))}, found {version}); install one of "
                     "those versions, e.g. pip install 'pydyf==" + max(LAYOUT_TESTED) + "'")


def layout_round_trips(pydyf) -> bool:
    """Whether a small PDF written by `pydyf` (a page, a stream, a title) reads back and is written again as it was."""
    import io

    pdf = pydyf.PDF()
    content = pydyf.Stream()
    content.rectangle(0, 0, 10, 10)
    content.fill()
    pdf.add_object(content)
    pdf.add_page(pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference,
                                   "MediaBox": pydyf.Array([0, 0, 10, 10]), "Contents": content.reference}))
    pdf.info["Title"] = pydyf.String("Tëst (1 0 R)")
    out = io.BytesIO()
    pdf.write(out, version=b"1.7", compress=False)
    data = out.getvalue()
    try:
        start = data.rindex(b"startxref")
        xref_at = int(data[start + 9:].split()[0])
        raw = RawPdf(*_read(data, start, xref_at))
        return write(raw.objects, raw.root, raw.info, None) == data and info_title(raw) == "Tëst (1 0 R)"
    except (ValueError, AttributeError, IndexError, KeyError):
        return False
