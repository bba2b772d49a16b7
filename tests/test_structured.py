"""Structured stories (issue 15) on the PDF of issue_specs/structured-2026-12-04.yaml: photos and a
pull quote set into stories with no text over them, the lines beside a photo ending flush at its
gutter, a lead, body columns of their own, a same-page continuation with no jump lines, every
story's text once and in order (markup removed), subheads on the grid and kept with their next
lines, no widow or orphan; and the bad input of the new keys, each at its line."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from layout.desk.render import render_spec
from layout.model.grid import Rect, page_grid
from layout.model.issue import StoryModule
from layout.model.story import Subhead
from layout.spec.load import load_issue
from layout.util.errors import BroadsheetError, SpecError
from layout.util.text import fullwidth
from pdftext import Glyph, page_glyphs

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "issue_specs" / "structured-2026-12-04.yaml"
BODY, SUBHEAD = 9.0, 10.0  # the edition's body and subhead sizes
BODY_FONTS = ("NotoSerifCJKsc-Regular", "NotoSansCJKsc-Bold")  # plain and strong runs


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("structured") / "s.pdf"
    render_spec(SPEC, out)
    return out


@pytest.fixture(scope="module")
def issue():
    return load_issue(SPEC)


@pytest.fixture(scope="module")
def grid(issue):
    return page_grid(issue.format, issue.styles["body"].leading, 1)


@pytest.fixture(scope="module")
def glyphs(pdf) -> list[Glyph]:
    return page_glyphs(pdf)[0]


def picture_clips(path: Path) -> list[Rect]:
    """The visible rectangle of each picture on page 1 (its clip), trimmed page, y down."""
    with pikepdf.open(path) as doc:
        page = doc.pages[0]
        left, _, _, top = (float(v) for v in page.TrimBox)
        clips, last = [], None
        for operands, op in pikepdf.parse_content_stream(page):
            if str(op) == "re":
                last = [float(v) for v in operands]
            elif str(op) == "Do" and last is not None and "jpg" in str(operands[0]):
                x, y, w, h = last
                clips.append(Rect(x - left, top - (y + h), w, h))
    return clips


def _font(g: Glyph) -> str:
    return g.font.split("+")[-1]


def _boxes(glyphs: list[Glyph]) -> list[Rect]:
    """Each glyph's em box (advance × the ideographic em, 0.88 above the baseline)."""
    return [Rect(g.x, g.baseline - 0.88 * g.size, g.right - g.x, g.size) for g in glyphs]


def _overlap(a: Rect, b: Rect, slack: float = 0.01) -> bool:
    return (a.x < b.right - slack and b.x < a.right - slack
            and a.y < b.bottom - slack and b.y < a.bottom - slack)


def _chain(issue, story: str) -> list[StoryModule]:
    return [m for p in issue.pages for m in p.modules
            if isinstance(m, StoryModule) and m.story == story]


def _columns(m: StoryModule, grid) -> list[tuple[float, float]]:
    """The body columns of a module: (left, right) of each (the grid's, or body_cols')."""
    x0, width = grid.column_x(m.col), grid.span_width(m.cols)
    n = m.layout.body_cols or m.cols
    w = (width - (n - 1) * grid.gutter) / n
    return [(x0 + c * (w + grid.gutter), x0 + c * (w + grid.gutter) + w) for c in range(n)]


@dataclass(frozen=True)
class Row:
    """A line of a story as printed: where it is (module in the chain, column) and its glyphs."""

    module: int
    column: int
    baseline: float
    glyphs: tuple[Glyph, ...]
    subhead: bool

    @property
    def text(self) -> str:
        return "".join(g.ch for g in self.glyphs)


