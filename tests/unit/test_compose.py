"""Composer rules on tiny columns with the fake font (Han 1 em, Latin 0.5 em)."""
import pytest

from fakefont import FakeFace
from layout.compose import cjk
from layout.compose.paragraph import compose_paragraph

FACE = FakeFace()
SIZE = 10.0


def lines_of(text, cols=8, **kw):
    return compose_paragraph(text, FACE, SIZE, cols * SIZE, **kw)


def right_edge(line):
    ch, x = line.glyphs[-1]
    return x + FACE.advance(ch) * SIZE


def joined(lines):
    return "".join(line.text for line in lines)


SAMPLE = ("本报讯（记者武芳）6月15日，全市中招考试安全工作视频会召开。市委副书记、政法委书记马正兰出席会议"
          "并讲话，副市长赵鹏主持会议。“两个原则”“两个不能”落到具体工作中去……确保实现健康中考——"
          "访问https://www.example.com/news了解更多，或写信给editor@example.com。增长3.5%，达12.8万元。")


@pytest.mark.parametrize("cols", [5, 8, 13])
def test_no_character_lost_or_added(cols):
    assert joined(lines_of(SAMPLE, cols)) == SAMPLE.replace(" ", "")


@pytest.mark.parametrize("cols", [5, 8, 13])
def test_no_forbidden_line_start_or_end(cols):
    start, end = cjk.not_at_line_start("basic"), cjk.not_at_line_end("basic")
    for line in lines_of(SAMPLE, cols):
        assert line.text[0] not in start, line.text
        assert line.text[-1] not in end, line.text


@pytest.mark.parametrize("cols", [5, 8, 13])
def test_dashes_and_ellipses_never_split(cols):
    for line in lines_of(SAMPLE, cols):
        assert not line.text.startswith("—") or line.text.startswith("——")
        assert not line.text.endswith("—") or line.text.endswith("——")
        assert not (line.text.endswith("…") and not line.text.endswith("……"))


@pytest.mark.parametrize("cols", [6, 8, 13])
def test_justified_lines_end_flush(cols):
    lines = lines_of(SAMPLE, cols, indent=2 * SIZE)
    for line in lines[:-1]:
        edge = right_edge(line)
        mark = line.text[-1]
        # A closing mark squeezed at the line end ends at its midpoint on the edge.
        assert abs(edge - cols * SIZE) < 0.01 or (mark in cjk.BLANK_RIGHT and
                                                  abs(edge - 0.5 * SIZE - cols * SIZE) < 0.01), line.text


def test_first_line_indented_two_em():
    first = lines_of("一二三四五六七八九十一二三四五", 8, indent=2 * SIZE)[0]
    assert first.glyphs[0][1] == pytest.approx(2 * SIZE)


def test_numbers_and_units_stay_whole():
    text = "一二三四五六3.5%七八九12.8万元十二2024年三四五六七"
    for cols in range(6, 12):
        for line in lines_of(text, cols):
            assert not line.text.startswith(("%", "5", "万", "元", "年", ".")), (cols, line.text)


def test_latin_words_break_only_at_spaces():
    text = "新闻称Hello world and good morning everyone是问候"
    for cols in range(4, 10):
        lines = lines_of(text, cols)
        words = " ".join(line.text for line in lines)
        for w in ("Hello", "world", "good", "morning", "everyone"):
            assert w in words, (cols, [line.text for line in lines])


def test_url_breaks_only_after_slash_dot_dash_at():
    text = "请访问https://www.example.com/path/to/page查看"
    lines = lines_of(text, 6)
    for line, nxt in zip(lines, lines[1:]):
        if line.text[-1].isascii() and nxt.text[0].isascii():  # a break inside the URL
            assert line.text[-1] in "/.-@", line.text


def test_adjacent_punctuation_squeezed():
    # "。”" : the full stop loses its blank half, so the closing quote follows at 0.5 em.
    line = lines_of("他说：“好。”", 20)[0]
    xs = dict((ch, x) for ch, x in line.glyphs)
    assert xs["”"] - xs["。"] == pytest.approx(0.5 * SIZE)


