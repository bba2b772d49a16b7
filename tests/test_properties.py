"""Nothing lost (property-based): random editions are rendered and read back from the PDF.

Each example builds a spec as YAML text: a grid of 3–10 columns, stories of random length in mixed
scripts (Han, full-width punctuation, Latin words, numbers with units), each on a chain of 1–4
modules of random size over one or more pages. The render must either succeed, and then every
character of every story is in the PDF exactly once and in order, or fail with overset naming the
stories that do not fit (and then, rendered with --allow-overset, those stories lose only their end).
Every body line lies inside a module of its story, and the same spec renders to the same bytes.

The budget is small for the test suite (BROADSHEET_PROPERTY_EXAMPLES, default 20), and the examples
are derandomized so that the suite is repeatable; BROADSHEET_HYPOTHESIS_EXPLORE=1 draws new ones.
"""
from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from layout.util.errors import LayoutError
from layout.model.grid import EM_BOX_ASCENT, page_grid
from layout.flow.jumps import story_chains
from layout.pages.plan import TextLine
from layout.desk.render import render_spec
from layout.spec.load import load_issue
from layout.util.text import fullwidth
from pdftext import lines_in, page_glyphs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("BROADSHEET_PROPERTY_EXAMPLES", "20"))
EXPLORE = os.environ.get("BROADSHEET_HYPOTHESIS_EXPLORE", "") not in ("", "0")

BODY = 9.0  # pt
LEADING = 11.5  # pt
MARGIN = 28.0  # pt
JUMP = re.compile(r"（[上下][接转]第.+版）")

# Han characters of the reference edition: all three faces have them.
_REFERENCE = (ROOT / "issue_specs" / "xuchang-2022-06-16.yaml").read_text(encoding="utf-8")
HAN = sorted({c for c in _REFERENCE if "\u4e00" <= c <= "\u9fff"})
WORDS = ["Broadsheet", "PDF", "iPhone", "GDP", "Python", "NASA", "COVID-19", "open", "source", "the",
         "news", "A4", "Unicode", "e-mail", "CPU", "Wi-Fi", "x86", "JSON", "UTF-8", "internationalization"]
UNITS = ["年", "月", "日", "%", "万元", "亿元", "公里", "km", "kg", " GB", " mm", "个", "岁"]
MARKS = ["，", "。", "、", "；", "：", "？", "！"]
ASCII_MARKS = [",", ":", ";", "?", "!"]  # set full-width beside Han when fullwidth_punctuation is on


@dataclass(frozen=True)
class Edition:
    yaml: str
    fullwidth: bool


def story_text(rng: random.Random, length: int, ascii_marks: bool) -> str:
    """Paragraphs of mixed-script text, about `length` characters in all."""
    paragraphs = []
    total = 0
    while total < length or not paragraphs:
        parts: list[str] = []
        size = rng.randint(10, max(12, min(400, length - total + 10)))
        while sum(map(len, parts)) < size:
            kind = rng.random()
            if kind < 0.45:
                parts.append("".join(rng.choices(HAN, k=rng.randint(1, 12))))
            elif kind < 0.6:
                parts.append(rng.choice(MARKS if not ascii_marks or rng.random() < 0.5 else ASCII_MARKS))
            elif kind < 0.72:
                parts.append(" " + " ".join(rng.choices(WORDS, k=rng.randint(1, 3))) + " ")
            elif kind < 0.84:
                number = rng.choice([str(rng.randint(1, 9999)), f"{rng.randint(0, 99)}.{rng.randint(0, 9)}",
                                     f"{rng.randint(1, 999)},{rng.randint(100, 999)}"])
                parts.append(number + rng.choice(UNITS))
            elif kind < 0.9:
                inner = "".join(rng.choices(HAN, k=rng.randint(1, 6)))
                parts.append(rng.choice(["“{}”", "《{}》", "（{}）", "({})" if ascii_marks else "（{}）"]).format(inner))
            elif kind < 0.95:
                parts.append(rng.choice(["——", "……"]))
            else:
                parts.append("。")
        paragraph = "".join(parts).strip()
        paragraphs.append(paragraph)
        total += len(paragraph)
    return "\n\n".join(paragraphs)


