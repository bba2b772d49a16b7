"""Furniture on the plan: what a continuation module's headline and a narrow masthead look like."""
from __future__ import annotations

import textwrap
from collections import Counter

from layout.desk.render import plan_spec

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
    from layout.pages.furniture import byline_lines
    from layout.pages.planner import load_faces
    from layout.desk.render import shared_fontbook
    from layout.spec.load import load_issue
    from layout.pages.typeset import Setter

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


# --- Furniture that cannot be set at 4 pt or more in its space is refused, never drawn ------------

def _render(tmp_path, edit, *options):
    from click.testing import CliRunner

    from layout.desk.cli import main

    spec = tmp_path / "issue.yaml"
    spec.write_text(edit(SPEC.replace("MASTCOLS", "2").replace("BODY", "新闻正文的句子。" * 80)),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(spec), "-o", str(tmp_path / "out"), *options])
    assert "Traceback" not in result.stderr
    return spec, result.exit_code, result.stderr.splitlines(), tmp_path / "out" / "issue.pdf"


def _pdf_text(pdf, page: int) -> tuple[str, list]:
    from pdftext import page_glyphs

    glyphs = page_glyphs(pdf)[page - 1]
    return "".join(g.ch for g in glyphs), glyphs


CROWDED_HINT = "  give the module more lines or columns, or shorten its text (--allow-overset renders it anyway)"
SMALL_MASTHEAD = "{masthead: true, col: 1, line: 1, cols: MASTCOLS, lines: 20}"


def _long_name(text: str) -> str:
    text = text.replace(SMALL_MASTHEAD.replace("MASTCOLS", "2"),
                        "{masthead: true, col: 1, line: 1, cols: 1, lines: 8}")
    return text.replace("paper: {name: 测试日报,", "paper: {name: " + "长" * 1500 + ",").replace(
        "  - number: 2\n", "  - number: 2\n    section: 要闻\n")


def test_a_paper_name_too_long_for_its_masthead_at_4pt_is_refused(tmp_path):
    spec, code, lines, pdf = _render(tmp_path, _long_name)
    assert code == 1
    assert lines[0] == (f"{spec}:16: pages[0].modules[0]: the masthead, with its paper name at 4 pt, "
                        "needs 35 lines, its module gives it 8")
    assert not pdf.exists()


def test_a_refused_paper_name_is_never_drawn(tmp_path):
    """With --allow-overset the rest of the edition is rendered, but not a 0.01 pt name."""
    *_, code, lines, pdf = _render(tmp_path, _long_name, "--allow-overset")
    assert code == 0, lines
    text, glyphs = _pdf_text(pdf, 1)
    assert "长" not in text and "中共测试市委机关报" in text  # the particulars stay
    assert min(g.size for g in glyphs) >= 4


def test_a_section_name_too_long_for_the_page_header_at_4pt_is_refused(tmp_path):
    def long_section(text):
        return text.replace("  - number: 2\n", "  - number: 2\n    section: " + "要闻" * 150 + "\n")

    spec, code, lines, pdf = _render(tmp_path, long_section)
    assert code == 1
    assert lines == [f"{spec}:18: pages[1]: the page header, at 4 pt, needs 2 lines, "
                     "the top margin gives it 1", CROWDED_HINT]
    *_, code, lines, pdf = _render(tmp_path, long_section, "--allow-overset")
    assert code == 0
    text, glyphs = _pdf_text(pdf, 2)
    assert "要闻要闻" not in text and "第2版" not in text  # no black bar of overprinted text
    assert "一条跳版的新闻" in text


def test_a_long_section_name_is_set_smaller_on_one_line(tmp_path):
    section = "综合新闻" * 20

    *_, code, lines, pdf = _render(tmp_path, lambda t: t.replace(
        "  - number: 2\n", f"  - number: 2\n    section: {section}\n"))
    assert code == 0, lines
    _, glyphs = _pdf_text(pdf, 2)
    header = [g for g in glyphs if g.baseline < 27 * 72 / 25.4]  # in the top margin
    assert "".join(g.ch for g in sorted(header, key=lambda g: g.x)).startswith("第2版" + section)
    assert len({round(g.baseline, 1) for g in header}) == 1  # one line
    assert 4 <= min(g.size for g in header) < 10.5
    xs = sorted((g.x, g.right) for g in header)
    assert all(a[1] <= b[0] + 0.01 for a, b in zip(xs, xs[1:]))  # no glyph over another
