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
    from layout.compose.prepare import prepare

    for text, whole in (("报2667.40美元/盎司。", "元/盎"), ("气温24℃—29℃，", "24℃—29℃")):
        p = prepare(text, FACE)
        start = text.index(whole)
        assert all(p.penalty[i] == float("inf") for i in range(start + 1, start + len(whole))), text


def test_a_magnitude_may_leave_its_unit_only_at_a_price():
    from layout.compose.costs import MAGNITUDE_BREAK_PENALTY
    from layout.compose.prepare import prepare

    p = prepare("共12.8万元", FACE)
    assert p.penalty["共12.8万元".index("元")] == MAGNITUDE_BREAK_PENALTY


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
    """」， loses the bracket's right half; the comma stays whole and centred."""
    from layout.compose.prepare import prepare

    p = prepare("說」，他", TC)
    assert p.adv[1] == pytest.approx(0.5) and p.adv[2] == pytest.approx(1.0)
    assert p.squeeze[2] == 0.0  # not squeezed mid-line beside a mark
    p = prepare("好。」他", TC)
    assert p.adv[1] == pytest.approx(1.0) and p.adv[2] == pytest.approx(1.0)  # a quarter em between


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
