"""Minimal reproduction: writing a tagged PDF costs structure elements x pages.

    python benchmarks/pydyf_page_references.py [--rows 3000]

Plain WeasyPrint, no coalition-docs: a table of ROWS rows (many pages, several
structure elements per row) is laid out once, then written as a tagged PDF
twice: with pydyf's own `PDF.page_references` (a property that builds a new
tuple of every page's reference on each access; weasyprint/pdf/tags.py reads
it once per structure element) and with that tuple cached. Prints both times
and whether the two files are byte-identical. Ready to report upstream
(pydyf: cache `page_references`, or WeasyPrint: read it once in tags.py).
"""

from __future__ import annotations

import argparse
import io
import time

import pydyf
import weasyprint


def document(rows: int) -> weasyprint.Document:
    body = "".join(f"<tr><td>Row {i}</td><td>Some words in row {i}</td><td>{i * 7}</td></tr>"
                   for i in range(rows))
    html = ("<html lang='en'><head><title>Table</title></head><body><table><thead><tr><th>Name</th>"
            f"<th>Text</th><th>Number</th></tr></thead><tbody>{body}</tbody></table></body></html>")
    return weasyprint.HTML(string=html).render(pdf_variant="pdf/ua-1", pdf_tags=True)


def write(doc: weasyprint.Document) -> tuple[float, bytes]:
    target = io.BytesIO()
    started = time.perf_counter()
    doc.write_pdf(target, pdf_variant="pdf/ua-1", pdf_tags=True, pdf_identifier=b"0" * 32,
                  custom_metadata=False)
    return time.perf_counter() - started, target.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=8000)
    args = parser.parse_args()
    print(f"pydyf {pydyf.__version__}, WeasyPrint {weasyprint.__version__}")
    doc = document(args.rows)
    print(f"{args.rows} rows, {len(doc.pages)} pages")
    write(doc)  # a first write warms what every write shares (font subsets)
    plain_time, plain = write(doc)
    original = pydyf.PDF.page_references

    def page_references(self):
        kids = self.pages["Kids"]
        cached = self.__dict__.get("_page_references")
        if cached is None or cached[0] != len(kids):
            cached = self.__dict__["_page_references"] = (len(kids), tuple(
                f"{number} 0 R".encode("ascii") for number in kids[::3]))
        return cached[1]

    pydyf.PDF.page_references = property(page_references)
    try:
        cached_time, cached = write(doc)
    finally:
        pydyf.PDF.page_references = original
    print(f"write_pdf, pydyf's page_references: {plain_time:.2f} s")
    print(f"write_pdf, page_references cached:  {cached_time:.2f} s")
    print(f"same bytes: {plain == cached}")


if __name__ == "__main__":
    main()