def story_rows(issue, grid, glyphs: list[Glyph], story: str, *, body_size: float = BODY,
               subhead_size: float = SUBHEAD, page: int = 1) -> list[Row]:
    """The story's body and subhead lines in reading order: module by module of its chain, column
    by column, top to bottom (a body line is in the body face or strong face at body size; a
    subhead line in the subhead size; bylines, captions, leads and pull quotes are not)."""
    subheads = {fullwidth(b.text).replace("\u3000", "") for b in issue.articles[story].body
                if isinstance(b, Subhead)}
    rows: dict[tuple, list[Glyph]] = {}
    on_page = {id(m) for p in issue.pages if p.number == page for m in p.modules}
    for k, m in enumerate(_chain(issue, story)):
        if id(m) not in on_page:
            continue
        top, bottom = grid.band_top(m.line), grid.band_top(m.line + m.lines)
        cols = _columns(m, grid)
        for g in glyphs:
            mid = (g.x + g.right) / 2
            if not (cols[0][0] - 1 <= mid <= cols[-1][1] + 1 and top <= g.baseline <= bottom):
                continue
            body = abs(g.size - body_size) < 0.05 and _font(g) in BODY_FONTS
            sub = abs(g.size - subhead_size) < 0.05
            if not (body or sub):
                continue
            c = next(i for i, (a, _) in reversed(list(enumerate(cols))) if mid >= a - 1 or i == 0)
            rows.setdefault((k, c, round(g.baseline, 1), sub), []).append(g)
    out = [Row(k, c, y, tuple(sorted(gs, key=lambda g: g.x)), sub)
           for (k, c, y, sub), gs in sorted(rows.items())]
    # a 10 pt line that is no subhead's is the lead's (above the body): not the story's text
    return [r for r in out if not r.subhead or any(r.text in s for s in subheads)]


def _paragraph_texts(issue, story: str) -> list[str]:
    return [fullwidth(b.text).replace("\u3000", "").replace(" ", "")
            for b in issue.articles[story].body if not isinstance(b, Subhead)]


STORIES = ("metro", "shoulashou", "liutao", "xuchang_university", "law_society", "zhongkao")


@pytest.mark.parametrize("story", STORIES)
def test_every_story_is_printed_once_in_order_with_the_markup_removed(issue, grid, glyphs, story):
    rows = story_rows(issue, grid, glyphs, story)
    printed = "".join(r.text for r in rows if not r.subhead)
    assert printed == "".join(_paragraph_texts(issue, story))
    subs = ["".join(r.text for r in rows if r.subhead)]
    assert subs == ["".join(fullwidth(b.text).replace("\u3000", "")
                            for b in issue.articles[story].body if isinstance(b, Subhead))]


def test_no_text_line_touches_a_photo_or_the_pull_quote(issue, grid, glyphs, pdf):
    clips = picture_clips(pdf)
    assert len(clips) == 5  # two image modules and three photos set into stories
    quote = next(m for p in issue.pages for m in p.modules
                 if isinstance(m, StoryModule) and m.layout.pull_quote)
    q = quote.layout.pull_quote
    qrect = Rect(grid.column_x(quote.col + q.col - 1), grid.band_top(quote.line + q.line - 1),
                 grid.span_width(q.cols), q.lines * grid.leading)
    quoted = [g for g in glyphs if abs(g.size - 14.0) < 0.05]
    assert quoted and all(_overlap(b, qrect) for b in _boxes(quoted))  # its own text is inside
    others = [g for g in glyphs if abs(g.size - 14.0) >= 0.05]
    for box, g in zip(_boxes(others), others):
        assert not any(_overlap(box, clip) for clip in clips), g
        assert not _overlap(box, qrect), g


