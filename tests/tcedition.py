"""A small Traditional Chinese edition (Noto Serif CJK TC, whose ，。、：； are centred in the em box)
written for the composition defects of issue 11 §4: narrow columns, a story jumped to page 2,
a URL, numbers with % beside Han, a headline with a U+3000 between its phrases."""
from __future__ import annotations

import textwrap
from pathlib import Path

SPEC = textwrap.dedent("""\
    spec_version: 1
    paper: {name: 測試日報, serial: CN00-0000, publisher: 測試日報社出版}
    issue: {date: 2025-03-14, number: 100, pages_total: 2}
    format:
      trim: {width: 200mm, height: 290mm}
      margins: {top: 20mm, bottom: 20mm, inside: SIDEmm, outside: SIDEmm}
      columns: 6
      gutter: 1em
    fonts: {song: Noto Serif CJK TC, hei: Noto Sans CJK TC Bold}
    styles:
      body: {font: song, size: 9pt, leading: 11.5pt, indent: 2em}
      headline: {font: hei, size: HEADSIZEpt}
    typography: {fullwidth_punctuation: true, prohibition: basic}
    jumps: {to: "（轉A{page}版）", from: "（接A{page}版）", numerals: arabic}
    pages:
      - number: 1
        modules:
          - {masthead: true, col: 1, line: 1, cols: 6, lines: 10}
          - {article: a, col: 1, line: 11, cols: 3, lines: LINES_A}
          - {article: b, col: 4, line: 11, cols: 3, lines: 40}
      - number: 2
        modules:
          - {continue: a, col: 1, line: 1, cols: 3, lines: 40}
    articles:
      a:
        headline: HEADLINE
        body: |
    BODY_A
      b:
        headline: 故宮南院春季特展
        body: |
    BODY_B
    """)

# Paragraphs for story a; the first holds the marks squeezed mid-line (有疑慮，協商).
BODY_A = (
    "市議會昨日審議預算案，多位議員對交通建設經費有疑慮，協商後同意先行保留三成，待市府提出完整"
    "評估報告再行動支，以免重蹈覆轍，淪為枉然。",
    "主計處表示，今年稅收較去年增加，原本的20%上調至25%，增幅約為5個百分點，其中房屋稅與地價稅"
    "貢獻最多，而營業稅則略有下滑。議員質詢時指出，市府應公開各項補助的執行率，讓市民了解預算去向。",
    "詳情可上網至https://south.npm.gov.tw查詢。",
)
BODY_B = (
    "故宮南院今年春季推出亞洲織品特展，策展人林慧如指出，展品來自十餘個國家，多數為首次公開展出，"
    "館方並規劃導覽與工作坊，歡迎民眾踴躍參觀。",
    "門票為250元，較去年調漲10%左右，學生及65歲以上長者可享半價優惠，團體預約另有折扣。",
)


def tc_spec(folder: Path, *, headline: str = "南院春季特展　展出亞洲織品", lines_a: int = 30,
            body_a: tuple[str, ...] = BODY_A, body_b: tuple[str, ...] = BODY_B,
            side: float = 18.5, headline_size: float = 18.0) -> Path:
    """The spec written into `folder`; `side` (mm) sets the margins and so the column width: 18.5
    gives 7.7 characters, 10 gives 8.6."""
    def block(paras: tuple[str, ...]) -> str:
        return "\n\n".join(textwrap.indent(p, " " * 6) for p in paras)

    text = (SPEC.replace("HEADLINE", headline).replace("LINES_A", str(lines_a))
            .replace("SIDE", str(side)).replace("HEADSIZE", str(headline_size))
            .replace("BODY_A", block(body_a)).replace("BODY_B", block(body_b)))
    spec = folder / "tc.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec
