"""An SVG file (the masthead logo, as 报头 artwork is usually delivered) converted to a one-page
vector PDF, which the PDF logo path then checks, measures and places as a form XObject: paths stay
paths, never rasterised.

svglib reads the SVG into a ReportLab drawing and reportlab's renderPDF writes it as PDF; both are
imported only when a spec has an SVG logo (a render without one never loads them). The converter's
canvas sets a default font in empty text objects even when nothing is written: those objects and
the font resource are dropped, so the PDF has no unembedded font. Text in the SVG would be set in
a standard font, not the logo's lettering: it is refused (convert text to outlines). The PDF is made
once per file and version in a process: the loader measures it and the press draws it."""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

MAX_SVG_BYTES = 16 * 2**20  # a calligraphic 报头 in outlines is tens of kB
_SHOWS_TEXT = {"Tj", "TJ", "'", '"'}
_TEXT_STATE = {"BT", "ET", "Tf", "TL", "Tc", "Tw", "Tz", "Ts", "Tr", "Td", "TD", "Tm", "T*"}


class SvgFileError(Exception):
    """An SVG that cannot be converted: unreadable, not SVG, without a size, with text."""


def is_svg(path: Path) -> bool:
    """An SVG by its name or, without that name, by its first bytes (after a BOM or blanks)."""
    if path.suffix.lower() in (".svg", ".svgz"):
        return True
    try:
        with open(path, "rb") as f:
            head = f.read(2048).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head)


def svg_pdf(path: Path) -> bytes:
    """The SVG `path` as a one-page PDF whose page box is the SVG's size. Raises SvgFileError."""
    try:
        stat = path.stat()
    except OSError as e:
        raise SvgFileError(f"cannot read the file ({e.strerror or e})") from None
    if stat.st_size > MAX_SVG_BYTES:
        raise SvgFileError(f"the SVG is {stat.st_size / 2**20:.0f} MB, more than a logo's "
                           f"{MAX_SVG_BYTES // 2**20} MB (an embedded photo?)")
    return _convert(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _convert(path: str, mtime_ns: int, size: int) -> bytes:
    import logging  # here, not at the top: a render without an SVG logo never loads it (~2 ms)

    from reportlab.graphics import renderPDF
    from svglib.svglib import svg2rlg

    logger = logging.getLogger("svglib")
    heard = _heard()
    logger.addHandler(heard)
    propagate, logger.propagate = logger.propagate, False  # reported by us, never printed
    try:
        _check_xml(path)
        drawing = svg2rlg(path)
        if drawing is None:
            raise SvgFileError("it is not a readable SVG" + heard.reason())
        if not (drawing.width > 0 and drawing.height > 0):
            raise SvgFileError("it has no size: give its <svg> element a width and height (or a "
                               "viewBox)")
        pdf = renderPDF.drawToString(drawing)
    except SvgFileError:
        raise
    except Exception as e:  # svglib and reportlab raise what they meet in a malformed drawing
        raise SvgFileError(f"it cannot be converted ({type(e).__name__}: {str(e)[:120]})") from None
    finally:
        logger.removeHandler(heard)
        logger.propagate = propagate
    return _without_empty_text(pdf)


def device_cmyk(r: float, g: float, b: float) -> tuple[float, float, float, float]:
    """sRGB 0–1 → CMYK 0–1 without a profile (a newspaper prints no RGB): a grey on the black
    plate alone, another colour by the device formula, k = 1 − max(r, g, b). An SVG's colours are
    sRGB; artwork that must print in exact inks is given as a PDF in CMYK or spot colours."""
    if abs(r - g) < 1e-6 and abs(g - b) < 1e-6:
        return 0.0, 0.0, 0.0, round(1.0 - r, 4)
    k = 1.0 - max(r, g, b)
    return tuple(round((1.0 - v - k) / (1.0 - k), 4) for v in (r, g, b)) + (round(k, 4),)  # type: ignore[return-value]


def _check_xml(path: str) -> None:
    """svglib reads with lxml's recovering parser: a truncated or broken file would give part of
    the drawing, silently. Read strictly first, entities unresolved, nothing fetched."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(path, parser).getroot()
    except etree.XMLSyntaxError as e:
        raise SvgFileError(f"it is not well-formed XML (line {e.lineno}: {e.msg})") from None
    if etree.QName(root).localname != "svg":
        raise SvgFileError(f"its root element is <{etree.QName(root).localname}>, not <svg>")


def _without_empty_text(pdf: bytes) -> bytes:
    """The converter's PDF without its empty text objects and unused font; SvgFileError when the
    drawing writes text."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        ops = pikepdf.parse_content_stream(page)
        if any(str(op) in _SHOWS_TEXT for _, op in ops):
            raise SvgFileError("it has text (<text> elements), which would be set in a standard "
                               "font, not the logo's lettering: convert its text to outlines "
                               "(Inkscape: Path > Object to Path) and save it again")
        kept = [_in_cmyk(operands, op) for operands, op in ops if str(op) not in _TEXT_STATE]
        page.Contents = doc.make_stream(pikepdf.unparse_content_stream(kept))
        if "/Font" in page.Resources:
            del page.Resources["/Font"]
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    return out.getvalue()


def _in_cmyk(operands, op):
    """An RGB colour operator (the converter's default black included) as its CMYK twin."""
    import pikepdf

    name = str(op)
    if name in ("rg", "RG") and len(operands) == 3:
        cmyk = device_cmyk(*(float(v) for v in operands))
        return [*cmyk], pikepdf.Operator("k" if name == "rg" else "K")
    return operands, op


def _heard():
    """A logging handler that keeps what svglib logged while it read the file: the reason it
    gives for failing."""
    import logging

    class Heard(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.WARNING)
            self.messages: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.messages.append(record.getMessage())

        def reason(self) -> str:
            if not self.messages:
                return ""
            text = " ".join(self.messages[0].split())
            return f" ({text[:160]}{'…' if len(text) > 160 else ''})"

    return Heard()