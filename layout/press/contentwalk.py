"""Preflight's content-stream interpreter: walks a page's content stream and what it reaches (form
XObjects, tiling patterns, Type 3 glyph procedures), tracking the graphics state (q/Q, cm, ExtGState
overprint, colour spaces and colours), and hands each painting operator to the rules
(printrules.py) with the state it paints in. Structural trouble (a stream that cannot be parsed, a
missing resource) it reports itself."""
from __future__ import annotations

from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from .colourspaces import lookup_cs
from .findings import ERROR, Tally

MAX_DEPTH = 12  # form XObjects within form XObjects
# the operators the checks look at: parsing only these is twice as fast on text-heavy pages
OPERATORS = "q Q cm gs g G k K rg RG cs CS sc scn SC SCN Tj TJ ' \" f F f* B B* b b* S s Do sh BI ID EI"
DEVICE = {"gray": "Gray", "cmyk": "CMYK", "rgb": "RGB"}
_DEVICE_OPERATORS = {"g": "gray", "G": "gray", "k": "cmyk", "K": "cmyk", "rg": "rgb", "RG": "rgb"}

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention: the result maps p ↦ (p·m)·n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


@dataclass
class GraphicsState:
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

    def copy(self) -> "GraphicsState":
        return GraphicsState(**self.__dict__)


def is_number(a) -> bool:
    try:
        float(a)
        return not isinstance(a, (Name, Array, Dictionary))
    except (TypeError, ValueError):
        return False


