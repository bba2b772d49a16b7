"""Vertical text (竖排, issue 17) read back from the PDFs of the vertical editions in
issue_specs/: the Taiwan-style edition (zh-Hant-TW, 橫標豎排 on A1–A2 with a story jumping
between vertical modules, 竪題 on A4), the mainland front page (a 竖题 and a 竖排 essay) and the
Hong Kong front page (zh-Hant-HK in the HK faces: a red 竪題 lead, a 橫標豎排 feature in two tiers).

Glyph geometry comes from the content stream as written (tests/vertical_pdf.py, an interpreter of
our own that reads fonts and operators from the file) and from pdfium's glyph boxes; reading order
from pdftotext (cropped to each tier) and pdfium. The modules' rectangles come from the spec's
grid; tiers are found in the PDF (lines that start level), not taken from the layout code.
"""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from layout.compose.cjk import not_at_line_end, not_at_line_start
from layout.model.grid import page_grid
from layout.model.story import Subhead
from layout.spec.load import load_issue
from layout.util.text import fullwidth
from vertical_pdf import VLine, page_text, vertical_lines

ROOT = Path(__file__).resolve().parent.parent
TAIWAN = ROOT / "issue_specs" / "taiwan-2024-11-08.yaml"
MAINLAND = ROOT / "issue_specs" / "jiangcheng-2024-12-04.yaml"
HONGKONG = ROOT / "issue_specs" / "hongkong-2024-12-06.yaml"  # HK faces, zh-Hant-HK
SQUEEZABLE = set("，。、：；！？）」』》〉】〕’”（「『《〈【〔‘“")
JUMP = re.compile(r"^（[轉转接].*版）$")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("vertical")
    done = subprocess.run([sys.executable, "-m", "layout", "render", str(TAIWAN), str(MAINLAND),
                           str(HONGKONG), "-o", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return {spec.stem: out / f"{spec.stem}.pdf" for spec in (TAIWAN, MAINLAND, HONGKONG)}


def vertical_modules(spec: Path):
    """(page number, module, its rectangle) of every module with a vertical body."""
    issue = load_issue(spec)
    leading = issue.styles["body"].leading
    for page in issue.pages:
        grid = page_grid(issue.format, leading, page.number)
        for m in page.modules:
            if getattr(m, "writing", None) is not None and m.writing.vertical:
                yield issue, page.number, m, grid.module_rect(m)


def tiers_of(lines: list[VLine], size: float) -> list[list[VLine]]:
    """The module's body lines grouped into tiers: lines whose tops are within 3 em of each
    other's, top to bottom, each right to left."""
    groups: list[list[VLine]] = []
    for line in sorted(lines, key=lambda ln: ln.top):
        if groups and line.top - groups[-1][0].top < 3 * size:
            groups[-1].append(line)
        else:
            groups.append([line])
    return [sorted(g, key=lambda ln: -ln.centre) for g in groups]


def tier_edges(tier: list[VLine]) -> tuple[float, float]:
    """A tier's top and bottom: where most of its lines start and end."""
    top = Counter(round(ln.top, 1) for ln in tier).most_common(1)[0][0]
    bottom = Counter(round(ln.bottom, 1) for ln in tier).most_common(1)[0][0]
    return top, bottom


def module_tiers(pdf: Path, spec: Path):
    pages = page_text(pdf)
    for issue, number, m, rect in vertical_modules(spec):
        size = issue.styles["body"].size
        lines = [ln for ln in vertical_lines(pages[number - 1], rect.x, rect.right, rect.y,
                                             rect.bottom, size)
                 if ln.pieces and not JUMP.match(ln.text)]
        yield issue, number, m, tiers_of(lines, size), size


@pytest.mark.parametrize("spec", [TAIWAN, MAINLAND, HONGKONG], ids=lambda p: p.stem)
def test_vertical_lines_within_tiers_and_justified(rendered, spec):
    """Every vertical line starts at its tier's top (or a paragraph indent below it) and ends at
    its tier's bottom, justified to the tier's length (a whole number of characters, at least 8)
    unless it ends a paragraph; the tiers are as many as the module asks for (when filled)."""
    checked = 0
    for issue, number, m, tiers, size in module_tiers(rendered[spec.stem], spec):
        assert 1 <= len(tiers) <= m.writing.tiers, (number, m.story, len(tiers))
        indent = issue.styles["body"].indent
        flow = [ln for tier in tiers for ln in tier]
        for t, tier in enumerate(tiers):
            top, bottom = tier_edges(tier)
            chars = (bottom - top) / size
            assert abs(chars - round(chars)) < 0.02 and round(chars) >= 8, (m.story, chars)
            for line in tier:
                if JUMP.match(line.text):
                    continue
                at = line.top - top
                assert at > -0.5 * size - 0.05 and (abs(at) < 0.55 * size or
                                                    abs(at - indent) < 0.55 * size), \
                    (m.story, line.text, at)
                assert line.bottom <= bottom + 0.5 * size + 0.05, (m.story, line.text)
                k = flow.index(line)
                following = flow[k + 1] if k + 1 < len(flow) else None
                ends_paragraph = following is None or JUMP.match(following.text) or \
                    abs(following.top - tier_edges(_tier_of(tiers, following))[0] - indent) < 0.3 * size
                if not ends_paragraph:
                    hang = line.bottom - bottom
                    assert abs(hang) < 0.05 or (0 < hang <= 0.5 * size + 0.05
                                                and line.text[-1] in SQUEEZABLE), \
                        (m.story, line.text, hang)
                    checked += 1
    assert checked > (50 if spec == TAIWAN else 15)


def _tier_of(tiers: list[list[VLine]], line: VLine) -> list[VLine]:
    return next(t for t in tiers if line in t)


@pytest.mark.parametrize("spec", [TAIWAN, MAINLAND, HONGKONG], ids=lambda p: p.stem)
def test_no_forbidden_character_at_a_line_top_or_bottom(rendered, spec):
    start, end = not_at_line_start("basic"), not_at_line_end("basic")
    count = 0
    for _, _, m, tiers, _ in module_tiers(rendered[spec.stem], spec):
        for tier in tiers:
            for line in tier:
                if JUMP.match(line.text):
                    continue
                assert line.text[0] not in start, (m.story, line.text)
                assert line.text[-1] not in end, (m.story, line.text)
                count += 1
    assert count > (40 if spec == TAIWAN else 20)


def _pdfium_marks(pdf: Path, page_index: int, marks: str):
    """pdfium's em cell (loose box) and ink box (tight box) of each of `marks`, trim coordinates."""
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[page_index]
    left, _, _, top = page.get_trimbox()
    tp = page.get_textpage()
    out = []
    for i in range(tp.count_chars()):
        ch = tp.get_text_range(i, 1)
        if ch not in marks:
            continue
        l, b, r, t = tp.get_charbox(i, loose=True)
        il, ib, ir, it = tp.get_charbox(i)
        out.append((ch, (l - left, top - t, r - left, top - b), (il - left, top - it, ir - left, top - ib)))
    return out


def _vertical_cells(pdf: Path, spec: Path, marks: str):
    """(page, mark, pen x, pen y, size) of each of `marks` set in a vertical body line."""
    pages = page_text(pdf)
    for issue, number, m, rect in vertical_modules(spec):
        for g in pages[number - 1]:
            if g.vertical and not g.span and g.text in marks and \
                    rect.x <= g.x <= rect.right and rect.y - 0.5 <= g.y <= rect.bottom:
                yield number, g


@pytest.mark.parametrize("spec,centred", [(MAINLAND, False), (TAIWAN, True), (HONGKONG, True)],
                         ids=["SC top-right", "TC centred", "HK centred"])
def test_pause_marks_in_their_cell(rendered, spec, centred):
    """，。 drawn upright in vertical lines: in the top-right quadrant of their em cell with the
    mainland face (the `vert` forms), centred with the Taiwan face (Noto Serif CJK TC)."""
    pdf = rendered[spec.stem]
    cells = list(_vertical_cells(pdf, spec, "，。"))
    assert len(cells) > 30
    boxes = {n: _pdfium_marks(pdf, n - 1, "，。") for n in {c[0] for c in cells}}
    for number, g in cells:
        found = [(cell, ink) for ch, cell, ink in boxes[number]
                 if ch == g.text and abs((cell[0] + cell[2]) / 2 - g.x) < 0.6 * g.size + 0.1
                 and abs(cell[1] - g.y) < 0.3]
        assert found, (number, g)
        cell, ink = found[0]
        cx, cy = g.x, g.y + g.size / 2  # the em cell's centre (pen: its top centre)
        ix, iy = (ink[0] + ink[2]) / 2, (ink[1] + ink[3]) / 2
        if centred:
            assert abs(ix - cx) < 0.12 * g.size and abs(iy - cy) < 0.12 * g.size, (g.text, ix - cx, iy - cy)
        else:
            assert ix > cx and iy < cy, (g.text, ix - cx, iy - cy)


@pytest.mark.parametrize("spec", [TAIWAN, MAINLAND, HONGKONG], ids=lambda p: p.stem)
def test_brackets_take_their_vertical_forms(rendered, spec):
    """（）「」《》“” in vertical lines are the rotated (vert) forms: wider than tall."""
    pdf = rendered[spec.stem]
    marks = "（）「」《》『』“”"
    cells = list(_vertical_cells(pdf, spec, marks))
    assert len(cells) >= (6 if spec == TAIWAN else 4)
    boxes = {n: _pdfium_marks(pdf, n - 1, marks) for n in {c[0] for c in cells}}
    for number, g in cells:
        found = [ink for ch, cell, ink in boxes[number]
                 if ch == g.text and abs(cell[1] - g.y) < 0.3
                 and abs((cell[0] + cell[2]) / 2 - g.x) < 0.6 * g.size + 0.1]
        assert found, (number, g)
        ink = found[0]
        assert ink[2] - ink[0] > 1.5 * (ink[3] - ink[1]), (g.text, ink)


@pytest.mark.parametrize("spec,least", [(TAIWAN, (5, 3)), (MAINLAND, (1, 0)), (HONGKONG, (3, 0))],
                         ids=["taiwan", "mainland", "hongkong"])
def test_short_numbers_upright_and_latin_rotated(rendered, spec, least):
    """In vertical modules a number of at most 2 digits (or a page label, A2) stands upright, its
    digits side by side inside one em (縱中橫); Latin words and longer numbers are rotated 90°
    clockwise; nothing of either is drawn horizontally."""
    pages = page_text(rendered[spec.stem])
    upright = rotated = 0
    for issue, number, m, rect in vertical_modules(spec):
        size = issue.styles["body"].size
        inside = [g for g in pages[number - 1] if not g.invisible and g.text.isascii()
                  and g.text.isalnum() and rect.x <= g.centre <= rect.right
                  and rect.y - 0.5 <= g.y <= rect.bottom]
        spans: dict[tuple[str, float], list] = {}
        for g in inside:
            assert g.vertical or g.rotated, (m.story, g)
            if g.rotated:
                assert g.span and (len(g.span) > 2 or not g.span.isdigit()), g.span
                rotated += 1
            else:
                assert g.span is not None and len(g.span) <= 2, g
                spans.setdefault((g.span, round(g.y, 1)), []).append(g)
        for (text, _), digits in spans.items():
            if len(text) == 2:
                assert len(digits) == 2 and abs(digits[0].y - digits[1].y) < 0.01  # side by side
                left = min(d.x - d.width / 2 for d in digits)
                right = max(d.x + d.width / 2 for d in digits)
                assert right - left <= size + 0.01
                assert digits[0].size <= size
            upright += 1
    assert upright >= least[0] and rotated >= least[1]


def _story_text(issue, story: str) -> str:
    body = issue.articles[story].body
    text = "".join(b.text if isinstance(b, Subhead) else "".join(r.text for r in b.runs)
                   for b in body)
    return _norm(fullwidth(text) if issue.typography.fullwidth_punctuation else text)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("％", "%")


def _pdftotext(pdf: Path, page: int, x0: float, y0: float, x1: float, y1: float) -> str:
    done = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-x", str(int(x0)),
                           "-y", str(int(y0)), "-W", str(int(x1 - x0 + 1)), "-H",
                           str(int(y1 - y0 + 1)), str(pdf), "-"], capture_output=True, text=True)
    return done.stdout


