"""Make the binary inputs of issue_specs/xuchang-2022-06-17-ads.yaml (never committed): the ads its
ad list (xuchang-2022-06-17-ads.csv) books and its masthead logo, in issue_specs/assets/.

- `ad-xudu.pdf`: a PDF ad set by Broadsheet itself from a small ad spec (vector text in embedded,
  subset CJK fonts, a boxed tint in CMYK), exactly the size of the module its row books;
- `ad-bank.png`: an RGB PNG ad drawn with Pillow at 300 ppi (recorded in pHYs), the size of its module;
- `logo.pdf`: the 报头 as outlines (the glyphs of LXGW WenKai drawn as paths, no font), in red;
- `logo.svg`: the same outlines as an SVG, as 报头 artwork is usually delivered (the edition's).

The ads' sizes are computed from the edition's grid and the CSV's rows, so that they always fit
what the list books. Run it once after a checkout (the tests run it for themselves, through
tests/conftest.py): `.venv/bin/python scripts/make_edition_assets.py [--force]`. Files that exist
and are newer than this script and the CSV are kept.
"""
from __future__ import annotations

import csv
import math
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "issue_specs"
EDITION = SPECS / "xuchang-2022-06-17-ads.yaml"
AD_LIST = SPECS / "xuchang-2022-06-17-ads.csv"
ASSETS = SPECS / "assets"
LOGO = "logo.pdf"
LOGO_SVG = "logo.svg"
PPI = 200  # enough for a flat-colour ad on newsprint, and a third of 300 ppi's pixels

# The PDF ad, a spec of its own: {width}/{height} are the module's size in pt.
AD_SPEC = """\
spec_version: 1
paper: {{name: 许都电器城}}
issue: {{date: 2022-06-17}}
format:
  trim: {{width: {width:.3f}pt, height: {height:.3f}pt}}
  margins: {{top: 0pt, bottom: 0pt, inside: 0pt, outside: 0pt}}
  columns: 1
  gutter: 1em
fonts: {{song: Noto Serif CJK SC, hei: Noto Sans CJK SC Bold, kai: LXGW WenKai}}
colours:
  ad_red: {{cmyk: [0, 100, 100, 0]}}
styles:
  body: {{font: hei, size: 14pt, leading: 20pt}}
  kicker: {{font: kai, size: 16pt}}
  headline: {{font: hei, size: 40pt, colour: ad_red}}
  subtitle: {{font: kai, size: 16pt}}
pages:
  - number: 1
    modules:
      - {{article: sale, col: 1, line: 1, cols: 1, lines: {lines}, box: {{rule: 3pt, colour: ad_red, tint: 6%, padding: 10pt}}}}
articles:
  sale:
    kicker: 许都电器城　夏季焕新节
    headline: 以旧换新　最高补贴两千元
    subtitle: 6月17日至6月30日　空调、冰箱、洗衣机全场让利
    body: |
      凡在活动期间购买指定家电，凭旧机可享以旧换新补贴；满三千元送货上门并免费安装，节能家电另享政府补贴。

      地址：许昌市魏都区七一路88号　服务热线：0374-1234567
"""


def grid() -> tuple[float, float, float]:
    """(column width, gutter, leading) in pt of the edition's grid, read from its spec."""
    import yaml

    from layout.util.units import parse_length

    spec = yaml.safe_load(EDITION.read_text(encoding="utf-8"))
    fmt, body = spec["format"], spec["styles"]["body"]
    em = parse_length(body["size"])
    m = fmt["margins"]
    width = (parse_length(fmt["trim"]["width"]) - parse_length(m["inside"], em)
             - parse_length(m["outside"], em))
    gutter = parse_length(fmt["gutter"], em)
    return (width - (fmt["columns"] - 1) * gutter) / fmt["columns"], gutter, parse_length(body["leading"], em)


