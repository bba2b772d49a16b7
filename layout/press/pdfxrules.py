"""Preflight's document and page-box rules: the PDF/X-4 markers (header, Info, XMP, trailer ID,
the GTS_PDFX OutputIntent and its profile), catalog actions, and TrimBox ⊆ BleedBox ⊆ MediaBox.
Each appends `Problem`s to the document's list, in the order the report shows them."""
from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from .findings import WARNING, Problem

BOX_TOLERANCE = 0.01  # pt
_BOOLEAN = (Name("/True"), Name("/False"))


def claims_pdfx(pdf: pikepdf.Pdf) -> bool:
    if "/GTS_PDFXVersion" in pdf.docinfo:
        return True
    for oi in pdf.Root.get("/OutputIntents", Array()):
        if isinstance(oi, Dictionary) and oi.get("/S") == Name.GTS_PDFX:
            return True
    return "GTS_PDFXVersion" in _xmp_text(pdf)


def _xmp_text(pdf: pikepdf.Pdf) -> str:
    meta = pdf.Root.get("/Metadata")
    if not isinstance(meta, Stream):
        return ""
    try:
        return meta.read_bytes().decode("utf-8", "replace")
    except pikepdf.PdfError:
        return ""


def check_pdfx(pdf: pikepdf.Pdf, doc: list[Problem]) -> None:
    P = doc.append
    version = str(pdf.pdf_version)
    if _version_tuple(version) > (1, 6):
        P(Problem(None, "header", f"PDF {version}: PDF/X-4 allows at most PDF 1.6"))
    info = pdf.docinfo
    info_ver = str(info.get("/GTS_PDFXVersion", ""))
    if not info_ver:
        P(Problem(None, "Info", "no GTS_PDFXVersion", WARNING))
    elif not info_ver.startswith("PDF/X-4"):
        P(Problem(None, "Info", f"GTS_PDFXVersion is {info_ver!r}: these checks are for "
                  "PDF/X-4", WARNING))
    trapped = info.get("/Trapped")
    if trapped not in _BOOLEAN:
        P(Problem(None, "Info", f"Trapped must be /True or /False, is {trapped}"))
    if not str(info.get("/Title", "")).strip():
        P(Problem(None, "Info", "no Title"))
    for key in ("/CreationDate", "/ModDate"):
        if key not in info:
            P(Problem(None, "Info", f"no {key[1:]}"))
    if "/ID" not in pdf.trailer:
        P(Problem(None, "trailer", "no document ID"))
    _check_xmp(pdf, doc, info_ver, trapped)
    _check_output_intent(pdf, doc)


def _check_xmp(pdf: pikepdf.Pdf, doc: list[Problem], info_ver: str, trapped: object) -> None:
    P = doc.append
    if not isinstance(pdf.Root.get("/Metadata"), Stream):
        P(Problem(None, "XMP metadata", "missing (PDF/X-4 requires it)"))
        return
    try:
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    except Exception as e:  # noqa: BLE001 - any XML trouble is the file's
        P(Problem(None, "XMP metadata", f"cannot be parsed: {e}"))
        return
    xmp_ver = meta.get("{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion")
    if not xmp_ver:
        P(Problem(None, "XMP metadata", "no pdfxid:GTS_PDFXVersion"))
    elif info_ver and xmp_ver != info_ver:
        P(Problem(None, "XMP metadata", f"pdfxid:GTS_PDFXVersion {xmp_ver!r} differs from "
                  f"Info's {info_ver!r}"))
    xmp_trapped = meta.get("pdf:Trapped")
    if not xmp_trapped:
        P(Problem(None, "XMP metadata", "no pdf:Trapped"))
    elif trapped in _BOOLEAN and xmp_trapped != str(trapped)[1:]:
        P(Problem(None, "XMP metadata",
                  f"pdf:Trapped {xmp_trapped} differs from Info's {trapped}"))
    if not meta.get("dc:title"):
        P(Problem(None, "XMP metadata", "no dc:title"))
    for key in ("xmp:CreateDate", "xmp:ModifyDate"):
        if not meta.get(key):
            P(Problem(None, "XMP metadata", f"no {key}"))