def test_pdftotext_reads_each_vertical_story_in_order_across_tiers_and_jumps(rendered):
    """pdftotext, given each tier of each module of a story's chain in turn, gives the story's
    byline and text exactly, in order (the jump lines apart)."""
    pdf = rendered[TAIWAN.stem]
    issue = load_issue(TAIWAN)
    bleed = issue.format.bleed
    parts: dict[str, list[str]] = {}
    rects = {(n, mod.story): r for _, n, mod, r in vertical_modules(TAIWAN)}
    for _, number, m, tiers, size in module_tiers(pdf, TAIWAN):
        for tier in tiers:
            top, bottom = tier_edges(tier)
            rect_right = rects[(number, m.story)].right  # the byline's line too
            rect_left = min(ln.centre for ln in tier) - 0.6 * size
            text = _pdftotext(pdf, number, rect_left + bleed, top - 0.4 * size + bleed,
                              rect_right + bleed, bottom + 0.4 * size + bleed)
            parts.setdefault(m.story, []).append(re.sub(r"（[轉接][A-Z0-9]+版）", "", _norm(text)))
    assert "rail" in parts and len(parts["rail"]) == 4  # two tiers on A1, two on A2
    for story, texts in parts.items():  # 橫標豎排: the byline opens the vertical body
        byline = _norm(issue.articles[story].byline or "")
        assert "".join(texts) == byline + _story_text(issue, story), story


