"""One tagged PDF from others, fast: objects copied as bytes, renumbered.

letters.pdf is made of the letters' own files, the worksheet of its pieces.
The sources are PDFs WeasyPrint wrote with plain (uncompressed) object
structure, as pydyf lays it out: `N 0 obj ... endobj` at the offsets of an
xref table. Assembling them is bookkeeping, not parsing: every object of every
piece is copied with its references renumbered (strings and stream data are
never touched); each piece's structure tree becomes a Part of one Document
element; page and annotation keys into the ParentTree are shifted; the IDs of
table header cells get the piece's prefix so that a cell's /Headers still
name its own table's headers. Then each page gets its footer ("Page N of M")
stamped as a pagination artifact: a form XObject cut from a page of a small
untagged PDF laid out with the same page rules, drawn inside
`/Artifact <</Type /Pagination /Subtype /Footer>> BDC ... EMC`.

For double-sided printing (`duplex`), a piece with an odd number of pages is
followed by a blank page of the same size, so that every piece starts on a
right-hand page; the blank page's only content is an empty pagination
artifact (it has no place in the structure tree), and its piece's bookmark
says that a blank page follows.

Same pieces, same bytes: fixed /ID, no dates.
"""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
<pdf:Producer>coalition-docs</pdf:Producer>
<xmp:CreatorTool>coalition-docs</xmp:CreatorTool>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""

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
        start = data.rindex(b"startxref")
        xref_at = int(data[start + 9:].split()[0])
        if not data.startswith(b"xref", xref_at):
            raise ValueError("not a PDF with a plain xref table (written with uncompressed_pdf=True?)")
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
        return cls(objects, root, int(info.group(1)) if info else None, sorted(objects))

    def ref(self, number: int, key: bytes) -> int | None:
        found = re.search(re.escape(key) + rb" (\d+) 0 R", dictionary(self.objects[number]))
        return int(found.group(1)) if found else None

    def refs(self, number: int, key: bytes) -> list[int]:
        found = re.search(re.escape(key) + rb" \[([^\]]*)\]", dictionary(self.objects[number]))
        return [int(n) for n in re.findall(rb"(\d+) 0 R", found.group(1))] if found else []


def page_count(pdf: RawPdf) -> int:
    return len(pdf.refs(pdf.ref(pdf.root, b"/Pages"), b"/Kids"))


def dictionary(body: bytes) -> bytes:
    """The dictionary part of an object (before its stream data, if any)."""
    at = body.find(b"\nstream\n")
    return body if at < 0 else body[:at]


def renumber(body: bytes, mapping: dict[int, int]) -> bytes:
    """References renumbered in the dictionary part; strings and stream data untouched."""
    at = body.find(b"\nstream\n")
    head, tail = (body, b"") if at < 0 else (body[:at], body[at:])

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

    heads, tails = [], []
    for body in bodies:
        at = body.find(b"\nstream\n")
        heads.append(body if at < 0 else body[:at])
        tails.append(b"" if at < 0 else body[at:])
    joined = _SEP.join(heads)
    if joined.count(_SEP) != max(len(heads) - 1, 0):  # a dictionary holding the separator: one at a time
        return [renumber(body, mapping) for body in bodies]
    return [head + tail for head, tail in zip(_REF.sub(swap, joined).split(_SEP), tails)]


def compress_streams(data: bytes) -> bytes:
    """The same PDF with every unfiltered stream deflated (pieces are written uncompressed)."""
    pdf = RawPdf.parse(data)
    for number, body in pdf.objects.items():
        at = body.find(b"\nstream\n")
        if at < 0 or b"/Filter" in body[:at]:
            continue
        head, stream = body[:at], body[at + 8:body.rindex(b"\nendstream")]
        packed = zlib.compress(stream, 6)
        head = re.sub(rb"/Length \d+", b"/Length %d/Filter /FlateDecode" % len(packed), head, count=1)
        pdf.objects[number] = head + b"\nstream\n" + packed + b"\nendstream"
    return write(pdf.objects, pdf.root, pdf.info, None)


