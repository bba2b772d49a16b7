"""A small PDF writer: just what Broadsheet's pages need, written straight to bytes.

- `Document`: numbered indirect objects, Flate streams, the shared /Font dictionary, image
  XObjects (one per name), the info dictionary, xref and trailer. The trailer /ID is a hash of the
  document's bytes, and nothing depends on the time or the machine: same input, same bytes.
- `Page`: a content stream built from a few operators (rules, fills, clip rectangles, circles,
  images; text is appended by textdraw.py) that tracks the graphics state it sets, so that colour,
  line width and overprint are written only when they change, and q/Q restore what it tracks.
- Overprint is set through ExtGStates that always carry both /OP (stroke) and /op (fill): an
  ExtGState with /OP alone sets /op as well. OPM 1 is set once at the top of each page.
- Images: a JPEG passes through as DCTDecode (its colour space from the frame header; an Adobe
  APP14 CMYK JPEG, stored inverted, gets /Decode [1 0 1 0 1 0 1 0]); anything else is decoded by
  Pillow to 8-bit samples and Flate-compressed, alpha dropped as the pages drew it before.
"""
from __future__ import annotations

import hashlib
import math
import struct
import zlib
from pathlib import Path
from typing import Mapping, NamedTuple, Sequence

# Plain classes, not dataclasses: the writer is imported on every render, and each dataclass
# costs about a millisecond to create.

FLATE_LEVEL = 6  # zlib's default: the sizes the PDFs had before
PDF_VERSION = "1.3"  # Type0/CIDFontType0C fonts and overprint need nothing newer
OPENTYPE_VERSION = "1.6"  # a FontFile3 /OpenType program needs PDF 1.6
INVARIANT_DATE = "D:20000101000000+00'00'"  # no clock in the file (pdfx.py reads it back)
KAPPA = 0.5522847498  # Bézier handle length of a quarter circle, × radius


class Ref(NamedTuple):
    """An indirect reference: `n 0 R`."""

    num: int


class Name(str):
    """A PDF name (written with its leading slash)."""


class Stream:
    """A stream object: its dictionary (without /Length) and its bytes as stored."""

    __slots__ = ("extra", "data")

    def __init__(self, extra: Mapping[str, object], data: bytes) -> None:
        self.extra, self.data = extra, data


# -- serialisation --------------------------------------------------------------------------------

_NAME_PLAIN = frozenset(b"!\"$&'*+,-.0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ\\^_`"
                        b"abcdefghijklmnopqrstuvwxyz|~")


def num(v: float, places: int = 4) -> str:
    """A number, short: at most `places` decimals, no trailing zeros."""
    if isinstance(v, int):
        return str(v)
    text = f"{v:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def name(text: str) -> str:
    """`/text` with every byte outside PDF's regular characters written #XX."""
    return "/" + "".join(chr(b) if b in _NAME_PLAIN else f"#{b:02X}" for b in text.encode())


def string(text: str) -> str:
    """A text string: a literal for printable ASCII, else UTF-16BE with BOM in hex."""
    if all(" " <= ch <= "~" for ch in text):
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<feff" + text.encode("utf-16-be").hex() + ">"


def serialise(obj: object) -> str:
    """The PDF syntax of a Python value: dict, list/tuple, Name, str (text string), bytes (hex
    string), bool, int, float, None, Ref."""
    if isinstance(obj, Name):
        return name(obj)
    if isinstance(obj, Ref):
        return f"{obj.num} 0 R"
    if isinstance(obj, bool):
        return "true" if obj else "false"
    if isinstance(obj, (int, float)):
        return num(obj)
    if isinstance(obj, str):
        return string(obj)
    if isinstance(obj, bytes):
        return "<" + obj.hex() + ">"
    if isinstance(obj, dict):
        return "<<" + " ".join(f"{name(k)} {serialise(v)}" for k, v in obj.items()) + ">>"
    if isinstance(obj, (list, tuple)):
        return "[" + " ".join(serialise(v) for v in obj) + "]"
    if obj is None:
        return "null"
    raise TypeError(f"no PDF form for {type(obj).__name__}")


def _object_bytes(n: int, obj: object) -> bytes:
    if isinstance(obj, Stream):
        head = serialise({**obj.extra, "Length": len(obj.data)})
        return b"".join((f"{n} 0 obj\n{head}\nstream\n".encode("latin-1"), obj.data,
                         b"\nendstream\nendobj\n"))
    return f"{n} 0 obj\n{serialise(obj)}\nendobj\n".encode("latin-1")


# -- images ---------------------------------------------------------------------------------------

class JpegInfo(NamedTuple):
    width: int
    height: int
    components: int
    bits: int
    adobe: bool  # an APP14 "Adobe" marker: CMYK samples are stored inverted


_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # frame headers (not DHT, JPG, DAC)
_NO_LENGTH = frozenset(range(0xD0, 0xD9)) | {0x01}  # RSTn, SOI, EOI, TEM


def jpeg_info(data: bytes) -> JpegInfo | None:
    """Size, components and the Adobe marker of a JPEG, from its markers; None if not a JPEG."""
    if data[:2] != b"\xff\xd8":
        return None
    pos, adobe = 2, False
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in _NO_LENGTH:
            pos += 2
            continue
        length = struct.unpack_from(">H", data, pos + 2)[0]
        if marker == 0xEE and data[pos + 4:pos + 9] == b"Adobe":
            adobe = True
        if marker in _SOF and pos + 10 <= len(data):
            bits, height, width, comps = struct.unpack_from(">BHHB", data, pos + 4)
            return JpegInfo(width, height, comps, bits, adobe)
        pos += 2 + length
    return None


_JPEG_SPACES = {1: "DeviceGray", 3: "DeviceRGB", 4: "DeviceCMYK"}


def jpeg_xobject(data: bytes, info: JpegInfo) -> Stream:
    """A JPEG as it is: DCTDecode, its colour space, Adobe CMYK undone by /Decode."""
    extra: dict[str, object] = {
        "Type": Name("XObject"), "Subtype": Name("Image"), "Width": info.width,
        "Height": info.height, "BitsPerComponent": info.bits,
        "ColorSpace": Name(_JPEG_SPACES.get(info.components, "DeviceCMYK")),
        "Filter": Name("DCTDecode")}
    if info.components == 4 and info.adobe:
        extra["Decode"] = [1, 0, 1, 0, 1, 0, 1, 0]
    return Stream(extra, data)


_RAW_SPACES = {"L": "DeviceGray", "RGB": "DeviceRGB", "CMYK": "DeviceCMYK"}


def raw_xobject(file: Path) -> Stream:
    """Any other image: Pillow's 8-bit samples, Flate. Alpha is dropped (the colour channels
    drawn as they are), palettes and other modes become RGB."""
    from PIL import Image  # only for pictures that are not JPEGs: keeps PIL off the usual path

    with Image.open(file) as im:
        im.load()
        if im.mode in ("LA", "RGBA"):
            im = im.convert(im.mode[:-1])
        elif im.mode not in _RAW_SPACES:
            im = im.convert("RGB")
        extra = {"Type": Name("XObject"), "Subtype": Name("Image"), "Width": im.width,
                 "Height": im.height, "BitsPerComponent": 8,
                 "ColorSpace": Name(_RAW_SPACES[im.mode]), "Filter": Name("FlateDecode")}
        return Stream(extra, zlib.compress(im.tobytes(), FLATE_LEVEL))


def image_xobject(file: Path) -> Stream:
    data = file.read_bytes()
    info = jpeg_info(data)
    return jpeg_xobject(data, info) if info else raw_xobject(file)


# -- pages ----------------------------------------------------------------------------------------

OPM_STATE = "OPM1"


def overprint_state(stroke: bool, fill: bool) -> str:
    return f"OP{int(stroke)}{int(fill)}"


EXT_G_STATES: dict[str, dict] = {OPM_STATE: {"Type": Name("ExtGState"), "OPM": 1}, **{
    overprint_state(s, f): {"Type": Name("ExtGState"), "OP": s, "op": f}
    for s in (False, True) for f in (False, True)}}