def test_pdfium_reads_the_jumped_story_once_in_order(rendered):
    """pdfium's text of A1 then A2 holds the lead story's text once, in order: its A1 part
    contiguous, then its A2 part."""
    pdf = pdfium.PdfDocument(str(rendered[TAIWAN.stem]))
    issue = load_issue(TAIWAN)
    story = _story_text(issue, "rail")
    pages = [_norm(pdf[k].get_textpage().get_text_range()) for k in range(4)]
    k = len(story)
    while k and story[:k] not in pages[0]:
        k -= 1
    assert 200 < k < len(story)
    assert pages[1].count(story[k:]) == 1
    assert sum(p.count(story[:40]) for p in pages) == 1
    for para in issue.articles["rail"].body:
        head = _norm(fullwidth(para.text))[:16]
        assert sum(p.count(head) for p in pages) == 1, head


def test_jump_lines_are_vertical_and_paired(rendered):
    """The lead story's jump lines are set vertically (no horizontal glyph), （轉A2版） at the foot
    of the last line of its A1 module, （接A1版） at the head of the first line on A2."""
    pages = page_text(rendered[TAIWAN.stem])
    found = {}
    for issue, number, m, rect in vertical_modules(TAIWAN):
        if m.story != "rail":
            continue
        size = issue.styles["body"].size
        lines = vertical_lines(pages[number - 1], rect.x, rect.right, rect.y, rect.bottom,
                               issue.styles["jump"].size)
        jumps = [ln for ln in lines if JUMP.match(ln.text)]
        assert len(jumps) == 1, [ln.text for ln in lines][:3]
        assert all(kind in "vt" for *_, kind in jumps[0].pieces)
        found[number] = jumps[0]
        body = [ln for ln in vertical_lines(pages[number - 1], rect.x, rect.right, rect.y,
                                            rect.bottom, size) if not JUMP.match(ln.text)]
        tiers = tiers_of(body, size)
        if number == 1:  # left of the last line of the last tier, ending at its foot
            assert jumps[0].centre < min(ln.centre for ln in tiers[-1]) + 0.1
            assert abs(jumps[0].bottom - tier_edges(tiers[-1])[1]) < 0.6 * size
        else:  # right of every line of the first tier, at its head
            assert jumps[0].centre > max(ln.centre for ln in tiers[0]) - 0.1
            assert abs(jumps[0].top - tier_edges(tiers[0])[0]) < 0.6 * size
    assert found[1].text == "（轉A2版）" and found[2].text == "（接A1版）"


