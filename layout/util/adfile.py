"""Ad files as the loader first meets them: what the file is (a PDF page or an image) and its
printed size, read without drawing anything. A PDF ad's size is its TrimBox (else its MediaBox);
an image ad's is its pixels at the resolution it records (else `DEFAULT_PPI`).

pikepdf is imported only when a spec has a PDF ad, Pillow only for an image ad."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .imagefile import ImageFileError, image_size

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
    box = pdf_trim_box(path, page)
    return AdSize("pdf", box[2] - box[0], box[3] - box[1], box)


def pdf_trim_box(path: Path, page: int) -> tuple[float, float, float, float]:
    """The page's TrimBox (else MediaBox, inherited as PDF allows), normalised (x0 < x1, y0 < y1)."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            if pdf.is_encrypted:
                raise AdFileError("the PDF is encrypted; ask the client for an unprotected file")
            if not 1 <= page <= len(pdf.pages):
                raise AdFileError(f"the PDF has {len(pdf.pages)} page"
                                  f"{'' if len(pdf.pages) == 1 else 's'}, not a page {page}", True)
            p = pdf.pages[page - 1]
            rotate = int(p.obj.get("/Rotate", 0)) % 360
            if rotate:
                raise AdFileError(f"page {page} is rotated by {rotate}° (/Rotate): placed as it is "
                                  "it would print on its side; ask for the ad upright")
            x0, y0, x1, y1 = (float(v) for v in p.trimbox)
    except pikepdf.PasswordError:
        raise AdFileError("the PDF is encrypted with a password; ask the client for an "
                          "unprotected file") from None
    except (pikepdf.PdfError, ValueError, TypeError, KeyError) as e:
        raise AdFileError(f"the PDF is damaged ({_short(e).removeprefix(f'{path}: ')})") from None
    except OSError as e:
        raise AdFileError(f"cannot read the file ({e.strerror or e})") from None
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


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


def _short(e: Exception) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text if len(text) <= 120 else text[:119] + "…"
