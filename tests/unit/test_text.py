"""Text convention 9: paragraph splitting and full-width punctuation beside Chinese text."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from layout.util.text import FULLWIDTH, fullwidth, is_chinese, join_lines, split_paragraphs


# --- split_paragraphs ---------------------------------------------------------------------------------

def test_blank_lines_separate_paragraphs():
    assert split_paragraphs("第一段。\n\n第二段。\n") == ("第一段。", "第二段。")


def test_several_blank_lines_and_whitespace_only_lines_are_one_separator():
    assert split_paragraphs("甲。\n\n  \n\t\n乙。") == ("甲。", "乙。")


def test_line_break_between_chinese_characters_is_removed():
    assert split_paragraphs("市委书记史根治\n强调,要在") == ("市委书记史根治强调,要在",)


def test_line_break_between_latin_words_becomes_one_space():
    assert split_paragraphs("Xuchang Daily  \n  reports") == ("Xuchang Daily reports",)


def test_line_break_at_a_chinese_latin_boundary_is_removed():
    # The composer puts the Han–Latin gap (latin_spacing) there itself.
    assert split_paragraphs("使用\niPhone\n手机") == ("使用iPhone手机",)


def test_line_break_after_ascii_punctuation_before_chinese_is_removed():
    assert split_paragraphs("6月10日,\n星期五") == ("6月10日,星期五",)


def test_paragraphs_are_stripped_but_ideographic_space_is_kept():
    assert split_paragraphs("  \n\u3000\u3000正文开始。  \n") == ("\u3000\u3000正文开始。",)
    assert split_paragraphs("本报记者 胡晨\u3000通讯员") == ("本报记者 胡晨\u3000通讯员",)


def test_line_break_next_to_ideographic_space_is_removed():
    assert split_paragraphs("胡晨\u3000\n通讯员") == ("胡晨\u3000通讯员",)


def test_windows_line_ends():
    assert split_paragraphs("甲\r\n乙\r\n\r\n丙") == ("甲乙", "丙")


def test_empty_text_has_no_paragraphs():
    assert split_paragraphs("") == ()
    assert split_paragraphs(" \n\n \n") == ()


def test_join_lines_makes_one_line_of_a_headline():
    assert join_lines("持续发力稳增长\n全力冲刺") == "持续发力稳增长全力冲刺"
    assert join_lines("Broadsheet\nnews\n\nagain") == "Broadsheet news again"


# --- fullwidth ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, set_as", [
    ("6月10日,星期五,是", "6月10日，星期五，是"),
    ("市法学会第三届理事会第二次(扩大)会议", "市法学会第三届理事会第二次（扩大）会议"),
    ("本报讯(记者武芳)6月15日,全市", "本报讯（记者武芳）6月15日，全市"),
    ("全市县(市、区)人大常委会", "全市县（市、区）人大常委会"),
    ("(本报今日第四、五版对该校进行深度报道,敬请关注。)", "（本报今日第四、五版对该校进行深度报道，敬请关注。）"),
    ("“两个不能”(即“一个不落”)落到", "“两个不能”（即“一个不落”）落到"),
    ("研讨交流;开展", "研讨交流；开展"),
    ("时间:3:00", "时间：3:00"),
    ("真的吗?好!", "真的吗？好！"),
])
def test_punctuation_beside_chinese_is_set_fullwidth(written, set_as):
    assert fullwidth(written) == set_as


@pytest.mark.parametrize("written", ["3:00", "iPhone (2024)", "Hello, world!", "f(x) = 1; g(y)?", ""])
def test_punctuation_without_a_chinese_neighbour_stays(written):
    assert fullwidth(written) == written


def test_a_bracket_pair_converts_together_when_only_its_content_is_chinese():
    assert fullwidth("see (下转第二版) here") == "see （下转第二版） here"


def test_a_bracket_pair_converts_together_when_only_one_outer_side_is_chinese():
    assert fullwidth("iPhone (2024)售价") == "iPhone （2024）售价"
    assert fullwidth("市场(iPhone)") == "市场（iPhone）"


def test_conversion_cascades_through_adjacent_punctuation():
    assert fullwidth("会议(扩大),2022") == "会议（扩大），2022"
    assert fullwidth("中?!") == "中？！"
    assert fullwidth("!?中") == "！？中"
    assert fullwidth("((扩大))") == "（（扩大））"


def test_stray_brackets_follow_their_own_neighbours():
    assert fullwidth("1)第一项") == "1）第一项"
    assert fullwidth("x (y") == "x (y"


def test_only_the_seven_marks_convert():
    assert fullwidth("中.中\"中'中-中") == "中.中\"中'中-中"


def test_ideographic_space_counts_as_chinese():
    assert fullwidth("\u3000(注)") == "\u3000（注）"


def test_is_chinese():
    assert all(map(is_chinese, "许昌，。《》　（𠀀"))
    assert not any(map(is_chinese, "a1,(“”—…"))


@given(st.text(alphabet="中文ab1 ,:;()?!（“"))
def test_fullwidth_only_replaces_marks_and_is_idempotent(text):
    result = fullwidth(text)
    assert len(result) == len(text)
    assert all(a == b or FULLWIDTH.get(a) == b for a, b in zip(text, result))
    assert fullwidth(result) == result


@given(st.text(alphabet="中文ab1 ()"))
def test_matched_brackets_are_never_mixed(text):
    result = fullwidth(text)
    depth: list[str] = []
    for char in result:
        if char in "(（":
            depth.append(char)
        elif char in ")）" and depth:
            assert (depth.pop() == "（") == (char == "）")


def test_a_mark_after_a_closing_quote_of_chinese_text_goes_full_width():
    from layout.util.text import fullwidth

    assert fullwidth("被评为“江城好人”;2024年") == "被评为“江城好人”；2024年"
    assert fullwidth('He said "ok";then') == 'He said "ok";then'
