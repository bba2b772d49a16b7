"""A page of another PDF drawn as a form XObject: its vectors, fonts and images as they are, never
rasterised (a calligraphic 报头, an ad). The page's objects are copied into our document by value
(pikepdf reads them; our writer writes them), each source object once per document.

`place_pdf_page` is the one entry: the page's trim box (else its crop box, else its media box)
mapped onto a rectangle of our page.
"""
from __future__ import annotations

import weakref
from decimal import Decimal
from pathlib import Path
from typing import Any

from .pdfwriter import Document, Name, Page, Ref, Stream, num


class FormError(ValueError):
    """A PDF that cannot be placed (damaged, encrypted, no such page)."""


def place_pdf_page(doc: Document, out: Page, file: Path, page: int, x: float, y: float,
                   w: float, h: float, name: str) -> None:
    """Draw page `page` of `file` so that its box fills the rectangle (x, y, w, h) of `out`
    (PDF coordinates, y up), as the form XObject resource `name` (made once per document)."""
    ref, box = _form(doc, file, page, name)
    x0, y0, x1, y1 = box
    sx, sy = w / (x1 - x0), h / (y1 - y0)
    out.xobjects[name] = ref
    out.ops.append(f"q {num(sx, 6)} 0 0 {num(sy, 6)} {num(x - x0 * sx)} {num(y - y0 * sy)} cm "
                   f"/{name} Do Q")


def _form(doc: Document, file: Path, page: int, name: str) -> tuple[Ref, tuple]:
    forms = _FORMS.setdefault(doc, {})  # name → (ref, box): one object per document
    if name in forms:
        return forms[name]
    with _open(file) as pdf:
        source = _page(pdf, file, page)
        box = _box(source)
        copied: dict[tuple[int, int], Ref] = {}
        resources = _copy(doc, source.obj.get("/Resources") or source.resources, copied)
        content = b"\n".join(s.read_bytes() for s in _contents(source))
    ref = doc.stream(content, {"Type": Name("XObject"), "Subtype": Name("Form"),
                               "BBox": list(box), "Resources": resources})
    forms[name] = (ref, box)
    return ref, box


_FORMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _open(file: Path):
    import pikepdf

    try:
        return pikepdf.open(file)
    except pikepdf.PasswordError:
        raise FormError(f"{file.name} is encrypted") from None
    except (pikepdf.PdfError, OSError) as e:
        raise FormError(f"{file.name} is not a PDF that can be read ({e})") from None


def _page(pdf, file: Path, page: int):
    if not 1 <= page <= len(pdf.pages):
        raise FormError(f"{file.name} has {len(pdf.pages)} pages, no page {page}")
    return pdf.pages[page - 1]


def _box(page) -> tuple[float, float, float, float]:
    for key in ("/TrimBox", "/CropBox", "/MediaBox"):
        if key in page.obj:
            x0, y0, x1, y1 = (float(v) for v in page.obj[key])
            return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)  # inherited from the page tree
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _contents(page) -> list:
    import pikepdf

    contents = page.obj.get("/Contents")
    if contents is None:
        return []
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]


def _copy(doc: Document, obj: Any, copied: dict[tuple[int, int], Ref]) -> Any:
    """A pikepdf object as our writer's values; indirect objects become our own, once each."""
    import pikepdf

    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        key = obj.objgen
        if key in copied:
            return copied[key]
        ref = copied[key] = doc.reserve()
        doc.set(ref, _direct(doc, obj, copied))
        return ref
    return _direct(doc, obj, copied)


def _direct(doc: Document, obj: Any, copied: dict[tuple[int, int], Ref]) -> Any:
    import pikepdf

    if isinstance(obj, pikepdf.Stream):
        extra = {str(k)[1:]: _copy(doc, v, copied) for k, v in obj.stream_dict.items()
                 if k != "/Length"}
        return Stream(extra, obj.read_raw_bytes())
    if isinstance(obj, pikepdf.Dictionary):
        return {str(k)[1:]: _copy(doc, v, copied) for k, v in obj.items()}
    if isinstance(obj, pikepdf.Array):
        return [_copy(doc, v, copied) for v in obj]
    if isinstance(obj, pikepdf.Name):
        return Name(str(obj)[1:])
    if isinstance(obj, pikepdf.String):
        return bytes(obj)
    if isinstance(obj, Decimal):
        return float(obj)
    if isinstance(obj, (bool, int, float)) or obj is None:
        return obj
    if isinstance(obj, dict):
        return {str(k).lstrip("/"): _copy(doc, v, copied) for k, v in obj.items()}
    raise FormError(f"an object of type {type(obj).__name__} cannot be copied")