def write(objects: dict[int, bytes], root: int, info: int | None, identifier: bytes | None) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xf0\x9f\x96\xa4\n")
    size = max(objects) + 1
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (b"%010d 00000 n \n" % offsets[number]) if number in offsets else b"0000000000 00000 f \n"
    out += b"trailer\n<<\n/Size %d\n/Root %d 0 R\n" % (size, root)
    if info is not None:
        out += b"/Info %d 0 R\n" % info
    if identifier is not None:
        out += b"/ID [<%s> <%s>]\n" % (identifier.hex().encode(), identifier.hex().encode())
    out += b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _string(text: str) -> bytes:
    try:
        return b"(" + re.sub(rb"([\\()])", rb"\\\1", text.encode("latin-1")) + b")"
    except UnicodeEncodeError:
        return b"<" + ("\ufeff" + text).encode("utf-16-be").hex().encode() + b">"


class Assembler:
    def __init__(self) -> None:
        self.objects: dict[int, bytes] = {}
        self.next = 1

    def reserve(self) -> int:
        number, self.next = self.next, self.next + 1
        return number

    def add(self, body: bytes) -> int:
        number = self.reserve()
        self.objects[number] = body
        return number


def _outline_objects(pdf: RawPdf, catalog: int) -> set[int]:
    top = pdf.ref(catalog, b"/Outlines")
    found, todo = set(), [top] if top else []
    while todo:
        number = todo.pop()
        if number in found or number not in pdf.objects:
            continue
        found.add(number)
        todo += [n for n in (pdf.ref(number, b"/First"), pdf.ref(number, b"/Next")) if n]
    return found


BLANK_NOTE = " (then a blank page, for double-sided printing)"