def booked() -> dict[str, tuple[float, float]]:
    """The file of each row of the ad list → the (width, height) in pt of the module it books."""
    column, gutter, leading = grid()
    with open(AD_LIST, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {row["file"]: (int(row["cols"]) * column + (int(row["cols"]) - 1) * gutter,
                          int(row["lines"]) * leading) for row in rows if row.get("file")}


def pdf_ad(path: Path, width: float, height: float) -> None:
    """The ad set by Broadsheet: its trim is the module, its text vector in embedded fonts."""
    from layout.desk.render import render_spec

    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "ad.yaml"
        spec.write_text(AD_SPEC.format(width=width, height=height, lines=int(height // 20)),
                        encoding="utf-8")
        out = Path(tmp) / "ad.pdf"
        render_spec(spec, out)
        shutil.move(out, path)


def _face(name: str) -> tuple[str, int]:
    from layout.fonts.book import FontBook

    source, index = FontBook().finder.find(name)  # the installed file Broadsheet would use
    return str(source), index


def png_ad(path: Path, width: float, height: float) -> None:
    """An RGB bank ad at PPI: a green panel, a white frame, its text in Noto Sans CJK."""
    from PIL import Image, ImageDraw, ImageFont

    w, h = math.ceil(width / 72 * PPI), math.ceil(height / 72 * PPI)  # never under PPI as placed
    im = Image.new("RGB", (w, h), (0, 122, 82))
    draw = ImageDraw.Draw(im)
    edge = w // 40
    draw.rectangle((edge, edge, w - 1 - edge, h - 1 - edge), outline=(255, 255, 255), width=edge // 3)
    file, index = _face("Noto Sans CJK SC Bold")
    big = ImageFont.truetype(file, h // 9, index=index)
    small = ImageFont.truetype(file, h // 22, index=index)
    lines = [(big, "许昌农商银行", h * 0.16), (small, "存款利率上浮　惠民理财新品", h * 0.38),
             (small, "家门口的银行　服务热线 96288", h * 0.50)]
    for font, text, y in lines:
        draw.text((w / 2, y), text, font=font, fill=(255, 255, 255), anchor="mt")
    draw.ellipse((w / 2 - h * 0.12, h * 0.64, w / 2 + h * 0.12, h * 0.88), outline=(255, 214, 0),
                 width=edge // 2)
    im.save(path, dpi=(PPI, PPI), optimize=True)


class _PathPen:
    """A fontTools pen writing PDF path operators, scaled and moved to where the glyph goes."""

    def __init__(self, scale: float, dx: float, dy: float) -> None:
        self.ops: list[str] = []
        self.scale, self.dx, self.dy = scale, dx, dy

    def _p(self, pt) -> str:
        return f"{pt[0] * self.scale + self.dx:.2f} {pt[1] * self.scale + self.dy:.2f}"

    def moveTo(self, pt) -> None:  # noqa: N802 (the pen protocol's names)
        self.ops.append(f"{self._p(pt)} m")

    def lineTo(self, pt) -> None:  # noqa: N802
        self.ops.append(f"{self._p(pt)} l")

    def curveTo(self, *pts) -> None:  # noqa: N802
        self.ops.append(" ".join(self._p(p) for p in pts) + " c")

    def closePath(self) -> None:  # noqa: N802
        self.ops.append("h")

    endPath = closePath  # noqa: N815


def logo_pdf(path: Path, name: str = "许昌日报", size: float = 72.0) -> None:
    """The paper's name as outlines in red (no font in the file, as 报头 artwork is delivered)."""
    import pikepdf
    from fontTools.pens.basePen import decomposeQuadraticSegment
    from fontTools.ttLib import TTFont

    file, index = _face("LXGW WenKai")
    font = TTFont(file, fontNumber=index, lazy=True)
    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    scale = size / font["head"].unitsPerEm
    advance = [font["hmtx"][cmap[ord(c)]][0] * scale for c in name]
    width, height = sum(advance) + 0.2 * size, 1.3 * size
    x, ops = 0.1 * size, []
    for char, adv in zip(name, advance):
        pen = _PathPen(scale, x, 0.25 * size)
        glyphs[cmap[ord(char)]].draw(_CubicPen(pen, decomposeQuadraticSegment))
        ops += pen.ops
        x += adv
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(width, height))
    pdf.pages[0].Contents = pdf.make_stream(("0 1 1 0 k\n" + "\n".join(ops) + "\nf\n").encode())
    pdf.pages[0].obj["/TrimBox"] = pikepdf.Array([0, 0, width, height])
    pdf.save(path, deterministic_id=True)


def logo_svg(path: Path, name: str = "许昌日报", size: float = 72.0) -> None:
    """The same outlines as an SVG of `size` pt glyphs, in the masthead red (0/100/100/0 as sRGB
    #E60012, how such artwork is delivered), no <text>: the letters are paths."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.ttLib import TTFont

    file, index = _face("LXGW WenKai")
    font = TTFont(file, fontNumber=index, lazy=True)
    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    scale = size / font["head"].unitsPerEm
    advance = [font["hmtx"][cmap[ord(c)]][0] * scale for c in name]
    width, height = sum(advance) + 0.2 * size, 1.3 * size
    x, paths = 0.1 * size, []
    for char, adv in zip(name, advance):
        pen = SVGPathPen(glyphs)
        glyphs[cmap[ord(char)]].draw(pen)
        paths.append(f'  <path transform="translate({x:.3f} {height - 0.25 * size:.3f}) '
                     f'scale({scale:.6f} {-scale:.6f})" d="{pen.getCommands()}"/>')
        x += adv
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{width:.3f}pt" height="{height:.3f}pt" viewBox="0 0 {width:.3f} {height:.3f}">\n'
        f'<g fill="#e60012">\n' + "\n".join(paths) + "\n</g>\n</svg>\n", encoding="utf-8")


class _CubicPen:
    """Quadratic TrueType curves as the cubic ones a PDF path draws."""

    def __init__(self, out: _PathPen, decompose) -> None:
        self.out, self.decompose, self.current = out, decompose, (0.0, 0.0)

    def moveTo(self, pt) -> None:  # noqa: N802
        self.out.moveTo(pt)
        self.current = pt

    def lineTo(self, pt) -> None:  # noqa: N802
        self.out.lineTo(pt)
        self.current = pt

    def curveTo(self, *pts) -> None:  # noqa: N802
        self.out.curveTo(*pts)
        self.current = pts[-1]

    def qCurveTo(self, *pts) -> None:  # noqa: N802
        if pts[-1] is None:
            raise ValueError("a contour of off-curve points only")
        for control, end in self.decompose(pts):
            (x0, y0), (cx, cy), (x1, y1) = self.current, control, end
            self.out.curveTo((x0 + 2 / 3 * (cx - x0), y0 + 2 / 3 * (cy - y0)),
                             (x1 + 2 / 3 * (cx - x1), y1 + 2 / 3 * (cy - y1)), end)
            self.current = end

    def closePath(self) -> None:  # noqa: N802
        self.out.closePath()

    def endPath(self) -> None:  # noqa: N802
        self.out.endPath()

    def addComponent(self, name, transform) -> None:  # noqa: N802
        raise ValueError(f"a composite glyph ({name}) in the logo's face")


def _stale(path: Path) -> bool:
    inputs = [Path(__file__), AD_LIST, EDITION]
    return not path.exists() or path.stat().st_mtime < max(p.stat().st_mtime for p in inputs)


def make_assets(force: bool = False) -> list[Path]:
    """Make every asset that is missing or older than its inputs; the paths made."""
    ASSETS.mkdir(exist_ok=True)
    made = []
    jobs = [(ASSETS / LOGO, lambda p: logo_pdf(p)), (ASSETS / LOGO_SVG, lambda p: logo_svg(p))]
    for file, (w, h) in booked().items():
        target = SPECS / file
        maker = pdf_ad if target.suffix == ".pdf" else png_ad
        jobs.append((target, lambda p, m=maker, w=w, h=h: m(p, w, h)))
    for target, make in jobs:
        if force or _stale(target):
            temp = target.with_name(f".{target.name}.tmp{target.suffix}")
            make(temp)
            temp.replace(target)  # whole or not at all: a killed run leaves no half file
            made.append(target)
    return made


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for made in make_assets(force="--force" in sys.argv[1:]):
        print(f"wrote {made.relative_to(ROOT)}")
