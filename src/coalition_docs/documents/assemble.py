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

The worksheet's pieces are numbered apart (`strides`): piece i from
FIRST + i * S, S being the largest piece's count of objects with room to
spare, rounded up to a power of two (the xref table lists each run of numbers
as its own subsection). A piece's placement then depends on the piece and its
index alone, so stage.py keeps each for the next build, which renumbers only
the pieces that changed.

Each font is written once (fontshare.py), and the objects are packed in
compressed object streams with a cross-reference stream (rawpdf.write): a
letter or a piece keeps its own subset of each face and its plain structure,
the whole does not.

Same pieces, same bytes: fixed /ID, no dates.
"""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from coalition_docs.documents.fontshare import share_fonts
from coalition_docs.documents.outline import Item, merge, names_entry, own_outline, write_outline
from coalition_docs.documents.rawpdf import (Memo, RawPdf, dictionary, info_title, pdf_string, renumber,
                                             renumber_many, stream_data, write)


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


@dataclass
class Placed:
    """A piece as the assembly placed it: its objects renumbered from `first`, and what the whole takes from it.

    A pure function of the piece, its place (index, first number, first
    ParentTree key) and the document's language (`place`): an assembly may
    keep it for the next one, which reuses it when the piece and its place are
    the same (stage.py, the worksheet).
    """

    numbers: list[int]
    bodies: list[bytes]
    next: int  # the first number after the piece's objects
    role_map: bytes
    parts: list[int]  # the piece's Part elements
    nums: list[bytes]  # its ParentTree entries, already shifted
    keys: int  # ParentTree keys it uses (the next piece's keys start that much later)
    pages: list[int]
    outline: list[Item]  # its own bookmarks and named destinations (outline.py), renumbered
    names: list[tuple[bytes, bytes]]

    def to_tuple(self) -> tuple:
        return (self.numbers, self.bodies, self.next, self.role_map, self.parts, self.nums, self.keys, self.pages,
                self.outline, self.names)


# The numbers every assembly reserves first, in this order (see assemble).
PAGES_NODE, DOCUMENT = 1, 4


def _kept(pdf: RawPdf) -> tuple[list[int], int, int, int]:
    """The objects of a piece that the whole keeps (not its catalog, page tree, structure root, outline
    or metadata); and its page tree, structure tree and ParentTree."""
    old_catalog = pdf.root
    old_pages = pdf.ref(old_catalog, b"/Pages")
    old_tree = pdf.ref(old_catalog, b"/StructTreeRoot")
    old_parent_tree = pdf.ref(old_tree, b"/ParentTree")
    skip = {old_catalog, old_pages, old_tree, old_parent_tree, pdf.info,
            pdf.ref(old_catalog, b"/Metadata"), *_outline_objects(pdf, old_catalog)}
    return [number for number in pdf.order if number not in skip], old_pages, old_tree, old_parent_tree


_STRUCT_PARENT = re.compile(rb"(/StructParents? )(\d+)")


def _keyed(head: bytes) -> bool:
    """Whether an object is a page or an annotation: one whose /StructParent(s) is a ParentTree key."""
    return head.startswith((b"<</Type /Page/", b"<</Type /Annot"))


def _parent_tree(pdf: RawPdf, number: int) -> list[tuple[bytes, bytes]]:
    """The (key, value) entries of a ParentTree's /Nums."""
    body = dictionary(pdf.objects[number])
    return re.findall(rb"(\d+) (\[[^\]]*\]|\d+ 0 R)", body[body.index(b"[") + 1:body.rindex(b"]")])


def measure(pdf: RawPdf) -> tuple[int, int]:
    """How many numbers a piece's placement takes: objects, and ParentTree keys (as `place` counts them)."""
    kept, _, _, old_parent_tree = _kept(pdf)
    highest = -1
    for number in kept:
        head = dictionary(pdf.objects[number])
        if _keyed(head) and (found := _STRUCT_PARENT.search(head)):
            highest = max(highest, int(found.group(2)))
    for key, _ in _parent_tree(pdf, old_parent_tree):
        highest = max(highest, int(key))
    return len(kept), highest + 1


