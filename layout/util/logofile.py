"""The masthead logo's file as the loader meets it: a PDF page's box (pdfpage.py: TrimBox, else
CropBox, else MediaBox; fonts embedded; an SVG converted to such a page, svgfile.py) or a
picture's pixels, for the proportions the masthead
places it at."""
from __future__ import annotations

from pathlib import Path

from .imagefile import ImageFileError, image_size
from .pdfpage import PdfPageError, read_pdf_page
from .svgfile import SvgFileError, svg_pdf


class LogoFileError(Exception):
    """A logo that cannot be placed: unreadable, damaged, encrypted, empty, fonts not embedded."""


def logo_size(path: Path, kind: str) -> tuple[float, float]:
    """(width, height): pt of a PDF's first page box (an SVG's: of the PDF it is converted to),
    pixels of a picture. Raises LogoFileError."""
    if kind == "image":
        try:
            return tuple(float(v) for v in image_size(path))  # type: ignore[return-value]
        except ImageFileError as e:
            raise LogoFileError(str(e).removeprefix(f"{e.image}: ")) from None
    try:
        data = svg_pdf(path) if kind == "svg" else None
        page = read_pdf_page(path, thing="logo", ask="export it as", fonts=True, data=data)
    except SvgFileError as e:
        raise LogoFileError(str(e)) from None
    except PdfPageError as e:
        raise LogoFileError(str(e)) from None
    if page.unembedded:
        many = len(page.unembedded) > 1
        raise LogoFileError(f"its font{'s' if many else ''} {', '.join(page.unembedded)} "
                            f"{'are' if many else 'is'} not embedded; export it with fonts "
                            "embedded or as outlines")
    return page.size
