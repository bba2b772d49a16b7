"""Issue 11 §4: composition defects seen on a new Traditional Chinese edition, checked on the PDF
written (glyph positions read back with pypdfium2). The edition is tests/tcedition.py."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from layout.compose import cjk
from layout.model.grid import page_grid
from layout.desk.render import render_spec
from layout.spec.load import load_issue
from tcedition import BODY_A, BODY_B, tc_spec

CENTRED = "，。、；："
SIZE = 9.0  # body size of the edition


@dataclass(frozen=True)
class Ink:
    """A glyph: its advance box (the font's full advance, from the pen position) and its ink box."""

    ch: str
    x: float
    right: float
    ink_left: float
    ink_right: float
    baseline: float
    size: float

    @property
    def ink_centre(self) -> float:
        return (self.ink_left + self.ink_right) / 2


def read_pdf(path: Path) -> list[list[Ink]]:
    pdf = pdfium.PdfDocument(str(path))
    pages = []
    for page in pdf:
        left, _, _, top = page.get_trimbox()
        tp = page.get_textpage()
        glyphs = []
        for i in range(tp.count_chars()):
            ch = tp.get_text_range(i, 1)
            if not ch or ch.isspace():
                continue
            ox, oy = ctypes.c_double(), ctypes.c_double()
            raw.FPDFText_GetCharOrigin(tp.raw, i, ox, oy)
            l, _, r, _ = tp.get_charbox(i, loose=True)
            il, _, ir, _ = tp.get_charbox(i)
            glyphs.append(Ink(ch, l - left, r - left, il - left, ir - left, top - oy.value,
                              round(raw.FPDFText_GetFontSize(tp.raw, i), 2)))
        pages.append(glyphs)
    return pages


def lines_of(glyphs: list[Ink], boxes: list[tuple[float, float]],
             size: float = SIZE) -> list[list[Ink]]:
    """Glyphs of one size grouped into lines: one baseline, one box (a column or a module: x0, x1),
    box by box from the left, top to bottom."""
    rows: dict[tuple[int, float], list[Ink]] = {}
    for g in glyphs:
        if abs(g.size - size) < 0.05:
            box = next((k for k, (x0, x1) in enumerate(boxes)
                        if x0 - 0.5 * size <= (g.x + g.right) / 2 <= x1 + 0.5 * size), None)
            if box is not None:
                rows.setdefault((box, round(g.baseline, 1)), []).append(g)
    return [sorted(rows[key], key=lambda g: g.x) for key in sorted(rows)]


def columns(spec: Path) -> list[tuple[float, float]]:
    issue = load_issue(spec)
    grid = page_grid(issue.format, issue.styles["body"].leading, 1)
    return [(grid.column_x(c), grid.column_x(c) + grid.column_width)
            for c in range(1, issue.format.columns + 1)]


def modules(spec: Path) -> list[tuple[float, float]]:
    """The edition's two 3-column modules side by side."""
    cols = columns(spec)
    return [(cols[0][0], cols[2][1]), (cols[3][0], cols[5][1])]


def text(line: list[Ink]) -> str:
    return "".join(g.ch for g in line)


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> tuple[Path, list[list[Ink]]]:
    """Story a (3 columns of 3 lines, then a continuation on page 2) in 7.7-character columns."""
    folder = tmp_path_factory.mktemp("tc")
    spec = tc_spec(folder, lines_a=8)
    pdf = folder / "tc.pdf"
    render_spec(spec, pdf)
    return spec, read_pdf(pdf)


def test_squeezed_centred_marks_lose_blank_on_both_sides(edition):
    """Noto Serif CJK TC centres ，。、：； in the em box: squeezed mid-line (`有疑慮，協商`) or at a
    line end, such a mark stays centred in what is left of its advance."""
    spec, pages = edition
    edges = [x1 for _, x1 in columns(spec)]
    squeezed = checked = 0
    for glyphs in pages:
        for line in lines_of(glyphs, columns(spec)):
            for k in range(1, len(line)):
                g, before = line[k], line[k - 1]
                if g.ch not in CENTRED or not cjk.is_han(before.ch):
                    continue
                if k + 1 < len(line):
                    after = line[k + 1]
                    if not cjk.is_han(after.ch):
                        continue
                    room_right = after.x
                elif any(p.endswith(text(line)) for p in BODY_A + BODY_B):
                    continue  # a paragraph's last line ends short of the column edge
                else:  # the line's end: the column edge
                    room_right = min(edges, key=lambda e: abs(e - g.right))
                room = room_right - before.right
                checked += 1
                squeezed += room < 0.95 * SIZE
                assert abs(g.ink_centre - (before.right + room_right) / 2) < 0.06 * SIZE, \
                    f"{before.ch}{g.ch} in {text(line)!r}: ink off the centre of its {room / SIZE:.2f} em"
    assert checked >= 10 and squeezed >= 3


def test_a_url_breaks_only_after_a_slash_dot_or_at(edition):
    spec, pages = edition
    url = "https://south.npm.gov.tw"
    body = [text(line) for glyphs in pages for line in lines_of(glyphs, columns(spec)[:3])]
    joined = "".join(body)
    start = joined.index("https")
    assert joined[start:start + len(url)] == url
    ends = [sum(len(t) for t in body[:k + 1]) for k in range(len(body))]
    inside = [e for e in ends if start < e < start + len(url)]
    assert inside  # the URL does break, and only after a slash, a dot or an at sign
    assert all(joined[e - 1] in "/.@" for e in inside), [body[ends.index(e)] for e in inside]


def test_jump_lines_are_set_as_written(edition):
    """`（轉A{page}版）`: no Han–Latin gap beside the page number of a jump line."""
    spec, pages = edition
    jumps = [line for glyphs in pages for line in lines_of(glyphs, columns(spec))
             if text(line).startswith(("（轉", "（接"))]
    assert {text(line) for line in jumps} == {"（轉A2版）", "（接A1版）"}
    for line in jumps:
        gaps = [b.x - a.right for a, b in zip(line, line[1:])]
        assert max(gaps) < 0.02 * SIZE, f"{text(line)}: gaps {gaps}"


def test_the_han_number_gap_is_the_same_on_both_sides_of_a_number_and_its_unit(edition):
    """`原本的 20% 上調`: the quarter em before the number is matched after its % sign."""
    spec, pages = edition
    found = 0
    for glyphs in pages:
        for line in lines_of(glyphs, columns(spec)):
            s = text(line)
            for number in ("20%", "25%", "10%"):
                i = s.find(number)
                if i < 1 or i + len(number) >= len(s) or not cjk.is_han(s[i + len(number)]):
                    continue
                before = line[i].x - line[i - 1].right
                after = line[i + len(number)].x - line[i + len(number) - 1].right
                assert before > 0.1 * SIZE and after > 0.1 * SIZE, s
                assert abs(before - after) < 0.05 * SIZE, f"{s}: {before:.2f} before, {after:.2f} after"
                found += 1
    assert found >= 1


def test_no_paragraph_ends_alone_at_a_column_top(edition):
    """`（接A1版）` followed by `覆轍，淪為枉然。` (the end of the first paragraph) before the fix:
    the paragraph is re-broken so that two of its lines open the continuation; the story still
    ends with balanced columns."""
    spec, pages = edition
    cols = columns(spec)
    tops, counts = [], []
    for glyphs in pages:
        for col in cols[:3]:  # story a's columns
            lines = [text(line) for line in lines_of(glyphs, [col])]
            body = [t for t in lines if not t.startswith(("（轉", "（接"))]
            if body:
                tops.append(body[0])
                counts.append(len(lines))
    assert tops[3] == "重蹈覆轍，淪為"  # under the jump line on page 2
    widows = [t for t in tops if any(p.endswith(t) and p != t for p in BODY_A)]
    assert not widows
    assert max(counts[3:]) - min(counts[3:]) <= 1  # page 2: the balanced ending


@pytest.fixture(scope="module")
def wide_edition(tmp_path_factory) -> tuple[Path, list[list[Ink]]]:
    """8.6-character columns, and a headline whose second phrase just fits its 3 columns."""
    folder = tmp_path_factory.mktemp("tcwide")
    body_b = ("故宮南院今年推出亞洲織品特展，策展人林慧如指出：「展品來自十餘個國家，多數為首次"
              "公開展出。」館方並規劃導覽與工作坊，歡迎民眾踴躍參觀。",)
    spec = tc_spec(folder, side=10, headline="南湖到光谷　通勤從70分鐘縮到25分鐘",
                   headline_size=16.5, body_b=body_b, lines_a=20)
    pdf = folder / "tc.pdf"
    render_spec(spec, pdf)
    return spec, read_pdf(pdf)


def test_a_headline_breaks_at_its_writers_u3000(wide_edition):
    spec, pages = wide_edition
    heads = lines_of(pages[0], modules(spec)[:1], 16.5)
    assert [text(line) for line in heads] == ["南湖到光谷", "通勤從70分鐘縮到25分鐘"]
    centres = [(line[0].x + line[-1].right) / 2 for line in heads]
    assert abs(centres[0] - centres[1]) < 0.5  # the separator is not set at the line's end


def test_a_line_end_mark_is_squeezed_rather_than_the_line_spread(wide_edition):
    """`策展人林慧如指出：` fits an 8.6-em line with its colon squeezed; the `「` after it opens the
    next line at its full width, inside the column."""
    spec, pages = wide_edition
    lines = lines_of(pages[0], columns(spec))
    k = next(i for i, line in enumerate(lines) if text(line).startswith("策展人"))
    assert text(lines[k]) == "策展人林慧如指出："
    gaps = [b.x - a.right for a, b in zip(lines[k], lines[k][1:])]
    assert max(gaps) < 0.05 * SIZE  # set solid, not spread
    bracket = lines[k + 1][0]
    assert bracket.ch == "「"
    assert bracket.x >= lines[k + 2][0].x - 0.01  # not pushed out of its column into the gutter
