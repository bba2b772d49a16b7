"""A page of another PDF as a form XObject of our document: a PDF ad's page at its own size, or the
masthead logo's page scaled to its rectangle. Its content streams are joined and its resources
(fonts with their embedded programs, images, colour spaces, patterns, nested forms) copied object
by object as they are — streams keep their filters and bytes — so vectors, text and pictures print
exactly as their maker made them, never rasterised. The form's BBox is the page's TrimBox (else
CropBox, else MediaBox): nothing outside it (bleed, marks) is drawn.

`page_form` makes the form, once per file and page of a document; `place_pdf_page` draws it scaled
onto a rectangle (the logo); an ad is drawn 1:1 by pdf.py. pikepdf reads the file; it is imported
only when an edition has such a page."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..util.svgfile import SvgFileError, is_svg, svg_pdf
from .pdfwriter import Document, Name, Page, Ref, Stream, num

MAX_OBJECTS = 200_000  # objects copied from one page: far past any real ad, short of a hostile file
Box = tuple[float, float, float, float]


class FormError(ValueError):
    """A PDF page that cannot be copied (damaged, encrypted, no such page, changed since it was
    checked when the spec was loaded)."""


def page_form(doc: Document, file: Path, page: int) -> tuple[Ref, Box]:
    """The form XObject of page `page` (1-based) of `file` in `doc`, and its BBox."""
    key = (str(file), page)
    if key not in doc.forms:
        doc.forms[key] = _make(doc, file, page)
    return doc.forms[key]


def place_pdf_page(doc: Document, out: Page, file: Path, page: int, x: float, y: float,
                   w: float, h: float, name: str) -> None:
    """Draw page `page` of `file` so that its box fills the rectangle (x, y, w, h) of `out`
    (PDF coordinates, y up), as the form XObject resource `name`."""
    ref, (x0, y0, x1, y1) = page_form(doc, file, page)
    sx, sy = w / (x1 - x0), h / (y1 - y0)
    out.xobjects[name] = ref
    out.ops.append(f"q {num(sx, 6)} 0 0 {num(sy, 6)} {num(x - x0 * sx)} {num(y - y0 * sy)} cm "
                   f"/{name} Do Q")


def _make(doc: Document, file: Path, page: int) -> tuple[Ref, Box]:
    import io

    import pikepdf

    try:  # an SVG logo: the PDF page it was converted to when the spec was loaded (memoised)
        with pikepdf.open(io.BytesIO(svg_pdf(file)) if is_svg(file) else file) as pdf:
            if not 1 <= page <= len(pdf.pages):
                raise FormError(f"{file.name} has {len(pdf.pages)} pages, no page {page}")
            source = pdf.pages[page - 1]
            box = _box(source)
            content = b"\n".join(_contents(source.obj.get("/Contents")))
            resources = _Copier(doc).copy(_inherited(source.obj, "/Resources") or pikepdf.Dictionary())
            doc.version = max(doc.version, str(pdf.pdf_version), key=_version)
    except pikepdf.PasswordError:
        raise FormError(f"{file.name} is encrypted") from None
    except SvgFileError as e:
        raise FormError(f"{file.name}: {e}") from None
    except (pikepdf.PdfError, ValueError, OSError) as e:
        if isinstance(e, FormError):
            raise
        raise FormError(f"{file.name}: cannot copy its page {page}: {e}") from None
    ref = doc.stream(content, {"Type": Name("XObject"), "Subtype": Name("Form"),
                               "BBox": list(box), "Resources": resources})
    return ref, box


def _box(page) -> Box:
    for key in ("/TrimBox", "/CropBox", "/MediaBox"):
        if key in page.obj:
            x0, y0, x1, y1 = (float(v) for v in page.obj[key])
            return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)  # inherited from the page tree
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _version(v: str) -> tuple[int, ...]:
    return tuple(int(part) for part in v.split(".") if part.isdigit())


def _contents(contents) -> list[bytes]:
    import pikepdf

    if contents is None:
        return []
    if isinstance(contents, pikepdf.Array):
        return [s.read_bytes() for s in contents]
    return [contents.read_bytes()]


def _inherited(page, key: str):
    """A page attribute PDF lets the page tree supply (Resources)."""
    node, depth = page, 0
    while node is not None and depth < 64:
        if key in node:
            return node[key]
        node, depth = node.get("/Parent"), depth + 1
    return None


class _Copier:
    """Copies pikepdf objects into our document: each indirect object once (cycles allowed)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.done: dict[tuple[int, int], Ref] = {}

    def copy(self, obj) -> object:
        import pikepdf

        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            key = obj.objgen
            if key not in self.done:
                if len(self.done) >= MAX_OBJECTS:
                    raise ValueError(f"more than {MAX_OBJECTS} objects")
                self.done[key] = ref = self.doc.reserve()
                self.doc.set(ref, self.direct(obj))
            return self.done[key]
        return self.direct(obj)

    def direct(self, obj) -> object:
        import pikepdf

        if isinstance(obj, pikepdf.Stream):
            extra = {k[1:]: self.copy(v) for k, v in obj.items() if k != "/Length"}
            return Stream(extra, obj.read_raw_bytes())
        if isinstance(obj, pikepdf.Dictionary):
            return {k[1:]: self.copy(v) for k, v in obj.items()}
        if isinstance(obj, pikepdf.Array):
            return [self.copy(v) for v in obj]
        if isinstance(obj, pikepdf.Name):
            return Name(str(obj)[1:])
        if isinstance(obj, pikepdf.String):
            return bytes(obj)
        if isinstance(obj, Decimal):
            return float(obj)
        if isinstance(obj, (bool, int, float)) or obj is None:
            return obj
        if isinstance(obj, pikepdf.Object) and obj._type_code == pikepdf.ObjectType.null:
            return None
        raise ValueError(f"an object of type {type(obj).__name__}")
