"""The masthead logo's file as the loader meets it: a PDF page's trim box (else crop, else media
box) or a picture's pixels, for the proportions the masthead places it at. pikepdf is imported
only for a PDF logo."""
from __future__ import annotations

from pathlib import Path

from .imagefile import ImageFileError, image_size


class LogoFileError(Exception):
    """A logo that cannot be placed: unreadable, damaged, encrypted, empty."""


def logo_size(path: Path, kind: str) -> tuple[float, float]:
    """(width, height): pt of a PDF's first page box, pixels of a picture. Raises LogoFileError."""
    if kind == "image":
        try:
            return tuple(float(v) for v in image_size(path))  # type: ignore[return-value]
        except ImageFileError as e:
            raise LogoFileError(str(e).removeprefix(f"{e.image}: ")) from None
    return _pdf_size(path)


def _pdf_size(path: Path) -> tuple[float, float]:
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            if not len(pdf.pages):
                raise LogoFileError("the PDF has no pages")
            page = pdf.pages[0].obj
            key = next((k for k in ("/TrimBox", "/CropBox", "/MediaBox") if k in page), None)
            box = page[key] if key else pdf.pages[0].mediabox
            x0, y0, x1, y1 = (float(v) for v in box)
            unembedded = sorted(_unembedded_fonts(pdf.pages[0].obj.get("/Resources"), set()))
            if unembedded:
                raise LogoFileError(f"its font{'s' if len(unembedded) > 1 else ''} "
                                    f"{', '.join(unembedded)} {'are' if len(unembedded) > 1 else 'is'}"
                                    " not embedded; export it with fonts embedded or as outlines")
    except pikepdf.PasswordError:
        raise LogoFileError("the PDF is encrypted; export it without a password") from None
    except (pikepdf.PdfError, ValueError, TypeError, KeyError) as e:
        why = str(e).splitlines()[0].removeprefix(f"{path}: ")[:120] if str(e) else type(e).__name__
        raise LogoFileError(f"the PDF is damaged ({why})") from None
    except OSError as e:
        raise LogoFileError(f"cannot read the file ({e.strerror or e})") from None
    w, h = abs(x1 - x0), abs(y1 - y0)
    if w <= 0 or h <= 0:
        raise LogoFileError("the PDF's page box is empty")
    return w, h


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
