"""The PDF writer: placed pages → PDF bytes (written atomically by `layout.atomic`). The only module
that draws; the faces placed text names by key are registered with reportlab by fontreg.py.

Text is written as few text-show operations as possible: consecutive glyphs whose spacing is uniform
become one run set with a character spacing (Tc), so a justified Chinese line is usually one run.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Sequence

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from .fontreg import reportlab_name
from .imagenames import image_xobject_name
from ..pages.plan import BLACK, Fill, PagePlan, Picture, Rule, TextLine

# Images go in as binary streams: ASCII85 makes them 25 % larger and costs time to encode.
rl_config.useA85 = 0

RUN_TOLERANCE = 0.01  # pt: glyph positions closer than this to the run's rhythm stay in the run


class _Widths:
    """Advance widths in em per (face, character) as reportlab draws them, measured once each."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], float] = {}

    def em(self, face: str, ch: str) -> float:
        key = (face, ch)
        w = self._cache.get(key)
        if w is None:
            w = self._cache[key] = pdfmetrics.getFont(reportlab_name(face)).stringWidth(ch, 1.0)
        return w


def _runs(line: TextLine, widths: _Widths) -> list[tuple[float, float, str]]:
    """Split a line into (x, char spacing, text) runs of uniform spacing."""
    runs: list[tuple[float, float, str]] = []
    glyphs = line.glyphs
    i, n = 0, len(glyphs)
    while i < n:
        ch, x0 = glyphs[i]
        text = [ch]
        end = x0 + widths.em(line.font, ch) * line.size  # pen after the glyph, before spacing
        cs = None
        j = i + 1
        while j < n:
            cj, xj = glyphs[j]
            gap = xj - end
            if cs is None:
                cs = gap
            elif abs(gap - cs) > RUN_TOLERANCE:
                break
            text.append(cj)
            end = xj + widths.em(line.font, cj) * line.size
            j += 1
        runs.append((x0, cs or 0.0, "".join(text)))
        i = j
    return runs


def render_pdf(pages: Sequence[PagePlan], *, title: str = "", author: str = "",
               initial_font: str | None = None, slug: str | None = None) -> bytes:
    """The PDF of the pages. With `slug` (the slug line's text, e.g. paper and date), printer's
    marks are drawn outside the BleedBox and the MediaBox grows to hold them."""
    buf = io.BytesIO()
    first = pages[0]
    body = reportlab_name(initial_font) if initial_font else None  # a face key, as TextLine.font
    c = Canvas(buf, pagesize=(first.width + 2 * first.bleed, first.height + 2 * first.bleed),
               invariant=1, pageCompression=1, initialFontName=body, initialFontSize=9)
    c.setTitle(title)
    c.setAuthor(author)
    c.setCreator("Broadsheet")
    c.setProducer("Broadsheet (reportlab)")
    widths = _Widths()
    for page in pages:
        _draw_page(c, page, widths, slug, body)
        c.showPage()
    c.save()
    return buf.getvalue()


