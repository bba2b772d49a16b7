"""The PDF writer: placed pages → PDF bytes (written atomically by `layout.atomic`). The only module
that draws, on pages of our own small PDF writer (pdfwriter.py); text is written as glyph codes of
the faces embedded by fontembed.py (textdraw.py).
"""
from __future__ import annotations

import hashlib
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple, Sequence

from . import fontembed, fontobjects
from .fontembed import DocumentFonts
from .fontobjects import add_fonts
from .imagenames import PREFIX, image_xobject_name
from .pdfwriter import Document, Page
from .textdraw import text_block
from ..fonts.harfbuzz import VERTICAL_SUFFIX, data_of_key
from ..pages.plan import BLACK, Dots, Fill, MarkLine, PagePlan, PdfPage, Picture, Rule, TextLine
from .formxobject import page_form, place_pdf_page


def render_pdf(pages: Sequence[PagePlan], *, title: str = "", author: str = "",
               initial_font: str | None = None, slug: str | None = None) -> bytes:
    """The PDF of the pages. With `slug` (the slug line's text, e.g. paper and date), printer's
    marks are drawn outside the BleedBox and the MediaBox grows to hold them, the slug set in
    the face `initial_font` (a face key, as TextLine.font)."""
    global _LAST_PAGES, _LAST_TABLES
    doc = Document()
    slugs = {page.number: _slug_line(page, slug, initial_font) for page in pages} \
        if slug is not None and initial_font else {}
    fonts = _collect(pages, slugs.values())
    subsets = fonts.subsets()
    ahead = fontobjects.ProgramsAhead(doc, subsets)
    tables = {key: (s.resource, {ch: (g.hex, g.width) for ch, g in s.glyphs.items()})
              for key, s in subsets.items()}
    fonts_drawn = tuple((key, s.resource, _generation(key, tables[key][1]))
                        for key, s in subsets.items())
    _LAST_TABLES = {key: table for key, (_, table) in tables.items()}
    kept: dict[int, tuple[PagePlan, tuple, _DrawnPage]] = {}
    for page in pages:
        _add_page(doc, page, tables, slug is not None, slugs.get(page.number), fonts_drawn, kept)
    _LAST_PAGES = kept  # only this render's: bounded by one edition
    add_fonts(doc, subsets, ahead)
    return doc.finish({"Title": title, "Author": author, "Creator": "Broadsheet",
                       "Producer": "Broadsheet (HarfBuzz)"})


_CHARACTER = itemgetter(0)  # of a placed glyph (character, x)


class _DrawnPage(NamedTuple):
    """A page as stored: content stream, the pictures it names (name, file) and its states."""

    content: bytes
    pictures: tuple[tuple[str, Path], ...]
    states: tuple[str, ...]
    boxes: tuple


# The last render's pages by number (a `watch` loop's): (page, how it was drawn, what it gave).
_LAST_PAGES: dict[int, tuple[PagePlan, tuple, _DrawnPage]] = {}


# The last render's glyph tables by face (character → (code, advance)) and, per face, the number
# of the tables that drew the same characters the same way since (see `_generation`).
_LAST_TABLES: dict[str, Mapping[str, tuple[str, float]]] = {}
_GENERATIONS: dict[str, int] = {}
_NEXT_GENERATION = iter(range(1, 1 << 62))


def _generation(face: str, table: Mapping[str, tuple[str, float]]) -> int:
    """The face's table generation: the previous render's when every character both tables
    have is drawn with the same code and advance, else a new one. Codes name the installed
    face's glyphs (fontembed.py), so a subset grown by a new character keeps its generation, and
    a page kept from the previous render (the same characters, all in both tables) would be
    drawn the same; a changed font file or code scheme starts a new one."""
    last = _LAST_TABLES.get(face)
    found = _GENERATIONS.get(face)
    if found is None or last is None or any(
            table.get(ch, entry) != entry for ch, entry in last.items()):
        found = _GENERATIONS[face] = next(_NEXT_GENERATION)
    return found


def forget_previous_render() -> None:
    """Draw everything afresh next time (benchmarks time a full render so)."""
    global _LAST_PAGES, _LAST_TABLES
    _LAST_PAGES = {}
    _LAST_TABLES = {}
    fontembed.forget_previous_subsets()
    fontobjects.forget_programs()


