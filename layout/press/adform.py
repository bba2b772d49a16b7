"""A PDF ad's page as a form XObject of our document: its content streams joined, its resources
(fonts with their embedded programs, images, colour spaces, patterns, nested forms) copied object
by object as they are — streams keep their filters and bytes — so vectors, text and pictures
print exactly as the client made them. The form's BBox is the ad's TrimBox: nothing outside it
(bleed, marks) is drawn.

pikepdf reads the ad; it is imported here only, when an edition has a PDF ad."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from .pdfwriter import Document, Name, Ref, Stream

MAX_OBJECTS = 200_000  # objects copied from one ad: far past any real ad, short of a hostile file


class AdFormError(Exception):
    """The ad cannot be copied (its file changed since it was checked, or it is damaged)."""


def ad_form(doc: Document, file: Path, page: int) -> tuple[Ref, tuple[float, float, float, float]]:
    """The ad's form XObject in `doc` (made once per file and page) and its BBox (the TrimBox)."""
    key = (str(file), page)
    if key not in doc.forms:
        doc.forms[key] = _make(doc, file, page)
    return doc.forms[key]


def _make(doc: Document, file: Path, page: int):
    import pikepdf

    try:
        with pikepdf.open(file) as pdf:
            p = pdf.pages[page - 1]
            x0, y0, x1, y1 = (float(v) for v in p.trimbox)
            box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            content = b"\n".join(_contents(p.obj.get("/Contents")))
            copier = _Copier(doc)
            resources = copier.copy(_inherited(p.obj, "/Resources") or pikepdf.Dictionary())
            doc.version = max(doc.version, str(pdf.pdf_version), key=_version)
    except (pikepdf.PdfError, IndexError, ValueError, OSError) as e:
        raise AdFormError(f"{file.name}: cannot copy the ad's page {page}: {e}") from None
    ref = doc.stream(content, {"Type": Name("XObject"), "Subtype": Name("Form"),
                               "BBox": list(box), "Resources": resources})
    return ref, box


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