def test_a_vertical_headline_is_a_column_beside_the_body(rendered):
    """竖题: the mainland lead's headline 初冬江城 is one vertical column right of its horizontal
    body; A4's too, and the Hong Kong lead's 北都鐵路明年動工 (44 pt, red)."""
    for spec, story, text in ((MAINLAND, "chudong", "初冬江城"), (TAIWAN, "river", "淡水河岸"),
                              (HONGKONG, "railway", "北都鐵路明年動工")):
        issue = load_issue(spec)
        pages = page_text(rendered[spec.stem])
        number, m = next((p.number, m) for p in issue.pages for m in p.modules
                         if getattr(m, "story", None) == story)
        rect = page_grid(issue.format, issue.styles["body"].leading, number).module_rect(m)
        size = m.headline_size or issue.styles["headline"].size
        heads = [ln for ln in vertical_lines(pages[number - 1], rect.x, rect.right, rect.y,
                                             rect.bottom, size) if text in ln.text]
        assert len(heads) == 1, story
        body = [g for g in pages[number - 1] if not g.vertical and not g.rotated
                and abs(g.size - issue.styles["body"].size) < 0.01
                and rect.x <= g.x <= rect.right and rect.y <= g.y <= rect.bottom]
        assert len(body) > 100 and max(g.x + g.width for g in body) < heads[0].centre - size / 2


def test_a_continuation_sets_its_lines_to_its_own_tier_length(rendered):
    """The lead's tiers on A2 are longer than on A1: the text that goes on there is set to A2's
    length (its lines as long as its tiers), not to A1's."""
    lengths = {}
    for _, number, m, tiers, size in module_tiers(rendered[TAIWAN.stem], TAIWAN):
        if m.story == "rail":
            edges = [tier_edges(t) for t in tiers]
            lengths[number] = {round((b - t) / size) for t, b in edges}
            for tier in tiers:  # most lines end flush at the tier's foot
                _, bottom = tier_edges(tier)
                flush = sum(abs(ln.bottom - bottom) < 0.05 for ln in tier)
                assert flush >= len(tier) * 0.6
    assert len(lengths[1]) == len(lengths[2]) == 1 and lengths[1] != lengths[2]


def test_emphasis_dots_stand_right_of_their_characters(rendered):
    """着重号 in a vertical line (the museum story's *…* run on A2): one dot right of each marked
    character, between its line and the next on the right, level with the character's middle."""
    from vertical_pdf import filled_dots

    issue = load_issue(TAIWAN)
    size = issue.styles["body"].size
    pitch = issue.styles["body"].leading
    marked = "織品是亞洲各地文化交流最鮮明的見證"
    glyphs = [g for g in page_text(rendered[TAIWAN.stem])[1] if g.vertical and g.text in marked]
    dots = filled_dots(rendered[TAIWAN.stem], 1, 0.2 * size)
    assert len(dots) == len(marked)
    for x, y, r in dots:
        owner = [g for g in glyphs if g.x + size / 2 < x < g.x + pitch - size / 2
                 and abs(y - (g.y + size / 2)) < 0.05]
        assert len(owner) == 1, (x, y)


@pytest.mark.parametrize("spec", [TAIWAN, MAINLAND, HONGKONG], ids=lambda p: p.stem)
def test_lines_on_the_column_grid_and_no_lone_character(rendered, spec):
    """The line grid turned into a column grid: every vertical line of a module stands a whole
    number of body leadings left of the first, in every tier at the same places; no paragraph
    ends in a line of one character (孤字)."""
    lone = 0
    for issue, _, m, tiers, size in module_tiers(rendered[spec.stem], spec):
        pitch = issue.styles["body"].leading
        first = max(ln.centre for tier in tiers for ln in tier)
        for tier in tiers:
            for line in tier:
                steps = (first - line.centre) / pitch
                assert abs(steps - round(steps)) < 0.02, (m.story, line.text, steps)
        flow = [ln for tier in tiers for ln in tier]
        indent = issue.styles["body"].indent
        for k, line in enumerate(flow[:-1]):
            following = flow[k + 1]
            tier_top = tier_edges(_tier_of(tiers, following))[0]
            if abs(following.top - tier_top - indent) < 0.3 * size:  # `line` ends a paragraph
                lone += 1
                assert len(line.text) >= 2, (m.story, line.text)
    assert lone >= (10 if spec == TAIWAN else 3)


def test_vertical_forms_are_identity_v_fonts_with_vertical_metrics(rendered):
    """Each face drawn vertically is a Type0 font with Identity-V encoding whose CIDFont has DW2
    and, for glyphs whose vertical metrics are off the default, W2; its ToUnicode maps the
    vertical forms back to the characters (，not ︐)."""
    import pikepdf

    with pikepdf.open(rendered[TAIWAN.stem]) as pdf:
        fonts = {str(f.BaseFont): f for page in pdf.pages
                 for f in page.Resources.Font.values()}
        vertical = [f for f in fonts.values() if f.Encoding == "/Identity-V"]
        assert vertical and all(str(f.BaseFont).endswith("-Identity-V") for f in vertical)
        for f in vertical:
            cid = f.DescendantFonts[0]
            assert [float(v) for v in cid.DW2] == [880, -1000]
            cmap = f.ToUnicode.read_bytes().decode("latin-1")
            assert "FE10" not in cmap and "FE11" not in cmap  # no presentation forms as text
        assert any("/W2" in f.DescendantFonts[0] for f in vertical)  # some glyph off DW2
        assert any(f.Encoding == "/Identity-H" for f in fonts.values())


