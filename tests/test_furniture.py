"""Furniture on the plan: what a continuation module's headline and a narrow masthead look like."""
from __future__ import annotations

import textwrap
from collections import Counter

from layout.render import plan_spec

SPEC = textwrap.dedent("""\
    spec_version: 1
    paper: {name: 测试日报, serial: CN41-0013, editor_in_chief: 某某某, publisher: 测试日报社出版,
            sponsor: 中共测试市委主管主办, organ_of: 中共测试市委机关报, rating: 河南省一级报纸}
    issue: {date: 2025-01-29, number: 23456, pages_total: 16}
    format:
      trim: {width: 390mm, height: 545mm}
      margins: {top: 27mm, bottom: 28mm, inside: 18.5mm, outside: 18.5mm}
      columns: 8
      gutter: 1em
    fonts: {song: Noto Serif CJK SC}
    styles:
      body: {font: song, size: 9pt, leading: 11.5pt}
    pages:
      - number: 1
        modules:
          - {masthead: true, col: 1, line: 1, cols: MASTCOLS, lines: 20}
          - {article: a, col: 1, line: 21, cols: 1, lines: 20}
      - number: 2
        modules:
          - {continue: a, col: 1, line: 1, cols: 4, lines: 40, headline_size: 30pt}
    articles:
      a:
        headline: 一条跳版的新闻
        byline: 本报记者　欧阳某某　司马某某　诸葛某某
        body: BODY
    """)


def plan(tmp_path, mastcols=2):
    spec = tmp_path / "issue.yaml"
    spec.write_text(SPEC.replace("MASTCOLS", str(mastcols)).replace("BODY", "新闻正文的句子。" * 80),
                    encoding="utf-8")
    return plan_spec(spec)[1]


def text_lines(plan, page, role):
    return [i for i in plan.pages[page - 1].items if getattr(i, "role", None) == role]


def test_headline_size_applies_to_a_continuation(tmp_path):
    heads = text_lines(plan(tmp_path), 2, "continued_headline")
    assert heads and {h.size for h in heads} == {30.0}


def test_narrow_masthead_stacks_its_particulars(tmp_path):
    """Two columns of particulars that would overprint in 2 of 8 columns go one under another."""
    small = [i for i in text_lines(plan(tmp_path, 2), 1, "masthead") if i.size == 10.5]
    assert len(small) >= 6
    assert max(Counter(round(i.baseline, 2) for i in small).values()) == 1  # one text per row
    assert len({round(i.x, 2) for i in small}) == 1  # all flush left
    wide = [i for i in text_lines(plan(tmp_path, 4), 1, "masthead") if i.size == 10.5]
    assert max(Counter(round(i.baseline, 2) for i in wide).values()) == 2  # side by side when they fit


def test_a_byline_breaks_between_names_and_ends_flush(tmp_path):
    bylines = text_lines(plan(tmp_path), 1, "byline")
    assert len(bylines) == 2
    texts = ["".join(ch for ch, _ in line.glyphs) for line in bylines]
    assert texts == ["本报记者　欧阳某某", "司马某某　诸葛某某"]  # 司马 stays whole
    first = bylines[0]
    column = (390 - 2 * 18.5) * 72 / 25.4 / 8 - 9.0 * 7 / 8  # one of 8 columns, 1 em gutters
    assert abs(first.glyphs[-1][1] + first.size - column) < 0.5  # justified to the edge


def test_index_items_break_between_phrases():
    """导读 item of the reference edition: after the quoted “最美税务人”, not inside it."""
    from pathlib import Path

    ref = Path(__file__).resolve().parent.parent / "issue_specs" / "xuchang-2022-06-16.yaml"
    items = [i for i in plan_spec(ref)[1].pages[0].items if getattr(i, "role", None) == "index_item"]
    texts = ["".join(ch for ch, _ in line.glyphs) for line in items]
    k = next(n for n, t in enumerate(texts) if "税务系统" in t)
    assert texts[k].endswith("“最美税务人”") and texts[k + 1].startswith("颁奖仪式")


def test_masthead_small_print_follows_its_style(tmp_path):
    spec = tmp_path / "issue.yaml"
    text = SPEC.replace("MASTCOLS", "3").replace("BODY", "正文。" * 50)
    old = "  body: {font: song, size: 9pt, leading: 11.5pt}\n"
    assert old in text
    text = text.replace(old, old + "  masthead_small: {size: 16pt}\n")
    spec.write_text(text, encoding="utf-8")
    small = [i for i in text_lines(plan_spec(spec)[1], 1, "masthead") if i.size == 16.0]
    assert len(small) >= 6
    assert max(Counter(round(i.baseline, 2) for i in small).values()) == 1  # stacked, no overprint
    baselines = sorted({round(i.baseline, 2) for i in small})
    assert min(b - a for a, b in zip(baselines, baselines[1:])) >= 16.0  # rows as far apart as the type


def test_byline_with_doubled_separators_stays_inside_its_column(tmp_path):
    from layout.furniture import byline_lines
    from layout.pages import load_faces
    from layout.render import shared_fontbook
    from layout.spec import load_issue
    from layout.typeset import Setter

    spec = tmp_path / "issue.yaml"
    spec.write_text(SPEC.replace("MASTCOLS", "2").replace("BODY", "正文。"), encoding="utf-8")
    issue = load_issue(spec)
    setter = Setter(load_faces(issue, shared_fontbook()), issue.styles, issue.typography)
    for text in ("本报记者　　欧阳某某", "张三　", "　张三　李四", "本报记者　欧阳某某　司马某某"):
        for width in (45.0, 60.0, 117.2):
            lines = byline_lines(setter, text, width, 18.0)
            set_text = "".join(ch for line in lines for ch, _ in line.glyphs)
            assert set_text.replace("\u3000", "") == text.replace("\u3000", "")  # only separators go
            for k, line in enumerate(lines):
                ink = [x for ch, x in line.glyphs if not ch.isspace()]
                assert not ink or max(ink) + 9.0 <= width + 0.5, (text, width, k)