class _State:
    """What the page's graphics state holds, as far as the page set it."""

    __slots__ = ("stroke", "fill", "width", "OP", "op")

    def __init__(self, stroke: tuple | None = None, fill: tuple | None = None,
                 width: float | None = None, OP: bool = False, op: bool = False) -> None:
        self.stroke, self.fill, self.width, self.OP, self.op = stroke, fill, width, OP, op

    def copy(self) -> _State:
        return _State(self.stroke, self.fill, self.width, self.OP, self.op)


Box = tuple[float, float, float, float]


class Page:
    """One page: its boxes, content operators and the resources they name."""

    def __init__(self, *, media: Box, bleed: Box, trim: Box) -> None:
        self.media, self.bleed, self.trim = media, bleed, trim
        self.ops: list[str] = []
        self.xobjects: dict[str, Ref] = {}
        self.states: dict[str, None] = {}  # ExtGState names used, in order
        self.separations: dict[str, tuple[str, tuple]] = {}  # resource → (ink, CMYK alternate)
        self.forms: dict[str, None] = {}  # the XObjects that are forms (ads), not images
        self._dash: tuple[float, ...] = ()
        self._saved_dash: list[tuple[float, ...]] = []
        self._state = _State()
        self._saved: list[_State] = []

    def save(self) -> None:
        self.ops.append("q")
        self._saved.append(self._state.copy())
        self._saved_dash.append(self._dash)

    def restore(self) -> None:
        self.ops.append("Q")
        self._state = self._saved.pop()
        self._dash = self._saved_dash.pop()

    def gs(self, state: str) -> None:
        self.states[state] = None
        self.ops.append(f"/{state} gs")

    def overprint(self, *, stroke: bool | None = None, fill: bool | None = None) -> None:
        """Set stroke and/or fill overprint; writes a gs only when either changes."""
        s = self._state
        new = (s.OP if stroke is None else stroke, s.op if fill is None else fill)
        if new != (s.OP, s.op):
            s.OP, s.op = new
            self.gs(overprint_state(*new))

    def stroke_cmyk(self, cmyk) -> None:
        """Set the stroke colour: CMYK (0–1 each), or a spot ink (an object with `name`,
        `alternate` and `tint`: a Separation colour space)."""
        key = _colour_key(cmyk)
        if key != self._state.stroke:
            self._state.stroke = key
            self.ops.append(self._colour_op(cmyk, "CS", "SCN", "K"))

    def fill_cmyk(self, cmyk) -> None:
        key = _colour_key(cmyk)
        if key != self._state.fill:
            self._state.fill = key
            self.ops.append(self._colour_op(cmyk, "cs", "scn", "k"))

    def _colour_op(self, colour, space_op: str, set_op: str, cmyk_op: str) -> str:
        if not hasattr(colour, "alternate"):
            return " ".join(num(v) for v in colour) + " " + cmyk_op
        resource = separation_name(colour.name)
        self.separations[resource] = (colour.name, tuple(colour.alternate))
        return f"{name(resource)} {space_op} {num(colour.tint)} {set_op}"

    def dash(self, pattern: Sequence[float]) -> None:
        if tuple(pattern) != self._dash:
            self._dash = tuple(pattern)
            self.ops.append("[" + " ".join(num(v) for v in pattern) + "] 0 d")

    def form(self, name_: str, ref: Ref, tx: float, ty: float) -> None:
        """Draw the form XObject `ref` (resource `name_`) moved by (tx, ty), at its own size."""
        self.xobjects[name_] = ref
        self.forms[name_] = None
        self.ops.append(f"q 1 0 0 1 {num(tx)} {num(ty)} cm {name(name_)} Do Q")

    def line_width(self, w: float) -> None:
        if w != self._state.width:
            self._state.width = w
            self.ops.append(f"{num(w)} w")

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.ops.append(f"{num(x1)} {num(y1)} m {num(x2)} {num(y2)} l S")

    def wave(self, x1: float, y1: float, x2: float, y2: float, amplitude: float,
             period: float) -> None:
        """A wavy line along a level or upright segment (书名号): half-waves as Bézier arcs, as
        many whole half-periods as fit, stretched to end exactly at (x2, y2)."""
        length = math.hypot(x2 - x1, y2 - y1)
        n = max(1, round(2 * length / period)) if period > 0 else 1
        ux, uy = ((x2 - x1) / length, (y2 - y1) / length) if length else (1.0, 0.0)
        nx, ny = -uy, ux  # the normal: crests alternate either side of the axis
        step, k = length / n, 4 / 3 * amplitude  # control points 4/3 out reach the amplitude
        parts = [f"{num(x1)} {num(y1)} m"]
        for i in range(n):
            side = k if i % 2 == 0 else -k
            a, b = i * step, (i + 1) * step
            pts = (a + step / 3, side), (a + 2 * step / 3, side), (b, 0.0)
            parts.append(" ".join(f"{num(x1 + ux * t + nx * o)} {num(y1 + uy * t + ny * o)}"
                                  for t, o in pts) + " c")
        self.ops.append(" ".join(parts) + " S")

    def fill_rect(self, x: float, y: float, w: float, h: float) -> None:
        self.ops.append(f"{num(x)} {num(y)} {num(w)} {num(h)} re f")

    def clip_rect(self, x: float, y: float, w: float, h: float) -> None:
        self.ops.append(f"{num(x)} {num(y)} {num(w)} {num(h)} re W n")

    def circle(self, cx: float, cy: float, r: float, paint: str = "S") -> None:
        """A circle, stroked (`paint` "S") or filled ("f"): four Bézier quarters, counter-clockwise
        from the right."""
        k = KAPPA * r
        pts = [(cx + r, cy), (cx + r, cy + k, cx + k, cy + r, cx, cy + r),
               (cx - k, cy + r, cx - r, cy + k, cx - r, cy),
               (cx - r, cy - k, cx - k, cy - r, cx, cy - r),
               (cx + k, cy - r, cx + r, cy - k, cx + r, cy)]
        parts = [f"{num(pts[0][0])} {num(pts[0][1])} m"]
        parts += [" ".join(num(v) for v in seg) + " c" for seg in pts[1:]]
        self.ops.append(" ".join(parts) + (" h S" if paint == "S" else f" {paint}"))

    def image(self, name_: str, ref: Ref, x: float, y: float, w: float, h: float) -> None:
        """Draw the image XObject `ref` (resource `name_`) into the rectangle."""
        self.xobjects[name_] = ref
        self.ops.append(f"q {num(w)} 0 0 {num(h)} {num(x)} {num(y)} cm {name(name_)} Do Q")


