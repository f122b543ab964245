"""Envelopes and address labels for the letters: what goes where, and at what size it fits.

`envelopes.pdf` has one page per letter whose partner has a postal address, in
the order of letters.pdf: a No. 10 envelope on letter paper, a DL envelope on
A4; the convener's name and address as the return address, the contact's
name, title, organization and address as the recipient. `labels.pdf` puts the
same addresses on standard label sheets: Avery 5160 (3 x 10) on letter paper,
L7160 (3 x 7) on A4.

Every measure is here, in points, and reaches the templates as numbers, so
that the text can be fitted to its box before layout: an address is set at the
largest size of a short ladder at which its lines, wrapped at the box's width
as a browser wraps them (measured with the advance widths of the theme's Noto
Sans), fit the box's height; a long address shrinks and wraps instead of
running off its label, and one too long even at the smallest size is cut
short with "…" (and the build says so).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from coalition_docs.content import model
from coalition_docs.documents.plan import Fields
from coalition_docs.templating import default_theme_dir

IN = 72.0
MM = 72.0 / 25.4
LINE_HEIGHT = 1.2  # the templates set it too: line boxes of LINE_HEIGHT x the font size
FILL = 0.94  # measured widths are kept this far inside the box: room for kerning and rounding


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Envelope:
    name: str
    width: float
    height: float
    sender: Box  # the return address
    recipient: Box
    sizes: tuple[float, ...] = (12, 11, 10, 9, 8, 7)  # recipient; the return address starts lower


@dataclass(frozen=True)
class LabelSheet:
    name: str
    page: str  # CSS page size
    page_width: float
    page_height: float
    columns: int
    rows: int
    width: float  # one label
    height: float
    left: float  # from the page's edge to the first label
    top: float
    column_gap: float
    padding_x: float
    padding_y: float
    sizes: tuple[float, ...] = (10, 9, 8, 7.5, 7, 6.5, 6, 5.5)

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows


@dataclass(frozen=True)
class Paper:
    envelope: Envelope
    labels: LabelSheet


PAPERS = {
    "letter": Paper(
        Envelope("No. 10", 9.5 * IN, 4.125 * IN, Box(0.35 * IN, 0.3 * IN, 3.6 * IN, 1.2 * IN),
                 Box(4.0 * IN, 1.7 * IN, 5.1 * IN, 2.0 * IN)),
        LabelSheet("Avery 5160", "letter", 8.5 * IN, 11 * IN, 3, 10, 2.625 * IN, 1 * IN, 0.1875 * IN, 0.5 * IN,
                   0.125 * IN, 0.14 * IN, 0.07 * IN)),
    "a4": Paper(
        Envelope("DL", 220 * MM, 110 * MM, Box(9 * MM, 8 * MM, 92 * MM, 32 * MM),
                 Box(100 * MM, 46 * MM, 112 * MM, 54 * MM)),
        LabelSheet("L7160", "A4", 210 * MM, 297 * MM, 3, 7, 63.5 * MM, 38.1 * MM, 7.21 * MM, 15.15 * MM,
                   2.54 * MM, 4 * MM, 3 * MM)),
}


# -- fitting -------------------------------------------------------------------


@lru_cache(maxsize=None)
def _advances(font: str) -> tuple[dict[int, int], float]:
    """Advance widths by code point (font units) and the font's units per em."""
    from fontTools.ttLib import TTFont

    face = TTFont(font, lazy=True)
    metrics = face["hmtx"]
    widths = {code: metrics[glyph][0] for code, glyph in face.getBestCmap().items()}
    return widths, float(face["head"].unitsPerEm)


@lru_cache(maxsize=1)
def _font() -> str:
    return str(default_theme_dir() / "fonts" / "NotoSans-Regular.ttf")


def text_width(text: str, size: float) -> float:
    """The width of `text` set at `size` points (a character the face lacks counts one em)."""
    widths, em = _advances(_font())
    return sum(widths.get(ord(ch), em) for ch in text) * size / em


def wrap(text: str, width: float, size: float) -> list[str]:
    """`text` broken into lines no wider than `width`: at spaces, or anywhere in a word too long
    (CSS overflow-wrap: anywhere). Linear in the length of the text, however long its words."""
    lines: list[str] = []
    current, used = "", 0.0
    space = text_width(" ", size)
    for word in text.split():
        wide = text_width(word, size)
        if current and used + space + wide <= width:
            current, used = f"{current} {word}", used + space + wide
            continue
        if current:
            lines.append(current)
        current, used = "", 0.0
        if wide <= width:
            current, used = word, wide
            continue
        widths, em = _advances(_font())
        for ch in word:
            step = widths.get(ord(ch), em) * size / em
            if current and used + step > width:
                lines.append(current)
                current, used = "", 0.0
            current, used = current + ch, used + step
    if current:
        lines.append(current)
    return lines or [""]


def fit(lines: Sequence[str], width: float, height: float, sizes: Sequence[float]) -> tuple[float, bool]:
    """The largest size of `sizes` at which `lines`, wrapped to `width`, fit `height`; and whether it fits."""
    for size in sizes:
        count = sum(len(wrap(line, width * FILL, size)) for line in lines)
        if count * size * LINE_HEIGHT <= height:
            return size, True
    return sizes[-1], False


# -- addresses -----------------------------------------------------------------


def address_lines(partner: model.Partner) -> list[str]:
    """The lines of the partner's postal address, without a first line that repeats its name."""
    contact = partner.contact or model.Contact()
    return [line.strip() for line in (contact.address or "").splitlines()
            if line.strip() and line.strip().casefold() != partner.name.strip().casefold()]