def _place(occupied: dict[int, set[tuple[int, int]]], page: int, cols: int, rows: int,
           columns: int, lines: int) -> tuple[int, int, int]:
    """First free spot (page ≥ `page`, then line, then column) for a module; marks its cells."""
    for p in count(page):
        taken = occupied.setdefault(p, set())
        for line in range(1, lines - rows + 2):
            for col in range(1, columns - cols + 2):
                cells = {(c, r) for c in range(col, col + cols) for r in range(line, line + rows)}
                if not cells & taken:
                    taken |= cells
                    return p, col, line
    raise AssertionError("unreachable")


@st.composite
def editions(draw) -> Edition:
    columns = draw(st.integers(3, 10), label="columns")
    measure = draw(st.integers(8, 14), label="characters per column")
    lines = draw(st.integers(36, 80), label="lines per page")
    body_font = draw(st.sampled_from(["song", "kai"]), label="body font")
    wide = draw(st.booleans(), label="fullwidth_punctuation")
    rng = draw(st.randoms(use_true_random=False))
    occupied: dict[int, set[tuple[int, int]]] = {}
    pages: dict[int, list[dict]] = {}
    articles: dict[str, dict] = {}
    for s in range(draw(st.integers(1, 4), label="stories")):
        story = f"s{s}"
        page = 1
        capacity = 0
        for k in range(draw(st.integers(1, 4), label="modules in the chain")):
            cols = draw(st.integers(1, min(columns, 4)))
            rows = draw(st.integers(10, min(lines, 30)))
            if k and draw(st.booleans()):
                page += 1  # continue on a later page, or further down the same one
            page, col, line = _place(occupied, page, cols, rows, columns, lines)
            pages.setdefault(page, []).append(
                {"continue" if k else "article": story, "col": col, "line": line, "cols": cols, "lines": rows})
            capacity += cols * (rows - 5) * measure  # less a headline block, roughly
        fill = draw(st.floats(0.1, 1.3), label="story length / room")
        article = {"body": story_text(rng, max(10, int(capacity * fill)), wide)}
        if rng.random() < 0.7:
            article = {"headline": "".join(rng.choices(HAN, k=rng.randint(2, 6))), **article}
        articles[story] = article
    type_width = columns * measure * BODY + (columns - 1) * BODY
    type_height = lines * LEADING + 1.0
    spec = {
        "spec_version": 1,
        "paper": {"name": "测试日报"},
        "issue": {"date": "2024-05-01"},
        "format": {
            "trim": {"width": f"{type_width + 2 * MARGIN:.3f}pt", "height": f"{type_height + 2 * MARGIN:.3f}pt"},
            "margins": {side: f"{MARGIN}pt" for side in ("top", "bottom", "inside", "outside")},
            "columns": columns,
            "gutter": "1em",
        },
        "fonts": {"song": "Noto Serif CJK SC", "hei": "Noto Sans CJK SC Bold", "kai": "LXGW WenKai"},
        "styles": {"body": {"font": body_font, "size": f"{BODY}pt", "leading": f"{LEADING}pt", "indent": "2em"},
                   "headline": {"font": "hei", "size": "14pt"}},
        "typography": {"fullwidth_punctuation": wide},
        "pages": [{"number": number, "modules": modules} for number, modules in sorted(pages.items())],
        "articles": articles,
    }
    return Edition(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, width=100), wide)


def _columns(issue, page, module):
    """The column bands of a module: half a gutter either side, where a squeezed mark may hang."""
    grid = page_grid(issue.format, issue.styles["body"].leading, page.number)
    rect = grid.module_rect(module)
    for c in range(module.col, module.col + module.cols):
        x = grid.column_x(c)
        yield x - grid.gutter / 2, x + grid.column_width + grid.gutter / 2, rect.y, rect.bottom


