"""One copy of each font in a joined PDF: the pieces' subsets of a face made into one.

Every document WeasyPrint writes embeds its own subset of each face it uses:
letters.pdf would carry a copy per letter, the worksheet a copy per piece.
WeasyPrint names a face after a hash of its description (`/JDPBJZ+Noto-Sans-Print`:
the same name in every document) and keeps the face's glyph ids in its subsets
(HarfBuzz's RETAIN_GIDS), so the pages' text, which draws glyph ids, stays true
with any subset that holds its glyphs. `share_fonts` gathers the fonts of a
joined file by name and writes each once: the face subset anew from its file to
the union of the glyphs the pieces use (by WeasyPrint's own subsetting, as a
single document would embed it), the union of their widths (/W) and of their
text (/ToUnicode), and every page's font resources pointing at it.

Nothing is shared unless it is known to be the same: a font is shared only when
its objects are exactly as WeasyPrint writes them (Identity-H, one TrueType or
CFF descendant, no CIDSet), when subsetting the face's file to the glyphs of
the first font of its name gives back that font's program byte for byte (the
fonts of one name are subsets of one face), and when its glyphs map to the
same text as the fonts it joins (a glyph that reads as
another text in another piece keeps a font of its own). Anything else stays as
the piece wrote it. Same pieces, same bytes: the result depends on the pieces
only, never on what an earlier build kept.

Subsetting a face as WeasyPrint does uses its `Font.subset` on a Font made
without Pango (`_subset`), which WeasyPrint does not promise: the byte-for-byte
check above is the guard. With a version that subsets otherwise, or fails to,
nothing is shared and every letter keeps its fonts (tests/test_fontshare.py
then fails until that version is tested).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from math import ceil
from pathlib import Path

from coalition_docs.documents.rawpdf import Memo, _decode, dictionary, digest, stream_data

_TYPE0 = re.compile(rb"<</Type /Font/Subtype /Type0/BaseFont /(?P<name>\S+?)/ToUnicode (?P<cmap>\d+) 0 R"
                    rb"/Encoding /Identity-H/DescendantFonts \[(?P<cid>\d+) 0 R\]>>")
_CID = re.compile(rb"<</Type /Font/Subtype /CIDFontType(?P<kind>[02])/BaseFont /(?P<name>\S+?)/CIDSystemInfo "
                  rb"<</Registry \(Adobe\)/Ordering \(Identity\)/Supplement 0>>/CIDToGIDMap /Identity"
                  rb"/W \[(?P<widths>.*)\]/FontDescriptor (?P<descriptor>\d+) 0 R>>", re.S)
_DESCRIPTOR = re.compile(rb"<</Type /FontDescriptor/FontName /(?P<name>\S+?)"
                         rb"/FontFamily (?P<family>\((?:\\.|[^\\()])*\)|<[0-9a-f]*>)/Flags (?P<flags>\d+)"
                         rb"/FontBBox \[0 (?P<descent>\S+) \S+ (?P<ascent>\S+)\]"
                         rb"(?P<metrics>/ItalicAngle \S+/Ascent \S+/Descent \S+)/CapHeight \S+"
                         rb"(?P<stems>/StemV \S+/StemH \S+)/FontFile(?P<file>[23]) (?P<program>\d+) 0 R>>")
# A font program's dictionary, as WeasyPrint writes it (TrueType, or OpenType with CFF outlines),
# deflated or not (the footers to stamp are not).
_PROGRAM = {b"2": re.compile(rb"<</Length1 \d+/Length \d+(/Filter /FlateDecode)?>>"),
            b"3": re.compile(rb"<</Subtype /OpenType/Length \d+(/Filter /FlateDecode)?>>")}
_WIDTHS = re.compile(rb"(\d+) \[([^\]]*)\]")
_CHAR = re.compile(rb"<([0-9a-f]{4})> <([0-9a-f]*)>")
_FONT_RESOURCES = re.compile(rb"/Font (\d+) 0 R|/Font (<<[^>]*>>)")
_REF = re.compile(rb"\b(\d+) 0 R\b")
FIXED_PITCH = 1


@dataclass
class _Font:
    """One Type0 font of one piece, as WeasyPrint wrote it."""

    number: int
    objects: tuple[int, ...]  # its own objects: the Type0 font, its descendant, descriptor, program and text map
    name: bytes
    family: str
    family_literal: bytes
    flags: int
    descent: bytes
    ascent: bytes
    metrics: bytes  # /ItalicAngle .../Ascent .../Descent ...
    stems: bytes
    kind: bytes  # CIDFontType 2 (TrueType, /FontFile2) or 0 (CFF outlines, /FontFile3)
    widths: dict[int, bytes]
    text: dict[int, bytes]
    program: int
    cmap: bytes  # its /ToUnicode stream, decoded
    made_from: bytes  # a digest of its program object: a face's file changed, its subsets change


def _stream(body: bytes) -> bytes:
    data = stream_data(body)
    return zlib.decompress(data) if b"/Filter /FlateDecode" in dictionary(body) else data


def _read(objects: dict[int, bytes], number: int) -> _Font | None:
    """The font whose Type0 dictionary is `number`, if it is exactly as WeasyPrint writes one."""
    try:
        top = _TYPE0.fullmatch(objects[number])
        if top is None:
            return None
        name, cmap_at, cid_at = top["name"], int(top["cmap"]), int(top["cid"])
        cid = _CID.fullmatch(objects[cid_at])
        if cid is None or cid["name"] != name:
            return None
        descriptor = int(cid["descriptor"])
        described = _DESCRIPTOR.fullmatch(objects[descriptor])
        if described is None or described["name"] != name or (cid["kind"] == b"0") != (described["file"] == b"3"):
            return None
        program = int(described["program"])
        if _PROGRAM[described["file"]].fullmatch(dictionary(objects[program])) is None:
            return None
        widths: dict[int, bytes] = {}
        for start, run in _WIDTHS.findall(cid["widths"]):
            for i, width in enumerate(run.split()):
                widths[int(start) + i] = width
        cmap = _stream(objects[cmap_at])
        head = _cmap_head(cmap)
        if head is None:
            return None
        text = {int(gid, 16): chars for gid, chars in _CHAR.findall(cmap, len(head))}
        return _Font(number, (number, cid_at, descriptor, program, cmap_at), name, _decode(described["family"]),
                     described["family"], int(described["flags"]), described["descent"], described["ascent"],
                     described["metrics"], described["stems"], cid["kind"], widths, text, program, cmap,
                     digest(objects[program]))
    except (KeyError, ValueError, zlib.error):
        return None


def _cmap(head: bytes, text: Iterable[tuple[int, bytes]]) -> bytes:
    """A /ToUnicode stream as WeasyPrint writes it: `head`, then batches of 100 glyphs."""
    items = list(text)
    lines = [head]
    for i in range(ceil(len(items) / 100)):
        batch = items[i * 100:(i + 1) * 100]
        lines.append(b"%d beginbfchar" % len(batch))
        lines += [b"<%04x> <%s>" % (gid, chars) for gid, chars in batch]
        lines.append(b"endbfchar")
    lines.append(b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
    return b"\n".join(lines)


def _cmap_head(cmap: bytes) -> bytes | None:
    found = re.search(rb"\n\d+ beginbfchar\n", cmap)
    return cmap[:found.start()] if found else None


# -- the faces' files, subset as WeasyPrint subsets them -----------------------------------------

@lru_cache(maxsize=None)
def _face(path: str, index: int):
    """A HarfBuzz face of a font file (kept for the process), and its bytes; None if it cannot be read."""
    import cffi
    from weasyprint.text.ffi import _dlopen, ffi, harfbuzz

    own = cffi.FFI()
    own.cdef("typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t;"
             "hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);"
             "hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);"
             "void hb_blob_destroy (hb_blob_t *blob);")
    lib = _dlopen(own, "libharfbuzz-0", "harfbuzz", "harfbuzz-0.0", "libharfbuzz.so.0", "libharfbuzz.0.dylib",
                  "libharfbuzz-0.dll", allow_fail=True)
    if lib is None:
        return None
    blob = lib.hb_blob_create_from_file_or_fail(path.encode())
    if blob == own.NULL:
        return None
    face = lib.hb_face_create(blob, index)
    lib.hb_blob_destroy(blob)
    face = ffi.gc(ffi.cast("hb_face_t *", int(own.cast("uintptr_t", face))), harfbuzz.hb_face_destroy)
    return face, Path(path).read_bytes()


def _subset(path: str, index: int, glyphs: Iterable[int]) -> bytes | None:
    """The face of `path` subset to `glyphs` by WeasyPrint's own code (as a document embeds it)."""
    try:
        from weasyprint.pdf.fonts import Font

        face = _face(path, index)
        if face is None:
            return None
        font = Font.__new__(Font)  # only what its subsetting reads
        font.hb_face, font.file_content, font.index, font.missing, font.family = face[0], face[1], index, {}, path
        Font.subset(font, dict.fromkeys(sorted(glyphs)), False)
        return font.file_content
    except Exception:  # noqa: BLE001 - a face we cannot subset is left as the pieces wrote it
        return None


