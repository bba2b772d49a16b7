"""Broken specs with issue 15's keys, as a new user writes them: every one is an error at its own
line with the fix, never a traceback nor a PDF written; and the cases that used to print wrong
(a lead running out of its module, a subhead larger than a grid line, a subhead stranded by a
balanced ending, asterisks printed in a pull quote), checked on the PDF where it is written."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from layout.desk.render import render_spec
from layout.util.errors import BroadsheetError, SpecError
from pdftext import page_glyphs
from test_structured import BASE, ROOT

TEXT = "第一段的文字写在这里，要足够长才能换行，让这一段占上好几行。" * 10


def _spec(tmp_path: Path, module: str = "", article: str = "", styles: str = "",
          body: str = TEXT) -> Path:
    (tmp_path / "photo.jpg").write_bytes((ROOT / "issue_specs" / "photo-1.jpg").read_bytes())
    head = "  headline: {font: hei, size: 16pt}\n"
    text = (BASE.replace(head, head + styles).split("pages:")[0]
            + "pages:\n  - number: 1\n    modules:\n"
            "      - article: a\n        col: 1\n        line: 1\n        cols: 3\n        lines: 20\n"
            + textwrap.indent(textwrap.dedent(module), " " * 8)
            + "articles:\n  a:\n    headline: 标题\n"
            + textwrap.indent(textwrap.dedent(article), " " * 4)
            + f"    body: {body}\n")
    spec = tmp_path / "s.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec


def _line_of(spec: Path, needle: str) -> int:
    return next(k for k, line in enumerate(spec.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


def _refused(spec: Path, tmp_path: Path) -> list[SpecError]:
    out = tmp_path / "s.pdf"
    with pytest.raises(BroadsheetError) as e:
        render_spec(spec, out)
    assert not out.exists()
    return list(getattr(e.value, "problems", (e.value,)))


# (module keys, article keys, style keys, the line's marker, the key path's end, words of the problem)
BROKEN = {
    "photos not a list": ("photos: lab\n", "", "", "photos:", "photos", "expected a list"),
    "photo without image": ("photos:\n  - {col: 1, line: 5, cols: 1, lines: 4}\n", "", "",
                            "- {col", "photos[0]", 'missing required key "image"'),
    "photo at col 0": ("photos:\n  - {image: pic, col: 0, line: 5, cols: 1, lines: 4}\n", "", "",
                       "- {image", "photos[0].col", "at least 1"),
    "photo huge": ("photos:\n  - {image: pic, col: 1, line: 5, cols: 1, lines: 99999999999}\n", "",
                   "", "- {image", "photos[0].lines", "of a module 20 lines deep"),
    "photo outside": ("photos:\n  - {image: pic, col: 3, line: 5, cols: 2, lines: 4}\n", "", "",
                      "- {image", "photos[0].cols", "columns 3-4 of a module 3 columns wide"),
    "photo unknown image": ("photos:\n  - {image: nope, col: 1, line: 5, cols: 1, lines: 4}\n",
                            "", "", "- {image", "photos[0].image", 'no image "nope"'),
    "photos overlap": ("photos:\n  - {image: pic, col: 1, line: 5, cols: 2, lines: 4}\n"
                       "  - {image: pic, col: 2, line: 6, cols: 1, lines: 4}\n", "", "",
                       "col: 2, line: 6", "photos[1]", "overlaps"),
    "photo into headline": ("photos:\n  - {image: pic, col: 1, line: 2, cols: 1, lines: 4}\n", "",
                            "", "- {image", "photos[0]", "reaches into the headline block"),
    "photo across the top too tall": ("photos:\n  - {image: pic, col: 1, line: 1, cols: 3, "
                                      "lines: 20}\n", "", "", "- {image", "photos[0]",
                                      "leaves 0 for the body"),
    "photo into the lead": ("photos:\n  - {image: pic, col: 1, line: 5, cols: 1, lines: 4}\n",
                            "lead: " + "导语文字" * 40 + "\n", "", "- {image", "photos[0]",
                            "reaches into the lead"),
    "pull quote a string": ("pull_quote: 引语\n", "", "", "pull_quote:", "pull_quote",
                            "expected a mapping"),
    "pull quote without text": ("pull_quote: {col: 1, line: 5, cols: 1, lines: 4}\n", "", "",
                                "pull_quote:", "pull_quote", 'missing required key "text"'),
    "pull quote blank": ('pull_quote: {text: "\u3000\u3000", col: 1, line: 5, cols: 1, lines: 4}\n',
                         "", "", "pull_quote:", "pull_quote.text", "empty pull quote"),
    "pull quote with markup": ("pull_quote: {text: '**强**引语', col: 1, line: 5, cols: 2, "
                               "lines: 4}\n", "", "", "pull_quote:", "pull_quote.text",
                               "no **strong** or *emphasis*"),
    "pull quote too small": ("pull_quote: {text: 把群众的小事当成自己的大事一件一件办好, col: 1, "
                             "line: 5, cols: 1, lines: 2}\n", "", "", "pull_quote:", "pull_quote",
                             "need"),
    "pull quote larger than the module": ("pull_quote: {text: 引语, col: 1, line: 1, cols: 5, "
                                          "lines: 40}\n", "", "", "pull_quote:",
                                          "pull_quote.cols", "of a module 3 columns wide"),
    "body_cols 0": ("body_cols: 0\n", "", "", "body_cols", "body_cols", "at least 1"),
    "body_cols wider": ("body_cols: 4\n", "", "", "body_cols", "body_cols",
                        "4 body columns in a module 3 grid columns wide"),
    "body_cols a word": ("body_cols: two\n", "", "", "body_cols", "body_cols",
                         "expected an integer"),
    "lead a list": ("", "lead: [a, b]\n", "", "lead:", "articles.a.lead", "expected text"),
    "lead blank": ("", 'lead: "\u3000"\n', "", "lead:", "articles.a.lead", "empty lead"),
    "lead with a subhead": ("", "lead: |\n  导语\n\n  ## 小标题\n", "", "## 小标题",
                            "articles.a.lead", "a subhead (`## `) in a lead"),
    "lead too tall": ("", "lead: " + "长" * 1500 + "\n", "", "lead:", "articles.a.lead",
                      "its module leaves 17 under the headline block"),
    "lead in a huge size": ("", "lead: 导语文字导语文字。\n", "  lead: {size: 100pt}\n", "lead: 导语",
                            "articles.a.lead", "grid lines; its module leaves"),
    "lead_cols wider": ("", "lead: 导语。\nlead_cols: 4\n", "", "lead_cols", "articles.a.lead_cols",
                        "a lead across 4 columns in a module of 3 body columns"),
    "lead_cols -1": ("", "lead: 导语。\nlead_cols: -1\n", "", "lead_cols", "articles.a.lead_cols",
                     "at least 1"),
    "lead_cols without a lead": ("", "lead_cols: 2\n", "", "lead_cols", "articles.a.lead_cols",
                                 "lead_cols without a lead"),
    "subhead wider than a column": ("", "", "  subhead: {size: 900pt}\n", "subhead:",
                                    "styles.subhead.size", "wider than a column"),
    "markup: key": ("markup: true\n", "", "", "markup:", "modules[0]", 'unknown key "markup"'),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_each_broken_key_is_an_error_at_its_line_and_no_pdf(tmp_path, case):
    module, article, styles, marker, path, words = BROKEN[case]
    spec = _spec(tmp_path, module, article, styles)
    problems = _refused(spec, tmp_path)
    found = [p for p in problems if p.path.endswith(path)]
    assert found, [str(p) for p in problems]
    p = found[0]
    assert words in p.problem, str(p)
    assert p.line == _line_of(spec, marker), str(p)
    assert p.file == str(spec)


def test_a_lead_larger_than_a_grid_line_takes_whole_grid_lines(tmp_path):
    spec = _spec(tmp_path, article="lead: " + "导语文字" * 12 + "\n",
                 styles="  lead: {font: song, size: 16pt}\n")
    render_spec(spec, tmp_path / "s.pdf")
    lead = sorted({round(g.baseline, 2) for g in page_glyphs(tmp_path / "s.pdf")[0]
                   if abs(g.size - 16) < 0.05 and g.ch in "导语文字"})
    assert len(lead) >= 2
    assert all(b - a == pytest.approx(26.0, abs=0.01) for a, b in zip(lead, lead[1:]))  # 2 × 13


def test_a_subhead_larger_than_a_grid_line_takes_whole_grid_lines(tmp_path):
    """A 17 pt subhead on a 13 pt grid: each of its lines takes two grid lines (its lines never
    overprint each other nor the body), and the body goes on on the grid under it."""
    body = "|\n      ## 小标题很长的小标题很长的小标题\n\n      " + TEXT + "\n"
    spec = _spec(tmp_path, styles="  subhead: {size: 17pt}\n", body=body)
    render_spec(spec, tmp_path / "s.pdf")
    glyphs = page_glyphs(tmp_path / "s.pdf")[0]
    sub = sorted({round(g.baseline, 2) for g in glyphs if abs(g.size - 17) < 0.05
                  and g.ch in "小标题很长的"})
    assert len(sub) >= 2 and all(b - a == pytest.approx(26.0, abs=0.01)
                                 for a, b in zip(sub, sub[1:]))
    under = [g.baseline for g in glyphs if abs(g.size - 10) < 0.05 and g.x < 150]
    assert min(under) - sub[-1] == pytest.approx(13.0, abs=0.01)


def test_a_balanced_ending_keeps_a_subhead_with_its_lines(tmp_path):
    spec = _spec(tmp_path, body="|\n      ## 小标题很长的小标题很长的小标题\n\n      正文。\n")
    render_spec(spec, tmp_path / "s.pdf")
    glyphs = page_glyphs(tmp_path / "s.pdf")[0]
    sub = [g for g in glyphs if abs(g.size - 11) < 0.05]
    text = [g for g in glyphs if g.ch == "正" and abs(g.size - 10) < 0.05]
    assert sub and text
    assert abs(text[0].x - min(g.x for g in sub)) < 30  # same column, under it
    assert text[0].baseline > max(g.baseline for g in sub)


def test_an_escaped_asterisk_prints_in_a_pull_quote(tmp_path):
    spec = _spec(tmp_path, "pull_quote: {text: '引语\\*照印', col: 1, line: 5, cols: 2, lines: 5}\n")
    render_spec(spec, tmp_path / "s.pdf")
    text = "".join(g.ch for g in page_glyphs(tmp_path / "s.pdf")[0] if abs(g.size - 15) < 0.05)
    assert text.replace("＊", "*") == "引语*照印"
