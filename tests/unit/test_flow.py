"""Column flow over chains of boxes: counts, jump slots, balancing, overset."""
from layout.compose.types import ComposedLine
from layout.flow.chain import BodyBox, Jump, Narrowing, Tall, flow_story, line_measures, widows


def mk(n, para_len=4):
    """n lines, paragraphs of `para_len` lines."""
    return [ComposedLine(((str(i), 0.0),), 1.0, i, i + 1, i % para_len == 0,
                         i % para_len == para_len - 1 or i == n - 1) for i in range(n)]


def texts(flowed, box):
    return [s.item for s in flowed.slots if s.box == box]


def test_fits_in_one_box_balanced_columns():
    flowed = flow_story(mk(10, para_len=10), [BodyBox(3, 10)])
    counts = [sum(1 for s in flowed.slots if s.column == c) for c in range(3)]
    assert counts == [4, 4, 2]  # level columns of ceil(10 / 3) lines, the shortfall in the last
    assert not flowed.overset


def test_jump_lines_take_last_and_first_slots():
    lines = mk(30)
    flowed = flow_story(lines, [BodyBox(2, 10), BodyBox(2, 10)])
    first = [s for s in flowed.slots if s.box == 0]
    assert len(first) == 20
    last = max(first, key=lambda s: (s.column, s.row))
    assert last.item == Jump("to", 1)
    head = min((s for s in flowed.slots if s.box == 1), key=lambda s: (s.column, s.row))
    assert head.item == Jump("from", 0)
    body = [s.item for s in flowed.slots if isinstance(s.item, ComposedLine)]
    assert body == lines  # nothing lost, nothing doubled, in order
    assert not flowed.overset


def test_chain_of_three():
    lines = mk(50)
    flowed = flow_story(lines, [BodyBox(1, 20), BodyBox(1, 20), BodyBox(2, 10)])
    jumps = [s.item for s in flowed.slots if isinstance(s.item, Jump)]
    assert jumps == [Jump("to", 1), Jump("from", 0), Jump("to", 2), Jump("from", 1)]
    assert [s.item for s in flowed.slots if isinstance(s.item, ComposedLine)] == lines


def test_overset_is_returned_not_raised():
    lines = mk(25)
    flowed = flow_story(lines, [BodyBox(2, 10)])
    assert len(flowed.overset) == 5
    assert flowed.overset_chars == 5
    assert [s.item for s in flowed.slots] == lines[:20]


def test_unused_continuation_stays_empty():
    flowed = flow_story(mk(5), [BodyBox(2, 10), BodyBox(2, 10)])
    assert flowed.used == (5, 0)
    assert not any(isinstance(s.item, Jump) for s in flowed.slots)


def test_a_short_ending_over_many_columns_leaves_none_empty():
    """17 lines ending a story in 8 columns: not 3,3,3,3,3,2,0,0 (two empty columns) but 3,2,…,2."""
    story = mk(17, para_len=17)
    flowed = flow_story(story, [BodyBox(8, 30)])
    per_column = [sum(1 for s in flowed.slots if s.column == c) for c in range(8)]
    assert per_column == [3, 2, 2, 2, 2, 2, 2, 2]
    order = [s.item for s in sorted(flowed.slots, key=lambda s: (s.column, s.row))]
    assert order == story  # still in reading order


# --- widow control (issue 11 §4) ---------------------------------------------------------------

def story(lengths):
    """Paragraphs of the given line counts; each line's text names its paragraph and line."""
    lines = []
    for p, count in enumerate(lengths):
        lines.extend(para_lines(p, count))
    return lines


def para_lines(p, count):
    return [ComposedLine(((f"{p}.{k}", 0.0),), 1.0, k, k + 1, k == 0, k == count - 1)
            for k in range(count)]


def rebreak_any(allowed=None):
    """Every paragraph can be set in any count of lines (or only those `allowed` says)."""
    asked = []

    def rebreak(p, count):
        asked.append((p, count))
        if allowed is not None and (p, count) not in allowed:
            return None
        return para_lines(p, count)
    rebreak.asked = asked
    return rebreak


def column_tops(flowed):
    return [s.item.text for s in flowed.slots if isinstance(s.item, ComposedLine) and (
        s.row == 0 or (s.row == 1 and any(isinstance(t.item, Jump) and t.box == s.box
                                          and t.column == s.column and t.row == 0
                                          for t in flowed.slots)))]


def test_a_widow_under_a_jump_line_is_pulled_back():
    """Part 1 holds 9 lines and its jump line; paragraph 1 (4 lines) ends with one line on the
    continuation, right under its jump line: it is set a line shorter, pulling that line back."""
    lines = story([6, 4, 5])
    boxes = [BodyBox(1, 10), BodyBox(1, 20)]
    plain = flow_story(lines, boxes)
    assert [w.text for w in widows(plain)] == ["1.3"]
    fixed = flow_story(lines, boxes, rebreak=rebreak_any())
    assert not widows(fixed)
    assert column_tops(fixed)[1] == "2.0"
    body = [s.item.text for s in fixed.slots if isinstance(s.item, ComposedLine)]
    assert body == [line.text for line in story([6, 3, 5])]  # paragraph 1 a line shorter


def test_a_widow_is_avoided_by_a_line_more_when_a_line_less_is_impossible():
    lines = story([6, 4, 5])
    boxes = [BodyBox(1, 10), BodyBox(1, 20)]
    rebreak = rebreak_any(allowed={(1, 5)})
    fixed = flow_story(lines, boxes, rebreak=rebreak)
    assert rebreak.asked[:2] == [(1, 3), (1, 5)]  # shorter first, then longer
    assert not widows(fixed)
    tops = column_tops(fixed)
    assert tops[1] == "1.3"  # two lines of paragraph 1 under the jump line