def story_in_pdf(issue, glyphs, story: str) -> str:
    """The story as read from the PDF: module by module of its chain, column by column, top to
    bottom; body-size glyphs only, jump lines left out."""
    index = {p.number: i for i, p in enumerate(sorted(issue.pages, key=lambda p: p.number))}
    found = []
    for page, module in story_chains(issue)[story]:
        for x0, x1, y0, y1 in _columns(issue, page, module):
            for line in lines_in(glyphs[index[page.number]], x0, x1, y0, y1, issue.styles["body"].size):
                if not JUMP.fullmatch(line.text):
                    found.append(line.text)
    return "".join(found)


def expected_text(issue, story: str, wide: bool) -> str:
    """The story's characters; full-width punctuation is decided paragraph by paragraph, as set."""
    text = "".join(fullwidth(p) if wide else p for p in issue.articles[story].paragraphs)
    return re.sub(r"\s", "", text)


def check_lines_inside_modules(issue, plan, glyphs) -> None:
    """Every body and jump line of the plan starts in a module of its own story, and every body-size
    glyph of the PDF lies inside a column of a story module (em box within the module's lines)."""
    size = issue.styles["body"].size
    pages = sorted(issue.pages, key=lambda p: p.number)
    chains = story_chains(issue)
    for page, page_plan, page_glyphs_ in zip(pages, plan.pages, glyphs):
        grid = page_grid(issue.format, issue.styles["body"].leading, page.number)
        for item in page_plan.items:
            if isinstance(item, TextLine) and item.role in ("body", "jump"):
                rects = [grid.module_rect(m) for p, m in chains[item.story] if p.number == page.number]
                assert any(r.x - 0.01 <= item.x <= r.right and r.y - 0.01 <= item.baseline <= r.bottom + 0.01
                           for r in rects), (page.number, item.story, item.x, item.baseline)
                # the flow's facts carried in the plan say the same
                at = item.at
                m = page.modules[at.module.index]
                assert at.module.page == page.number and m.ref == item.story and m.kind in ("article", "continue")
                assert item.x == grid.column_x(m.col + at.column) and item.baseline == grid.baseline(at.line, size)
        bands = [band for m in page.modules for band in _columns(issue, page, m)]
        for g in page_glyphs_:
            if abs(g.size - size) >= 0.3:
                continue
            top, bottom = g.baseline - EM_BOX_ASCENT * g.size, g.baseline + (1 - EM_BOX_ASCENT) * g.size
            assert any(x0 - 0.5 <= g.x and g.right <= x1 + 0.5 and y0 - 0.5 <= top and bottom <= y1 + 0.5
                       for x0, x1, y0, y1 in bands), (page.number, g)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not EXPLORE, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(edition=editions())
def test_every_story_is_rendered_whole_or_reported_overset(edition, tmp_path_factory):
    folder = tmp_path_factory.mktemp("edition")
    spec = folder / "edition.yaml"
    spec.write_text(edition.yaml, encoding="utf-8")
    note(edition.yaml)
    issue = load_issue(spec)
    try:
        result = render_spec(spec, folder / "a.pdf")
        overset: set[str] = set()
    except LayoutError as error:
        overset = set(re.findall(r"story '([^']+)' is overset by \d+ characters", str(error)))
        assert overset, f"a layout error other than overset: {error}"
        result = render_spec(spec, folder / "a.pdf", allow_overset=True)
    assert {fit.story for fit in result.plan.overset} == overset

    glyphs = page_glyphs(result.output)
    for story in issue.articles:
        found, expected = story_in_pdf(issue, glyphs, story), expected_text(issue, story, edition.fullwidth)
        if story in overset:
            assert expected.startswith(found) and len(found) < len(expected), story
        else:
            assert found == expected, story
    check_lines_inside_modules(issue, result.plan, glyphs)

    again = render_spec(spec, folder / "b.pdf", allow_overset=bool(overset))
    assert again.output.read_bytes() == result.output.read_bytes()
