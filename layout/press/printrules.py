"""Preflight's rules for what a page paints, called by the content-stream interpreter
(contentwalk.py) with the graphics state in force: fonts embedded; no RGB or Lab colour (spot
colours are a warning); overprint (black text should, white must not, other colours warned);
no transparency (soft masks, alpha, blend modes, groups, transfer functions); images: colour
space, resolution at their placed size, total ink against the limit."""
from __future__ import annotations

import math
from typing import Iterable

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from .colourspaces import classify
from .contentwalk import GraphicsState, Matrix
from .findings import ERROR, WARNING, Tally
from .imagenames import source_of_xobject

IMAGE_INK_TOLERANCE = 2.0  # % over the limit accepted in a JPEG (its noise)


def image_label(name) -> str:
    """How a message names an image XObject: its source file when the writer recorded it in the
    name (layout/imagenames.py), else the name as the PDF has it."""
    source = source_of_xobject(str(name))
    return source if source is not None else str(name)


class PrintRules:
    """The checks, reporting into `tally`; `ink_limit` None skips the ink checks."""

    def __init__(self, tally: Tally, *, min_dpi: float, ink_limit: float | None) -> None:
        self.tally = tally
        self.min_dpi = min_dpi
        self.ink_limit = ink_limit
        self.images_inked: dict[tuple[int, int], float | None] = {}

    # -- pages, fonts, transparency ---------------------------------------------------------------

    def annotations(self, number: int, page: pikepdf.Page) -> None:
        for annot in page.obj.get("/Annots", Array()):
            if isinstance(annot, Dictionary) and annot.get("/Subtype") not in (
                    Name.PrinterMark, Name.TrapNet, Name.Link):
                self.tally.add(number, f"annotation {annot.get('/Subtype')}", "annot",
                               "annotation on a PDF/X page (only printer's marks belong there)",
                               WARNING)

    def group(self, page: int, label: str, group) -> None:
        """A page's or form's /Group: a transparency group is transparency."""
        if isinstance(group, Dictionary) and group.get("/S") == Name.Transparency:
            self.tally.add(page, label, "tgroup", "transparency group (no transparency allowed)",
                           ERROR)

    def font(self, page: int, label: str, font: Dictionary) -> None:
        target = font
        if font.get("/Subtype") == Name.Type0:
            desc = font.get("/DescendantFonts")
            target = desc[0] if isinstance(desc, Array) and len(desc) else None
        fd = target.get("/FontDescriptor") if isinstance(target, Dictionary) else None
        if not isinstance(fd, Dictionary) or not any(
                k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            self.tally.add(page, label, "font", "not embedded", ERROR)

    def ext_gstate(self, page: int, label: str, gs: Dictionary) -> None:
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

    # -- colour ---------------------------------------------------------------------------------

    def colour_space(self, page: int, where: str, cs, resources) -> str:
        """Classify a colour space (reporting RGB, Lab and spot colours); returns its kind."""
        kind, label = classify(cs, resources)
        if kind == "rgb":
            self.tally.add(page, where, "rgb-space", f"RGB colour space ({label})", ERROR)
        elif kind == "lab":
            self.tally.add(page, where, "lab-space", f"Lab colour space ({label}), not CMYK", ERROR)
        elif kind == "spot":
            self.tally.add(page, where, "spot", f"spot colour ({label}) on a CMYK press", WARNING)
        return kind

    def device_colour(self, page: int, where: str, op: str, kind: str,
                      values: tuple[float, ...]) -> None:
        """`g G k K rg RG`: a colour in a device space."""
        if kind == "rgb":
            what = "fill" if op.islower() else "stroke"
            self.tally.add(page, where, f"rgb-{what}",
                           f"DeviceRGB {what} colour ({_nums(values)} {op})", ERROR)
        elif kind == "cmyk":
            self._ink(page, where, op, values)

    def colour_set(self, page: int, where: str, op: str, kind: str,
                   values: tuple[float, ...]) -> None:
        """`sc scn SC SCN`: a colour in the current space (of `kind`)."""
        what = "fill" if op.islower() else "stroke"
        if kind == "rgb":
            self.tally.add(page, where, f"rgb-{what}",
                           f"RGB {what} colour ({_nums(values)} {op})", ERROR)
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

    # -- overprint ------------------------------------------------------------------------------

    def text_shown(self, page: int, where: str, s: GraphicsState) -> None:
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

    def filled(self, page: int, where: str, s: GraphicsState) -> None:
        if s.fill_cs == "cmyk" and len(s.fill) == 4 and s.fill != (0.0, 0.0, 0.0, 1.0):
            self._overprinting_colour(page, where, "fill", s)

    def stroked(self, page: int, where: str, s: GraphicsState) -> None:
        """Strokes are judged where their colour is set (the ink report notes them: inks.py)."""

    def _overprinting_colour(self, page: int, where: str, what: str, s: GraphicsState) -> None:
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

    # -- images ---------------------------------------------------------------------------------

    def image(self, page: int, name, xo: Stream, resources, s: GraphicsState) -> None:
        w, h = int(xo.get("/Width", 0)), int(xo.get("/Height", 0))
        label = f"image {image_label(name)} ({w}×{h} px)"
        if not xo.get("/ImageMask"):  # a stencil is painted in the fill colour, already checked
            kind = self.colour_space(page, label, xo.get("/ColorSpace"), resources) \
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

    def inline_image(self, page: int, where: str, number: int, iimage, resources,
                     s: GraphicsState) -> None:
        d = iimage.obj
        w, h = int(d.get("/Width", 0)), int(d.get("/Height", 0))
        label = f"inline image #{number} in {where} ({w}×{h} px)"
        if not d.get("/ImageMask") and "/ColorSpace" in d:
            self.colour_space(page, label, d.get("/ColorSpace"), resources)
        self._resolution(page, label, w, h, s.ctm)

    def _resolution(self, page: int, label: str, w: int, h: int, ctm: Matrix) -> None:
        a, b, c, d, _, _ = ctm
        w_pt, h_pt = math.hypot(a, b), math.hypot(c, d)
        if w_pt < 1e-6 or h_pt < 1e-6 or w <= 1 or h <= 1:
            return
        dpi = min(w * 72.0 / w_pt, h * 72.0 / h_pt)
        if dpi < self.min_dpi - 0.5:  # as shown, rounded: 199.9994 dpi is 200
            self.tally.add(page, label, "dpi",
                           f"{dpi:.0f} dpi at its placed size {w_pt:.1f}×{h_pt:.1f} pt, under "
                           f"{self.min_dpi:.0f} dpi", WARNING)

    def _image_ink(self, page: int, label: str, xo: Stream) -> None:
        if self.ink_limit is None:
            return
        key = xo.objgen
        if key not in self.images_inked:
            self.images_inked[key] = image_max_ink(xo)
        worst = self.images_inked[key]
        if worst is not None and worst > self.ink_limit + IMAGE_INK_TOLERANCE:
            self.tally.add(page, label, "ink-image", f"total ink up to {worst:.0f} %, over the "
                           f"{self.ink_limit:.0f} % limit", WARNING)


def image_max_ink(xo: Stream) -> float | None:
    """Highest C+M+Y+K (%) of an 8-bit DeviceCMYK image, as the PDF means it (Decode applied).

    qpdf decodes every filter, DCT included, to the stored samples (an Adobe CMYK JPEG's are
    inverted, which the writer's /Decode [1 0 …] undoes)."""
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


def _nums(values: Iterable[float]) -> str:
    return " ".join(f"{v:g}" for v in values)