def test_squeeze_before_push():
    # Eight Han and two marks overfill 9 em by one em: both marks are squeezed onto the line
    # rather than a character pushed down and the rest spread (先挤进，后推出, clreq §3.8.2).
    text = "一二，三四五六七八。十一二三四五六七"
    lines = lines_of(text, 9)
    assert lines[0].text == "一二，三四五六七八。"


def test_no_lone_han_last_line():
    text = "一二三四五六七八九十一二三四五六七八九十一"  # 21 Han in 10-em lines: would leave 1
    lines = lines_of(text + "。", 10)
    last = lines[-1].text
    assert sum(cjk.is_han(c) for c in last) > 1


def test_han_latin_spacing_quarter_em():
    line = lines_of("使用iPhone手机", 20)[0]
    xs = [x for _, x in line.glyphs]
    # 用 ends at 2 em; i starts a quarter em later.
    assert xs[2] - 2 * SIZE == pytest.approx(0.25 * SIZE)


def test_no_line_wider_than_column():
    for cols in (3, 5, 8):
        for line in lines_of(SAMPLE, cols):
            assert line.width <= cols * SIZE + 0.01


def test_total_fit_avoids_the_lone_han_that_first_fit_leaves():
    text = "一二三四五六七八九十一二三四五六七八九十一。"
    greedy = lines_of(text, 10, method="first-fit")
    assert greedy[-1].text == "一。"  # greedy fills every line and strands one character
    best = lines_of(text, 10)
    assert sum(cjk.is_han(c) for c in best[-1].text) > 1
    assert all(abs(line.width - 100) < 0.01 for line in best[:-1])


def test_first_fit_loses_nothing():
    assert joined(lines_of(SAMPLE, 8, method="first-fit")) == SAMPLE.replace(" ", "")


def test_number_ranges_stay_whole():
    text = "一二三四五六七八九2024年1—2月，十一二三四五六七八3～5天"
    for cols in range(6, 14):
        for line in lines_of(text, cols):
            assert not line.text.startswith(("—", "～")), (cols, line.text)
            assert not line.text.endswith(("—", "～")), (cols, line.text)


def test_closing_then_opening_keeps_a_half_em_between_them_even_when_squeezed():
    # A tight line: every mark would be squeezed, but "”（" keeps one blank half between the marks.
    text = "一“二三”（四五）六七八九十。"
    for cols in (10, 11, 12, 13):
        for line in lines_of(text, cols):
            xs = dict(line.glyphs)
            if "”" in xs and "（" in xs:
                assert xs["（"] - xs["”"] >= 0.5 * SIZE - 0.01


# -- where a loose line's slack goes (found on 9-em columns full of Latin) ------------------------

def gaps(line):
    """Space between neighbouring glyphs beyond their advances, in em, as (left, right, gap)."""
    out = []
    for (a, xa), (b, xb) in zip(line.glyphs, line.glyphs[1:]):
        out.append((a, b, round((xb - xa) / SIZE - FACE.advance(a), 3)))
    return out


def line_with(lines, text):
    return next(line for line in lines if text in line.text)


def test_no_space_opens_before_a_closing_mark():
    """"5月21日，" alone before an unbreakable word: the slack goes to the Han–Latin gaps, never
    between 日 and its comma (the comma would read as the start of something new)."""
    lines = lines_of("5月21日，Alibaba Cloud宣布降价。", cols=9, indent=2 * SIZE)
    first = line_with(lines, "日")
    assert first.text == "5月21日，"
    assert [g for a, b, g in gaps(first) if b == "，"] == [0.0]
    assert all(g == 0.0 for a, b, g in gaps(first) if a.isdigit() and b.isdigit())  # "21" whole
    assert abs(right_edge(first) - 9 * SIZE) < 0.01 or abs(right_edge(first) - 8.5 * SIZE) < 0.01


def test_a_word_keeps_its_full_stop():
    lines = lines_of("当天，Apple Inc.在美国发布新品。", cols=9, indent=2 * SIZE)
    for line in lines:
        for a, b, g in gaps(line):
            if b == ".":
                assert g == 0.0, line.text