class ContentWalker:
    """Walks content streams for one document; `rules` (printrules.PrintRules) judges what is
    painted. Fonts are looked at once per document, as the first stream that uses them finds them."""

    def __init__(self, rules, tally: Tally) -> None:
        self.rules = rules
        self.tally = tally
        self.fonts_seen: set[tuple[int, int]] = set()

    def walk_page(self, number: int, page: pikepdf.Page) -> None:
        resources = page.obj.get("/Resources", Dictionary())
        try:
            instructions = pikepdf.parse_content_stream(page, OPERATORS)
        except pikepdf.PdfError as e:
            self.tally.add(number, "content stream", "parse", f"cannot be parsed: {e}", ERROR)
            return
        self.walk(number, "content stream", instructions, resources, GraphicsState(), depth=0,
                  seen=())

    def walk(self, page: int, where: str, instructions, resources, state: GraphicsState, *,
             depth: int, seen: tuple) -> None:
        """Walk one content stream's instructions with a graphics state."""
        if not isinstance(resources, Dictionary):
            resources = Dictionary()
        self._fonts(page, resources)
        stack: list[GraphicsState] = []
        s = state
        inline = 0
        for ins in instructions:
            op = str(ins.operator)
            if op == "INLINE IMAGE":
                inline += 1
                self.rules.inline_image(page, where, inline, ins.iimage, resources, s)
            elif op == "q":
                stack.append(s.copy())
            elif op == "Q":
                if stack:
                    s = stack.pop()
            else:
                self._operator(page, where, op, list(ins.operands), resources, s, depth, seen)

    def _operator(self, page: int, where: str, op: str, args: list, resources,
                  s: GraphicsState, depth: int, seen: tuple) -> None:
        if op == "cm" and len(args) == 6:
            s.ctm = mul(tuple(float(a) for a in args), s.ctm)
        elif op == "gs" and args:
            self._ext_gstate(page, where, resources, args[0], s)
        elif op in _DEVICE_OPERATORS:
            self._device_colour(page, where, op, args, s)
        elif op in ("cs", "CS") and args:
            obj = lookup_cs(args[0], resources)
            kind = self.rules.colour_space(page, where, obj, resources)
            if op == "cs":
                s.fill_cs, s.fill_cs_obj, s.fill = kind, obj, ()
            else:
                s.stroke_cs, s.stroke_cs_obj, s.stroke = kind, obj, ()
        elif op in ("sc", "scn", "SC", "SCN"):
            self._set_colour(page, where, op, args, resources, s, depth, seen)
        elif op in ("Tj", "TJ", "'", '"'):
            self.rules.text_shown(page, where, s)
        elif op in ("f", "F", "f*", "B", "B*", "b", "b*"):
            self.rules.filled(page, where, s)
            if op[0] in "Bb":
                self.rules.stroked(page, where, s)
        elif op in ("S", "s"):
            self.rules.stroked(page, where, s)
        elif op == "Do" and args:
            self._do(page, where, args[0], resources, s, depth, seen)
        elif op == "sh" and args:
            shadings = resources.get("/Shading", Dictionary())
            sh = shadings.get(str(args[0])) if isinstance(shadings, Dictionary) else None
            if isinstance(sh, Dictionary):
                self.rules.colour_space(page, f"shading {args[0]} in {where}",
                                        sh.get("/ColorSpace"), resources)

    def _device_colour(self, page: int, where: str, op: str, args: list,
                       s: GraphicsState) -> None:
        values = tuple(float(a) for a in args)
        kind = _DEVICE_OPERATORS[op]
        if op.islower():
            s.fill_cs, s.fill, s.fill_cs_obj = kind, values, Name("/Device" + DEVICE[kind])
        else:
            s.stroke_cs, s.stroke, s.stroke_cs_obj = kind, values, Name("/Device" + DEVICE[kind])
        self.rules.device_colour(page, where, op, kind, values)

    def _set_colour(self, page: int, where: str, op: str, args: list, resources,
                    s: GraphicsState, depth: int, seen: tuple) -> None:
        fill = op.islower()
        kind = s.fill_cs if fill else s.stroke_cs
        values = tuple(float(a) for a in args if isinstance(a, (int, float)) or is_number(a))
        if fill:
            s.fill = values
        else:
            s.stroke = values
        self.rules.colour_set(page, where, op, kind, values)
        if kind == "pattern" and args and isinstance(args[-1], Name):
            patterns = resources.get("/Pattern", Dictionary())
            pat = patterns.get(str(args[-1])) if isinstance(patterns, Dictionary) else None
            if pat is not None:
                self._pattern(page, str(args[-1]), pat, depth, seen)

    def _ext_gstate(self, page: int, where: str, resources, name, s: GraphicsState) -> None:
        states = resources.get("/ExtGState", Dictionary())
        gs = states.get(str(name)) if isinstance(states, Dictionary) else None
        if not isinstance(gs, Dictionary):
            self.tally.add(page, where, "gs-missing", f"ExtGState {name} not in the resources",
                           ERROR)
            return
        self.rules.ext_gstate(page, f"ExtGState {name}", gs)
        if "/OP" in gs:
            s.OP = bool(gs.get("/OP"))
            if "/op" not in gs:
                s.op = s.OP
        if "/op" in gs:
            s.op = bool(gs.get("/op"))
        if "/OPM" in gs:
            s.OPM = int(gs.get("/OPM"))

    def _fonts(self, page: int, resources: Dictionary) -> None:
        """Each font once: Type 3 glyph procedures are walked, other fonts judged by the rules."""
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
            if font.get("/Subtype") == Name.Type3:
                self._type3_glyphs(page, label, font, resources)
            else:
                self.rules.font(page, label, font)

    def _type3_glyphs(self, page: int, label: str, font: Dictionary, resources) -> None:
        procs = font.get("/CharProcs", Dictionary())
        res = font.get("/Resources", resources)
        for glyph, proc in (procs.items() if isinstance(procs, Dictionary) else ()):
            if isinstance(proc, Stream):
                try:
                    ins = pikepdf.parse_content_stream(proc, OPERATORS)
                except pikepdf.PdfError:
                    continue
                self.walk(page, f"glyph {glyph} of {label}", ins, res, GraphicsState(), depth=1,
                          seen=())

    def _do(self, page: int, where: str, name, resources, s: GraphicsState, depth: int,
            seen: tuple) -> None:
        xobjects = resources.get("/XObject", Dictionary())
        xo = xobjects.get(str(name)) if isinstance(xobjects, Dictionary) else None
        if not isinstance(xo, Stream):
            self.tally.add(page, where, "xo-missing", f"XObject {name} not in the resources", ERROR)
            return
        subtype = xo.get("/Subtype")
        if subtype == Name.Image:
            self.rules.image(page, name, xo, resources, s)
        elif subtype == Name.Form:
            self._form(page, f"form {name}", xo, resources, s, depth, seen)

    def _form(self, page: int, label: str, xo: Stream, resources, s: GraphicsState, depth: int,
              seen: tuple) -> None:
        self.rules.group(page, label, xo.get("/Group"))
        key = xo.objgen
        if key in seen or depth >= MAX_DEPTH:
            return
        matrix = xo.get("/Matrix")
        inner = s.copy()
        if isinstance(matrix, Array) and len(matrix) == 6:
            inner.ctm = mul(tuple(float(v) for v in matrix), s.ctm)
        try:
            ins = pikepdf.parse_content_stream(xo, OPERATORS)
        except pikepdf.PdfError as e:
            self.tally.add(page, label, "parse", f"cannot be parsed: {e}", ERROR)
            return
        self.walk(page, label, ins, xo.get("/Resources", resources), inner, depth=depth + 1,
                  seen=(*seen, key))

    def _pattern(self, page: int, name: str, pat, depth: int, seen: tuple) -> None:
        label = f"pattern {name}"
        if not isinstance(pat, Dictionary):
            return
        if pat.get("/PatternType") == 2:
            sh = pat.get("/Shading")
            if isinstance(sh, Dictionary):
                self.rules.colour_space(page, label, sh.get("/ColorSpace"), Dictionary())
            return
        if isinstance(pat, Stream) and depth < MAX_DEPTH and pat.objgen not in seen:
            try:
                ins = pikepdf.parse_content_stream(pat, OPERATORS)
            except pikepdf.PdfError:
                return
            self.walk(page, label, ins, pat.get("/Resources", Dictionary()), GraphicsState(),
                      depth=depth + 1, seen=(*seen, pat.objgen))
