"""documents/pdf.py: the guarded pydyf workaround writes the same bytes, faster."""

from __future__ import annotations

import io

import pydyf
import pytest
import weasyprint

from coalition_docs.documents import pdf

TABLE = ("<html lang='en'><head><title>T</title></head><body><table><thead><tr><th>A</th><th>B</th></tr></thead>"
         "<tbody>{}</tbody></table></body></html>")


def write(document) -> bytes:
    target = io.BytesIO()
    document.write_pdf(target, pdf_identifier=b"0" * 32, **pdf.PDF_OPTIONS)
    return target.getvalue()


@pytest.mark.slow  # documents built twice
def test_cached_page_references_write_the_same_bytes(monkeypatch):
    rows = "".join(f"<tr><td>Row {i}</td><td>{i}</td></tr>" for i in range(400))
    document = weasyprint.HTML(string=TABLE.format(rows)).render(**pdf.PDF_OPTIONS)
    assert len(document.pages) > 5
    pdf.cache_page_references()
    if not getattr(pydyf.PDF, "_coalition_docs_cached", False):
        pytest.skip(f"pydyf {pydyf.__version__} / WeasyPrint {weasyprint.__version__} were not tested")
    cached = write(document)
    plain = property(lambda self: tuple(f"{n} 0 R".encode("ascii") for n in self.pages["Kids"][::3]))
    monkeypatch.setattr(pydyf.PDF, "page_references", plain)
    assert write(document) == cached


def test_untested_versions_keep_pydyfs_own_property(monkeypatch):
    monkeypatch.setattr(pydyf.PDF, "_coalition_docs_cached", False, raising=False)
    original = pydyf.PDF.__dict__["page_references"]
    monkeypatch.setattr(pydyf.PDF, "page_references", original)
    monkeypatch.setattr(weasyprint, "__version__", "0.1")
    assert pdf.cache_page_references() is False
    assert pydyf.PDF.__dict__["page_references"] is original
