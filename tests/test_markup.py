"""Body markup (issue 15), on the PDF written: subheads on the grid in their style, strong runs in
the other face, 着重号 dots centred under each marked character and never under punctuation, quote
paragraphs set in, every character of the body once and in order with the markup removed; the
problems of markup outside the subset, each at its line; the plain path unchanged."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import yaml

from editions import REF
from layout.desk.render import render_spec
from layout.model.grid import page_grid
from layout.model.story import (BOOK_TITLE, EMPHASIS, PROPER_NOUN, QUOTE, STRONG, Paragraph, Run,
                                Subhead, plain_body)
from layout.spec.load import load_issue
from layout.spec.markup import has_markup, parse_body
from layout.util.errors import SpecError
from layout.util.text import split_paragraphs
from pdftext import Glyph, page_glyphs

SPEC = textwrap.dedent("""\
    spec_version: 1
    paper: {name: 测试日报}
    issue: {date: 2024-01-02}
    format:
      trim: {width: 160mm, height: 120mm}
      margins: {top: 10mm, bottom: 10mm, inside: 10mm, outside: 10mm}
      columns: 3
      gutter: 1em
    fonts: {song: Noto Serif CJK SC, hei: Noto Sans CJK SC Bold}
    styles:
      body: {font: song, size: 10pt, leading: 13pt, indent: 2em}
      headline: {font: hei, size: 16pt}
    pages:
      - number: 1
        modules:
          - {article: a, col: 1, line: 1, cols: 3, lines: 21}
    articles:
      a:
        headline: 标题
        body: |
    """)
BODY = """\
开展**“手拉手”活动**的日子,大家走进社区。这是第一段的文字,要足够长才能换行,再写几个字。

## 小标题　共建家园

第二段里有*天气、晴朗*的着重号,还有普通的文字跟在后面,再写一些字让它换到下一行去。

> 引用的段落在这里,它要缩进两个字,而且也要足够长才能换到第二行去,再多写几个字。