def test_long_word_beside_han_is_only_lightly_letter_spaced():
    lines = lines_of("市场研究机构Counterpoint Research分析师表示。", cols=9, indent=2 * SIZE)
    for line in lines[:-1]:
        letters = [g for a, b, g in gaps(line) if a.isalpha() and b.isalpha() and a.isascii()
                   and b.isascii()]
        assert all(g <= 0.1 for g in letters), (line.text, letters)


def test_an_overlong_word_is_the_only_one_broken():
    """A word wider than the column must break, but that licenses no break inside other words."""
    text = "UTF-8 COVID-19 报道 internationalization 和 COVID-19 的 e-mail 说明。"
    lines = lines_of(text, cols=8)
    assert joined(lines) == text.replace(" ", "")
    for word in ("UTF-8", "COVID-19", "e-mail"):  # each occurrence whole on one line
        assert sum(line.text.count(word) for line in lines) == text.count(word), word
    assert any(line.text.endswith("internati") for line in lines)  # the long word does break


def test_compound_units_and_ranges_with_units_stay_whole():
    """At every measure the line breaks land outside 元/盎 and 24℃—29℃ (read from the lines)."""
    for text, whole in (("报价为每2667.40美元/盎司。", "元/盎"), ("明天气温24℃—29℃，", "24℃—29℃")):
        for cols in range(4, 12):
            lines = lines_of(text, cols, align="left")
            assert joined(lines) == text
            assert any(whole in line.text for line in lines), (text, cols, [l.text for l in lines])


def test_a_magnitude_may_leave_its_unit_only_at_a_price():
    """12.8万|元 is a legal break (unlike 8|万), taken only when keeping 万元 whole costs more: at
    4.5 em `共12.8万` fills the line exactly, at 6 em `共12.8万元` fits and stays whole."""
    text = "共12.8万元"
    assert [line.text for line in lines_of(text, 4.5)] == ["共12.8万", "元"]
    assert [line.text for line in lines_of(text, 6)] == [text]
    # Without the magnitude rule's price the break would be free; with INF it could not happen.
    assert all(not line.text.endswith("8") for cols in (3.5, 4, 5) for line in lines_of(text, cols))


def test_headline_breaks_at_the_space_its_writer_put():
    from layout.pages.typeset import Setter
    from layout.model.issue import Style, Typography

    setter = Setter({"h": FACE}, {"headline": Style("h", 10.0), "body": Style("h", 10.0)},
                    Typography())
    lines = setter.balanced("做了二十年早餐　她把“过早”做成了一种牵挂", "headline", 130.0)
    assert [line.text.rstrip("\u3000") for line in lines] == ["做了二十年早餐", "她把“过早”做成了一种牵挂"]


def test_an_indent_does_not_make_other_words_breakable():
    """Only the paragraph's first run must fit the indented first line."""
    text = "报道，报道我们报道 https://example.com/abcdefghijklmnopqrst 。COVID-19，报道COVID-19报道，中COVID-19"
    lines = lines_of(text, cols=5, indent=2 * SIZE)
    assert sum(line.text.count("COVID-19") for line in lines) == 3


# --- issue 11 §4: Traditional Chinese marks, URLs, numbers, jump lines, exact line counts ----------

class CentredFace(FakeFace):
    """Traditional Chinese positions: ，。、：；！？ centred in the em box (GPOS halt: placement −¼,
    advance −½, as Noto Serif CJK TC has it)."""

    def halt(self, ch: str):
        return (-0.25, -0.5) if ch in "，。、：；！" else super().halt(ch)


TC = CentredFace()


def tc_lines(text, width_em, **kw):
    return compose_paragraph(text, TC, SIZE, width_em * SIZE, **kw)


def positions(line):
    return dict((i, x) for i, (_, x) in enumerate(line.glyphs))


def test_a_centred_mark_squeezed_mid_line_loses_blank_on_both_sides():
    """11 characters in 10.6 em: the comma gives up 0.4 em, 0.2 on each side."""
    line = tc_lines("有疑慮，協商後同意先行", 10.6)[0]
    xs = [x / SIZE for _, x in line.glyphs]
    squeeze = 1 - (xs[4] - xs[2] - 1)  # what the comma's advance lost
    assert squeeze == pytest.approx(0.4, abs=1e-6)
    assert xs[3] - (xs[2] + 1) == pytest.approx(-squeeze / 2, abs=1e-6)


def test_a_centred_mark_at_a_line_end_is_squeezed_whole_and_stays_centred():
    """策展人林慧如指出， in 8.6 em: the comma loses its half em, a quarter on each side."""
    lines = tc_lines("策展人林慧如指出，展品來自十餘個國家", 8.6)
    assert lines[0].text == "策展人林慧如指出，"
    (_, chu), (_, comma) = lines[0].glyphs[-2:]
    assert (comma - chu) / SIZE == pytest.approx(1 - 0.25, abs=0.02)  # a quarter em to the left
    # Its advance is half an em and its em box starts a quarter em before that: centred in it.
    assert (lines[0].width - comma) / SIZE == pytest.approx(0.5 + 0.25, abs=1e-6)


def test_an_opening_bracket_after_a_line_end_mark_keeps_its_width():
    lines = tc_lines("策展人林慧如指出：「展品來自十餘個國家」", 8.6)
    assert lines[0].text == "策展人林慧如指出："
    assert lines[1].glyphs[0] == ("「", 0.0)
    assert lines[1].glyphs[1][1] == pytest.approx(SIZE)  # 「 keeps its full em


def test_a_centred_mark_beside_a_bracket_is_not_squeezed_and_the_bracket_is():
    """」， loses the bracket's right half; the comma stays whole and centred (read from glyph x)."""
    line = tc_lines("說」，他", 20, align="left")[0]
    assert [x / SIZE for _, x in line.glyphs] == pytest.approx([0, 1, 1.5, 2.5])
    # Not squeezed mid-line beside a mark: 3.5 em do not go into 3.3 em, so 他 moves down.
    assert [ln.text for ln in tc_lines("說」，他", 3.3)] == ["說」，", "他"]
    line = tc_lines("好。」他", 20, align="left")[0]
    assert [x / SIZE for _, x in line.glyphs] == pytest.approx([0, 1, 2, 3])  # a quarter em between


URL = "https://south.npm.gov.tw"


@pytest.mark.parametrize("cols", [4, 5, 6, 7, 8, 9])
def test_a_url_breaks_only_after_a_slash_dot_or_at(cols):
    text = "詳情可上網至" + URL + "查詢。"
    lines = lines_of(text, cols)
    start = text.index(URL)
    end = 0
    for line in lines[:-1]:
        end += len(line.text)
        if start < end < start + len(URL):
            assert text[end - 1] in "/.@" and text[end] != "/", [l.text for l in lines]


def test_the_han_number_gap_falls_outside_a_numbers_signs():
    line = lines_of("原本的20%上調至", 20, align="left")[0]
    xs = [x for _, x in line.glyphs]
    before = xs[3] - (xs[2] + SIZE)  # 的 → 2
    after = xs[6] - (xs[5] + 0.5 * SIZE)  # % → 上
    assert before == pytest.approx(0.25 * SIZE) and after == pytest.approx(before)
    line = lines_of("價格為￥5元", 20, align="left")[0]
    xs = [x for _, x in line.glyphs]
    assert xs[3] - (xs[2] + SIZE) == pytest.approx(0.25 * SIZE)  # 為 → ￥
    assert xs[4] - (xs[3] + SIZE) == pytest.approx(0.0)  # ￥5 stays together
    assert xs[5] - (xs[4] + 0.5 * SIZE) == pytest.approx(0.25 * SIZE)  # 5 → 元


def test_a_jump_line_is_set_as_written():
    from layout.model.issue import Style, Typography
    from layout.pages.typeset import Setter

    setter = Setter({"h": FACE}, {"jump": Style("h", 10.0), "body": Style("h", 10.0)}, Typography())
    line = setter.lines("（轉A3版）", "jump", 100.0)[0]
    xs = [x for _, x in line.glyphs]
    assert xs == pytest.approx([0, 10, 20, 25, 30, 40])  # no gap around A3


def test_a_paragraph_set_one_line_longer_or_shorter():
    from layout.compose.paragraph import Paragraph

    text = "今年稅收較去年增加原本預估的成長幅度偏低議員質詢時指出市府應公開各項補助的執行率以免重蹈覆轍"
    para = Paragraph(text, FACE, SIZE)  # 6 + 8 + 8 + 8 + 8 + 8 characters: every line full
    own = para.breaks(8 * SIZE, indent=2 * SIZE)
    longer = para.breaks_exactly(8 * SIZE, len(own) + 1, indent=2 * SIZE)
    assert longer is not None and len(longer) == len(own) + 1 and longer[-1] == len(text)
    lines = para.set_breaks(longer, 8 * SIZE, indent=2 * SIZE)
    assert "".join(line.text for line in lines) == text
    assert len(lines[-1].text) >= 2  # no 孤字
    assert para.breaks_exactly(8 * SIZE, len(own) - 1, indent=2 * SIZE) is None  # solid already


IDEO = "\u3000"
DATELINE = "本报记者胡晨" + IDEO + "通讯员张国辉报道今天"


@pytest.mark.parametrize("cols", [6, 7])
def test_a_u3000_where_a_line_breaks_is_not_set(cols):
    """`胡晨　通讯员`: at 7 em the break falls after the U+3000 (it used to end the line as a blank
    em, its ink one em short of the edge), at 6 em before it (the next line used to start with it,
    indented an em). Either way the line ends flush without it and the next starts at the edge."""
    lines = lines_of(DATELINE, cols)
    assert [line.text for line in lines[:2]] == ["本报记者胡晨", "通讯员张国辉报"[:cols]]
    assert right_edge(lines[0]) == pytest.approx(cols * SIZE)
    assert lines[1].glyphs[0] == ("通", 0.0)
    assert right_edge(lines[1]) == pytest.approx(cols * SIZE)
    assert joined(lines) == DATELINE.replace(IDEO, "")  # nothing else is lost


def test_a_u3000_mid_line_keeps_its_em():
    first = lines_of(DATELINE, 8)[0]
    assert first.text == "本报记者胡晨" + IDEO + "通"
    assert [x for _, x in first.glyphs] == pytest.approx([k * SIZE for k in range(8)])


def test_u3000s_that_open_a_paragraph_are_kept():
    lines = lines_of(IDEO * 2 + DATELINE, 6)
    assert lines[0].glyphs[:3] == ((IDEO, 0.0), (IDEO, SIZE), ("本", 2 * SIZE))
    assert joined(lines).startswith(IDEO * 2 + "本报记者")
    for line in lines[1:]:
        assert not line.text.startswith(IDEO) and not line.text.endswith(IDEO), line.text
    assert all(right_edge(line) == pytest.approx(6 * SIZE) for line in lines[:-1])


def test_a_line_breaking_at_a_u3000_ends_flush_whatever_the_measure():
    text = "市委书记史根治" + IDEO + "市长刘涛" + IDEO + "副市长赵鹏主持会议并讲话要求各地各部门统筹做好考生和涉考人员的闭环管理"
    for cols in range(5, 14):
        lines = lines_of(text, cols, indent=2 * SIZE)
        for line in lines:
            assert not line.text.endswith(IDEO) and not line.text.startswith(IDEO), (cols, line.text)
        for line in lines[:-1]:
            assert right_edge(line) == pytest.approx(cols * SIZE), (cols, line.text)
        kept = sum(line.text.count(IDEO) for line in lines)
        breaks_at = sum(text[line.end - 1] == IDEO for line in lines[:-1])
        assert kept + breaks_at == 2, cols
        assert joined(lines).replace(IDEO, "") == text.replace(IDEO, "")


def test_a_u3000_dropped_at_a_break_does_not_let_an_opening_bracket_end_a_line():
    text = "一二三四五（" + IDEO + "六七八九十一二三四五六"
    for cols in range(4, 9):
        for line in lines_of(text, cols):
            assert not line.text.endswith("（"), (cols, line.text)


# --- the break rules, one by one (compose/rules.py): the deciding rule, its penalty, its effect ---

RULE_CASES = {  # name: (text, gap index: the break before text[i])
    "before-blank": ("中文 报道", 2),
    "after-space": ("中文 报道", 3),
    "not-at-line-start": ("报道，全市", 2),
    "not-at-line-end": ("全市“报道”", 3),
    "not-at-line-end-across-blank": ("全市（　报道）", 4),
    "inseparable-pair": ("报道——全市", 3),
    "inside-word": ("报道COVID全市", 4),
    "url-after-hyphen": ("见www.a-b.com网", 7),
    "url-break": ("见www.ab.com网", 5),
    "number-unit": ("共2024年全市", 5),
    "magnitude-unit": ("共12.8万元", 6),
    "prefix-sign": ("共￥5元", 2),
    "number-range": ("共1—2月", 2),
    "slash": ("美元/盎司", 2),
    "western-run": ("报道A*全市", 3),
}


def rule_named(name):
    from layout.compose.rules import RULES

    return next(r for r in RULES if r.name == name)


@pytest.mark.parametrize("name", sorted(RULE_CASES))
def test_a_break_rule_decides_its_minimal_pair(name):
    from layout.compose.prepare import deciding_rules

    text, i = RULE_CASES[name]
    rule = deciding_rules(text)[i]
    assert rule is not None and rule.name == name
    assert rule.penalty == rule_named(name).penalty
    # On the fake font: a first line that the text before the gap fills exactly, and room for the
    # rest after it (a measure a line). A forbidden break is not taken there; a free one is.
    glyphs = lines_of(text, 100, align="left")[0].glyphs
    fill = glyphs[i - text[:i].count(" ")][1]  # x of the first glyph after the gap
    if text[i - 1] == " ":
        fill -= FACE.advance(" ") * SIZE  # the space is not set at the line's end
    first = compose_paragraph(text, FACE, SIZE, [fill, 100 * SIZE], align="left")[0]
    if rule.penalty == float("inf"):
        assert first.end != i, (name, first.text)
    elif rule.penalty == 0.0:
        assert first.end == i, (name, first.text)


def test_between_letters_holds_even_outside_a_word_span():
    """Two letters are inside a word span wherever the text has them (inside-word decides first);
    the rule itself matches any two Latin letters."""
    from layout.compose.rules import GapContext

    ctx = GapContext("ab", ["latin", "latin"], [False] * 2, [False] * 2, [False] * 2, [False] * 2,
                     frozenset(), frozenset())
    rule = rule_named("between-letters")
    assert rule.matches(ctx, 1) and rule.penalty == float("inf")


def test_a_gap_no_rule_matches_is_a_free_break():
    from layout.compose.prepare import deciding_rules, prepare

    assert deciding_rules("全市")[1] is None
    assert prepare("全市", FACE).penalty[1] == 0.0
    assert [line.text for line in lines_of("全市", 1)] == ["全", "市"]


def test_the_rule_table_is_in_its_documented_order():
    """rules.py's docstring lists the rules in the order they are tried: the table follows it."""
    import re

    from layout.compose import rules

    documented = re.findall(r"^\d+\. ([a-z-]+)", rules.__doc__, re.M)
    assert [r.name for r in rules.RULES] == documented
    assert len(documented) == 16 and all(r.source for r in rules.RULES)


def test_the_rules_give_prepare_its_penalties():
    """The memoised table (prepare) and the table evaluated gap by gap agree on a mixed text."""
    from layout.compose.prepare import deciding_rules, prepare

    for level in ("none", "basic", "gb", "strict"):
        p = prepare(SAMPLE, FACE, level)
        want = [0.0 if r is None else r.penalty for r in deciding_rules(SAMPLE, level)]
        assert p.penalty == want, level


# --- paragraphs of runs in several styles, and a measure per line --------------------------------

def test_a_single_run_sets_exactly_as_the_single_style_paragraph():
    from layout.compose.paragraph import Paragraph
    from layout.compose.types import Run

    one = Paragraph(SAMPLE, FACE, SIZE).set(8 * SIZE, indent=2 * SIZE)
    runs = Paragraph.of_runs([Run(SAMPLE, FACE, SIZE)]).set(8 * SIZE, indent=2 * SIZE)
    assert runs == one


def test_two_sizes_in_one_paragraph_add_up_and_fit_the_measure():
    """6 Han characters at 10 pt then 9 at 20 pt: 60 + 180 pt on one line; at 100 pt every line
    fits and the break may fall inside either run or at their boundary."""
    from layout.compose.paragraph import Paragraph
    from layout.compose.types import Run

    big = FakeFace()
    runs = [Run("全市中招考试", FACE, 10.0), Run("安全工作视频会召开", big, 20.0)]
    para = Paragraph.of_runs(runs)
    (line,) = para.set(1000.0, align="left")
    assert [x for _, x in line.glyphs] == pytest.approx([0, 10, 20, 30, 40, 50]
                                                         + [60 + 20 * k for k in range(9)])
    assert line.width == pytest.approx(240.0)
    assert para.glyph_runs(line) == (0,) * 6 + (1,) * 9
    for width in (100.0, 90.0, 70.0):
        lines = para.set(width)
        assert "".join(ln.text for ln in lines) == "全市中招考试安全工作视频会召开"
        for ln in lines:
            sizes = [runs[k].size for k in para.glyph_runs(ln)]
            assert ln.glyphs[-1][1] + sizes[-1] <= width + 0.01, (width, ln.text)
    assert [ln.text for ln in para.set(100.0)][:2] == ["全市中招考试安全", "工作视频会"]


def test_han_latin_spacing_between_runs_is_as_within_one():
    from layout.compose.paragraph import Paragraph
    from layout.compose.types import Run

    whole = Paragraph("报道COVID疫苗", FACE, SIZE).set(100 * SIZE, align="left")
    runs = Paragraph.of_runs([Run("报道", FACE, SIZE), Run("COVID", FACE, SIZE),
                              Run("疫苗", FACE, SIZE)]).set(100 * SIZE, align="left")
    assert runs == whole
    xs = [x / SIZE for _, x in runs[0].glyphs]
    assert xs[2] - xs[1] == pytest.approx(1.25) and xs[7] - xs[6] == pytest.approx(0.75)


def test_a_measure_per_line_narrows_the_lines_it_names():
    """Lines 3 and 4 narrowed to 5 em (a photo beside them); the last width repeats."""
    text = SAMPLE[:90]
    widths = [10 * SIZE, 10 * SIZE, 5 * SIZE, 5 * SIZE, 10 * SIZE]
    lines = compose_paragraph(text, FACE, SIZE, widths)
    assert joined(lines) == text.replace(" ", "")
    for k, line in enumerate(lines[:-1]):
        assert right_edge(line) <= widths[min(k, 4)] + 0.01, (k, line.text)
        assert right_edge(line) >= widths[min(k, 4)] - 0.5 * SIZE - 0.01, (k, line.text)  # justified
    assert max(len(line.text) for line in lines[2:4]) <= 6


def test_one_measure_given_as_a_sequence_sets_as_the_number():
    assert compose_paragraph(SAMPLE, FACE, SIZE, [8 * SIZE]) == lines_of(SAMPLE, 8)
    # A narrower first line breaks as an indent does (the glyphs start at 0 instead of the indent).
    firsts = compose_paragraph(SAMPLE, FACE, SIZE, [6 * SIZE, 8 * SIZE])
    indented = lines_of(SAMPLE, 8, indent=2 * SIZE)
    assert [ln.text for ln in firsts] == [ln.text for ln in indented]


def test_a_paragraph_at_a_measure_per_line_set_one_line_longer():
    from layout.compose.paragraph import Paragraph

    text = "今年稅收較去年增加原本預估的成長幅度偏低議員質詢時指出市府應公開各項補助的執行率以免重蹈覆轍"
    para = Paragraph(text, FACE, SIZE)
    widths = (8 * SIZE, 8 * SIZE, 5 * SIZE, 5 * SIZE, 8 * SIZE)  # two lines beside a photo
    own = para.breaks(widths, indent=2 * SIZE)
    longer = para.breaks_exactly(widths, len(own) + 1, indent=2 * SIZE)
    assert longer is not None and len(longer) == len(own) + 1 and longer[-1] == len(text)
    lines = para.set_breaks(longer, widths, indent=2 * SIZE)
    assert "".join(line.text for line in lines) == text
    assert all(len(line.text) <= 5 for line in lines[2:4])  # the narrow lines stay narrow
    assert para.breaks_exactly(widths, len(own), indent=2 * SIZE) == own
