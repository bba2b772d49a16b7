"""The PDF writer: placed pages → PDF bytes (written atomically by `layout.atomic`). The only module
that draws. reportlab holds the document, the graphics and the images; text is written as glyph
codes of the faces embedded by fontembed.py (textdraw.py), never through reportlab's fonts.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from .fontembed import DocumentFonts, Glyph, Subset
from .fontobjects import add_fonts
from .imagenames import image_xobject_name
from .textdraw import line_operators, text_block
from ..fonts.harfbuzz import data_of_key
from ..pages.plan import BLACK, Fill, PagePlan, Picture, Rule, TextLine

# Images go in as binary streams: ASCII85 makes them 25 % larger and costs time to encode.
rl_config.useA85 = 0


class _Canvas(Canvas):
    """reportlab's canvas without its initial font: it would put a `BT /F1 12 Tf … ET` naming a
    non-embedded Helvetica on every page. Each text object here sets its own font."""

    def _make_preamble(self) -> None:
        self._preamble = "1 0 0 1 0 0 cm"


def render_pdf(pages: Sequence[PagePlan], *, title: str = "", author: str = "",
               initial_font: str | None = None, slug: str | None = None) -> bytes:
    """The PDF of the pages. With `slug` (the slug line's text, e.g. paper and date), printer's
    marks are drawn outside the BleedBox and the MediaBox grows to hold them, the slug set in
    the face `initial_font` (a face key, as TextLine.font)."""
    buf = io.BytesIO()
    first = pages[0]
    c = _Canvas(buf, pagesize=(first.width + 2 * first.bleed, first.height + 2 * first.bleed),
                invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor(author)
    c.setCreator("Broadsheet")
    c.setProducer("Broadsheet (reportlab, HarfBuzz)")
    slugs = {page.number: _slug_line(page, slug, initial_font) for page in pages} \
        if slug is not None and initial_font else {}
    fonts = _collect(pages, slugs.values())
    subsets = fonts.subsets()
    tables = {key: (s.resource, s.glyphs) for key, s in subsets.items()}
    for page in pages:
        _draw_page(c, page, tables, slug is not None, slugs.get(page.number))
        c.showPage()
    add_fonts(c._doc, subsets)
    c.save()
    return buf.getvalue()


def _collect(pages: Sequence[PagePlan], extra: Iterable[TextLine]) -> DocumentFonts:
    """Every character of every face the pages draw, before anything is drawn (subsets first)."""
    fonts = DocumentFonts()
    for page in pages:
        for item in page.items:
            if isinstance(item, TextLine):
                fonts.collect(item.font, (ch for ch, _ in item.glyphs))
    for line in extra:
        fonts.collect(line.font, (ch for ch, _ in line.glyphs))
    return fonts


def _draw_page(c: Canvas, page: PagePlan, tables: Mapping[str, tuple[str, Mapping[str, Glyph]]],
               marks: bool, slug: TextLine | None) -> None:
    b = page.bleed
    m = b + (SLUG_AREA if marks else 0.0)  # trim edge to media edge
    c.setPageSize((page.width + 2 * m, page.height + 2 * m))
    c.setBleedBox((m - b, m - b, m + page.width + b, m + page.height + b))
    c.setTrimBox((m, m, m + page.width, m + page.height))
    top = m + page.height
    if marks:
        _printers_marks(c, page, m)

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
    lines = [item for item in page.items if isinstance(item, TextLine)]
    if slug is not None:
        lines.append(slug)

    def colour(fill: tuple) -> None:
        c.setFillColorCMYK(*fill)
        c.setFillOverprint(fill == BLACK)

    text_block(lines, tables, X, Y, colour, c._code)


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


def _printers_marks(c: Canvas, page: PagePlan, m: float) -> None:
    """Crop marks at the trim corners and registration targets at the middle of each side, all
    outside the BleedBox (they are cut away with the slug)."""
    w, h, b = page.width, page.height, page.bleed
    gap, length = b + 2.0, SLUG_AREA - 4.0  # marks start clear of the bleed
    c.saveState()
    c.setStrokeColorCMYK(*REGISTRATION)
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
    c.restoreState()


SLUG_SIZE = 6.0


def _slug_line(page: PagePlan, slug: str, face: str) -> TextLine:
    """The slug line below the bottom registration mark, in registration colour, as a line of
    text in page coordinates (left of the trim's tenth, 2 pt below the marks' centre)."""
    text = f"{slug}　第{page.number}版　C M Y K"
    data = data_of_key(face)
    glyphs, x = [], 0.0
    for ch in text:
        glyphs.append((ch, x))
        x += data.advance(data.glyph(ord(ch)) or 0) * SLUG_SIZE / 1000
    baseline = page.height + page.bleed + SLUG_AREA / 2 + 2
    return TextLine(0.1 * page.width, baseline, face, SLUG_SIZE, tuple(glyphs), REGISTRATION,
                    role="slug")