最后一段\\*星号\\#井号\\>大于号照常印出,&amp;也照常。
"""
MARKED = "天气、晴朗"  # the emphasis run: 4 characters take a dot, the 、 none
STRONG_TEXT = "“手拉手”活动"
QUOTE_START = "引用的段落"


def spec_text(body: str, styles: str = "") -> str:
    text = SPEC + textwrap.indent(body, " " * 6)
    return text.replace("  headline: {font: hei, size: 16pt}\n",
                        "  headline: {font: hei, size: 16pt}\n" + styles)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("markup")
    spec = folder / "m.yaml"
    spec.write_text(spec_text(BODY), encoding="utf-8")
    pdf = folder / "m.pdf"
    render_spec(spec, pdf)
    return spec, pdf


@pytest.fixture(scope="module")
def issue(rendered):
    return load_issue(rendered[0])


@pytest.fixture(scope="module")
def glyphs(rendered) -> list[Glyph]:
    return page_glyphs(rendered[1])[0]


@pytest.fixture(scope="module")
def grid(issue):
    return page_grid(issue.format, issue.styles["body"].leading, 1)


def body_glyphs(glyphs: list[Glyph], grid) -> list[Glyph]:
    """The story's glyphs under its headline, in reading order: column by column, line by line."""
    pitch = grid.column_width + grid.gutter
    body = [g for g in glyphs if g.size < 16]

    def order(g: Glyph) -> tuple:
        return (int((g.x - grid.column_x(1) + grid.gutter / 2) // pitch), round(g.baseline, 1), g.x)
    return sorted(body, key=order)


def find(glyphs: list[Glyph], text: str) -> list[Glyph]:
    chars = "".join(g.ch for g in glyphs)
    at = chars.index(text)
    return glyphs[at:at + len(text)]


def test_the_body_is_printed_once_in_order_with_the_markup_removed(issue, glyphs, grid):
    printed = "".join(g.ch for g in body_glyphs(glyphs, grid))
    expected = "".join(ch for ch in "".join(issue.articles["a"].paragraphs) if not ch.isspace())
    assert "".join(issue.articles["a"].paragraphs).count("*") == 1  # the escaped one
    assert printed == expected  # (the PDF's text has no spaces, U+3000 included)
    assert "星号#井号>大于号" in printed and "&amp;也照常" in printed and "**" not in printed


def test_a_strong_run_is_drawn_in_the_headline_face_at_body_size(glyphs, grid):
    ordered = body_glyphs(glyphs, grid)
    strong = find(ordered, STRONG_TEXT)
    assert {g.font.split("+")[-1] for g in strong} == {"NotoSansCJKsc-Bold"}
    assert {g.size for g in strong} == {10.0}
    around = find(ordered, "开展") + find(ordered, "的日子")
    assert {g.font.split("+")[-1] for g in around} == {"NotoSerifCJKsc-Regular"}
    assert len({g.baseline for g in find(ordered, "开展" + STRONG_TEXT + "的")}) == 1


def test_a_subhead_is_set_in_its_style_on_a_grid_baseline(issue, glyphs, grid):
    sub = find(body_glyphs(glyphs, grid), "小标题")
    assert {g.size for g in sub} == {11.0}  # 1.1 × the body size
    assert {g.font.split("+")[-1] for g in sub} == {"NotoSansCJKsc-Bold"}
    baselines = {round(grid.baseline(k, 10.0), 2) for k in range(1, grid.lines + 1)}
    assert round(sub[0].baseline, 2) in baselines
    # flush left at the column's edge, one empty grid line above it
    left = max(grid.column_x(c) for c in (1, 2, 3) if grid.column_x(c) <= sub[0].x + 0.01)
    assert sub[0].x == pytest.approx(left, abs=0.05)
    above = [g.baseline for g in glyphs if left <= g.x < left + grid.column_width
             and g.size == 10.0 and g.baseline < sub[0].baseline]
    assert sub[0].baseline - max(above) == pytest.approx(2 * 13.0, abs=0.01)


def dots(pdf: Path) -> list[tuple[float, float, float]]:
    """Small filled paths on page 1: (centre x, centre y, diameter), trimmed page, y down."""
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[0]
    left, _, _, top = page.get_trimbox()
    out = []
    for obj in page.get_objects():
        if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        l, b, r, t = obj.get_bounds()
        if r - l < 3 and t - b < 3:
            out.append(((l + r) / 2 - left, top - (b + t) / 2, r - l))
    return out


def test_emphasis_dots_are_centred_under_each_marked_character_but_punctuation(rendered, glyphs,
                                                                                grid):
    marked = find(body_glyphs(glyphs, grid), MARKED)
    found = dots(rendered[1])
    assert len(found) == len(MARKED) - 1  # none under the 、
    for g in marked:
        under = [d for d in found if abs(d[0] - (g.x + g.right) / 2) < 0.05
                 and 0 < d[1] - g.baseline < 13 - 10 + 1.2]
        assert len(under) == (0 if g.ch == "、" else 1), g.ch
    for x, y, diameter in found:
        assert diameter == pytest.approx(1.4, abs=0.05)  # 0.07 em radius at 10 pt
        line = next(g for g in marked if abs((g.x + g.right) / 2 - x) < 0.05)
        assert y - line.baseline > 0.12 * 10 + diameter / 2  # below the em box's bottom
        assert y + diameter / 2 < line.baseline + 13 - 0.88 * 10  # above the next line's top


def test_a_quote_paragraph_is_set_in_by_its_inset(glyphs, grid):
    ordered = body_glyphs(glyphs, grid)
    start = find(ordered, QUOTE_START)[0]
    column = max(c for c in (1, 2, 3) if grid.column_x(c) <= start.x)
    left = grid.column_x(column)
    assert start.x - left == pytest.approx(40.0, abs=0.05)  # inset 2em + first-line indent 2em
    k = ordered.index(start)
    second = next(g for g in ordered[k:] if g.baseline > start.baseline + 1)
    assert second.x - left == pytest.approx(20.0, abs=0.05)  # inset only
    line = [g for g in ordered[k:] if g.baseline == start.baseline
            and g.x < left + grid.column_width]
    assert line[-1].right == pytest.approx(left + grid.column_width, abs=0.3)  # justified


def test_plain_paragraphs_come_out_of_markup_as_they_always_did():
    spec = yaml.safe_load(REF.read_text(encoding="utf-8"))
    for article in spec["articles"].values():
        body = article["body"]
        assert not has_markup(body)
        assert parse_body(body).blocks == plain_body(split_paragraphs(body))
        # the same paragraphs through markdown-it (a subhead added forces that path)
        blocks = parse_body(body + "\n\n## 附\n").blocks
        assert blocks[:-1] == plain_body(split_paragraphs(body)) and blocks[-1] == Subhead("附")


def test_markup_as_the_model_holds_it():
    blocks = parse_body("　　甲**乙**丙*丁*戊\nabc\ndef\n\n> 引\n文\n\n## 小　标题 ##\n\n"
                        "\\*\\#\\> &lt; 5\\*3\n").blocks
    assert blocks == (
        Paragraph((Run("　　甲"), Run("乙", STRONG), Run("丙"), Run("丁", EMPHASIS),
                   Run("戊abc def"))),
        Paragraph((Run("引文", QUOTE),), QUOTE),
        Subhead("小　标题"),
        Paragraph((Run("*#> &lt; 5*3"),)))


def test_proper_noun_and_book_title_spans():
    """`[…]{.专名}` and `[…]{.书名}` (or `.name`, `.title`): runs in `proper_noun` and
    `book_title`; brackets without a span name print as written."""
    blocks = parse_body("据[新华社]{.专名}，读《[红楼梦]{.书名}》[注]与[x]{.name}[y]{.title}\n").blocks
    assert blocks == (Paragraph((Run("据"), Run("新华社", PROPER_NOUN), Run("，读《"),
                                 Run("红楼梦", BOOK_TITLE), Run("》[注]与"), Run("x", PROPER_NOUN),
                                 Run("y", BOOK_TITLE))),)


BAD = textwrap.dedent("""\
    正文第一段。

    1. 列表
    - 条目

    | 表 | 格 |
    |---|---|
    | 1 | 2 |

    见[链接](http://x)和![图](a.jpg)。

    # 一级标题

    星*号
    """)


def test_markup_outside_the_subset_is_each_an_error_at_its_line(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text(spec_text(BAD), encoding="utf-8")
    with pytest.raises(SpecError) as e:
        load_issue(spec)
    where = f"{spec}:{{}}: articles.a.body: "
    body = SPEC.count("\n") + 1  # the body's first line in the spec
    assert str(e.value).split("\n") == [
        where.format(body + 2) + "a numbered list is not body markup",
        "  write `1\\.` to print the number as text",
        where.format(body + 3) + "a bullet list is not body markup",
        "  write `\\-` (or `\\+`, `\\*`) to print the mark as text",
        where.format(body + 5) + "a table is not body markup",
        "  set a table as an image module, or write `\\|` to print a | as text",
        where.format(body + 9) + "a link (`[…](…)`) is not body markup",
        "  print the text alone, or write `\\[` to print a [ as text",
        where.format(body + 9) + "an image in the body (`![…](…)`) is not body markup",
        "  place a picture with an image module, or write `!\\[` to print it as text",
        where.format(body + 11) + "a level-1 heading (`# `) is not body markup: a subhead is `## `",
        "  write `## 小标题` for a subhead, or `\\#` to print a # as text",
        where.format(body + 13) + "a `*` that opens or closes no emphasis",
        "  close it (`*…*`, `**…**`) or write `\\*` to print an asterisk",
        "7 problems",
    ]


@pytest.mark.parametrize("body, line, problem", [
    ("甲\n\n```\ncode\n```\n", 2, "a code block (```) is not body markup"),
    ("甲<b>乙</b>\n", 0, "HTML is not body markup"),
    ("甲\n\n---\n", 2, "a horizontal rule is not body markup"),
    ("标题\n===\n", 0, "a heading underlined with === is not body markup"),
    ("### 三级\n", 0, "a level-3 heading (`### `) is not body markup: a subhead is `## `"),
    ("> > 套\n", 0, "a quote inside a quote is not body markup"),
    ("## 带**粗**\n", 0, "a subhead is set in its own style: no **strong** or *emphasis* inside it"),
    ("甲_乙_丙 _丁_\n", 0, "emphasis with `_` is not body markup: use `*…*` or `**…**`"),
    ("甲~~乙~~\n", 0, "strikethrough (`~~…~~`) is not body markup"),
    ("甲`乙`\n", 0, "code (`` `…` ``) is not body markup"),
    ("甲\n\n[x]: http://a\n", 2, "a link reference definition (`[…]: …`) is not body markup"),
    ("***甲***\n", 0, "strong and emphasis inside each other: one style at a time"),
    ("甲\n乙[丙]{.人名}\n", 1, "a span `[…]{.人名}` is not body markup: `{.专名}` marks a proper "
                             "noun, `{.书名}` a book title"),
    ("**[北京]{.专名}**\n", 0, "a marked span inside another style (or span): one style at a time"),
])
def test_each_markup_problem(body, line, problem):
    found = parse_body(body).problems
    assert [(p.line, p.what) for p in found][:1] == [(line, problem)]


def test_cjk_marks_open_and_close_beside_punctuation():
    (para,) = parse_body("开展**“手拉手”**活动,“*着重*”。").blocks
    assert para.runs == (Run("开展"), Run("“手拉手”", STRONG), Run("活动,“"), Run("着重", EMPHASIS),
                         Run("”。"))


def test_the_strong_style_takes_a_bold_role_when_the_fonts_have_one(tmp_path):
    spec = tmp_path / "s.yaml"
    text = spec_text("正文。\n").replace("hei: Noto Sans CJK SC Bold}",
                                        "hei: Noto Sans CJK SC Bold, bold: Noto Serif CJK SC Bold}")
    spec.write_text(text, encoding="utf-8")
    styles = load_issue(spec).styles
    assert styles["strong"].font == "bold" and styles["lead"].font == "bold"
    assert styles["emphasis"].mark == "dots" and styles["quote"].inset == 20.0
    assert styles["subhead"].font == "hei" and styles["subhead"].size == 11.0


@pytest.mark.parametrize("style, message", [
    ("  emphasis: {mark: dot}\n",
     'styles.emphasis.mark: expected one of none, dots, line, wave, found "dot"'),
    ("  quote: {inset: 70pt}\n",
     "styles.quote.inset: an inset of 70 pt leaves less than half the column (125.62 pt) for text"),
])
def test_bad_style_values(tmp_path, style, message):
    spec = tmp_path / "s.yaml"
    spec.write_text(spec_text("正文。\n", style), encoding="utf-8")
    with pytest.raises(SpecError) as e:
        load_issue(spec)
    assert str(e.value).split("\n")[0] == f"{spec}:13: {message}"


def test_a_subhead_must_head_some_text():
    (problem,) = parse_body("正文。\n\n## 末尾的小标题\n").problems
    assert (problem.line, problem.what, problem.hint) == (
        2, "a subhead ends the body: a subhead heads the text after it",
        "add the text it heads, or remove the subhead")


def test_emphasis_in_a_font_of_its_own_has_no_dots_unless_asked(tmp_path):
    spec = tmp_path / "s.yaml"
    for style, mark in (("  emphasis: {font: song}\n", "none"),
                        ("  emphasis: {font: song, mark: dots}\n", "dots"), ("", "dots")):
        spec.write_text(spec_text("正文。\n", style), encoding="utf-8")
        assert load_issue(spec).styles["emphasis"].mark == mark


@pytest.fixture(scope="module")
def setter(issue):
    from layout.desk.render import shared_fontbook
    from layout.pages.planner import load_faces
    from layout.pages.typeset import Setter
    return Setter(load_faces(issue, shared_fontbook()), issue.styles, issue.typography, cache=None)


def test_the_plan_dump_shows_the_dots(issue, setter):
    from layout.desk.dump import dump_edition
    from layout.pages.planner import plan_issue
    from layout.desk.render import shared_fontbook
    dump = dump_edition(issue, plan_issue(issue, shared_fontbook()), (), title="m", tools="-")
    (line,) = [row for row in dump.split("\n") if "| dots " in row]
    assert line.startswith("p1 | dots 4 | first ") and line.endswith("| radius 0.7")


def test_a_paragraph_of_runs_rebreaks_in_its_styles_for_widow_control(issue, setter, grid):
    from layout.pages.planner import compose_paragraph
    from layout.pages.typeset import StyledLine
    words = "市直各单位机关干部纷纷到联系点开展工作,是进一步破解城市老旧小区管理难题的实际行动。"
    para = Paragraph((Run(words * 2), Run("切实提升基层治理能力", STRONG), Run(words * 2)))
    own = compose_paragraph(setter, para, grid.column_width)
    tries = {n: compose_paragraph(setter, para, grid.column_width, n)
             for n in (len(own) - 1, len(own) + 1)}
    count, longer = next((n, lines) for n, lines in tries.items() if lines is not None)
    assert all(isinstance(line, StyledLine) for line in own + longer)
    assert len(longer) == count
    text = "".join(ch for line in longer for ch, _ in line.glyphs)
    assert text == para.text.replace(" ", "")
    strong = [(i, s) for line in longer for i, s in line.styles]
    assert ("strong" in {s for _, s in strong}) and strong[0] == (0, "body")
    quote = next(b for b in issue.articles["a"].body if getattr(b, "style", "") == "quote")
    natural = compose_paragraph(setter, quote, grid.column_width)
    (first, *rest) = compose_paragraph(setter, quote, grid.column_width, len(natural))
    assert [line.glyphs for line in natural] == [first.glyphs] + [line.glyphs for line in rest]
    assert first.glyphs[0][1] == pytest.approx(40.0) and rest[0].glyphs[0][1] == pytest.approx(20.0)


def test_runs_are_composed_once_and_then_come_from_the_cache(issue, setter, grid):
    from dataclasses import replace as changed
    from layout.compose.cache import LRU
    cached = changed(setter, cache=LRU())
    runs = (("开展", "body"), ("“手拉手”活动", "strong"), ("的日子。" * 8, "body"))
    first = cached.run_lines(runs, grid.column_width, indent=20.0)
    again = cached.run_lines(runs, grid.column_width, indent=20.0)
    assert again == first and cached.cache.hits == 1 and cached.cache.misses == 1
    assert cached.run_lines(runs, grid.column_width) != first  # the indent is in the key


@pytest.mark.parametrize("rule", ["---", "****", "_ _ _"])
def test_a_horizontal_rule_hint_escapes_the_rule_as_written(rule):
    """The fix prints what the desk typed: `\\*\\*\\*\\*` for `****`, not a rule of dashes."""
    (problem,) = parse_body(f"甲\n\n{rule}\n").problems
    assert problem.what == "a horizontal rule is not body markup"
    escaped = "".join("\\" + c for c in rule.replace(" ", ""))
    assert problem.hint == f"write `{escaped}` to print it as text"
    assert not parse_body(f"甲\n\n{escaped}\n").problems  # and the hint works