def recipient_lines(partner: model.Partner) -> list[str]:
    """Contact name, title, organization, address: the recipient block of an envelope or label."""
    contact = partner.contact or model.Contact()
    head = [line for line in (contact.name, contact.title, partner.name) if line and line.strip()]
    return [line.strip() for line in head] + address_lines(partner)


def addressed(order: Sequence[model.Partner]) -> list[model.Partner]:
    """The partners of `order` that have a postal address (the others get no envelope or label)."""
    return [p for p in order if address_lines(p)]


def cut(lines: Sequence[str], width: float, height: float, size: float) -> list[str]:
    """What fits of `lines` at `size`: wrapped, as many as the height holds, the last ending in "…"."""
    wrapped = [part for line in lines for part in wrap(line, width * FILL, size)]
    keep = max(1, int(height // (size * LINE_HEIGHT)))
    if len(wrapped) <= keep:
        return wrapped
    last = wrapped[keep - 1]
    while last and text_width(last + " …", size) > width * FILL:
        last = last[:-1]
    return [*wrapped[:keep - 1], last.rstrip() + " …"]


def _block(prefix: str, lines: list[str], box: Box, sizes: Sequence[float], **extra: Any) -> Fields:
    """The lines of a box and their size; lines that do not fit even at the smallest size are cut."""
    size, fits = fit(lines, box.width, box.height, sizes)
    printed = lines if fits else cut(lines, box.width, box.height, size)
    used = sum(len(wrap(line, box.width * FILL, size)) for line in printed) * size * LINE_HEIGHT
    # `offset`: the space above the lines that centres them in the box (for labels)
    return Fields(prefix, {"lines": printed, "size": size, "fits": fits,
                           "offset": round(max(0.0, (box.height - used) / 2), 2), **extra})


def _box(box: Box) -> dict[str, float]:
    return {"x": round(box.x, 2), "y": round(box.y, 2), "width": round(box.width, 2), "height": round(box.height, 2)}


def envelope_context(coalition: model.Coalition, order: Sequence[model.Partner]) -> dict[str, Any]:
    envelope = PAPERS[coalition.paper].envelope
    convener = coalition.convener
    sender_lines = [convener.name, *address_lines(convener)]
    return {
        "language": coalition.language,
        "coalition": Fields("coalition", {"name": coalition.name}),
        "envelope": Fields("envelope", {"name": envelope.name, "width": round(envelope.width, 2),
                                        "height": round(envelope.height, 2),
                                        "sender_box": _box(envelope.sender),
                                        "recipient_box": _box(envelope.recipient),
                                        "line_height": LINE_HEIGHT}),
        "return_address": _block("return_address", sender_lines, envelope.sender, envelope.sizes[2:]),
        "envelopes": [_block(f"envelopes[{i}]", recipient_lines(p), envelope.recipient, envelope.sizes,
                             partner=p.id)
                      for i, p in enumerate(addressed(order))],
    }


def label_context(coalition: model.Coalition, order: Sequence[model.Partner]) -> dict[str, Any]:
    sheet = PAPERS[coalition.paper].labels
    inner = Box(0, 0, sheet.width - 2 * sheet.padding_x, sheet.height - 2 * sheet.padding_y)
    labels = []
    for i, partner in enumerate(addressed(order)):
        row, column = divmod(i % sheet.per_sheet, sheet.columns)
        labels.append(_block(f"labels[{i}]", recipient_lines(partner), inner, sheet.sizes, partner=partner.id,
                             x=round(sheet.left + column * (sheet.width + sheet.column_gap), 2),
                             y=round(sheet.top + row * sheet.height, 2)))
    return {
        "language": coalition.language,
        "coalition": Fields("coalition", {"name": coalition.name}),
        "sheet": Fields("sheet", {"name": sheet.name, "page": sheet.page, "width": round(sheet.width, 2),
                                  "height": round(sheet.height, 2), "padding_x": round(sheet.padding_x, 2),
                                  "padding_y": round(sheet.padding_y, 2),
                                  "page_height": round(sheet.page_height, 2), "line_height": LINE_HEIGHT}),
        "sheets": [labels[at:at + sheet.per_sheet] for at in range(0, len(labels), sheet.per_sheet)],
    }


def mail_warnings(coalition: model.Coalition, order: Sequence[model.Partner],
                  labels: Mapping[str, Any] | None = None) -> list[str]:
    """What a build says about the envelopes and labels: who gets none, what does not fit
    (`labels`: their context, when the documents planned it already)."""
    warnings = []
    for partner in order:
        if not address_lines(partner):
            warnings.append(f"{partner.position('contact.address')}: warning: {partner.id} has no postal address "
                            "(contact.address): its letter gets no envelope and no label")
    if order and not address_lines(coalition.convener):
        convener = coalition.convener
        warnings.append(f"{convener.position('contact.address')}: warning: the convener {convener.id} has no "
                        "postal address (contact.address): the envelopes' return address is its name only")
    context = labels if labels is not None else label_context(coalition, order)
    for label in (label for sheet in context["sheets"] for label in sheet):
        if not label["fits"]:
            partner = coalition.partner(label["partner"])
            warnings.append(f"{partner.position('contact.address')}: warning: the address of {partner.id} is too "
                            f"long for an {PAPERS[coalition.paper].labels.name} label even at "
                            f"{label['size']:g} pt: its label is cut short (shorten the address)")
    return warnings