def _source(font: _Font, objects: dict[int, bytes], faces: Sequence[tuple[str, str]]) -> tuple[str, int] | None:
    """The file (and face index) whose subset to the font's glyphs is the font's own program, byte for byte."""
    try:
        program = _stream(objects[font.program])
    except (ValueError, zlib.error):
        return None
    for family, path in faces:
        if family != font.family:
            continue
        for index in range(4 if path.endswith((".ttc", ".otc")) else 1):
            if _subset(path, index, font.text) == program:
                return path, index
    return None


# -- the join ------------------------------------------------------------------------------------

@dataclass
class _Shared:
    """The fonts of one name that become one: the union of their widths and text."""

    first: _Font
    source: tuple[str, int]
    members: list[_Font] = field(default_factory=list)
    widths: dict[int, bytes] = field(default_factory=dict)
    text: dict[int, bytes] = field(default_factory=dict)

    def takes(self, font: _Font) -> bool:
        """Whether `font` agrees with the fonts gathered so far (its glyphs read and measure the same)."""
        if (font.kind, font.family_literal, font.flags & ~FIXED_PITCH, font.metrics, font.stems, font.descent,
                font.ascent) != (self.first.kind, self.first.family_literal, self.first.flags & ~FIXED_PITCH,
                                 self.first.metrics, self.first.stems, self.first.descent, self.first.ascent):
            return False
        return (all(self.text.get(gid, chars) == chars for gid, chars in font.text.items())
                and all(self.widths.get(gid, width) == width for gid, width in font.widths.items()))

    def add(self, font: _Font) -> None:
        self.members.append(font)
        self.widths.update(font.widths)
        self.text.update(font.text)

    def write(self, add: Callable[[bytes], int], memo: Memo) -> int | None:
        """The shared font's objects; the number of its Type0 dictionary (None: the face could not be subset)."""
        first = self.first
        path, index = self.source
        glyphs = sorted(self.text)
        key = digest(path.encode(), b"%d" % index, first.kind, repr(glyphs).encode(), first.made_from)
        body = memo.get(b"font" + key, lambda: _program(path, index, glyphs, first.kind))
        head = _cmap_head(first.cmap)
        if not body or head is None:
            return None
        program_at = add(body)
        cmap = zlib.compress(_cmap(head, sorted(self.text.items())), 6)
        cmap_at = add(b"<</Length %d/Filter /FlateDecode>>\nstream\n%s\nendstream" % (len(cmap), cmap))
        widths = sorted(self.widths.items())
        widest = max((w for _, w in widths), key=float, default=b"0")
        flags = first.flags & ~FIXED_PITCH
        if len(widths) > 1 and len({float(w) for _, w in widths}) == 1:
            flags |= FIXED_PITCH
        descriptor = add(b"<</Type /FontDescriptor/FontName /%s/FontFamily %s/Flags %d/FontBBox [0 %s %s %s]%s"
                         b"/CapHeight %s%s/FontFile%s %d 0 R>>" % (
                             first.name, first.family_literal, flags, first.descent, widest, first.ascent,
                             first.metrics, first.ascent, first.stems, b"3" if first.kind == b"0" else b"2",
                             program_at))
        runs: list[bytes] = []
        for gid, width in widths:
            if gid - 1 not in self.widths:
                runs.append(b"%d [" % gid)
            runs[-1] += width + (b"] " if gid + 1 not in self.widths else b" ")
        cid = add(b"<</Type /Font/Subtype /CIDFontType%s/BaseFont /%s/CIDSystemInfo <</Registry (Adobe)"
                  b"/Ordering (Identity)/Supplement 0>>/CIDToGIDMap /Identity/W [%s]/FontDescriptor %d 0 R>>"
                  % (first.kind, first.name, b"".join(runs).rstrip(), descriptor))
        return add(b"<</Type /Font/Subtype /Type0/BaseFont /%s/ToUnicode %d 0 R/Encoding /Identity-H"
                   b"/DescendantFonts [%d 0 R]>>" % (first.name, cmap_at, cid))


