"""专名号 and 书名号 (body markup `[…]{.专名}`, `[…]{.书名}`) and vertical headlines in 1-column
modules, read back from the PDF: a straight line (专名号) or a wave (书名号) under each marked run of
a horizontal line and left of each marked run of a vertical one, one per run of characters, never
under punctuation or unmarked text; 「初冬江城」 in a 1-column module set as one vertical column."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from vertical_pdf import Placed, Stroke, page_text, strokes

ROOT = Path(__file__).resolve().parent.parent
SIZE = 10.0  # the body size below
SPEC = """\
spec_version: 1
paper: {name: 测试日报}
issue: {date: 2024-01-02}
format:
  trim: {width: 150mm, height: 150mm}
  margins: {top: 10mm, bottom: 10mm, inside: 10mm, outside: 10mm}
  columns: 4
  gutter: 1em
fonts: {song: Noto Serif CJK SC, hei: Noto Sans CJK SC}
styles:
  body: {font: song, size: 10pt, leading: 14pt}
  headline: {font: hei, size: 20pt}
pages:
  - number: 1
    modules:
      - {article: h, col: 1, line: 1, cols: 2, lines: 20}
      - {article: v, col: 3, line: 1, cols: 1, lines: 24, direction: vertical}
      - {article: w, col: 4, line: 1, cols: 1, lines: 24, direction: vertical}
articles:
  h:
    headline: 专名号与书名号
    body: |
      据[新华社]{.专名}报道，[张三]{.专名}、[李四]{.专名}[王五]{.专名}在[北京]{.专名}读了[红楼梦]{.书名}和[史记]{.书名}，又到[长江]{.专名}边走了一走，说起[三国演义]{.书名}里的[诸葛亮]{.专名}，众人都笑了。[中华人民共和国国家博物馆]{.专名}今天开放。
  v:
    headline: 初冬江城
    body: |
      [江城]{.专名}初冬，[长江]{.专名}两岸的梧桐叶黄了。老人们在江滩上读[楚辞]{.书名}，说[屈原]{.专名}的故事，孩子们在一旁放风筝，笑声随江风飘得很远很远。
  w:
    headline: 江畔书声
    body: |
      [汉口]{.专名}的旧书店里，[水浒传]{.书名}、[西游记]{.书名}[红楼梦]{.书名}摆满了一整面墙。店主说，这些书陪他走过了几十年，每一本都有故事可讲，每一位读者都是老朋友。
"""
SPAN = re.compile(r"\[([^\]]+)\]\{\.(专名|书名)\}")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("marks")
    (folder / "marks.yaml").write_text(SPEC, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "layout", "render", str(folder / "marks.yaml"),
                           "-o", str(folder)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return folder / "marks.pdf"


def expected(story: str) -> list[tuple[str, str | None]]:
    """Each character of a story's body as printed, with its mark ("line", "wave", None), read
    from the spec's source."""
    body = SPEC.split(f"  {story}:\n", 1)[1].split("body: |\n", 1)[1].split("\n")[0].strip()
    out: list[tuple[str, str | None]] = []
    at = 0
    for found in SPAN.finditer(body):
        out += [(ch, None) for ch in body[at:found.start()]]
        kind = "line" if found.group(2) == "专名" else "wave"
        out += [(ch, kind) for ch in found.group(1)]
        at = found.end()
    return out + [(ch, None) for ch in body[at:]]


def covers(mark: Stroke, g: Placed) -> bool:
    """Whether `mark` stands beside glyph `g` as clreq has it: under a horizontal glyph (within
    0.35 em below its em box), left of a vertical one (within 0.35 em of its em box's left)."""
    x0, x1 = mark.xs
    y0, y1 = mark.ys
    if g.vertical:
        left = g.x - g.size / 2
        return left - 0.35 * g.size < x0 and x1 < left and y0 < g.y + g.size / 2 < y1
    bottom = g.y + 0.12 * g.size
    return bottom < y0 and y1 < bottom + 0.35 * g.size and x0 < g.x + g.width / 2 < x1


def body_glyphs(pdf: Path, vertical: bool, x_range: tuple[float, float]) -> list[Placed]:
    return [g for g in page_text(pdf)[0] if g.size == SIZE and g.vertical == vertical
            and not g.invisible and x_range[0] <= g.x <= x_range[1]]


@pytest.mark.parametrize("story,vertical,x_range", [
    ("h", False, (0, 200)), ("v", True, (200, 310)), ("w", True, (310, 425))])
def test_marks_stand_beside_their_characters_only(pdf, story, vertical, x_range):
    """Every marked character has exactly one mark of its kind beside it; punctuation and
    unmarked characters none; a mark never spans two runs (张三、李四: two lines)."""
    glyphs = body_glyphs(pdf, vertical, x_range)
    want = expected(story)
    assert "".join(g.text for g in glyphs) == "".join(ch for ch, _ in want)
    marks = [s for s in strokes(pdf, 0) if s.width < 0.1 * SIZE
             and x_range[0] - SIZE <= s.xs[0] <= x_range[1]]
    assert marks, "no marks drawn"
    used: set[int] = set()
    for g, (ch, kind) in zip(glyphs, want):
        beside = [k for k, m in enumerate(marks) if covers(m, g)]
        if kind is None:
            assert not beside, f"{ch} is not marked"
            continue
        assert len(beside) == 1, f"{ch}: {len(beside)} marks"
        assert marks[beside[0]].curved == (kind == "wave"), ch
        used.update(beside)
    assert used == set(range(len(marks)))  # no mark beside nothing
    # one mark per run of marked characters on a line (a run broken by a line break: two)
    runs = sum(1 for k, (ch, kind) in enumerate(want) if kind and
               (k == 0 or want[k - 1][1] != kind or _line_break(glyphs, k) or
                SPAN_START[story].get(k)))
    assert len(marks) == runs


def _line_break(glyphs: list[Placed], k: int) -> bool:
    a, b = glyphs[k - 1], glyphs[k]
    return abs(a.x - b.x) > 1 if a.vertical else abs(a.y - b.y) > 1


def _span_starts(story: str) -> dict[int, bool]:
    """Indexes of the printed text where a span starts right after another span of its kind."""
    out, printed = {}, 0
    body = SPEC.split(f"  {story}:\n", 1)[1].split("body: |\n", 1)[1].split("\n")[0].strip()
    at = 0
    for found in SPAN.finditer(body):
        printed += found.start() - at
        if found.start() == at and at:
            out[printed] = True
        printed += len(found.group(1))
        at = found.end()
    return out


SPAN_START = {story: _span_starts(story) for story in ("h", "v", "w")}


def test_a_vertical_headline_in_a_one_column_module(pdf):
    """「初冬江城」 in a 1-column module with `direction: vertical`: one vertical column of the
    headline's size, top to bottom, right of the vertical body."""
    head = [g for g in page_text(pdf)[0] if g.text in "初冬江城" and g.size == 20
            and 200 < g.x < 310]
    assert "".join(g.text for g in head) == "初冬江城"
    assert all(g.vertical for g in head)
    assert max(g.x for g in head) - min(g.x for g in head) < 0.01
    assert [g.y for g in head] == sorted(g.y for g in head)
    body = body_glyphs(pdf, True, (200, 310))
    assert body and max(g.x for g in body) + SIZE / 2 < head[0].x - 10