def place(pdf: RawPdf, index: int, first: int, offset: int, language: str) -> Placed:
    """Renumber one piece's objects from `first` and its ParentTree keys from `offset`."""
    old_catalog = pdf.root
    kept, old_pages, old_tree, old_parent_tree = _kept(pdf)
    mapping = {old_pages: PAGES_NODE, old_tree: DOCUMENT}
    mapping.update(zip(kept, range(first, first + len(kept))))
    found = re.search(rb"/RoleMap (<<.*?>>)", dictionary(pdf.objects[old_tree]))
    prefix = b"p%d-" % index
    highest = -1
    objects: dict[int, bytes] = {}
    for number, body in zip(kept, renumber_many([pdf.objects[n] for n in kept], mapping)):
        head = dictionary(body)
        if _keyed(head):
            def shift(match: re.Match) -> bytes:
                nonlocal highest
                highest = max(highest, int(match.group(2)))
                return match.group(1) + b"%d" % (int(match.group(2)) + offset)
            body = _STRUCT_PARENT.sub(shift, head, count=1) + body[len(head):]
        elif head.startswith(b"<</Type /StructElem"):
            body = body.replace(b"/ID (", b"/ID (" + prefix)
            if b"/Headers [" in body:
                body = re.sub(rb"/Headers \[([^\]]*)\]",
                              lambda m: b"/Headers [" + m.group(1).replace(b"(", b"(" + prefix) + b"]", body)
        objects[mapping[number]] = body
    # A part in another language than the whole (a Spanish letter in letters.pdf) says so in its element.
    own = re.search(rb"/Lang \(([^)]*)\)", dictionary(pdf.objects[old_catalog]))
    part = b"/S /Part" if own is None or own.group(1) == language.encode() else b"/S /Part/Lang (%s)" % own.group(1)
    parts = []
    for kid in pdf.refs(old_tree, b"/K"):
        new = mapping[kid]
        objects[new] = objects[new].replace(b"/S /Document", part, 1)
        parts.append(new)
    nums = []
    for key, value in _parent_tree(pdf, old_parent_tree):
        highest = max(highest, int(key))
        nums.append(b"%d %s" % (int(key) + offset, renumber(value, mapping)))
    outline, names = own_outline(pdf, mapping)
    return Placed(list(objects), list(objects.values()), first + len(kept), found.group(1) if found else b"",
                  parts, nums, highest + 1, [mapping[n] for n in pdf.refs(old_pages, b"/Kids")], outline, names)


Placer = Callable[[int, int, int], Placed]  # (index, first number, first ParentTree key) -> the piece placed