def _program(path: str, index: int, glyphs: list[int], kind: bytes) -> bytes:
    """A font program object: the face subset to `glyphs`, deflated (empty if it cannot be subset)."""
    program = _subset(path, index, glyphs)
    if program is None:
        return b""
    packed = zlib.compress(program, 6)
    if kind == b"2":
        return b"<</Length1 %d/Length %d/Filter /FlateDecode>>\nstream\n%s\nendstream" % (
            len(program), len(packed), packed)
    return b"<</Subtype /OpenType/Length %d/Filter /FlateDecode>>\nstream\n%s\nendstream" % (len(packed), packed)


def _source_of(font: _Font, objects: dict[int, bytes], faces: Sequence[tuple[str, str]], memo: Memo
               ) -> tuple[str, int] | None:
    """`_source`, or what an earlier join found for the same program."""
    key = b"source" + digest(font.name, font.family.encode(), font.made_from, repr(faces).encode())
    found = memo.get(key, lambda: b"%s\0%d" % (source[0].encode(), source[1])
                     if (source := _source(font, objects, faces)) else b"-")
    if found == b"-":
        return None
    path, _, index = found.rpartition(b"\0")
    return path.decode(), int(index)


def share_fonts(objects: dict[int, bytes], add: Callable[[bytes], int], faces: Sequence[tuple[str, str]],
                memo: Memo | None = None) -> None:
    """Write each font of a joined PDF once (see the module's text); `objects` is changed in place.

    `faces` are (family, file) of every face the pieces may embed; `add` adds an
    object and returns its number; `memo` gives what an earlier join made (the
    faces' files found, the shared fonts' programs).
    """
    memo = memo or Memo()
    fonts, resources = [], []
    for number in sorted(objects):
        body = objects[number]
        if body.startswith(b"<</Type /StructElem"):  # most objects of a tagged PDF
            continue
        if body.startswith(b"<</Type /Font/Subtype /Type0/"):
            fonts.append(_read(objects, number))
        elif b"/Font " in body:
            resources.append(number)
    groups: dict[bytes, list[_Shared]] = {}
    sources: dict[tuple[bytes, str], tuple[str, int] | None] = {}
    for font in fonts:
        if font is None:
            continue
        head = _cmap_head(font.cmap)
        if head is None or _cmap(head, font.text.items()) != font.cmap:
            continue
        # A name is a hash of the face's description: the fonts of one name are subsets of one file.
        if (font.name, font.family) not in sources:
            sources[font.name, font.family] = _source_of(font, objects, faces, memo)
        source = sources[font.name, font.family]
        if source is None:
            continue
        variants = groups.setdefault(font.name, [])
        for shared in variants:
            if shared.takes(font):
                break
        else:
            shared = _Shared(font, source)
            variants.append(shared)
        shared.add(font)
    moved: dict[int, int] = {}
    gone: set[int] = set()
    for variants in groups.values():
        for shared in variants:
            if len(shared.members) < 2:
                continue
            new = shared.write(add, memo)
            if new is None:
                continue
            for font in shared.members:
                moved[font.number] = new
                gone.update(font.objects)
    if not moved:
        return
    for number in resources:
        body = objects[number]
        for found in _FONT_RESOURCES.finditer(dictionary(body)):
            if found.group(1):
                target = int(found.group(1))
                if target in objects:
                    objects[target] = _swap(objects[target], moved)
            else:
                objects[number] = body = body.replace(found.group(2), _swap(found.group(2), moved), 1)
    for number in gone:
        del objects[number]


def _swap(fonts: bytes, moved: dict[int, int]) -> bytes:
    """A font resource dictionary with its fonts' references moved to the shared ones."""
    return _REF.sub(lambda m: b"%d 0 R" % moved.get(int(m.group(1)), int(m.group(1))), fonts)
