"""Ad files as the loader first meets them: what the file is (a PDF page or an image) and its
printed size, read without drawing anything. A PDF ad's size is its TrimBox (else its MediaBox);
an image ad's is its pixels at the resolution it records (else `DEFAULT_PPI`).

A PDF is read by pdfpage.py (pikepdf, only when a spec has a PDF ad), an image by Pillow."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .imagefile import ImageFileError, image_size
from .pdfpage import PdfPageError, read_pdf_page

DEFAULT_PPI = 300.0  # an image that records no resolution: the usual resolution of press ads
PDF_MAGIC = b"%PDF-"


class AdFileError(Exception):
    """An ad file that cannot be placed: unreadable, damaged, encrypted, no such page (`of_page`:
    the page asked for is the fault, not the file)."""

    def __init__(self, message: str, of_page: bool = False) -> None:
        super().__init__(message)
        self.of_page = of_page


@dataclass(frozen=True)
class AdSize:
    kind: str  # "pdf" or "image"
    width: float  # pt
    height: float
    box: tuple[float, float, float, float] | None = None  # a PDF ad's trim box, in its own pt
    ppi: float | None = None  # an image ad's resolution


def is_pdf(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(PDF_MAGIC)) == PDF_MAGIC
    except OSError:
        return False


def ad_size(path: Path, page: int = 1) -> AdSize:
    """The printed size of the ad in `path` (its page `page` when a PDF). Raises AdFileError."""
    return _pdf_size(path, page) if is_pdf(path) else _image_size(path)


def _pdf_size(path: Path, page: int) -> AdSize:
    try:
        box = read_pdf_page(path, page, thing="ad", ask="ask the client for").box
    except PdfPageError as e:
        raise AdFileError(str(e), e.of_page) from None
    return AdSize("pdf", box[2] - box[0], box[3] - box[1], box)


def _image_size(path: Path) -> AdSize:
    try:
        w, h = image_size(path)
    except ImageFileError as e:
        raise AdFileError(str(e).removeprefix(f"{path}: ")) from None
    ppi = image_ppi(path) or DEFAULT_PPI
    return AdSize("image", w * 72 / ppi, h * 72 / ppi, ppi=ppi)


def image_ppi(path: Path) -> float | None:
    """The horizontal resolution the image records (JFIF, PNG pHYs), None when it records none."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            dpi = im.info.get("dpi")
    except OSError:
        return None
    value = float(dpi[0]) if dpi else 0.0
    return value if value >= 10 else None  # 1 ppi: a file that says "no resolution" so