def test_a_widow_that_no_rebreak_removes_stays():
    lines = story([6, 4, 5])
    boxes = [BodyBox(1, 10), BodyBox(1, 20)]
    fixed = flow_story(lines, boxes, rebreak=rebreak_any(allowed=set()))
    assert [w.text for w in widows(fixed)] == ["1.3"]
    assert [s.item for s in fixed.slots] == [s.item for s in flow_story(lines, boxes).slots]


def test_widow_control_keeps_a_balanced_ending_balanced():
    """12 lines ending a story in 3 columns (4, 4, 4): paragraph 0's last line would open column 2;
    set a line shorter, the 11 lines balance as 4, 4, 3 with no widow."""
    lines = story([5, 2, 5])
    boxes = [BodyBox(3, 10)]
    assert [w.text for w in widows(flow_story(lines, boxes))] == ["0.4"]
    fixed = flow_story(lines, boxes, rebreak=rebreak_any())
    assert not widows(fixed)
    counts = [sum(1 for s in fixed.slots if s.column == c) for c in range(3)]
    assert counts == [4, 4, 3]


def test_widow_control_never_oversets_a_story():
    """20 lines exactly fill the chain; the only re-breaks on offer are a line longer: refused."""
    lines = story([6, 4, 10])
    boxes = [BodyBox(1, 10), BodyBox(1, 12)]
    fixed = flow_story(lines, boxes, rebreak=rebreak_any(allowed={(1, 5), (0, 7)}))
    assert not fixed.overset
    assert [w.text for w in widows(fixed)] == ["1.3"]


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.integers(1, 8), min_size=1, max_size=12),
       st.lists(st.tuples(st.integers(1, 4), st.integers(2, 12)), min_size=1, max_size=3))
def test_widow_control_loses_nothing_and_only_helps(lengths, shape):
    lines = story(lengths)
    boxes = [BodyBox(c, r) for c, r in shape]
    plain = flow_story(lines, boxes)
    fixed = flow_story(lines, boxes, rebreak=rebreak_any())
    assert len(fixed.overset) <= len(plain.overset)
    assert len(widows(fixed)) <= len(widows(plain))
    placed = [s.item for s in fixed.slots if isinstance(s.item, ComposedLine)] + list(fixed.overset)
    paragraphs = [line.text.split(".")[0] for line in placed if line.first]
    assert paragraphs == [str(p) for p in range(len(lengths))]  # every paragraph, once, in order
    assert fixed.line_count == len(placed)


# --- items taller than a line, lines of other measures (issue 13: a model for rich stories) ------


def test_a_tall_item_takes_its_rows_and_moves_whole_to_the_next_column():
    lines = mk(3, para_len=3)
    sub = Tall("subhead", 2)
    flowed = flow_story([lines[0], lines[1], sub, lines[2]], [BodyBox(2, 3)], balance_end=False)
    placed = [(s.column, s.row, s.item) for s in flowed.slots]
    # the subhead does not fit the one line left in column 0: it opens column 1, two rows high
    assert placed == [(0, 0, lines[0]), (0, 1, lines[1]), (1, 0, sub), (1, 2, lines[2])]
    assert flowed.used == (5,) and not flowed.overset


def test_a_tall_item_counts_its_rows_against_the_chain():
    lines = mk(4, para_len=4)
    sub = Tall("subhead", 2)
    flowed = flow_story([sub, *lines], [BodyBox(1, 4), BodyBox(1, 4)])
    first = [(s.row, s.item) for s in flowed.slots if s.box == 0]
    assert first == [(0, sub), (2, lines[0]), (3, Jump("to", 1))]
    assert [s.item for s in flowed.slots if s.box == 1] == [Jump("from", 0), *lines[1:]]
    assert flowed.used == (4, 4)


def _rows_by_column(flowed, n):
    return [sum(2 if isinstance(s.item, Tall) else 1 for s in flowed.slots if s.column == c)
            for c in range(n)]


def test_balancing_with_a_tall_item_levels_the_columns_by_rows():
    lines = mk(6, para_len=6)
    sub = Tall("subhead", 2)
    flowed = flow_story([sub, *lines], [BodyBox(2, 10)])
    assert _rows_by_column(flowed, 2) == [4, 4]


def test_balancing_never_strands_a_subhead_at_a_column_foot():
    """Level at 3 rows would leave the subhead one line of its paragraph in its column (it keeps
    two): the columns end a line apart instead."""
    sub = Tall("subhead", 2)
    flowed = flow_story([sub, *mk(4, para_len=4)], [BodyBox(2, 10)])
    assert _rows_by_column(flowed, 2) == [4, 2]
    assert [s.column for s in flowed.slots][:3] == [0, 0, 0]


def test_a_box_gives_the_measure_of_each_line_slot():
    box = BodyBox(2, 3, width=100.0, narrowed=(Narrowing(column=1, first_row=1, rows=2, width=40.0),))
    assert line_measures(box) == (100.0, 100.0, 100.0, 100.0, 40.0, 40.0)
    assert box.measure(1, 0) == 100.0 and box.measure(1, 2) == 40.0


def test_a_narrowed_box_is_filled_column_by_column_not_balanced():
    """Each line lands in the slot whose measure it was broken for."""
    box = BodyBox(2, 3, width=100.0, narrowed=(Narrowing(1, 0, 3, 40.0),))
    flowed = flow_story(mk(4, para_len=4), [box])
    assert [(s.column, s.row) for s in flowed.slots] == [(0, 0), (0, 1), (0, 2), (1, 0)]
