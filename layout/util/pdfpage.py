"""A page of a PDF file as the loader first meets it (a PDF ad, the masthead logo): opened, checked
and measured without drawing anything. Its box is the TrimBox (else CropBox, else MediaBox, as the
page tree passes them down), normalised; an encrypted file or a rotated page is refused (placed as a
form XObject, a /Rotate page would print on its side); on request, the fonts of the page and of the
forms it draws that have no program embedded.

pikepdf is imported only when a spec has such a file."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

Box = tuple[float, float, float, float]


class PdfPageError(Exception):
    """A PDF page that cannot be placed (`of_page`: the page asked for is the fault, not the file)."""

    def __init__(self, message: str, of_page: bool = False) -> None:
        super().__init__(message)
        self.of_page = of_page


@dataclass(frozen=True)
class PageFacts:
    box: Box  # x0 < x1, y0 < y1, in the PDF's pt
    unembedded: tuple[str, ...] = ()  # BaseFont names, when asked for

    @property
    def size(self) -> tuple[float, float]:
        return self.box[2] - self.box[0], self.box[3] - self.box[1]


def read_pdf_page(path: Path, page: int = 1, *, thing: str, ask: str, fonts: bool = False,
                  data: bytes | None = None) -> PageFacts:
    """Page `page` (1-based) of the PDF `path` (or of `data`, the PDF made from it: an SVG's),
    or PdfPageError worded for `thing` ("ad", "logo"), the advice naming whom to `ask` ("ask the
    client for")."""
    import io

    import pikepdf

    try:
        with pikepdf.open(path if data is None else io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise PdfPageError(f"the PDF is encrypted; {ask} an unprotected file")
            count = len(pdf.pages)
            if not 1 <= page <= count:
                raise PdfPageError("the PDF has no pages" if not count else
                                   f"the PDF has {count} page{'' if count == 1 else 's'}, "
                                   f"not a page {page}", True)
            p = pdf.pages[page - 1]
            rotate = int(p.obj.get("/Rotate", 0)) % 360
            if rotate:
                raise PdfPageError(f"page {page} is rotated by {rotate}° (/Rotate): placed as it is "
                                   f"it would print on its side; ask for the {thing} upright")
            x0, y0, x1, y1 = (float(v) for v in p.trimbox)  # pikepdf: else CropBox, else MediaBox
            missing = tuple(sorted(_unembedded_fonts(p.obj.get("/Resources"), set()))) if fonts else ()
    except pikepdf.PasswordError:
        raise PdfPageError(f"the PDF is encrypted with a password; {ask} an unprotected file") from None
    except (pikepdf.PdfError, ValueError, TypeError, KeyError) as e:
        raise PdfPageError(f"the PDF is damaged ({_short(e).removeprefix(f'{path}: ')})") from None
    except OSError as e:
        raise PdfPageError(f"cannot read the file ({e.strerror or e})") from None
    box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
        raise PdfPageError(f"the PDF's page box is empty ({x0:g} {y0:g} {x1:g} {y1:g})")
    return PageFacts(box, missing)


def _unembedded_fonts(resources, seen: set) -> set[str]:
    """BaseFont names of the fonts (of the page and the forms it draws) without a font program."""
    found: set[str] = set()
    if resources is None or resources.objgen in seen and resources.objgen != (0, 0):
        return found
    seen.add(resources.objgen)
    for font in (resources.get("/Font") or {}).values():
        if font.get("/Subtype") == "/Type3":
            continue
        described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = described.get("/FontDescriptor")
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                                    "/FontFile3")):
            found.add(str(font.get("/BaseFont", "/unnamed"))[1:])
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form":
            found |= _unembedded_fonts(xobject.get("/Resources"), seen)
    return found


def _short(e: Exception) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text if len(text) <= 120 else text[:119] + "…"