def _add_page(doc: Document, page: PagePlan, tables, marks: bool, slug: TextLine | None,
              fonts_drawn: tuple, kept: dict[int, tuple[PagePlan, tuple, _DrawnPage]]) -> None:
    """Draw the page, or take its content from the previous render in this process when that
    drew the very same page with the very same font subsets: a `watch` re-render after a
    one-story edit redraws only the pages that story is on. The bytes are the same either way."""
    pictures = tuple((item.file, _stamp(item.file)) for item in page.items
                     if isinstance(item, Picture))
    # Compared with the page of that number last time (equality stops at the first difference;
    # hashing whole pages cost a normal render 25 ms for nothing).
    how = (marks, slug, fonts_drawn, pictures)
    last = _LAST_PAGES.get(page.number)
    drawn = last[2] if last is not None and last[1] == how and last[0] == page else None
    if any(isinstance(item, PdfPage) for item in page.items):
        out = _draw_page(doc, page, tables, marks, slug)  # forms are the document's own: drawn
        doc.add_page(out)  # afresh every time, and not kept for reuse
        return
    if drawn is None:
        out = _draw_page(doc, page, tables, marks, slug)
        if out.forms or out.separations:  # ads and spot inks: drawn afresh on every render
            doc.add_page(out)
            return
        drawn = _DrawnPage(doc.page_content(out),
                           tuple((name, doc.image_file[name]) for name in out.xobjects),
                           tuple(out.states), (out.media, out.bleed, out.trim))
    else:
        out = Page(media=drawn.boxes[0], bleed=drawn.boxes[1], trim=drawn.boxes[2])
        for name, file in drawn.pictures:
            out.xobjects[name] = doc.image(name, file)
        out.states.update(dict.fromkeys(drawn.states))
    doc.add_page(out, drawn.content)
    kept[page.number] = (page, how, drawn)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
        return st.st_size, st.st_mtime_ns
    except OSError:
        return 0, 0


def _collect(pages: Sequence[PagePlan], extra: Iterable[TextLine]) -> DocumentFonts:
    """Every character of every face the pages draw, before anything is drawn (subsets first):
    the lines' glyphs gathered by face, then each face's characters as one set (a call per line
    was a tenth of a watch re-render)."""
    by_face: dict[str, list[tuple[tuple[str, float], ...]]] = {}
    for page in pages:
        for item in page.items:
            if isinstance(item, TextLine):
                by_face.setdefault(item.font, []).append(item.glyphs)
                if item.mode == "r":  # its first character opens its span upright (vertical.py)
                    by_face.setdefault(item.font + VERTICAL_SUFFIX, []).append(item.glyphs[:1])
    for line in extra:
        by_face.setdefault(line.font, []).append(line.glyphs)
    fonts = DocumentFonts()
    for face, runs in by_face.items():  # faces in order of first use: their resource names
        fonts.collect(face, sorted(set(map(_CHARACTER, chain.from_iterable(runs)))))
    return fonts


def _draw_page(doc: Document, page: PagePlan,
               tables: Mapping[str, tuple[str, Mapping[str, tuple[str, float]]]], marks: bool,
               slug: TextLine | None) -> Page:
    b = page.bleed
    m = b + (SLUG_AREA if marks else 0.0)  # trim edge to media edge
    out = Page(media=(0, 0, page.width + 2 * m, page.height + 2 * m),
               bleed=(m - b, m - b, m + page.width + b, m + page.height + b),
               trim=(m, m, m + page.width, m + page.height))
    top = m + page.height
    if marks:
        _printers_marks(out, page, m)

    def X(x: float) -> float:
        return m + x

    def Y(y: float) -> float:
        return top - y

    # Graphics first, then all text (text paints over pictures and boxes).
    out.gs("OPM1")
    for item in page.items:
        if isinstance(item, Picture):
            out.save()
            out.clip_rect(X(item.clip.x), Y(item.clip.bottom), item.clip.w, item.clip.h)
            _draw_image(doc, out, item.file, X(item.place.x), Y(item.place.bottom), item.place.w,
                        item.place.h, item.source)
            out.restore()
        elif isinstance(item, PdfPage):
            draw = _draw_ad if item.ad is not None else _draw_form
            draw(doc, out, item, X(item.place.x), Y(item.place.bottom))
        elif isinstance(item, Fill):
            out.overprint(fill=False)
            out.fill_cmyk(item.color)
            out.fill_rect(X(item.rect.x), Y(item.rect.bottom), item.rect.w, item.rect.h)
        elif isinstance(item, Rule):
            # Solid black rules and text overprint (OPM 1), so misregistration on the press never
            # shows a white hairline around them; everything else knocks out.
            out.stroke_cmyk(item.color)
            out.overprint(stroke=item.color == BLACK)
            out.line_width(item.width)
            out.dash(item.dash)
            out.line(X(item.x1), Y(item.y1), X(item.x2), Y(item.y2))
        elif isinstance(item, Dots):  # 着重号: filled circles in the text's colour, overprinting
            out.fill_cmyk(item.color)
            out.overprint(fill=item.color == BLACK)
            for cx, cy in item.centres:
                out.circle(X(cx), Y(cy), item.radius, paint="f")
        elif isinstance(item, MarkLine):
            _draw_mark(out, item, X, Y)
    lines = [item for item in page.items if isinstance(item, TextLine)]
    if slug is not None:
        lines.append(slug)

    def colour(fill: tuple) -> None:
        out.fill_cmyk(fill)
        out.overprint(fill=fill == BLACK)

    text_block(lines, tables, X, Y, colour, out.ops)
    return out