def _colour_key(colour) -> tuple:
    """What the state remembers of a colour: a spot ink never equals a process colour."""
    if hasattr(colour, "alternate"):
        return ("spot", colour.name, tuple(colour.alternate), colour.tint)
    return tuple(colour)


def separation_name(ink: str) -> str:
    """The resource name of a spot ink's colour space: stable across documents and renders."""
    return "CS" + hashlib.sha256(ink.encode()).hexdigest()[:8]


def separation(ink: str, alternate: Sequence[float]) -> list:
    """`[/Separation /ink /DeviceCMYK f]`: 0–1 tints of the ink, proofed as tints of `alternate`."""
    function = {"FunctionType": 2, "Domain": [0, 1], "C0": [0, 0, 0, 0],
                "C1": [float(v) for v in alternate], "N": 1}
    return [Name("Separation"), Name(ink), Name("DeviceCMYK"), function]


# -- the document ---------------------------------------------------------------------------------

class Document:
    """A PDF being written: objects are serialised as they are added."""

    def __init__(self, *, compress: bool = True) -> None:
        self.compress = compress
        self.version = PDF_VERSION
        self._objects: list[bytes | None] = []
        self._pages: list[Ref] = []
        self._images: dict[str, Ref] = {}
        self._separations: dict[tuple, Ref] = {}
        self.forms: dict[tuple, tuple] = {}  # (file, page) → its form XObject and BBox (formxobject.py)
        self.image_file: dict[str, Path] = {}  # name → the file its XObject was made from
        self.fonts: dict[str, Ref] = {}  # resource name → font; one dictionary for every page
        self._catalog, self._page_tree, self._font_dict = (self.reserve() for _ in range(3))

    def reserve(self) -> Ref:
        self._objects.append(None)
        return Ref(len(self._objects))

    def set(self, ref: Ref, obj: object) -> Ref:
        self._objects[ref.num - 1] = _object_bytes(ref.num, obj)
        return ref

    def add(self, obj: object) -> Ref:
        return self.set(self.reserve(), obj)

    def stream(self, data: bytes, extra: Mapping[str, object] | None = None) -> Ref:
        """A stream, Flate-compressed when the document compresses."""
        extra = dict(extra or {})
        if self.compress:
            data = zlib.compress(data, FLATE_LEVEL)
            extra["Filter"] = Name("FlateDecode")
        return self.add(Stream(extra, data))

    def image(self, name_: str, file: Path) -> Ref:
        """The image XObject for `file` registered as `name_`: made once per name."""
        if name_ not in self._images:
            self._images[name_] = self.add(image_xobject(file))
            self.image_file[name_] = file
        return self._images[name_]

    def separation(self, ink: str, alternate: tuple) -> Ref:
        """The Separation colour space of a spot ink: one object per ink and alternate."""
        key = (ink, alternate)
        if key not in self._separations:
            self._separations[key] = self.add(separation(ink, alternate))
        return self._separations[key]

    def stored(self, data: bytes) -> bytes:
        """`data` as this document stores a stream (Flate-compressed when it compresses)."""
        return zlib.compress(data, FLATE_LEVEL) if self.compress else data

    def add_stored(self, stored: bytes, extra: Mapping[str, object] | None = None) -> Ref:
        """A stream whose data is already `stored` (made by `stored`, maybe for an earlier
        document of this process)."""
        extra = dict(extra or {})
        if self.compress:
            extra["Filter"] = Name("FlateDecode")
        return self.add(Stream(extra, stored))

    def page_content(self, page: Page) -> bytes:
        """The page's content stream as it is stored."""
        return self.stored("\n".join(page.ops).encode("latin-1"))

    def add_page(self, page: Page, content: bytes | None = None) -> Ref:
        """Add the page; `content` is its stored content stream when already made
        (`page_content`, of this page or of an identical one drawn before)."""
        content = self.add_stored(self.page_content(page) if content is None else content)
        resources: dict[str, object] = {"Font": self._font_dict,
                                        "ProcSet": [Name(n) for n in ("PDF", "Text", "ImageB",
                                                                      "ImageC", "ImageI")]}
        if page.states:
            resources["ExtGState"] = {s: EXT_G_STATES[s] for s in page.states}
        if page.xobjects:
            resources["XObject"] = dict(page.xobjects)
        if page.separations:
            resources["ColorSpace"] = {r: self.separation(*ink) for r, ink in page.separations.items()}
        ref = self.add({"Type": Name("Page"), "Parent": self._page_tree,
                        "MediaBox": list(page.media), "BleedBox": list(page.bleed),
                        "TrimBox": list(page.trim), "Resources": resources,
                        "Contents": content})
        self._pages.append(ref)
        return ref

    def finish(self, info: Mapping[str, str]) -> bytes:
        """The whole file: the objects, info (plus fixed dates and /Trapped), xref, trailer."""
        self.set(self._font_dict, dict(self.fonts))
        self.set(self._page_tree, {"Type": Name("Pages"), "Kids": self._pages,
                                   "Count": len(self._pages)})
        self.set(self._catalog, {"Type": Name("Catalog"), "Pages": self._page_tree})
        info_ref = self.add({**info, "CreationDate": INVARIANT_DATE, "ModDate": INVARIANT_DATE,
                             "Trapped": Name("False")})
        return self._file(info_ref)

    def _file(self, info_ref: Ref) -> bytes:
        head = f"%PDF-{self.version}\n%\xe2\xe3\xcf\xd3\n".encode("latin-1")
        out, offsets, pos = [head], [], len(head)
        for obj in self._objects:
            if obj is None:
                raise ValueError("an object was reserved but never written")
            offsets.append(pos)
            out.append(obj)
            pos += len(obj)
        digest = hashlib.md5(b"".join(out)).digest()
        xref = [f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f\r\n"]
        xref += [f"{o:010d} 00000 n\r\n" for o in offsets]
        trailer = serialise({"Size": len(offsets) + 1, "Root": self._catalog, "Info": info_ref,
                             "ID": [digest, digest]})
        out.append(("".join(xref) + f"trailer\n{trailer}\nstartxref\n{pos}\n%%EOF\n")
                   .encode("latin-1"))
        return b"".join(out)
