"""Column flow over chains of boxes: counts, jump slots, balancing, overset."""
from layout.compose import ComposedLine
from layout.flow import BodyBox, Jump, flow_story


def mk(n, para_len=4):
    """n lines, paragraphs of `para_len` lines."""
    return [ComposedLine(((str(i), 0.0),), 1.0, i, i + 1, i % para_len == 0,
                         i % para_len == para_len - 1 or i == n - 1) for i in range(n)]


def texts(flowed, box):
    return [s.item for s in flowed.slots if s.box == box]


def test_fits_in_one_box_balanced_columns():
    flowed = flow_story(mk(10, para_len=10), [BodyBox(3, 10)])
    counts = [sum(1 for s in flowed.slots if s.column == c) for c in range(3)]
    assert counts == [4, 4, 2] or counts == [4, 3, 3] or sorted(counts, reverse=True) == counts
    assert max(counts) - min(counts) <= 2
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