def _check_output_intent(pdf: pikepdf.Pdf, doc: list[Problem]) -> None:
    P = doc.append
    intents = [oi for oi in pdf.Root.get("/OutputIntents", Array())
               if isinstance(oi, Dictionary) and oi.get("/S") == Name.GTS_PDFX]
    if not intents:
        P(Problem(None, "OutputIntent", "no GTS_PDFX output intent"))
        return
    if len(intents) > 1:
        P(Problem(None, "OutputIntent", f"{len(intents)} GTS_PDFX output intents; one allowed"))
    oi = intents[0]
    if not str(oi.get("/OutputConditionIdentifier", "")).strip():
        P(Problem(None, "OutputIntent", "no OutputConditionIdentifier"))
    prof = oi.get("/DestOutputProfile")
    if not isinstance(prof, Stream):
        P(Problem(None, "OutputIntent", "no embedded DestOutputProfile (PDF/X-4p external "
                  "profiles are not accepted here)"))
        return
    _check_output_profile(prof, doc)


def _check_output_profile(prof: Stream, doc: list[Problem]) -> None:
    P = doc.append
    try:
        icc = prof.read_bytes()
    except pikepdf.PdfError as e:
        P(Problem(None, "OutputIntent profile", f"cannot be read: {e}"))
        return
    if len(icc) < 128 or icc[36:40] != b"acsp":
        P(Problem(None, "OutputIntent profile", "not an ICC profile"))
        return
    space, cls = icc[16:20].decode("latin-1").strip(), icc[12:16].decode("latin-1")
    if space != "CMYK":
        P(Problem(None, "OutputIntent profile", f"colour space {space}, not CMYK"))
    if cls != "prtr":
        P(Problem(None, "OutputIntent profile",
                  f"profile class {cls!r}, not an output profile"))
    if prof.get("/N") != 4:
        P(Problem(None, "OutputIntent profile", f"/N is {prof.get('/N')}, must be 4"))


def check_catalog_actions(pdf: pikepdf.Pdf, doc: list[Problem]) -> None:
    root = pdf.Root
    names = root.get("/Names")
    if "/OpenAction" in root or "/AA" in root or (
            isinstance(names, Dictionary) and "/JavaScript" in names):
        doc.append(Problem(None, "catalog", "actions or JavaScript (PDF/X forbids them)"))


def check_boxes(number: int, page: pikepdf.Page, doc: list[Problem]) -> None:
    P = doc.append
    media = _box(page.mediabox)
    trim_obj, bleed_obj = page.obj.get("/TrimBox"), page.obj.get("/BleedBox")
    trim = _box(trim_obj) if trim_obj is not None else None
    bleed = _box(bleed_obj) if bleed_obj is not None else None
    if trim is None:
        P(Problem(number, "TrimBox", "missing"))
    if bleed is None:
        P(Problem(number, "BleedBox", "missing"))
    if trim is not None and bleed is not None:
        if not _contains(bleed, trim):
            P(Problem(number, "BleedBox", f"{_fmt_box(bleed)} does not contain the TrimBox "
                      f"{_fmt_box(trim)}"))
        elif _same(bleed, trim):
            P(Problem(number, "BleedBox", "equals the TrimBox: no bleed", WARNING))
    for name, box in (("BleedBox", bleed), ("TrimBox", trim)):
        if box is not None and not _contains(media, box):
            P(Problem(number, name, f"{_fmt_box(box)} extends beyond the MediaBox "
                      f"{_fmt_box(media)}"))


def _box(obj) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in obj)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _contains(outer, inner) -> bool:
    t = BOX_TOLERANCE
    return (outer[0] - t <= inner[0] and outer[1] - t <= inner[1]
            and inner[2] <= outer[2] + t and inner[3] <= outer[3] + t)


def _same(a, b) -> bool:
    return all(abs(x - y) <= BOX_TOLERANCE for x, y in zip(a, b))


def _fmt_box(b) -> str:
    return "[" + " ".join(f"{v:g}" for v in (round(x, 2) for x in b)) + "]"


def _version_tuple(v: str) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in v.split("."))
    except ValueError:
        return (0,)
