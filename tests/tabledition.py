"""The reference edition with issue 16's page elements (other than ads) added: a weather table with
a zebra tint, a stock table continued in a second module, a thick-thin 通栏 rule, a page label
(A2) used by the header, the jump lines and the index box, and a masthead logo (PDF or PNG)."""
from __future__ import annotations

from pathlib import Path

from editions import edition

PAGE2 = "      - {continue: zhengxie,          col: 3, line: 1,   cols: 2, lines: 30}\n"
MODULES = """\
      - {rule: {weight: 2pt, style: thick-thin}, col: 1, line: 31, cols: 8, lines: 1}
      - {table: weather, col: 1, line: 32, cols: 3, lines: 12}
      - {table: stocks, col: 4, line: 32, cols: 3, lines: STOCKLINES}
      - {table_continue: stocks, col: 7, line: 32, cols: 2, lines: CONTLINES}
"""
TABLES = """
tables:
  weather:
    columns:
      - {title: 城市}
      - {title: 天气, align: center}
      - {title: 气温, align: right}
      - {title: 降水(mm), align: decimal}
    rows:
      - [许昌, 晴, 26～35, 0.0]
      - [郑州, 多云, 25～34, 1.25]
      - [洛阳, 小雨, 22～30, 12.5]
      - [开封, 晴, 26～36, 0]
      - [平顶山, 阴, 24～32, 3.75]
    note: 数据来源：许昌市气象台
    zebra: 10%
    rules: none
  stocks:
    columns:
      - {title: 股票}
      - {title: 收盘, align: decimal}
      - {title: 涨跌幅, align: decimal}
    rows:
      - [长江电力, 22.15, "+1.2%"]
      - [许继电气, 18.06, "-0.35%"]
      - [森源电气, 4.5, "+10.02%"]
      - [黄河旋风, 5.83, "-2.1%"]
      - [众品食业, 12.3, "0.00%"]
      - [瑞贝卡, 3.41, "+0.59%"]
      - [远东传动, 6.02, "-1.47%"]
      - [金汇科技, 101.5, "+3.3%"]
      - [许昌智能, 9.9, "-0.1%"]
      - [恒达电子, 15.77, "+0.64%"]
"""
WEATHER_LINE, STOCKS_LINE = 32, 32


def logo_pdf(path: Path) -> Path:
    """A vector 报头 stand-in: a red band with a white disc, drawn as paths (no image, no font)."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 100))
    disc = " ".join(f"{150 + 30 * c:.2f} {50 + 30 * s:.2f} {'m' if k == 0 else 'l'}"
                    for k, (c, s) in enumerate(_circle(24)))
    content = f"0 1 1 0 k 10 10 280 80 re f 0 0 0 0 k {disc} h f".encode()
    pdf.pages[0].Contents = pdf.make_stream(content)
    pdf.save(path, deterministic_id=True)
    return path


def _circle(n: int):
    import math

    return [(math.cos(2 * math.pi * k / n), math.sin(2 * math.pi * k / n)) for k in range(n)]


def logo_png(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (600, 200), (220, 0, 0)).save(path)
    return path


def table_edition(folder: Path, *, logo: str | None = None, stock_lines: int = 8,
                  continue_lines: int = 10, extra: str = "", name: str = "tables.yaml") -> Path:
    """The edition in `folder`; `logo`: "pdf", "png" or None (the name set in a font)."""
    def edit(text: str) -> str:
        assert PAGE2 in text
        text = text.replace(PAGE2, PAGE2 + MODULES.replace("STOCKLINES", str(stock_lines))
                            .replace("CONTLINES", str(continue_lines)))
        text = text.replace("  - number: 2\n    section: 要闻\n",
                            "  - number: 2\n    section: 要闻\n    label: A2\n")
        text = text.replace('  to:   "（下转第{page}版）"', '  to:   "（下转{page}版）"')
        if logo:
            file = (logo_pdf if logo == "pdf" else logo_png)(folder / f"logo.{logo}")
            text = text.replace("  name_latin: XUCHANG DAILY\n",
                                f"  name_latin: XUCHANG DAILY\n  logo: {file.name}\n")
        return text + TABLES + extra
    return edition(folder, name, edit)


def line_of(spec: Path, text: str) -> int:
    """The 1-based line of the spec that holds `text`."""
    return next(n for n, line in enumerate(spec.read_text(encoding="utf-8").splitlines(), 1)
                if text in line)