def _draw_page(c: Canvas, page: PagePlan, widths: _Widths, slug: str | None,
               slug_font: str | None) -> None:
    b = page.bleed
    m = b + (SLUG_AREA if slug is not None else 0.0)  # trim edge to media edge
    c.setPageSize((page.width + 2 * m, page.height + 2 * m))
    c.setBleedBox((m - b, m - b, m + page.width + b, m + page.height + b))
    c.setTrimBox((m, m, m + page.width, m + page.height))
    top = m + page.height
    if slug is not None:
        _printers_marks(c, page, m, f"{slug}　第{page.number}版　C M Y K", slug_font)

    def X(x: float) -> float:
        return m + x

    def Y(y: float) -> float:
        return top - y

    # Graphics first, then all text: reportlab tracks the overprint state in call order, so the
    # calls must come in the order the content stream paints (text over pictures and boxes).
    c.setOverprintMask(1)
    for item in page.items:
        if isinstance(item, Picture):
            c.saveState()
            path = c.beginPath()
            path.rect(X(item.clip.x), Y(item.clip.bottom), item.clip.w, item.clip.h)
            c.clipPath(path, stroke=0, fill=0)
            _draw_image(c, item.file, X(item.place.x), Y(item.place.bottom), item.place.w,
                        item.place.h, item.source)
            c.restoreState()
        elif isinstance(item, Fill):
            c.setFillOverprint(False)
            c.setFillColorCMYK(*item.color)
            c.rect(X(item.rect.x), Y(item.rect.bottom), item.rect.w, item.rect.h, stroke=0, fill=1)
        elif isinstance(item, Rule):
            c.setStrokeColorCMYK(*item.color)
            # Solid black rules and text overprint (OPM 1), so misregistration on the press never
            # shows a white hairline around them. An ExtGState with /OP alone sets /op too: reset it.
            c.setStrokeOverprint(item.color == BLACK)
            c.setFillOverprint(False)
            c.setLineWidth(item.width)
            c.line(X(item.x1), Y(item.y1), X(item.x2), Y(item.y2))
    text = c.beginText()
    font = None
    fill = None
    for item in page.items:
        if not isinstance(item, TextLine):
            continue
        if (item.font, item.size) != font:
            text.setFont(reportlab_name(item.font), item.size)
            font = (item.font, item.size)
        if item.color != fill:
            text.setFillColorCMYK(*item.color)
            text.setFillOverprint(item.color == BLACK)
            fill = item.color
        for x, cs, run in _runs(item, widths):
            text.setTextOrigin(X(item.x + x), Y(item.baseline))
            text.setCharSpace(cs)
            text.textOut(run)
    c.drawText(text)


def _draw_image(c: Canvas, file: Path, x: float, y: float, w: float, h: float,
                source: str = "") -> None:
    """Draw an image file as an XObject named after its bytes. reportlab's drawImage names it
    after the file's path, so the PDF would depend on where the image cache lives; by content, the
    same edition gives the same bytes on any machine, and the same photo placed twice is one object."""
    data = file.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    name = image_xobject_name(source, digest) if source else digest[:32]
    ref = c._doc.getXObjectName(name)
    if ref not in c._doc.idToObject:
        image = pdfdoc.PDFImageXObject(name, str(file), mask=None)
        c._setXObjects(image)
        c._doc.Reference(image, ref)
        c._doc.addForm(name, image)
    c._currentPageHasImages = 1
    c.saveState()
    c.translate(x, y)
    c.scale(w, h)
    c._code.append(f"/{ref} Do")
    c.restoreState()
    c._formsinuse.append(name)


SLUG_AREA = 12 * 72 / 25.4  # room outside the bleed for printer's marks and the slug line
REGISTRATION = (1.0, 1.0, 1.0, 1.0)  # marks print on every plate


def _printers_marks(c: Canvas, page: PagePlan, m: float, slug: str, font: str | None) -> None:
    """Crop marks at the trim corners, registration targets at the middle of each side, and the
    slug line, all outside the BleedBox (they are cut away with the slug)."""
    w, h, b = page.width, page.height, page.bleed
    gap, length = b + 2.0, SLUG_AREA - 4.0  # marks start clear of the bleed
    c.saveState()
    c.setStrokeColorCMYK(*REGISTRATION)
    c.setFillColorCMYK(*REGISTRATION)
    c.setLineWidth(0.25)
    for x in (m, m + w):
        for y in (m, m + h):
            sx = -1 if x == m else 1
            sy = -1 if y == m else 1
            c.line(x + sx * gap, y, x + sx * (gap + length), y)  # horizontal, on the trim line
            c.line(x, y + sy * gap, x, y + sy * (gap + length))  # vertical
    r = 3.0
    centre = m - b - SLUG_AREA / 2
    for cx, cy in ((m + w / 2, centre), (m + w / 2, m + h + b + SLUG_AREA / 2),
                   (centre, m + h / 2), (m + w + b + SLUG_AREA / 2, m + h / 2)):
        c.circle(cx, cy, r, stroke=1, fill=0)
        c.line(cx - 1.6 * r, cy, cx + 1.6 * r, cy)
        c.line(cx, cy - 1.6 * r, cx, cy + 1.6 * r)
    if font:
        c.setFont(font, 6)
        c.drawString(m + 0.1 * w, centre - 2, slug)
    c.restoreState()