def test_lines_beside_a_photo_end_flush_at_its_gutter(issue, grid, glyphs, pdf):
    """liutao: two body columns over three grid columns, a photo over the first two grid
    columns' top; the second body column's lines beside it start a gutter right of the photo and
    end flush at the column's edge, the first body column starts below the photo."""
    (m,) = _chain(issue, "liutao")
    photo = m.layout.photos[0]
    clip = next(c for c in picture_clips(pdf) if abs(c.x - grid.column_x(m.col)) < 0.5
                and grid.band_top(m.line) <= c.y < grid.band_top(m.line + m.lines))
    cols = _columns(m, grid)
    rows = story_rows(issue, grid, glyphs, "liutao")
    beside = [r for r in rows if clip.y <= r.baseline <= grid.band_top(
        m.line + photo.line + photo.lines - 1)]
    assert len(beside) >= 10
    assert {r.column for r in beside} == {1}
    edge = clip.right + grid.gutter
    for r in beside:
        lead = r.glyphs[0].x - edge
        assert lead == pytest.approx(0, abs=0.6) or lead == pytest.approx(18.0, abs=0.6), r.text
        if r is not beside[-1] and not _ends_paragraph(r, rows, issue, "liutao"):
            assert r.glyphs[-1].right == pytest.approx(cols[1][1], abs=0.6), r.text
    below = [r for r in rows if r.column == 0]
    assert min(r.baseline for r in below) > clip.bottom


def _ends_paragraph(row: Row, rows: list[Row], issue, story: str) -> bool:
    return _spans(rows, issue, story)[rows.index(row)][1]


def _spans(rows: list[Row], issue, story: str) -> list[tuple[bool, bool]]:
    """(opens a paragraph, ends one) of each row, from the story's text read in order."""
    ends, at = set(), 0
    starts = set()
    for text in _paragraph_texts(issue, story):
        starts.add(at)
        at += len(text)
        ends.add(at)
    out, at = [], 0
    for r in rows:
        if r.subhead:
            out.append((False, False))
            continue
        out.append((at in starts, at + len(r.text) in ends))
        at += len(r.text)
    return out


def _column_breaks(rows: list[Row]) -> list[bool]:
    """Whether each row is the last of its column (the next row is in another column)."""
    return [k + 1 < len(rows) and (rows[k + 1].module, rows[k + 1].column) != (r.module, r.column)
            for k, r in enumerate(rows)]


@pytest.mark.parametrize("story", STORIES)
def test_no_widow_or_orphan_and_no_subhead_at_a_column_foot(issue, grid, glyphs, story):
    rows = story_rows(issue, grid, glyphs, story)
    spans = _spans(rows, issue, story)
    last = _column_breaks(rows)
    for k, r in enumerate(rows):
        opens, ends = spans[k]
        first = k == 0 or last[k - 1]
        if first and k > 0 and ends and not opens and not rows[k - 1].subhead:
            pytest.fail(f"widow: {r.text}")
        if last[k] and opens and not ends:
            pytest.fail(f"orphan: {r.text}")
    subs = [k for k, r in enumerate(rows) if r.subhead]
    for k in subs:
        if k + 1 < len(rows) and rows[k + 1].subhead:
            continue  # a subhead of two lines: judged at its last
        assert not last[k], f"subhead at a column foot: {rows[k].text}"
        assert k + 2 < len(rows) and not last[k + 1], f"subhead with one line under it: {rows[k].text}"


def test_subheads_sit_on_grid_baselines(issue, grid, glyphs):
    rows = story_rows(issue, grid, glyphs, "metro")
    subs = [r for r in rows if r.subhead]
    assert len(subs) >= 6  # three subheads of two lines each
    baselines = [grid.baseline(k, BODY) for k in range(1, grid.lines + 1)]

    def off(r: Row) -> float:  # from the nearest grid baseline (the page's rounding included)
        return min((r.baseline - b for b in baselines), key=abs)
    body = {round(off(r), 2) for r in rows if not r.subhead}
    assert len(body) == 1 and abs(body.pop()) < 0.1  # every body line on the grid...
    for r in subs:
        assert off(r) == pytest.approx(off(rows[0]), abs=0.01), r.text  # ... and every subhead


def test_the_same_page_continuation_has_no_jump_lines_nor_headline(issue, grid, glyphs):
    text = "".join(g.ch for g in glyphs)
    assert "下转" not in text and "上接" not in text
    head = issue.articles["metro"].headline
    sizes = [g for g in glyphs if g.size > 14.5]
    assert "".join(g.ch for g in sizes).count(head[:3]) == 1


