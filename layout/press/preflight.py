"""Preflight of our own: does a PDF meet what a newspaper plant's prepress checks?

`check_pdf(path)` returns a list of `Problem`s (page, object, message, severity). Errors are what a
plant rejects; warnings are worth a look but print (low-resolution images, black text that knocks
out, spot colours, ink over the limit). It reads the file with pikepdf and walks every page's
content streams (and the form XObjects, tiling patterns and Type 3 glyphs they use), tracking the
graphics state (q/Q, cm, gs, colour spaces and colours, overprint):

- PDF/X-4 markers, when the file claims PDF/X (or always with `pdfx=True`): header ≤ 1.6,
  GTS_PDFXVersion in Info and XMP, Trapped True/False in both, Title, CreationDate/ModDate, trailer
  ID, exactly one GTS_PDFX OutputIntent carrying an embedded CMYK output profile;
- TrimBox and BleedBox on every page, TrimBox ⊆ BleedBox ⊆ MediaBox (no bleed: a warning);
- every font embedded (FontFile/FontFile2/FontFile3; a Type0 font's descendant);
- no RGB colour: `rg`/`RG`, `sc`/`scn`/`cs` in DeviceRGB, CalRGB, ICCBased N=3 or an Indexed/Pattern
  space over one, RGB images (also inline), shadings; Lab is reported too (not CMYK);
- no transparency: soft masks (ExtGState SMask, image SMask, SMaskInData), CA/ca < 1, blend modes
  other than Normal/Compatible, transparency groups (page, form); transfer functions;
- images under `min_dpi` (200) at their placed size (warning); images are named by their source
  file where the writer recorded it in the XObject's name (layout/imagenames.py);
- black text: `0 0 0 1 k` text shown without fill overprint on and OPM 1 (warning); other CMYK
  text and fills overprinting (warning), white ones overprinting (error: they vanish);
- with `ink_limit`: CMYK fills/strokes and CMYK images over the total ink limit (warning).

It is not a validator of the whole of ISO 15930-7 (there is no veraPDF or Acrobat here): it checks
the points above, which are the ones our writer could get wrong.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from .imagenames import source_of_xobject

ERROR = "error"
WARNING = "warning"
MIN_DPI = 200.0
BOX_TOLERANCE = 0.01  # pt
PROCESS_COLORANTS = {"/Cyan", "/Magenta", "/Yellow", "/Black", "/All", "/None"}
MAX_DEPTH = 12  # form XObjects within form XObjects
# the operators the checks look at: parsing only these is twice as fast on text-heavy pages
OPERATORS = "q Q cm gs g G k K rg RG cs CS sc scn SC SCN Tj TJ ' \" f F f* B B* b b* Do sh BI ID EI"


@dataclass(frozen=True)
class Problem:
    page: int | None  # 1-based; None: the document
    object: str  # what: "font /F1 (Helvetica)", "image /Im0", "content stream", "OutputIntent", …
    message: str
    severity: str = ERROR  # ERROR or WARNING

    def __str__(self) -> str:
        where = f"page {self.page}" if self.page is not None else "document"
        return f"{self.severity}: {where}: {self.object}: {self.message}"


class PreflightError(Exception):
    """The file cannot be read as a PDF at all."""


def failures(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def exit_code(problems: Iterable[Problem]) -> int:
    """0 when nothing fails (warnings allowed), 1 when something does."""
    return 1 if failures(problems) else 0


def format_report(path: Path | str, problems: list[Problem]) -> str:
    """`path: error: page 2: font /F1 (Helvetica): not embedded` lines and a summary line."""
    lines = [f"{path}: {p}" for p in problems]
    n_err, n_warn = len(failures(problems)), len(problems) - len(failures(problems))
    verdict = "FAILED" if n_err else "passed"
    lines.append(f"{path}: preflight {verdict}: {n_err} error(s), {n_warn} warning(s)")
    return "\n".join(lines)


def check_pdf(path: Path | str, *, pdfx: bool | None = None, min_dpi: float = MIN_DPI,
              ink_limit: float | None = None) -> list[Problem]:
    """Problems of the PDF at `path`, document-level first, then by page.

    pdfx: None checks the PDF/X-4 markers when the file claims PDF/X (else one warning says it
    does not); True always; False never. ink_limit: total ink in % (e.g. 240) to check CMYK colours
    and images against; None skips it."""
    try:
        pdf = pikepdf.open(path)
    except OSError as e:  # the CLI puts the file name in front of the message
        raise PreflightError(f"cannot read the file: {e.strerror or e}") from None
    except (pikepdf.PdfError, ValueError) as e:
        raise PreflightError(f"cannot read as PDF: {e}") from None
    with pdf:
        return _Checker(pdf, pdfx=pdfx, min_dpi=min_dpi, ink_limit=ink_limit).run()


# --- the checker ---------------------------------------------------------------------------------

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention: the result maps p ↦ (p·m)·n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    fill_cs: str = "gray"  # kind: gray, cmyk, rgb, lab, spot, pattern, other
    stroke_cs: str = "gray"
    fill: tuple[float, ...] = (0.0,)
    stroke: tuple[float, ...] = (0.0,)
    fill_cs_obj: object = None  # the colour space object (for patterns' base spaces)
    stroke_cs_obj: object = None
    op: bool = False  # fill overprint
    OP: bool = False  # stroke overprint
    OPM: int = 0

    def copy(self) -> "_State":
        return _State(**self.__dict__)


class _Tally:
    """Problems found per operator are counted, not listed one by one."""

    def __init__(self) -> None:
        self.order: list[tuple] = []
        self.first: dict[tuple, tuple[str, str, str]] = {}
        self.count: dict[tuple, int] = {}

    def add(self, page: int | None, obj: str, code: str, message: str, severity: str) -> None:
        key = (page, obj, code)
        if key not in self.count:
            self.order.append(key)
            self.first[key] = (obj, message, severity)
            self.count[key] = 0
        self.count[key] += 1

    def problems(self) -> list[Problem]:
        out = []
        for key in self.order:
            obj, message, severity = self.first[key]
            n = self.count[key]
            if n > 1:
                message += f" ({n} times; the first shown)"
            out.append(Problem(key[0], obj, message, severity))
        return out


class _Checker:
    def __init__(self, pdf: pikepdf.Pdf, *, pdfx: bool | None, min_dpi: float,
                 ink_limit: float | None) -> None:
        self.pdf = pdf
        self.pdfx = pdfx
        self.min_dpi = min_dpi
        self.ink_limit = ink_limit
        self.doc: list[Problem] = []
        self.tally = _Tally()
        self.fonts_seen: set[tuple[int, int]] = set()
        self.images_inked: dict[tuple[int, int], float] = {}

    # -- document --------------------------------------------------------------------------------

    def run(self) -> list[Problem]:
        if self.pdf.is_encrypted:
            self.doc.append(Problem(None, "trailer", "the file is encrypted (PDF/X forbids it)"))
        claims = self._claims_pdfx()
        if self.pdfx or (self.pdfx is None and claims):
            self._check_pdfx()
        elif self.pdfx is None:
            self.doc.append(Problem(None, "PDF/X", "not a PDF/X file (no GTS_PDFXVersion, no "
                                    "GTS_PDFX OutputIntent): PDF/X checks skipped", WARNING))
        self._check_catalog_actions()
        for number, page in enumerate(self.pdf.pages, start=1):
            self._check_page(number, page)
        problems = self.doc + self.tally.problems()
        return sorted(problems, key=lambda p: p.page or 0)  # the document first, then by page

    def _claims_pdfx(self) -> bool:
        if "/GTS_PDFXVersion" in self.pdf.docinfo:
            return True
        for oi in self.pdf.Root.get("/OutputIntents", Array()):
            if isinstance(oi, Dictionary) and oi.get("/S") == Name.GTS_PDFX:
                return True
        return "GTS_PDFXVersion" in self._xmp_text()

    def _xmp_text(self) -> str:
        meta = self.pdf.Root.get("/Metadata")
        if not isinstance(meta, Stream):
            return ""
        try:
            return meta.read_bytes().decode("utf-8", "replace")
        except pikepdf.PdfError:
            return ""

    def _check_pdfx(self) -> None:
        P = self.doc.append
        version = str(self.pdf.pdf_version)
        if _version_tuple(version) > (1, 6):
            P(Problem(None, "header", f"PDF {version}: PDF/X-4 allows at most PDF 1.6"))
        info = self.pdf.docinfo
        info_ver = str(info.get("/GTS_PDFXVersion", ""))
        if not info_ver:
            P(Problem(None, "Info", "no GTS_PDFXVersion", WARNING))
        elif not info_ver.startswith("PDF/X-4"):
            P(Problem(None, "Info", f"GTS_PDFXVersion is {info_ver!r}: these checks are for "
                      "PDF/X-4", WARNING))
        trapped = info.get("/Trapped")
        if trapped not in (Name("/True"), Name("/False")):
            P(Problem(None, "Info", f"Trapped must be /True or /False, is {trapped}"))
        if not str(info.get("/Title", "")).strip():
            P(Problem(None, "Info", "no Title"))
        for key in ("/CreationDate", "/ModDate"):
            if key not in info:
                P(Problem(None, "Info", f"no {key[1:]}"))
        if "/ID" not in self.pdf.trailer:
            P(Problem(None, "trailer", "no document ID"))
        self._check_xmp(info_ver, trapped)
        self._check_output_intent()

    def _check_xmp(self, info_ver: str, trapped: object) -> None:
        P = self.doc.append
        if not isinstance(self.pdf.Root.get("/Metadata"), Stream):
            P(Problem(None, "XMP metadata", "missing (PDF/X-4 requires it)"))
            return
        try:
            meta = self.pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
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
        elif trapped in (Name("/True"), Name("/False")) and xmp_trapped != str(trapped)[1:]:
            P(Problem(None, "XMP metadata",
                      f"pdf:Trapped {xmp_trapped} differs from Info's {trapped}"))
        if not meta.get("dc:title"):
            P(Problem(None, "XMP metadata", "no dc:title"))
        for key in ("xmp:CreateDate", "xmp:ModifyDate"):
            if not meta.get(key):
                P(Problem(None, "XMP metadata", f"no {key}"))

    def _check_output_intent(self) -> None:
        P = self.doc.append
        intents = [oi for oi in self.pdf.Root.get("/OutputIntents", Array())
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

    def _check_catalog_actions(self) -> None:
        root = self.pdf.Root
        names = root.get("/Names")
        if "/OpenAction" in root or "/AA" in root or (
                isinstance(names, Dictionary) and "/JavaScript" in names):
            self.doc.append(Problem(None, "catalog", "actions or JavaScript (PDF/X forbids them)"))

    # -- pages ----------------------------------------------------------------------------------

    def _check_page(self, number: int, page: pikepdf.Page) -> None:
        self._check_boxes(number, page)
        group = page.obj.get("/Group")
        if isinstance(group, Dictionary) and group.get("/S") == Name.Transparency:
            self.tally.add(number, "page", "tgroup", "transparency group (no transparency allowed)",
                           ERROR)
        for annot in page.obj.get("/Annots", Array()):
            if isinstance(annot, Dictionary) and annot.get("/Subtype") not in (
                    Name.PrinterMark, Name.TrapNet, Name.Link):
                self.tally.add(number, f"annotation {annot.get('/Subtype')}", "annot",
                               "annotation on a PDF/X page (only printer's marks belong there)",
                               WARNING)
        resources = page.obj.get("/Resources", Dictionary())
        try:
            instructions = pikepdf.parse_content_stream(page, OPERATORS)
        except pikepdf.PdfError as e:
            self.tally.add(number, "content stream", "parse", f"cannot be parsed: {e}", ERROR)
            return
        self._run(number, "content stream", instructions, resources, _State(), depth=0, seen=())

    def _check_boxes(self, number: int, page: pikepdf.Page) -> None:
        P = self.doc.append
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

    # -- content streams -----------------------------------------------------------------------

    def _run(self, page: int, where: str, instructions, resources, state: _State, *, depth: int,
             seen: tuple) -> None:
        """Walk one content stream's instructions with a graphics state."""
        if not isinstance(resources, Dictionary):
            resources = Dictionary()
        self._check_fonts(page, resources)
        stack: list[_State] = []
        s = state
        inline = 0
        for ins in instructions:
            op = str(ins.operator)
            if op == "INLINE IMAGE":
                inline += 1
                self._inline_image(page, where, inline, ins.iimage, resources, s)
                continue
            args = list(ins.operands)
            if op == "q":
                stack.append(s.copy())
            elif op == "Q":
                if stack:
                    s = stack.pop()
            elif op == "cm" and len(args) == 6:
                s.ctm = _mul(tuple(float(a) for a in args), s.ctm)
            elif op == "gs" and args:
                self._ext_gstate(page, where, resources, args[0], s)
            elif op in ("g", "G", "k", "K", "rg", "RG"):
                self._device_colour(page, where, op, args, s)
            elif op in ("cs", "CS") and args:
                obj = _lookup_cs(args[0], resources)
                kind = self._cs_kind(page, where, obj, resources)
                if op == "cs":
                    s.fill_cs, s.fill_cs_obj, s.fill = kind, obj, ()
                else:
                    s.stroke_cs, s.stroke_cs_obj, s.stroke = kind, obj, ()
            elif op in ("sc", "scn", "SC", "SCN"):
                self._set_colour(page, where, op, args, resources, s, depth, seen)
            elif op in ("Tj", "TJ", "'", '"'):
                self._text_shown(page, where, s)
            elif op in ("f", "F", "f*", "B", "B*", "b", "b*"):
                self._filled(page, where, s)
            elif op == "Do" and args:
                self._do(page, where, args[0], resources, s, depth, seen)
            elif op == "sh" and args:
                shadings = resources.get("/Shading", Dictionary())
                sh = shadings.get(str(args[0])) if isinstance(shadings, Dictionary) else None
                if isinstance(sh, Dictionary):
                    self._cs_kind(page, f"shading {args[0]} in {where}", sh.get("/ColorSpace"),
                                  resources)

    def _device_colour(self, page: int, where: str, op: str, args: list,
                       s: _State) -> None:
        values = tuple(float(a) for a in args)
        kind = {"g": "gray", "G": "gray", "k": "cmyk", "K": "cmyk", "rg": "rgb", "RG": "rgb"}[op]
        fill = op.islower()
        if fill:
            s.fill_cs, s.fill, s.fill_cs_obj = kind, values, Name("/Device" + _DEVICE[kind])
        else:
            s.stroke_cs, s.stroke, s.stroke_cs_obj = kind, values, Name("/Device" + _DEVICE[kind])
        if kind == "rgb":
            what = "fill" if fill else "stroke"
            self.tally.add(page, where, f"rgb-{what}",
                           f"DeviceRGB {what} colour ({_nums(values)} {op})", ERROR)
        elif kind == "cmyk":
            self._ink(page, where, op, values)

    def _ink(self, page: int, where: str, op: str, values: tuple[float, ...]) -> None:
        if self.ink_limit is None or len(values) != 4:
            return
        total = sum(values) * 100.0
        if total > self.ink_limit + 0.5:
            self.tally.add(page, where, "ink-vector",
                           f"CMYK colour {_nums(values)} {op} has {total:.0f} % total ink, over "
                           f"the {self.ink_limit:.0f} % limit", WARNING)

    def _set_colour(self, page: int, where: str, op: str, args: list, resources,
                    s: _State, depth: int, seen: tuple) -> None:
        fill = op.islower()
        kind = s.fill_cs if fill else s.stroke_cs
        values = tuple(float(a) for a in args if isinstance(a, (int, float)) or _is_number(a))
        if fill:
            s.fill = values
        else:
            s.stroke = values
        what = "fill" if fill else "stroke"
        if kind == "rgb":
            self.tally.add(page, where, f"rgb-{what}",
                           f"RGB {what} colour ({_nums(values)} {op})", ERROR)
        elif kind == "cmyk":
            self._ink(page, where, op, values)
        elif kind == "pattern" and args and isinstance(args[-1], Name):
            patterns = resources.get("/Pattern", Dictionary())
            pat = patterns.get(str(args[-1])) if isinstance(patterns, Dictionary) else None
            if pat is not None:
                self._pattern(page, where, str(args[-1]), pat, s, depth, seen)

    def _text_shown(self, page: int, where: str, s: _State) -> None:
        if s.fill_cs != "cmyk" or len(s.fill) != 4:
            return
        c, m, y, k = s.fill
        if max(c, m, y) < 1e-4 and k > 1 - 1e-4:
            if not (s.op and s.OPM == 1):
                state = f"overprint {'on' if s.op else 'off'}, OPM {s.OPM}"
                self.tally.add(page, where, "knockout-text",
                               f"100 % K text knocks out ({state}; wants /op true /OPM 1)", WARNING)
        else:
            self._overprinting_colour(page, where, "text", s)

    def _filled(self, page: int, where: str, s: _State) -> None:
        if s.fill_cs == "cmyk" and len(s.fill) == 4 and s.fill != (0.0, 0.0, 0.0, 1.0):
            self._overprinting_colour(page, where, "fill", s)

    def _overprinting_colour(self, page: int, where: str, what: str, s: _State) -> None:
        """White set to overprint vanishes (error); other colours mix with what is under them
        (warning: only solid black should overprint)."""
        if not s.op:
            return
        colour = _nums(s.fill)
        if max(s.fill) < 1e-4:
            self.tally.add(page, where, f"white-op-{what}",
                           f"white {what} set to overprint: it disappears on press", ERROR)
        elif s.OPM == 1 or what == "text":
            self.tally.add(page, where, f"colour-op-{what}",
                           f"{what} in CMYK {colour} overprints (OPM {s.OPM}); only 100 % K should",
                           WARNING)

    # -- resources -----------------------------------------------------------------------------

    def _ext_gstate(self, page: int, where: str, resources, name, s: _State) -> None:
        states = resources.get("/ExtGState", Dictionary())
        gs = states.get(str(name)) if isinstance(states, Dictionary) else None
        if not isinstance(gs, Dictionary):
            self.tally.add(page, where, "gs-missing", f"ExtGState {name} not in the resources",
                           ERROR)
            return
        label = f"ExtGState {name}"
        smask = gs.get("/SMask")
        if smask is not None and smask != Name("/None"):
            self.tally.add(page, label, "smask", "soft mask (transparency)", ERROR)
        for key in ("/CA", "/ca"):
            v = gs.get(key)
            if v is not None and float(v) < 1.0:
                self.tally.add(page, label, f"alpha{key}", f"{key[1:]} {float(v):g} (transparency)",
                               ERROR)
        bm = gs.get("/BM")
        modes = list(bm) if isinstance(bm, Array) else [bm] if bm is not None else []
        if modes and modes[0] not in (Name.Normal, Name.Compatible):
            self.tally.add(page, label, "blend", f"blend mode {modes[0]} (transparency)", ERROR)
        if "/TR" in gs or ("/TR2" in gs and gs.get("/TR2") != Name.Default):
            self.tally.add(page, label, "transfer", "transfer function (PDF/X forbids them)", ERROR)
        if "/OP" in gs:
            s.OP = bool(gs.get("/OP"))
            if "/op" not in gs:
                s.op = s.OP
        if "/op" in gs:
            s.op = bool(gs.get("/op"))
        if "/OPM" in gs:
            s.OPM = int(gs.get("/OPM"))

    def _cs_kind(self, page: int, where: str, cs, resources) -> str:
        """Classify a colour space (reporting RGB, Lab and spot colours); returns its kind."""
        kind, label = _classify(cs, resources)
        if kind == "rgb":
            self.tally.add(page, where, "rgb-space", f"RGB colour space ({label})", ERROR)
        elif kind == "lab":
            self.tally.add(page, where, "lab-space", f"Lab colour space ({label}), not CMYK", ERROR)
        elif kind == "spot":
            self.tally.add(page, where, "spot", f"spot colour ({label}) on a CMYK press", WARNING)
        return kind

    def _check_fonts(self, page: int, resources: Dictionary) -> None:
        fonts = resources.get("/Font")
        if not isinstance(fonts, Dictionary):
            return
        for name, font in fonts.items():
            if not isinstance(font, Dictionary):
                continue
            key = font.objgen if font.is_indirect else (page, id(font))
            if key in self.fonts_seen:
                continue
            self.fonts_seen.add(key)
            label = f"font {name} ({str(font.get('/BaseFont', '?'))[1:] or '?'})"
            subtype = font.get("/Subtype")
            if subtype == Name.Type3:
                procs = font.get("/CharProcs", Dictionary())
                res = font.get("/Resources", resources)
                for glyph, proc in (procs.items() if isinstance(procs, Dictionary) else ()):
                    if isinstance(proc, Stream):
                        try:
                            ins = pikepdf.parse_content_stream(proc, OPERATORS)
                        except pikepdf.PdfError:
                            continue
                        self._run(page, f"glyph {glyph} of {label}", ins, res, _State(),
                                  depth=1, seen=())
                continue
            target = font
            if subtype == Name.Type0:
                desc = font.get("/DescendantFonts")
                target = desc[0] if isinstance(desc, Array) and len(desc) else None
            fd = target.get("/FontDescriptor") if isinstance(target, Dictionary) else None
            if not isinstance(fd, Dictionary) or not any(
                    k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                self.tally.add(page, label, "font", "not embedded", ERROR)

    def _do(self, page: int, where: str, name, resources, s: _State, depth: int,
            seen: tuple) -> None:
        xobjects = resources.get("/XObject", Dictionary())
        xo = xobjects.get(str(name)) if isinstance(xobjects, Dictionary) else None
        if not isinstance(xo, Stream):
            self.tally.add(page, where, "xo-missing", f"XObject {name} not in the resources", ERROR)
            return
        subtype = xo.get("/Subtype")
        if subtype == Name.Image:
            self._image(page, f"image {image_label(name)}", xo, resources, s)
        elif subtype == Name.Form:
            label = f"form {name}"
            group = xo.get("/Group")
            if isinstance(group, Dictionary) and group.get("/S") == Name.Transparency:
                self.tally.add(page, label, "tgroup",
                               "transparency group (no transparency allowed)", ERROR)
            key = xo.objgen
            if key in seen or depth >= MAX_DEPTH:
                return
            matrix = xo.get("/Matrix")
            inner = s.copy()
            if isinstance(matrix, Array) and len(matrix) == 6:
                inner.ctm = _mul(tuple(float(v) for v in matrix), s.ctm)
            try:
                ins = pikepdf.parse_content_stream(xo, OPERATORS)
            except pikepdf.PdfError as e:
                self.tally.add(page, label, "parse", f"cannot be parsed: {e}", ERROR)
                return
            self._run(page, label, ins, xo.get("/Resources", resources), inner, depth=depth + 1,
                      seen=(*seen, key))

    def _pattern(self, page: int, where: str, name: str, pat, s: _State, depth: int,
                 seen: tuple) -> None:
        label = f"pattern {name}"
        if not isinstance(pat, Dictionary):
            return
        if pat.get("/PatternType") == 2:
            sh = pat.get("/Shading")
            if isinstance(sh, Dictionary):
                self._cs_kind(page, label, sh.get("/ColorSpace"), Dictionary())
            return
        if isinstance(pat, Stream) and depth < MAX_DEPTH and pat.objgen not in seen:
            try:
                ins = pikepdf.parse_content_stream(pat, OPERATORS)
            except pikepdf.PdfError:
                return
            inner = _State()
            self._run(page, label, ins, pat.get("/Resources", Dictionary()), inner, depth=depth + 1,
                      seen=(*seen, pat.objgen))

    # -- images --------------------------------------------------------------------------------

    def _image(self, page: int, label: str, xo: Stream, resources, s: _State) -> None:
        w, h = int(xo.get("/Width", 0)), int(xo.get("/Height", 0))
        label = f"{label} ({w}×{h} px)"
        if xo.get("/ImageMask"):
            pass  # a stencil: painted in the fill colour, already checked
        else:
            kind = self._cs_kind(page, label, xo.get("/ColorSpace"), resources) \
                if "/ColorSpace" in xo else "other"
            if kind == "cmyk":
                self._image_ink(page, label, xo)
        smask = xo.get("/SMask")
        if smask is not None and smask != Name("/None"):
            self.tally.add(page, label, "smask", "soft mask (transparency)", ERROR)
        if int(xo.get("/SMaskInData", 0)) > 0:
            self.tally.add(page, label, "smask", "JPEG 2000 alpha (SMaskInData, transparency)",
                           ERROR)
        if "/OPI" in xo:
            self.tally.add(page, label, "opi", "OPI reference (PDF/X forbids them)", ERROR)
        self._resolution(page, label, w, h, s.ctm)

    def _inline_image(self, page: int, where: str, number: int, iimage, resources,
                      s: _State) -> None:
        d = iimage.obj
        w, h = int(d.get("/Width", 0)), int(d.get("/Height", 0))
        label = f"inline image #{number} in {where} ({w}×{h} px)"
        if not d.get("/ImageMask") and "/ColorSpace" in d:
            self._cs_kind(page, label, d.get("/ColorSpace"), resources)
        self._resolution(page, label, w, h, s.ctm)

    def _resolution(self, page: int, label: str, w: int, h: int, ctm: Matrix) -> None:
        a, b, c, d, _, _ = ctm
        w_pt, h_pt = math.hypot(a, b), math.hypot(c, d)
        if w_pt < 1e-6 or h_pt < 1e-6 or w <= 1 or h <= 1:
            return
        dpi = min(w * 72.0 / w_pt, h * 72.0 / h_pt)
        if dpi < self.min_dpi:
            self.tally.add(page, label, "dpi",
                           f"{dpi:.0f} dpi at its placed size {w_pt:.1f}×{h_pt:.1f} pt, under "
                           f"{self.min_dpi:.0f} dpi", WARNING)

    def _image_ink(self, page: int, label: str, xo: Stream) -> None:
        if self.ink_limit is None:
            return
        key = xo.objgen
        if key not in self.images_inked:
            self.images_inked[key] = _image_max_ink(xo)
        worst = self.images_inked[key]
        if worst is not None and worst > self.ink_limit + 2.0:
            self.tally.add(page, label, "ink-image", f"total ink up to {worst:.0f} %, over the "
                           f"{self.ink_limit:.0f} % limit", WARNING)


def image_label(name) -> str:
    """How a message names an image XObject: its source file when the writer recorded it in the
    name (layout/imagenames.py), else the name as the PDF has it."""
    source = source_of_xobject(str(name))
    return source if source is not None else str(name)


# --- colour spaces -------------------------------------------------------------------------------

_DEVICE = {"gray": "Gray", "cmyk": "CMYK", "rgb": "RGB"}
_ABBREV = {"/G": "/DeviceGray", "/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK", "/I": "/Indexed"}


def _lookup_cs(name, resources):
    """A colour space operand (name) → the colour space object (a Name or an Array)."""
    if isinstance(name, Name):
        n = _ABBREV.get(str(name), str(name))
        if n in ("/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/Pattern"):
            return Name(n)
        spaces = resources.get("/ColorSpace") if isinstance(resources, Dictionary) else None
        if isinstance(spaces, Dictionary) and n in spaces:
            return spaces[n]
    return name


def _classify(cs, resources, depth: int = 0) -> tuple[str, str]:
    """(kind, label) of a colour space: gray, cmyk, rgb, lab, spot, pattern or other."""
    cs = _lookup_cs(cs, resources)
    if depth > 4 or cs is None:
        return "other", "?"
    if isinstance(cs, Name):
        n = str(cs)
        return {"/DeviceGray": ("gray", n), "/DeviceCMYK": ("cmyk", n), "/DeviceRGB": ("rgb", n),
                "/Pattern": ("pattern", n), "/CalRGB": ("rgb", n), "/CalGray": ("gray", n),
                "/Lab": ("lab", n)}.get(n, ("other", n))
    if isinstance(cs, Array) and len(cs):
        family = str(cs[0])
        if family == "/ICCBased":
            stream = cs[1] if len(cs) > 1 else None
            n = int(stream.get("/N", 0)) if isinstance(stream, Stream) else 0
            return {1: "gray", 3: "rgb", 4: "cmyk"}.get(n, "other"), f"ICCBased, N={n}"
        if family in ("/CalRGB",):
            return "rgb", family
        if family == "/CalGray":
            return "gray", family
        if family == "/Lab":
            return "lab", family
        if family == "/Indexed" and len(cs) > 1:
            kind, label = _classify(cs[1], resources, depth + 1)
            return kind, f"Indexed over {label}"
        if family == "/Pattern":
            if len(cs) > 1:
                kind, label = _classify(cs[1], resources, depth + 1)
                return ("pattern" if kind not in ("rgb", "lab") else kind), f"Pattern over {label}"
            return "pattern", family
        if family in ("/Separation", "/DeviceN") and len(cs) > 2:
            names = [str(cs[1])] if family == "/Separation" else [str(x) for x in cs[1]]
            alt_kind, alt_label = _classify(cs[2], resources, depth + 1)
            if alt_kind in ("rgb", "lab") and not set(names) <= PROCESS_COLORANTS:
                return alt_kind, f"{family} {' '.join(names)} with alternate {alt_label}"
            if not set(names) <= PROCESS_COLORANTS:
                return "spot", f"{family} {' '.join(n[1:] for n in names)}"
            return "cmyk", f"{family} {' '.join(names)}"
        return "other", family
    return "other", str(cs)


# --- helpers -------------------------------------------------------------------------------------


def _image_max_ink(xo: Stream) -> float | None:
    """Highest C+M+Y+K (%) of an 8-bit DeviceCMYK image, as the PDF means it (Decode applied).

    qpdf decodes every filter, DCT included, to the stored samples (an Adobe CMYK JPEG's are
    inverted, which reportlab's /Decode [1 0 …] undoes)."""
    from PIL import Image

    from .ink import total_ink

    try:
        if int(xo.get("/BitsPerComponent", 8)) != 8:
            return None
        w, h = int(xo.Width), int(xo.Height)
        data = xo.read_bytes(pikepdf.StreamDecodeLevel.all)
        if len(data) < w * h * 4:
            return None
        im = Image.frombytes("CMYK", (w, h), data[:w * h * 4])
        decode = xo.get("/Decode")
        if isinstance(decode, Array) and len(decode) == 8 and float(decode[0]) == 1.0:
            im = Image.eval(im, lambda v: 255 - v)
        return total_ink(im).getextrema()[1] * 100.0 / 255.0
    except (pikepdf.PdfError, OSError, ValueError):
        return None


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


def _nums(values: Iterable[float]) -> str:
    return " ".join(f"{v:g}" for v in values)


def _is_number(a) -> bool:
    try:
        float(a)
        return not isinstance(a, (Name, Array, Dictionary))
    except (TypeError, ValueError):
        return False


def _version_tuple(v: str) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in v.split("."))
    except ValueError:
        return (0,)
