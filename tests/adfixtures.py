"""Ad files made for tests (never committed as binaries): a PDF ad with vector text in an embedded
TrueType face (reportlab, a test extra), one whose font is not embedded, a PNG ad at a stated ppi,
a damaged and an encrypted PDF; and a small spec that places them."""
from __future__ import annotations

import textwrap
from pathlib import Path

MM = 72 / 25.4
BLEED = 3 * MM
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
AD_TEXT = "Hongqi Motors 2022"


def pdf_ad(path: Path, width: float, height: float, *, embed: bool = True,
           text: str = AD_TEXT, rgb: bool = False) -> Path:
    """A one-page PDF ad of `width` × `height` pt (its TrimBox) with 3 mm bleed round it: a CMYK
    frame, a tint panel and a line of vector text (DejaVu Sans embedded, or Helvetica not)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    font = "Helvetica"
    if embed:
        pdfmetrics.registerFont(TTFont("AdDejaVu", str(DEJAVU)))
        font = "AdDejaVu"
    c = Canvas(str(path), pagesize=(width + 2 * BLEED, height + 2 * BLEED), invariant=1,
               initialFontName=font)
    c.setTrimBox((BLEED, BLEED, BLEED + width, BLEED + height))
    c.setBleedBox((0, 0, width + 2 * BLEED, height + 2 * BLEED))
    if rgb:
        c.setFillColorRGB(0.2, 0.4, 0.9)
    else:
        c.setFillColorCMYK(0, 0.1, 0.3, 0)
    c.rect(0, 0, width + 2 * BLEED, height + 2 * BLEED, stroke=0, fill=1)
    c.setStrokeColorCMYK(0, 1, 1, 0)
    c.setLineWidth(2)
    c.rect(BLEED + 4, BLEED + 4, width - 8, height - 8, stroke=1, fill=0)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setFont(font, 8)
    c.drawString(BLEED + 10, BLEED + height / 2, text)
    c.showPage()
    c.save()
    return path


def png_ad(path: Path, width: float, height: float, ppi: float = 300) -> Path:
    """An RGB PNG ad of `width` × `height` pt at `ppi` (recorded in pHYs), framed in black."""
    from PIL import Image, ImageDraw

    w, h = round(width / 72 * ppi), round(height / 72 * ppi)
    im = Image.new("RGB", (w, h), (250, 230, 200))
    ImageDraw.Draw(im).rectangle((0, 0, w - 1, h - 1), outline=(0, 0, 0), width=max(2, w // 60))
    im.save(path, dpi=(ppi, ppi))
    return path


def damaged_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nthis is not a PDF\n")
    return path


def encrypted_pdf(path: Path, source: Path) -> Path:
    import pikepdf

    with pikepdf.open(source) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="o", user="secret"))
    return path


# The grid of AD_SPEC: type width 80 mm = 226.77 pt in 4 columns with 10 pt gutters, 12 pt lines.
COLUMN = (80 * MM - 3 * 10) / 4
LEADING = 12.0


def module_size(cols: int, lines: int) -> tuple[float, float]:
    return cols * COLUMN + (cols - 1) * 10, lines * LEADING


def ad_spec(folder: Path, *, extra: str = "", modules: str = "", ads: str = "") -> Path:
    """A one-page spec with an article and whatever ad modules and `ads:` entries are given."""
    text = textwrap.dedent("""\
        spec_version: 1
        paper: {name: 测试日报}
        issue: {date: 2024-01-02}
        format:
          trim: {width: 100mm, height: 100mm}
          margins: {top: 10mm, bottom: 10mm, inside: 10mm, outside: 10mm}
          columns: 4
          gutter: 1em
        fonts: {song: Noto Serif CJK SC}
        styles:
          body: {font: song, size: 10pt, leading: 12pt}
        pages:
          - number: 1
            modules:
              - {article: a, col: 1, line: 1, cols: 2, lines: 10}
        """) + textwrap.indent(modules, "      ") + textwrap.dedent("""\
        articles:
          a:
            headline: 标题
            body: 正文。
        """) + ads + extra
    spec = folder / "ads.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec
