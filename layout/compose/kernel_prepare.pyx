# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Compiled ports of `prepare`'s per-character loops (`_glue`, `_edge_blanks`, the word and letter
gaps, the loose shares): the same lists, computed the same way (tests/unit/test_kernel.py compares
them with the reference on every paragraph it sets). `prepare.py` is the specification."""
from . import cjk, classes, costs, rules
from .classes import LEFT_BLANK, RIGHT_BLANK, SHIFT, WESTERN, blank_side, char_kind

cdef double SPACE_SHRINK_RATIO = costs.SPACE_SHRINK_RATIO
cdef double SPACE_BY_HAN_STRETCH = costs.SPACE_BY_HAN_STRETCH
cdef double SPACE_STRETCH = costs.SPACE_STRETCH
cdef double HAN_LATIN_SHRINK = costs.HAN_LATIN_SHRINK
cdef double HAN_LATIN_STRETCH = costs.HAN_LATIN_STRETCH
cdef double LOOSE_WEIGHT = costs.LOOSE_WEIGHT
cdef double PUNCT_SQUEEZE = costs.PUNCT_SQUEEZE
cdef double EPS = costs.EPS
cdef frozenset NO_SPACE_BEFORE = frozenset(cjk.CLOSING | cjk.PAUSE_STOP | cjk.UNIT_AFTER)
cdef frozenset OPENING = frozenset(cjk.OPENING)
cdef frozenset INSEPARABLE = frozenset(cjk.INSEPARABLE)
cdef Py_UCS4 IDEOGRAPHIC_SPACE = cjk.IDEOGRAPHIC_SPACE
cdef frozenset UNIT_AFTER = frozenset(cjk.UNIT_AFTER)
cdef frozenset PREFIX_SIGN = frozenset(cjk.PREFIX_SIGN)
cdef str LATIN = WESTERN[0], LATINPUNCT = WESTERN[1]


cdef dict KINDS = classes._KINDS  # char_kind's own cache: looked up here as it does


def kinds_and_spaces(str text):
    """`_prepare`'s kinds (`char_kind` of each character) and space flags."""
    cdef Py_ssize_t n = len(text), i
    cdef list kinds = [None] * n, space = [False] * n
    for i, c in enumerate(text):
        kind = KINDS.get(c)
        if kind is None:
            kind = char_kind(c)
        kinds[i] = kind
        space[i] = kind == "space"
    return kinds, space


cdef inline bint _western(str kind):
    return kind == LATIN or kind == LATINPUNCT


def glue(str text, list kinds, list adv, list space, list in_word, list sides,
         latin_spacing):
    """`prepare._glue`, as the tuple (gap, gap_shrink, gap_stretch, spreadable, loose_gap).

    Long because it is the reference's two loops over the gaps in one function, as there."""
    cdef Py_ssize_t n = len(text), i
    cdef list gap = [0.0] * n, gap_shrink = [0.0] * n, gap_stretch = [0.0] * n
    cdef list spreadable = [False] * n, loose_gap = [False] * n
    cdef list chars = list(text)
    cdef list spacing_kinds
    cdef bint by_han, tight, sp_i
    cdef str ka, kb
    cdef double spacing = latin_spacing
    for i in range(n):
        if space[i]:
            by_han = (i > 0 and kinds[i - 1] == "han") or (i + 1 < n and kinds[i + 1] == "han")
            gap_shrink[i] = <double> adv[i] * SPACE_SHRINK_RATIO
            gap_stretch[i] = SPACE_BY_HAN_STRETCH if by_han else SPACE_STRETCH
    spacing_kinds = number_run_kinds(text, kinds)
    for i in range(1, n):
        pa, cb = chars[i - 1], chars[i]
        ka, kb = spacing_kinds[i - 1], spacing_kinds[i]
        if (ka == "han" and kb == "latin") or (ka == "latin" and kb == "han"):
            gap[i] = latin_spacing
            gap_shrink[i] = HAN_LATIN_SHRINK if not (spacing < HAN_LATIN_SHRINK) \
                else latin_spacing
            gap_stretch[i] = HAN_LATIN_STRETCH
        tight = ((cb in NO_SPACE_BEFORE and sides[i] != "centre") or pa in OPENING
                 or (pa in INSEPARABLE and cb == pa)
                 or (_western(kinds[i - 1]) and _western(kinds[i])))
        sp_i = space[i]
        loose_gap[i] = not tight and (gap[i] > 0 or sp_i)
        spreadable[i] = not (tight or in_word[i] or sp_i or space[i - 1] or gap[i] > 0)
    return gap, gap_shrink, gap_stretch, spreadable, loose_gap


def edge_blanks(str text, list space):
    """`prepare._edge_blanks`."""
    cdef Py_ssize_t n = len(text), i
    cdef Py_ssize_t lead = n - len(text.lstrip(cjk.IDEOGRAPHIC_SPACE))
    cdef list out = [False] * n
    for i in range(n):
        out[i] = bool(space[i]) or (i >= lead and text[i] == IDEOGRAPHIC_SPACE)
    return out


def word_and_letter_gaps(str text, list in_word, list space):
    """`_prepare`'s word_gap and letter_gap lists."""
    cdef Py_ssize_t n = len(text), i
    cdef list word_gap = [False] * n, letter_gap = [False] * n
    cdef bint w
    for i in range(n):
        w = in_word[i] and not space[i]
        word_gap[i] = w
        # text[i - 1] wraps at i == 0 as in Python (in_word[0] is never set, so it is not read)
        letter_gap[i] = w and text[i - 1 if i else n - 1].isalpha() and text[i].isalpha()
    return word_gap, letter_gap


def loose_shares(list loose_gap, list letter_gap):
    """`_prepare`'s loose_share list."""
    cdef Py_ssize_t n = len(loose_gap), i
    cdef list out = [0.0] * n
    for i in range(n):
        out[i] = LOOSE_WEIGHT if loose_gap[i] else (1.0 if letter_gap[i] else 0.0)
    return out


cpdef list number_run_kinds(str text, list kinds):
    """`classes.number_run_kinds`."""
    cdef list out = list(kinds)
    cdef Py_ssize_t n = len(text), i, j
    cdef Py_UCS4 c
    for i in range(n):
        c = text[i]
        if c in UNIT_AFTER:
            j = i - 1
            while j >= 0 and text[j] in UNIT_AFTER:
                j -= 1
            if j >= 0 and text[j].isdigit():
                out[i] = "latin"
        elif c in PREFIX_SIGN and i + 1 < n and text[i + 1].isdigit():
            out[i] = "latin"
    return out


def break_penalties(c):
    """`rules.break_penalties`, sharing its memo (the same keys: two characters and two flags)."""
    cdef str t = c.text
    cdef list space = c.space, edge = c.edge_blank, in_word = c.in_word
    cdef Py_ssize_t n = len(t), i
    cdef dict memo = rules._MEMOS.setdefault((c.not_start, c.not_end), {})
    cdef list out = [0.0] * n
    cdef list chars = list(t)
    if len(memo) > rules._MEMO_LIMIT:
        memo.clear()
    for i in range(1, n):
        if space[i] or edge[i] or space[i - 1] or edge[i - 1] or in_word[i]:
            out[i] = rules.break_penalty(c, i)
            continue
        t2 = chars[i - 2] if i >= 2 else ""
        key = (chars[i - 1], chars[i], t2.isdigit(), t2 in UNIT_AFTER)
        p = memo.get(key)
        if p is None:
            p = memo[key] = rules.break_penalty(c, i)
        out[i] = p
    return out


def marks(str text, list kinds, list adv, metrics_at):
    """`prepare._marks` (with `_squeeze_pairs`; `adv` changes in place as there), as the tuple
    (sides, place, squeeze, squeeze_left, shift, end_squeeze, start_restore)."""
    cdef Py_ssize_t n = len(text), i
    cdef list sides = [None] * n, place = [0.0] * n, squeeze = [0.0] * n
    cdef list squeeze_left = [False] * n, shift = [0.0] * n, restore, end_squeeze
    cdef bint after_mark, before_mark
    for i in range(n):
        if kinds[i] == "cjkpunct" and text[i] not in INSEPARABLE:
            c = text[i]
            side = blank_side(c, metrics_at(i))
            if side and adv[i] >= 0.9:
                sides[i] = side
                squeeze[i] = PUNCT_SQUEEZE
                squeeze_left[i] = side == "left"
                shift[i] = SHIFT[side]
    restore = _squeeze_pairs(sides, adv, place, squeeze)
    end_squeeze = list(squeeze)
    for i in range(n):
        after_mark = i > 0 and not (kinds[i - 1] == "han" or kinds[i - 1] == "latin")
        before_mark = i + 1 < n and (kinds[i + 1] == "cjkpunct" or kinds[i + 1] == "latinpunct")
        if squeeze[i] and shift[i] > 0 and after_mark:
            squeeze[i] = end_squeeze[i] = 0.0
        elif squeeze[i] and sides[i] == "centre" and before_mark:
            squeeze[i] = 0.0
    return sides, place, squeeze, squeeze_left, shift, end_squeeze, restore


cdef list _squeeze_pairs(list sides, list adv, list place, list squeeze):
    """`prepare._squeeze_pairs`."""
    cdef Py_ssize_t n = len(sides), i
    cdef list restore = [0.0] * n
    for i in range(n - 1):
        a, b = sides[i], sides[i + 1]
        if a is None or b is None or RIGHT_BLANK[a] + LEFT_BLANK[b] < PUNCT_SQUEEZE - EPS:
            continue
        if a == "right" and squeeze[i]:
            adv[i] -= PUNCT_SQUEEZE
            squeeze[i] = 0.0
        elif b == "left" and squeeze[i + 1]:
            adv[i + 1] -= PUNCT_SQUEEZE
            place[i + 1] -= PUNCT_SQUEEZE
            squeeze[i + 1] = 0.0
            restore[i + 1] = PUNCT_SQUEEZE
    return restore