def test_no_widow_at_a_tier_top_across_a_chain_of_two_lengths(rendered):
    """Widow control in a chain whose tiers differ in length (the rail story: A1's tiers shorter
    than A2's): no paragraph's last line stands alone at the top of a tier (the story's opening
    tier apart), on either page. A line ends a paragraph when the next line of the story opens
    one (set lower by the indent) or the story ends; it stands alone when it does not open one
    itself."""
    by_story: dict[str, list[list[VLine]]] = {}
    indent = size = 0.0
    for issue, _, m, tiers, size in module_tiers(rendered[TAIWAN.stem], TAIWAN):
        indent = issue.styles["body"].indent
        by_story.setdefault(m.story, []).extend(tiers)
    assert len({len({round(tier_edges(t)[1] - tier_edges(t)[0]) for t in tiers})
                for tiers in by_story.values()} - {1}) == 1  # a chain of two lengths is here
    checked = 0
    for story, tiers in by_story.items():
        flow = [(t, k, ln) for t, tier in enumerate(tiers) for k, ln in enumerate(tier)]

        def opens(entry) -> bool:
            t, _, ln = entry
            return abs(ln.top - tier_edges(tiers[t])[0] - indent) < 0.3 * size

        for n, entry in enumerate(flow):
            t, k, line = entry
            if k != 0 or t == 0:
                continue
            checked += 1
            ends = n + 1 == len(flow) or opens(flow[n + 1])
            assert opens(entry) or not ends, (story, t, line.text)
    assert checked >= 4


def _tier_rules(pdf: Path, spec: Path):
    """(page, story, tiers, size, the level hairlines inside the module between its first
    tier's feet and its second's tops) of each vertical module whose first two tiers hold
    lines."""
    from vertical_pdf import strokes

    for issue, number, m, tiers, size in module_tiers(pdf, spec):
        if len(tiers) < 2:
            continue
        low, high = max(ln.bottom for ln in tiers[0]), min(ln.top for ln in tiers[1])
        found = [s for s in strokes(pdf, number - 1) if not s.curved and s.width <= 0.5
                 and s.ys[1] - s.ys[0] < 0.01 and low < s.ys[0] < high
                 and s.xs[1] > min(ln.centre for ln in tiers[0])
                 and s.xs[0] < max(ln.centre for ln in tiers[0])]
        yield number, m.story, tiers, size, found


def test_a_hairline_between_tiers(rendered):
    """Taiwan dailies rule off their 批: in every module whose two tiers both hold lines, one
    level hairline across the module's lines, in the gutter between the first tier's feet and
    the second's tops."""
    checked = 0
    for number, story, tiers, size, found in _tier_rules(rendered[TAIWAN.stem], TAIWAN):
        assert len(found) == 1, (number, story, len(found))
        left = min(ln.centre for tier in tiers for ln in tier) - size / 2
        right = max(ln.centre for tier in tiers for ln in tier) + size / 2
        assert found[0].xs[0] <= left + 0.5 and found[0].xs[1] >= right - 0.5
        checked += 1
    assert checked >= 4


def test_tier_rules_false_draws_none(tmp_path):
    """`tier_rules: false` on a module: no hairline between its tiers."""
    spec = tmp_path / TAIWAN.name
    spec.write_text(TAIWAN.read_text(encoding="utf-8").replace(
        "tiers: 2", "tiers: 2, tier_rules: false"), encoding="utf-8")
    for name in ("photo-1.jpg", "photo-2.jpg"):
        (tmp_path / name).write_bytes((TAIWAN.parent / name).read_bytes())
    done = subprocess.run([sys.executable, "-m", "layout", "render", str(spec), "-o",
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    modules = list(_tier_rules(tmp_path / f"{TAIWAN.stem}.pdf", spec))
    assert len(modules) >= 4 and not any(found for *_, found in modules)