def assemble(pieces: Sequence[RawPdf], stamps: bytes | None, *, title: str, author: str, language: str,
             identifier: bytes, outline: Sequence[str | None] = (), duplex: bool = False) -> bytes:
    """One tagged PDF from the pieces, in order; page i gets stamp page i drawn as an artifact.
    With `duplex`, every piece starts on an odd page (a blank page after a piece of odd length)."""
    a = Assembler()
    pages_node, catalog, tree_root, document, parent_tree = (a.reserve() for _ in range(5))
    all_pages: list[int] = []
    parts: list[int] = []
    nums: list[bytes] = []
    offset = 0
    role_map = b""
    firsts: list[int] = []
    padded: set[int] = set()
    blank_content = None
    for index, pdf in enumerate(pieces):
        old_catalog = pdf.root
        old_pages = pdf.ref(old_catalog, b"/Pages")
        old_tree = pdf.ref(old_catalog, b"/StructTreeRoot")
        old_parent_tree = pdf.ref(old_tree, b"/ParentTree")
        skip = {old_catalog, old_pages, old_tree, old_parent_tree, pdf.info,
                pdf.ref(old_catalog, b"/Metadata"), *_outline_objects(pdf, old_catalog)}
        mapping = {old_pages: pages_node, old_tree: document}
        for number in pdf.order:
            if number not in skip:
                mapping[number] = a.reserve()
        tree_dict = dictionary(pdf.objects[old_tree])
        found = re.search(rb"/RoleMap (<<.*?>>)", tree_dict)
        if found and not role_map:
            role_map = found.group(1)
        prefix = b"p%d-" % index
        highest = -1
        kept = [number for number in pdf.order if number not in skip]
        for number, body in zip(kept, renumber_many([pdf.objects[n] for n in kept], mapping)):
            head = dictionary(body)
            if head.startswith(b"<</Type /Page/") or head.startswith(b"<</Type /Annot"):
                def shift(match: re.Match) -> bytes:
                    nonlocal highest
                    highest = max(highest, int(match.group(2)))
                    return match.group(1) + b"%d" % (int(match.group(2)) + offset)
                body = re.sub(rb"(/StructParents? )(\d+)", shift, head, count=1) + body[len(head):]
            elif head.startswith(b"<</Type /StructElem"):
                body = body.replace(b"/ID (", b"/ID (" + prefix)
                if b"/Headers [" in body:
                    body = re.sub(rb"/Headers \[([^\]]*)\]",
                                  lambda m: b"/Headers [" + m.group(1).replace(b"(", b"(" + prefix) + b"]", body)
            a.objects[mapping[number]] = body
        # A part in another language than the whole (a Spanish letter in letters.pdf) says so in its element.
        own = re.search(rb"/Lang \(([^)]*)\)", dictionary(pdf.objects[old_catalog]))
        part = b"/S /Part" if own is None or own.group(1) == language.encode() else b"/S /Part/Lang (%s)" % own.group(1)
        for kid in pdf.refs(old_tree, b"/K"):
            new = mapping[kid]
            a.objects[new] = a.objects[new].replace(b"/S /Document", part, 1)
            parts.append(new)
        nums_body = dictionary(pdf.objects[old_parent_tree])
        inner = nums_body[nums_body.index(b"[") + 1:nums_body.rindex(b"]")]
        for key, value in re.findall(rb"(\d+) (\[[^\]]*\]|\d+ 0 R)", inner):
            highest = max(highest, int(key))
            nums.append(b"%d %s" % (int(key) + offset, renumber(value, mapping)))
        offset += highest + 1
        page_refs = [mapping[n] for n in pdf.refs(old_pages, b"/Kids")]
        firsts.append(page_refs[0])
        all_pages += page_refs
        if duplex and len(page_refs) % 2:
            if blank_content is None:
                mark = b"/Artifact <</Type /Pagination>> BDC\nEMC"
                blank_content = a.add(b"<</Length %d>>\nstream\n%s\nendstream" % (len(mark), mark))
            box = re.search(rb"/MediaBox (\[[^\]]*\])", dictionary(a.objects[page_refs[-1]])).group(1)
            all_pages.append(a.add(b"<</Type /Page/Parent %d 0 R/MediaBox %s/Contents %d 0 R/Resources <<>>"
                                   b"/Tabs /S/TrimBox %s/BleedBox %s>>" % (pages_node, box, blank_content, box, box)))
            padded.add(index)

    if stamps is not None:
        _stamp(a, stamps, all_pages)

    a.objects[pages_node] = b"<</Type /Pages/Kids [%s]/Count %d>>" % (
        b" ".join(b"%d 0 R" % n for n in all_pages), len(all_pages))
    a.objects[document] = b"<</Type /StructElem/S /Document/K [%s]/P %d 0 R>>" % (
        b" ".join(b"%d 0 R" % n for n in parts), tree_root)
    a.objects[parent_tree] = b"<</Nums [%s]>>" % b" ".join(nums)
    a.objects[tree_root] = b"<</Type /StructTreeRoot/K [%d 0 R]/ParentTree %d 0 R/ParentTreeNextKey %d%s>>" % (
        document, parent_tree, offset, (b"/RoleMap " + role_map) if role_map else b"")
    xmp = XMP.format(title=html.escape(title, quote=False), author=html.escape(author, quote=False),
                     language=html.escape(language, quote=False)).encode()
    metadata = a.add(b"<</Type /Metadata/Subtype /XML/Length %d>>\nstream\n%s\nendstream" % (len(xmp), xmp))
    marks = [(t + BLANK_NOTE if i in padded else t, p) for i, (t, p) in enumerate(zip(outline, firsts)) if t]
    outlines = _outlines(a, marks)
    a.objects[catalog] = (b"<</Type /Catalog/Pages %d 0 R/Lang %s/StructTreeRoot %d 0 R"
                          b"/ViewerPreferences <</DisplayDocTitle true>>/MarkInfo <</Marked true>>"
                          b"/Metadata %d 0 R%s>>") % (pages_node, _string(language), tree_root, metadata,
                                                      b"/Outlines %d 0 R" % outlines if outlines else b"")
    info = a.add(b"<</Title %s/Author %s/Creator (coalition-docs)/Producer (coalition-docs)>>"
                 % (_string(title), _string(author)))
    return write(a.objects, catalog, info, identifier)


def _outlines(a: Assembler, items: list[tuple[str, int]]) -> int | None:
    if not items:
        return None
    top = a.reserve()
    numbers = [a.reserve() for _ in items]
    for i, ((text, page), number) in enumerate(zip(items, numbers)):
        links = b"".join([b"/Prev %d 0 R" % numbers[i - 1] if i else b"",
                          b"/Next %d 0 R" % numbers[i + 1] if i + 1 < len(numbers) else b""])
        a.objects[number] = b"<</Title %s/Parent %d 0 R/Dest [%d 0 R /Fit]%s>>" % (_string(text), top, page, links)
    a.objects[top] = b"<</Type /Outlines/First %d 0 R/Last %d 0 R/Count %d>>" % (numbers[0], numbers[-1],
                                                                               len(numbers))
    return top