def test_the_lead_spans_the_module_above_the_body(issue, grid, glyphs):
    (m, _) = _chain(issue, "metro")
    lead_text = fullwidth(issue.articles["metro"].lead.text)
    tens = [g for g in glyphs if abs(g.size - 10.0) < 0.05 and g.x < grid.column_x(4)
            and g.baseline < grid.band_top(m.line + m.lines)]
    lines = {}
    for g in tens:
        lines.setdefault(round(g.baseline, 1), []).append(g)
    lines = {y: gs for y, gs in lines.items()
             if "".join(g.ch for g in sorted(gs, key=lambda g: g.x)) in lead_text}
    assert len(lines) == 3
    first = sorted(lines)[0]
    left, right = grid.column_x(m.col), grid.column_x(m.col) + grid.span_width(m.cols)
    assert max(g.right for g in lines[first]) == pytest.approx(right, abs=0.6)  # across 3 columns
    assert min(g.x for g in lines[first]) == pytest.approx(left + 18.0, abs=0.6)  # indented
    body = story_rows(issue, grid, glyphs, "metro")
    assert min(r.baseline for r in body if not r.subhead) > max(lines) + grid.leading
    printed = "".join("".join(g.ch for g in sorted(lines[y], key=lambda g: g.x))
                      for y in sorted(lines) if lines[y][0].ch in lead_text)
    assert printed.startswith(lead_text[:20])


def test_emphasis_dots_in_the_edition_are_under_marked_characters(issue, pdf, glyphs):
    from test_markup import dots
    found = dots(pdf)
    blocks = [b for a in issue.articles.values() for b in (*a.body, *((a.lead,) if a.lead else ()))]
    marked = "".join(r.text for b in blocks if not isinstance(b, Subhead) for r in b.runs
                     if r.style == "emphasis")
    assert len(found) == sum(1 for ch in fullwidth(marked)
                             if ch not in "，。、；：？！“”‘’（）《》")
    for x, y, _ in found:
        assert any(abs((g.x + g.right) / 2 - x) < 0.05 and 0 < y - g.baseline < 11.5
                   and g.ch not in "，。、" for g in glyphs)


# --- bad input, each at its line ----------------------------------------------------------------

BASE = textwrap.dedent("""\
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
    images:
      pic: {file: photo.jpg}
    pages:
      - number: 1
        modules:
    """)
ARTICLES = textwrap.dedent("""\
    articles:
      a:
        headline: 标题
        body: 正文。
    """)


def _load(tmp_path, modules: str):
    (tmp_path / "photo.jpg").write_bytes((ROOT / "issue_specs" / "photo-1.jpg").read_bytes())
    spec = tmp_path / "s.yaml"
    spec.write_text(BASE + textwrap.indent(modules, " " * 6) + ARTICLES, encoding="utf-8")
    return spec


def _problems(spec) -> list[SpecError]:
    with pytest.raises(SpecError) as e:
        load_issue(spec)
    return list(getattr(e.value, "problems", (e.value,)))


def test_photos_outside_the_module_overlapping_or_unknown_are_each_reported(tmp_path):
    spec = _load(tmp_path, textwrap.dedent("""\
        - article: a
          col: 1
          line: 1
          cols: 3
          lines: 20
          body_cols: 4
          photos:
            - {image: pic, col: 3, line: 5, cols: 2, lines: 4}
            - {image: pic, col: 1, line: 18, cols: 1, lines: 5}
            - {image: pic, col: 1, line: 6, cols: 2, lines: 4}
            - {image: pic, col: 2, line: 8, cols: 1, lines: 4}
            - {image: nope, col: 3, line: 14, cols: 1, lines: 2}
        """))
    found = {(p.line, p.problem.split(" ")[0]) for p in _problems(spec)}
    text = "\n".join(str(p) for p in _problems(spec))
    assert "4 body columns in a module 3 grid columns wide" in text
    assert "takes columns 3-4 of a module 3 columns wide" in text
    assert "takes lines 18-22 of a module 20 lines deep" in text
    assert "overlaps" in text and 'no image "nope" in images' in text
    assert len(found) == 5
    lines = sorted(p.line for p in _problems(spec))
    assert lines == [23, 25, 26, 28, 29]  # each problem at its own line


