"""The lead (导语) takes the body's inline markup: `**strong**` in the strong face and `*emphasis*`
with its 着重号, both at the lead's size, the marks never printed; block markup (a subhead, a quote,
a list) in a lead is an error at its line (issue 15)."""
from __future__ import annotations

import textwrap

import pytest

from layout.desk.render import render_spec
from layout.util.errors import SpecError
from pdftext import page_glyphs
from test_markup import dots
from test_structured import _load, _problems

LEAD_SIZE = 11.0


def _spec(tmp_path, lead_yaml: str):
    spec = _load(tmp_path, "- {article: a, col: 1, line: 1, cols: 3, lines: 20}\n")
    text = spec.read_text(encoding="utf-8")
    style = "  headline: {font: hei, size: 16pt}\n"
    assert style in text
    text = text.replace(style, style + f"  lead: {{font: song, size: {LEAD_SIZE:g}pt}}\n")
    text = text.replace("    body: 正文。\n", lead_yaml + "    body: 正文。\n")
    spec.write_text(text, encoding="utf-8")
    return spec


def _font(g) -> str:
    return g.font.split("+")[-1]


def test_strong_and_emphasis_in_a_lead_are_set_at_the_lead_s_size(tmp_path):
    spec = _spec(tmp_path, "    lead: 本报讯　**区间右线贯通**，建设者用二百天啃下了*硬骨头*这一段。\n")
    out = tmp_path / "s.pdf"
    render_spec(spec, out)
    lead = [g for g in page_glyphs(out)[0] if abs(g.size - LEAD_SIZE) < 0.05]
    text = "".join(g.ch for g in lead)
    assert "*" not in text and text.startswith("本报讯")
    assert "区间右线贯通，建设者用二百天啃下了硬骨头这一段。" in text
    strong = [g for g in lead if g.ch in "区间右线贯通"]
    assert strong and all(_font(g) == "NotoSansCJKsc-Bold" for g in strong)
    plain = [g for g in lead if g.ch in "本报讯建设者"]
    assert plain and all(_font(g) == "NotoSerifCJKsc-Regular" for g in plain)
    # 着重号 under 硬骨头 only (emphasis defaults to the body face with dots), at the lead's size
    marked = [g for g in lead if g.ch in "硬骨头"]
    found = dots(out)
    assert len(found) == 3
    for g in marked:
        assert any(abs(x - (g.x + g.right) / 2) < 0.05 and 0 < y - g.baseline < 13 for x, y, _ in found)
    for _, _, diameter in found:
        assert diameter == pytest.approx(2 * 0.07 * LEAD_SIZE, abs=0.05)
    # the lead's lines sit on the baseline grid, above the body
    body = [g for g in page_glyphs(out)[0] if g.ch == "正" and abs(g.size - 10) < 0.05]
    assert body and max(g.baseline for g in lead) < min(g.baseline for g in body)


def test_emphasis_in_a_bold_lead_stays_in_the_lead_s_face_with_its_dots(tmp_path):
    spec = _spec(tmp_path, "    lead: 本报讯　建设者用*二百天*啃下了硬骨头。\n")
    song = f"lead: {{font: song, size: {LEAD_SIZE:g}pt}}"
    spec.write_text(spec.read_text(encoding="utf-8").replace(song, song.replace("song", "hei")),
                    encoding="utf-8")
    out = tmp_path / "s.pdf"
    render_spec(spec, out)
    lead = [g for g in page_glyphs(out)[0] if abs(g.size - LEAD_SIZE) < 0.05]
    assert lead and all(_font(g) == "NotoSansCJKsc-Bold" for g in lead)
    marked = [g for g in lead if g.ch in "二百天"]
    found = dots(out)
    assert len(found) == len(marked) == 3
    assert all(any(abs(x - (g.x + g.right) / 2) < 0.05 for x, _, _ in found) for g in marked)


def test_a_lead_over_two_lines_of_yaml_joins_its_runs(tmp_path):
    spec = _spec(tmp_path, "    lead: |\n      本报讯　**区间**\n      *贯通*了。\n")
    out = tmp_path / "s.pdf"
    render_spec(spec, out)
    lead = "".join(g.ch for g in page_glyphs(out)[0] if abs(g.size - LEAD_SIZE) < 0.05)
    assert "区间贯通了。" in lead and "*" not in lead


@pytest.mark.parametrize("line, what", [
    ("## 小标题", "a subhead (`## `) in a lead"),
    ("> 引语", "a quote (`> `) in a lead"),
    ("- 一项", "a bullet list in a lead"),
    ("1. 一项", "a numbered list in a lead"),
])
def test_block_markup_in_a_lead_is_an_error_at_its_line(tmp_path, line, what):
    spec = _spec(tmp_path, f"    lead: |\n      本报讯**区间**贯通。\n\n      {line}\n")
    (p,) = _problems(spec)
    lead_line = spec.read_text(encoding="utf-8").splitlines().index(f"      {line}") + 1
    assert (p.path, p.line) == ("articles.a.lead", lead_line)
    assert what in p.problem and "inline markup only" in p.problem


def test_inline_problems_in_a_lead_are_errors_too(tmp_path):
    spec = _spec(tmp_path, "    lead: 见[链接](http://example.com)和*未闭合\n")
    problems = _problems(spec)
    assert [p.path for p in problems] == ["articles.a.lead"] * 2
    assert any("a link" in p.problem for p in problems)
    assert any("`*`" in p.problem for p in problems)


def test_an_escaped_mark_in_a_lead_prints_and_an_empty_lead_is_refused(tmp_path):
    spec = _spec(tmp_path, "    lead: 星号\\*照印。\n")
    out = tmp_path / "s.pdf"
    render_spec(spec, out)
    assert "星号*照印。" in "".join(g.ch for g in page_glyphs(out)[0]
                                  if abs(g.size - LEAD_SIZE) < 0.05).replace("＊", "*")
    with pytest.raises(SpecError) as e:
        render_spec(_spec(tmp_path, '    lead: "**  **"\n'), tmp_path / "t.pdf")
    assert e.value.path == "articles.a.lead"