def _stamp(a: Assembler, stamps: bytes, pages: list[int]) -> None:
    """Draw page i of `stamps` on page i as a pagination artifact (a form XObject)."""
    pdf = RawPdf.parse(stamps)
    stamp_pages = pdf.refs(pdf.ref(pdf.root, b"/Pages"), b"/Kids")
    if len(stamp_pages) != len(pages):
        raise ValueError(f"{len(stamp_pages)} footers for {len(pages)} pages")
    contents = {int(re.search(rb"/Contents (\d+) 0 R", dictionary(pdf.objects[n])).group(1)): n
                for n in stamp_pages}
    skip = {pdf.root, pdf.info, pdf.ref(pdf.root, b"/Pages"), *stamp_pages, *contents}
    kept = [n for n in pdf.order if n not in skip]
    mapping = {number: a.reserve() for number in kept}
    for number in kept:
        a.objects[mapping[number]] = renumber(pdf.objects[number], mapping)
    content_of = {page: number for number, page in contents.items()}
    open_q = a.add(b"<</Length 2>>\nstream\nq\n\nendstream")
    close_q = a.add(b"<</Length 2>>\nstream\nQ\n\nendstream")
    for page, stamp in zip(pages, stamp_pages):
        stamp_head = dictionary(pdf.objects[stamp])
        content = pdf.objects[content_of[stamp]]
        data = content[content.index(b"\nstream\n") + 8:content.rindex(b"\nendstream")]
        if b"/Filter /FlateDecode" in dictionary(content):
            data = zlib.decompress(data)
        packed = zlib.compress(data, 6)
        box = re.search(rb"/MediaBox (\[[^\]]*\])", stamp_head).group(1)
        resources = renumber(re.search(rb"/Resources (\d+ 0 R)", stamp_head).group(1), mapping)
        form = a.add(b"<</Type /XObject/Subtype /Form/BBox %s/Resources %s/Length %d/Filter /FlateDecode>>"
                     b"\nstream\n%s\nendstream" % (box, resources, len(packed), packed))
        draw = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC q /CDStamp Do Q EMC"
        drawn = a.add(b"<</Length %d>>\nstream\n%s\nendstream" % (len(draw), draw))
        body = a.objects[page]
        head = dictionary(body)
        resources_ref = int(re.search(rb"/Resources (\d+) 0 R", head).group(1))
        own = a.objects[resources_ref]
        if b"/XObject <<" in own:
            own = own.replace(b"/XObject <<", b"/XObject <</CDStamp %d 0 R" % form, 1)
        else:
            own = own.replace(b"<<", b"<</XObject <</CDStamp %d 0 R>>" % form, 1)
        new_resources = a.add(own)
        contents = re.search(rb"/Contents (\d+ 0 R|\[[^\]]*\])", head)
        old = contents.group(1).strip(b"[]")
        head = head.replace(contents.group(0), b"/Contents [%d 0 R %s %d 0 R %d 0 R]" % (
            open_q, old, close_q, drawn), 1)
        head = re.sub(rb"/Resources \d+ 0 R", b"/Resources %d 0 R" % new_resources, head, count=1)
        a.objects[page] = head


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


def join_files(sources: Sequence[Path], target: Path, *, title: str, author: str, language: str,
               identifier: bytes, outline: Sequence[str | None] | None = None, duplex: bool = False) -> None:
    """Write the pages of `sources`, in order, as one tagged PDF at `target`; a bookmark per
    source (its own title unless `outline` names them); with `duplex` each starts on an odd page."""
    pdfs = [RawPdf.parse(Path(source).read_bytes()) for source in sources]
    titles = list(outline) if outline is not None else [info_title(pdf) for pdf in pdfs]
    Path(target).write_bytes(assemble(pdfs, None, title=title, author=author, language=language,
                                      identifier=identifier, outline=titles, duplex=duplex))