def test_layout_keys_on_a_module_without_a_body_are_refused(tmp_path):
    spec = _load(tmp_path, "- {image: pic, col: 1, line: 1, cols: 3, lines: 8, body_cols: 2}\n")
    (p,) = [p for p in _problems(spec) if "modules" in p.path]
    assert p.line == 18 and "an image module has no body for body_cols" in p.problem


def test_a_photo_into_the_headline_block_is_refused_at_its_line(tmp_path):
    spec = _load(tmp_path, textwrap.dedent("""\
        - article: a
          col: 1
          line: 1
          cols: 3
          lines: 20
          photos:
            - {image: pic, col: 1, line: 2, cols: 2, lines: 6}
        """))
    with pytest.raises(BroadsheetError) as e:
        render_spec(spec, tmp_path / "s.pdf")
    assert "s.yaml:24" in str(e.value) and "reaches into the headline block" in str(e.value)


def test_a_photo_at_line_1_across_the_module_puts_the_headline_under_it(tmp_path):
    spec = _load(tmp_path, textwrap.dedent("""\
        - article: a
          col: 1
          line: 1
          cols: 3
          lines: 20
          photos:
            - {image: pic, col: 1, line: 1, cols: 3, lines: 8}
        """))
    render_spec(spec, tmp_path / "s.pdf")
    grid = page_grid(load_issue(spec).format, 13.0, 1)
    head = [g for g in page_glyphs(tmp_path / "s.pdf")[0] if g.size == 16.0]
    (clip,) = picture_clips(tmp_path / "s.pdf")
    assert clip.y == pytest.approx(grid.band_top(1), abs=0.01)
    assert min(g.baseline - 0.88 * g.size for g in head) >= clip.bottom


def test_a_pull_quote_too_small_for_its_text_is_refused(tmp_path):
    spec = _load(tmp_path, textwrap.dedent("""\
        - article: a
          col: 1
          line: 1
          cols: 3
          lines: 20
          pull_quote: {text: 一句很长很长的引语要放在很小的地方里面放不下的, col: 1, line: 8, cols: 1, lines: 2}
        """))
    with pytest.raises(BroadsheetError) as e:
        render_spec(spec, tmp_path / "s.pdf")
    assert "s.yaml:23" in str(e.value) and "grid lines" in str(e.value)


def test_a_lead_wider_than_its_module_is_refused(tmp_path):
    spec = _load(tmp_path, "- {article: a, col: 1, line: 1, cols: 2, lines: 20}\n")
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "    body: 正文。\n", "    lead: 导语。\n    lead_cols: 3\n    body: 正文。\n"), encoding="utf-8")
    with pytest.raises(SpecError) as e:
        render_spec(spec, tmp_path / "s.pdf")
    assert e.value.path == "articles.a.lead_cols" and "at most 2" in str(e.value)


def test_a_pull_quote_outside_its_module_is_refused_at_its_line(tmp_path):
    spec = _load(tmp_path, textwrap.dedent("""\
        - article: a
          col: 1
          line: 1
          cols: 3
          lines: 20
          pull_quote: {text: 引语, col: 2, line: 8, cols: 3, lines: 4}
        """))
    (p,) = [p for p in _problems(spec) if "modules" in p.path]
    assert p.line == 23 and "the pull quote takes columns 2-4 of a module 3 columns wide" in p.problem


def test_the_lead_and_pull_quote_are_checked_for_missing_glyphs(tmp_path):
    spec = _load(tmp_path, textwrap.dedent("""\
        - article: a
          col: 1
          line: 1
          cols: 3
          lines: 20
          pull_quote: {text: "引语\U0001F600", col: 2, line: 8, cols: 2, lines: 6}
        """))
    with pytest.raises(BroadsheetError) as e:
        render_spec(spec, tmp_path / "s.pdf")
    assert "pull quote" in str(e.value)