def _draw_mark(out: Page, item: MarkLine, X, Y) -> None:
    """专名号 (a line), 书名号 (a wave): stroked in the text's colour, overprinting as text does."""
    out.stroke_cmyk(item.color)
    out.overprint(stroke=item.color == BLACK)
    out.line_width(item.width)
    out.dash(())
    if item.wave:
        out.wave(X(item.x1), Y(item.y1), X(item.x2), Y(item.y2), item.wave, item.period)
    else:
        out.line(X(item.x1), Y(item.y1), X(item.x2), Y(item.y2))


def _draw_image(doc: Document, out: Page, file: Path, x: float, y: float, w: float, h: float,
                source: str = "") -> None:
    """Draw an image file as an XObject named after its bytes: by content, not by path, the same
    edition gives the same bytes on any machine, and the same photo placed twice is one object."""
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    name = PREFIX + (image_xobject_name(source, digest) if source else digest[:32])
    out.image(name, doc.image(name, file), x, y, w, h)


def _draw_form(doc: Document, out: Page, item: PdfPage, x: float, y: float) -> None:
    """A PDF page as a form XObject named after its file's bytes (as pictures are)."""
    digest = hashlib.sha256(item.file.read_bytes()).hexdigest()
    place_pdf_page(doc, out, item.file, item.page, x, y, item.place.w, item.place.h,
                   f"Fm{digest[:24]}p{item.page}")


def _draw_ad(doc: Document, out: Page, ad: PdfPage, x: float, y: float) -> None:
    """A PDF ad's page as a form XObject, its trim box's corner on (x, y), at its own size. The
    ad knocks out what is under it and keeps its own overprint settings."""
    ref, box = page_form(doc, ad.file, ad.page)
    digest = hashlib.sha256(f"{ad.file.name}\0{ad.page}\0{ad.ad}".encode()).hexdigest()[:16]
    out.save()
    out.overprint(stroke=False, fill=False)
    out.form("Ad" + digest, ref, x - box[0], y - box[1])
    out.restore()


SLUG_AREA = 12 * 72 / 25.4  # room outside the bleed for printer's marks and the slug line
REGISTRATION = (1.0, 1.0, 1.0, 1.0)  # marks print on every plate


def _printers_marks(out: Page, page: PagePlan, m: float) -> None:
    """Crop marks at the trim corners and registration targets at the middle of each side, all
    outside the BleedBox (they are cut away with the slug)."""
    w, h, b = page.width, page.height, page.bleed
    gap, length = b + 2.0, SLUG_AREA - 4.0  # marks start clear of the bleed
    out.save()
    out.stroke_cmyk(REGISTRATION)
    out.line_width(0.25)
    for x in (m, m + w):
        for y in (m, m + h):
            sx = -1 if x == m else 1
            sy = -1 if y == m else 1
            out.line(x + sx * gap, y, x + sx * (gap + length), y)  # horizontal, on the trim line
            out.line(x, y + sy * gap, x, y + sy * (gap + length))  # vertical
    r = 3.0
    centre = m - b - SLUG_AREA / 2
    for cx, cy in ((m + w / 2, centre), (m + w / 2, m + h + b + SLUG_AREA / 2),
                   (centre, m + h / 2), (m + w + b + SLUG_AREA / 2, m + h / 2)):
        out.circle(cx, cy, r)
        out.line(cx - 1.6 * r, cy, cx + 1.6 * r, cy)
        out.line(cx, cy - 1.6 * r, cx, cy + 1.6 * r)
    out.restore()


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