def strides(measures: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """Numbers and ParentTree keys set apart for each piece: the largest piece's, with room, as a power of two.

    Piece i is numbered from FIRST + i * objects: its numbers do not depend on
    the other pieces' sizes, so an edit that changes one piece's size leaves
    the placement of every other piece as it was.
    """
    objects = max((m[0] for m in measures), default=0)
    keys = max((m[1] for m in measures), default=0)
    return 1 << (objects + objects // 4 + 1).bit_length(), 1 << (keys + keys // 4 + 1).bit_length()


FIRST = 6  # the first number of the pieces' objects (1-5 are the whole's: see assemble)


def assemble(pieces: Sequence[RawPdf | Placer], stamps: bytes | Callable[[int], bytes] | None, *, title: str,
             author: str, language: str, identifier: bytes, outline: Sequence[str | None] = (),
             duplex: bool = False, apart: tuple[int, int] | None = None,
             faces: Sequence[tuple[str, str]] = (), memo: Memo | None = None,
             own_outlines: Sequence[int] | None = None) -> bytes:
    """One tagged PDF from the pieces, in order; page i gets stamp page i drawn as an artifact.
    With `duplex`, every piece starts on an odd page (a blank page after a piece of odd length).

    A piece is a parsed PDF, or a function that places it (one that may reuse a placement kept earlier).
    `stamps` may be a function of the number of pages, called once the pieces are placed. With `apart`
    (`strides`), piece i is numbered from FIRST + i * objects, its ParentTree keys from i * keys;
    otherwise each piece follows the last. With `faces` ((family, file) of the faces the pieces
    embed), each font is written once (fontshare.py). The objects are packed in compressed object
    streams (rawpdf.write); `memo` gives what an earlier assembly made and keeps this one's.
    With `own_outlines` (the heading level each piece starts at), the whole keeps the pieces' own
    bookmarks and named destinations (outline.py) instead of a bookmark per title of `outline`."""
    if apart is not None and duplex:
        raise ValueError("pieces numbered apart get no blank pages")
    a = Assembler()
    pages_node, catalog, tree_root, document, parent_tree = (a.reserve() for _ in range(5))
    assert (pages_node, document, a.next) == (PAGES_NODE, DOCUMENT, FIRST)
    all_pages: list[int] = []
    parts: list[int] = []
    nums: list[bytes] = []
    offset = 0
    role_map = b""
    firsts: list[int] = []
    own: list[tuple[int, list[Item]]] = []
    names: list[tuple[bytes, bytes]] = []
    padded: set[int] = set()
    blank_content = None
    for index, piece in enumerate(pieces):
        first = a.next if apart is None else FIRST + index * apart[0]
        if apart is not None:
            offset = index * apart[1]
        if isinstance(piece, RawPdf):
            placed = place(piece, index, first, offset, language)
        else:
            placed = piece(index, first, offset)
        if apart is not None and (placed.next - first > apart[0] or placed.keys > apart[1]):
            raise ValueError(f"piece {index} does not fit the numbers set apart for it")
        a.objects.update(zip(placed.numbers, placed.bodies))
        a.next = placed.next
        role_map = role_map or placed.role_map
        parts += placed.parts
        nums += placed.nums
        offset += placed.keys
        page_refs = placed.pages
        own.append((own_outlines[index] if own_outlines else 1, placed.outline))
        names += placed.names
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

    if callable(stamps):
        stamps = stamps(len(all_pages))
    if stamps is not None:
        _stamp(a, stamps, all_pages)
    if faces:
        share_fonts(a.objects, a.add, faces, memo=memo)

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
    outlines = write_outline(a.objects, a.reserve, merge(own)) if own_outlines else _outlines(a, marks)
    a.objects[catalog] = (b"<</Type /Catalog/Pages %d 0 R/Lang %s/StructTreeRoot %d 0 R"
                          b"/ViewerPreferences <</DisplayDocTitle true>>/MarkInfo <</Marked true>>"
                          b"/Metadata %d 0 R%s%s>>") % (pages_node, pdf_string(language), tree_root, metadata,
                                                        b"/Outlines %d 0 R" % outlines if outlines else b"",
                                                        names_entry(names) if own_outlines else b"")
    info = a.add(b"<</Title %s/Author %s/Creator (coalition-docs)/Producer (coalition-docs)>>"
                 % (pdf_string(title), pdf_string(author)))
    return write(a.objects, catalog, info, identifier, packed=True, memo=memo)


def _outlines(a: Assembler, items: list[tuple[str, int]]) -> int | None:
    if not items:
        return None
    top = a.reserve()
    numbers = [a.reserve() for _ in items]
    for i, ((text, page), number) in enumerate(zip(items, numbers)):
        links = b"".join([b"/Prev %d 0 R" % numbers[i - 1] if i else b"",
                          b"/Next %d 0 R" % numbers[i + 1] if i + 1 < len(numbers) else b""])
        a.objects[number] = b"<</Title %s/Parent %d 0 R/Dest [%d 0 R /Fit]%s>>" % (pdf_string(text), top, page, links)
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
        data = stream_data(content)
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


def join_files(sources: Sequence[Path], target: Path, *, title: str, author: str, language: str,
               identifier: bytes, outline: Sequence[str | None] | None = None, duplex: bool = False,
               faces: Sequence[tuple[str, str]] = ()) -> None:
    """Write the pages of `sources`, in order, as one tagged PDF at `target`; a bookmark per
    source (its own title unless `outline` names them); with `duplex` each starts on an odd page."""
    pdfs = [RawPdf.parse(Path(source).read_bytes()) for source in sources]
    titles = list(outline) if outline is not None else [info_title(pdf) for pdf in pdfs]
    Path(target).write_bytes(assemble(pdfs, None, title=title, author=author, language=language,
                                      identifier=identifier, outline=titles, duplex=duplex, faces=faces))
