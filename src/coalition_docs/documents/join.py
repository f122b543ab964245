"""One tagged PDF from several: letters.pdf from the letters' own files.

Joining the files instead of laying every letter out again lets the letters
render on every core, and an edit of one letter re-make letters.pdf in
seconds. The result stays a tagged PDF: one structure tree whose Document
element holds each source's tree as a Part, every page's marked content still
reachable through a rebuilt ParentTree, /Lang, /MarkInfo, a title shown in
the window, XMP metadata with the PDF/UA identification, and a bookmark per
source. Same sources, same bytes: fixed /ID, no dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

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


def _number_tree(node, pairs: list) -> None:
    """Every (key, value) of a PDF number tree, in order."""
    node = node.get_object()
    if "/Nums" in node:
        nums = node["/Nums"]
        pairs.extend((int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2))
    for kid in node.get("/Kids", []):
        _number_tree(kid, pairs)


def concatenate(sources: Sequence[Path], target: Path, *, title: str, author: str, language: str,
                identifier: bytes) -> None:
    """Write the pages of `sources`, in order, as one tagged PDF at `target`."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        ByteStringObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    document = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                 NameObject("/S"): NameObject("/Document"),
                                 NameObject("/K"): ArrayObject()})
    document_ref = writer._add_object(document)
    tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot"),
                             NameObject("/K"): ArrayObject([document_ref])})
    tree_ref = writer._add_object(tree)
    document[NameObject("/P")] = tree_ref
    nums = ArrayObject()
    offset = 0
    role_map = None
    starts: list[tuple[int, str]] = []
    for source in sources:
        reader = PdfReader(source)
        catalog = reader.trailer["/Root"]
        old_tree_ref = catalog.raw_get("/StructTreeRoot")
        old_tree = old_tree_ref.get_object()
        # Links up to the source's tree root now lead to the joined Document.
        writer._id_translated.setdefault(id(reader), {})[old_tree_ref.idnum] = document_ref.idnum
        if role_map is None and "/RoleMap" in old_tree:
            role_map = old_tree["/RoleMap"].clone(writer)
        starts.append((len(writer.pages), str(reader.metadata.title if reader.metadata else source.stem)))
        highest = -1
        for page in reader.pages:
            new_page = writer.add_page(page)
            if "/StructParents" in page:
                key = int(page["/StructParents"])
                new_page[NameObject("/StructParents")] = NumberObject(key + offset)
                highest = max(highest, key)
            for annotation in new_page.get("/Annots", []) or []:
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    key = int(annotation["/StructParent"])
                    annotation[NameObject("/StructParent")] = NumberObject(key + offset)
                    highest = max(highest, key)
        kids = old_tree["/K"]
        kids = kids if isinstance(kids, list) else [kids]
        for kid in kids:
            element = kid.clone(writer)
            ref = element.indirect_reference if hasattr(element, "indirect_reference") and \
                element.indirect_reference is not None else writer._add_object(element)
            element = ref.get_object()
            if element.get("/S") == "/Document":
                element[NameObject("/S")] = NameObject("/Part")
            element[NameObject("/P")] = document_ref
            document["/K"].append(ref)
        pairs: list = []
        if "/ParentTree" in old_tree:
            _number_tree(old_tree["/ParentTree"], pairs)
        for key, value in pairs:
            nums.append(NumberObject(key + offset))
            nums.append(value.clone(writer))
            highest = max(highest, key)
        offset += highest + 1

    parent_tree = DictionaryObject({NameObject("/Nums"): nums})
    tree[NameObject("/ParentTree")] = writer._add_object(parent_tree)
    tree[NameObject("/ParentTreeNextKey")] = NumberObject(offset)
    if role_map is not None:
        tree[NameObject("/RoleMap")] = role_map

    root = writer._root_object
    root[NameObject("/StructTreeRoot")] = tree_ref
    root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    root[NameObject("/Lang")] = TextStringObject(language)
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)})
    xmp = DecodedStreamObject()
    xmp.set_data(XMP.format(title=escape(title), author=escape(author), language=escape(language)).encode())
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    root[NameObject("/Metadata")] = writer._add_object(xmp)
    for page_number, source_title in starts:
        writer.add_outline_item(title=source_title, page_number=page_number)
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": "coalition-docs",
                         "/Producer": "coalition-docs"})
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
    with open(target, "wb") as handle:
        writer.write(handle)
