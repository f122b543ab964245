"""The PDF writer: WeasyPrint set up once per process, local files only, tagged output.

Same content, same bytes: no wall-clock date is ever written (neither in the
text nor in the PDF's metadata), the PDF identifier is derived from the
coalition's name and the output path, and the fonts ship with the theme.
Every PDF is tagged (PDF/UA-1 variant), with a title, a language and an author.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from coalition_docs.documents.fonts import font_faces_css, system_font_files
from coalition_docs.errors import BuildError
from coalition_docs.templating import Theme

STYLESHEET = "documents/print.css"
# coalition.yaml's print.paper -> the stylesheet read after print.css: page size and margins.
PAPER_STYLESHEETS = {"letter": "documents/paper-letter.css", "a4": "documents/paper-a4.css"}


# WeasyPrint options shared by every PDF. "pdf/ua-1" tags the PDF (structure
# tree, /MarkInfo, /Lang, DisplayDocTitle) and writes XMP metadata without dates.
PDF_OPTIONS: Mapping[str, Any] = {
    "pdf_variant": "pdf/ua-1",
    "pdf_tags": True,
    "custom_metadata": False,
}

log = logging.getLogger(__name__)

# The system libraries WeasyPrint loads through cffi, as a person installs them.
_LIBRARIES = {"pango": "Pango", "gobject": "GLib", "glib": "GLib", "harfbuzz": "HarfBuzz",
              "fontconfig": "Fontconfig"}


def load_weasyprint():
    """WeasyPrint, imported: the one place its system libraries are loaded, in the build's
    process and in every worker. A library that cannot be loaded (Pango is missing on most
    Windows and macOS machines) is one line that names it and the install steps: never
    cffi's traceback, nor the banner WeasyPrint prints on stdout."""
    import contextlib
    import io
    import platform
    import re

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except OSError as exc:
        found = re.search(r"cannot load library '([^']+)'", str(exc))
        library = found.group(1) if found else str(exc).splitlines()[0] if str(exc) else "a system library"
        name = next((label for key, label in _LIBRARIES.items() if key in library.lower()), "a system library")
        section = {"Darwin": "macOS", "Windows": "Windows"}.get(platform.system(), "Linux")
        raise BuildError(f"the PDFs need the {name} library ({library}), which cannot be loaded; install it: "
                         f"see `coalition-docs docs install` (section \"{section}\")") from None
    return weasyprint


def _local_fetcher(roots: Sequence[Path]):
    """A WeasyPrint URL fetcher for files of the theme and the content folder, nothing else.

    No network: a document must not depend on what a server answers today.
    """
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher

    allowed = [Path(r).resolve() for r in roots]

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(url2pathname(url.split("?")[0].removeprefix("file:").removeprefix("//"))).resolve()
                if not any(path.is_relative_to(root) for root in allowed):
                    raise ValueError(f"documents may only use files of the theme or the content folder, not {url}")
            elif not url.startswith("data:"):
                raise ValueError(f"documents may not fetch {url} (only local files)")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file", "data"})


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # pragma: no cover - a malformed log call
            message = str(record.msg)
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(message)


@contextmanager
def weasyprint_errors(label: str) -> Iterator[_Collect]:
    """Turn what WeasyPrint logs as an error into a BuildError; keep warnings as warnings."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    for message in handler.warnings:
        log.warning("%s: WeasyPrint: %s", label, message)
    if handler.errors:
        details = "\n".join(f"    {m}" for m in handler.errors)
        raise BuildError(f"{label}: WeasyPrint could not render it:\n{details}")


def pdf_identifier(coalition_name: str, path: str) -> bytes:
    """A fixed file identifier: the same document of the same coalition keeps it."""
    digest = hashlib.sha256(f"coalition-docs\0{coalition_name}\0{path}".encode()).hexdigest()
    return digest[:32].encode("ascii")


# pydyf's PDF.page_references builds a new tuple of every page's reference on
# each access, and WeasyPrint's tags.py reads it once per structure element:
# writing a tagged PDF costs elements x pages. The versions below were tested
# to write the same bytes with the tuple cached (benchmarks/pydyf_page_references.py
# reproduces it); any other version keeps pydyf's own property.
PAGE_REFERENCES_TESTED = {("0.13.0", "70.0")}


def cache_page_references() -> bool:
    """Cache pydyf.PDF.page_references for the tested versions; whether it is in place."""
    import pydyf

    weasyprint = load_weasyprint()
    if getattr(pydyf.PDF, "_coalition_docs_cached", False):
        return True
    if (getattr(pydyf, "__version__", ""), weasyprint.__version__) not in PAGE_REFERENCES_TESTED:
        return False

    def page_references(self):
        kids = self.pages["Kids"]
        cached = self.__dict__.get("_coalition_docs_page_references")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
            self.__dict__["_coalition_docs_page_references"] = cached
        return cached[1]

    pydyf.PDF.page_references = property(page_references)
    pydyf.PDF._coalition_docs_cached = True
    return True


class PdfWriter:
    """One WeasyPrint setup per run: one font configuration, stylesheets parsed once."""

    def __init__(self, theme: Theme, content_dir: Path, paper: str = "letter", families: Sequence[str] | None = None):
        weasyprint = load_weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        self._weasyprint = weasyprint
        cache_page_references()
        self.font_config = FontConfiguration()
        self.url_fetcher = _local_fetcher([*theme.search_path, Path(content_dir), *system_font_files()])
        self.base_url = (theme.find(STYLESHEET).parent.resolve().as_uri()) + "/"
        with weasyprint_errors(STYLESHEET):
            self.stylesheets = [
                weasyprint.CSS(string=font_faces_css(theme, families), font_config=self.font_config,
                               url_fetcher=self.url_fetcher, base_url=self.base_url),
                *(weasyprint.CSS(filename=str(theme.find(sheet)), font_config=self.font_config,
                                 url_fetcher=self.url_fetcher)
                  for sheet in (STYLESHEET, PAPER_STYLESHEETS[paper])),
            ]

    def render(self, html: str, label: str, tagged: bool = True):
        """Lay out one document: a weasyprint Document (untagged for footers to stamp)."""
        options = PDF_OPTIONS if tagged else {"custom_metadata": False}
        with weasyprint_errors(label):
            return self._weasyprint.HTML(
                string=html, base_url=self.base_url, url_fetcher=self.url_fetcher
            ).render(font_config=self.font_config, stylesheets=self.stylesheets, **options)

    def write(self, document, target: Path | None, identifier: bytes, label: str, tagged: bool = True,
              uncompressed: bool = False) -> bytes | None:
        """Write the PDF to target, or return its bytes (target None); `uncompressed` for assembly."""
        options = PDF_OPTIONS if tagged else {"custom_metadata": False}
        with weasyprint_errors(label):
            return document.write_pdf(target, pdf_identifier=identifier, uncompressed_pdf=uncompressed,
                                      **options)