@pytest.mark.parametrize("story", ["shoulashou", "xuchang_university", "liutao"])
def test_lines_beside_every_photo_keep_a_gutter_from_it(issue, grid, glyphs, pdf, story):
    """Lines left of a photo end flush a gutter before it (unless they end a paragraph), lines
    right of it start a gutter after it (or a first-line indent further)."""
    (m,) = _chain(issue, story)
    top, bottom = grid.band_top(m.line), grid.band_top(m.line + m.lines)
    clips = [c for c in picture_clips(pdf) if grid.column_x(m.col) - 0.5 <= c.x
             and c.right <= grid.column_x(m.col) + grid.span_width(m.cols) + 0.5
             and top <= c.y < bottom]
    assert len(clips) == 1
    clip = clips[0]
    rows = story_rows(issue, grid, glyphs, story)
    spans = _spans(rows, issue, story)
    beside = [(k, r) for k, r in enumerate(rows) if clip.y < r.baseline < clip.bottom]
    assert len(beside) >= 8
    near = 0.5 * grid.column_width  # a line in the column next to the photo, not further
    for k, r in beside:
        if r.glyphs[-1].right <= clip.x - grid.gutter - near or \
                r.glyphs[0].x >= clip.right + grid.gutter + near:
            continue
        if r.glyphs[-1].right <= clip.x:
            if not spans[k][1]:
                assert r.glyphs[-1].right == pytest.approx(clip.x - grid.gutter, abs=0.6), r.text
        else:
            assert r.glyphs[0].x >= clip.right + grid.gutter - 0.6, r.text
            assert r.glyphs[0].x - (clip.right + grid.gutter) in (
                pytest.approx(0, abs=0.6), pytest.approx(18.0, abs=0.6)), r.text


def test_a_continuation_on_another_page_in_body_columns_round_a_photo_keeps_its_jumps(tmp_path):
    """A story at a measure per line (its continuation in 2 body columns round a photo) still
    jumps with jump lines, and its text reads once, in order, across the pages."""
    paragraphs = [f"第{k}段的文字写在这里，要足够长才能换行，让这一段占上好几行，看它怎样绕过照片继续排下去。"
                  * 2 for k in range(1, 13)]
    (tmp_path / "photo.jpg").write_bytes((ROOT / "issue_specs" / "photo-1.jpg").read_bytes())
    spec = tmp_path / "s.yaml"
    spec.write_text(BASE.split("pages:")[0] + textwrap.dedent("""\
        pages:
          - number: 1
            modules:
              - {article: a, col: 1, line: 1, cols: 3, lines: 12}
          - number: 2
            modules:
              - continue: a
                col: 1
                line: 1
                cols: 3
                lines: 21
                body_cols: 2
                photos:
                  - {image: pic, col: 1, line: 5, cols: 2, lines: 6}
        articles:
          a:
            headline: 标题
            body: |
        """) + "".join(f"          {p}\n\n" for p in paragraphs), encoding="utf-8")
    render_spec(spec, tmp_path / "s.pdf", allow_overset=True)
    issue = load_issue(spec)
    pages = page_glyphs(tmp_path / "s.pdf")
    t1, t2 = ("".join(g.ch for g in p) for p in pages)
    assert "下转第二版" in t1 and "上接第一版" in t2
    printed = ""
    for n, page in enumerate(pages, 1):
        grid = page_grid(issue.format, 13.0, n)
        rows = story_rows(issue, grid, page, "a", body_size=10.0, subhead_size=99.0, page=n)
        printed += "".join(r.text for r in rows)
    printed = printed.replace("（下转第二版）", "").replace("（上接第一版）", "")
    expected = "".join(_paragraph_texts(issue, "a"))
    assert expected.startswith(printed) and len(printed) > len(expected) // 2
