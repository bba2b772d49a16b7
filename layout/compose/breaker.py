"""Line breaking over a whole paragraph: first fit (the desk's greedy way and the fast path), the
total-fit search (a Knuth–Plass style dynamic programme over break candidates) and breaking into
an exact number of lines. Every line is rated by `Fitter.badness` / `Fitter.demerits`, the one
definition of a line's cost (fit.py). Widths are in em."""
from __future__ import annotations

from typing import Sequence

from .costs import EMERGENCY_PENALTY, EPS, FAST_PATH_BADNESS, INF, LOOSE_LINE
from .fit import Fitter
from .prepare import Prepared
from .types import Breaking


def break_paragraph(p: Prepared, width: float, first_width: float,
                    fitter: Fitter | None = None, method: Breaking = "total-fit") -> list[int]:
    """Line breaking. Returns the break indices (the end of each line, the last = len)."""
    n = len(p.text)
    if n == 0:
        return []
    fitter = fitter or Fitter(p)
    greedy = first_fit(p, fitter, width, first_width)
    # Display lines are short and choose between phrases: always the full search.
    if method == "first-fit" or (not p.ragged and _near_perfect(fitter, greedy, width, first_width)):
        return greedy
    for emergency in (False, True):
        breaks = best_breaks(p, fitter, width, first_width, emergency)
        if breaks is not None:
            return breaks
    raise AssertionError("emergency breaking always finds a solution")


def _near_perfect(fz: Fitter, breaks: list[int], width: float, first_width: float) -> bool:
    """The fast path: greedy breaking already gives the fewest lines, so when none of its lines
    needs more than a trace of adjustment (and the last is no 孤字) its demerits are within a few
    per cent of the optimum, and the total-fit search cannot improve it visibly. Most lines of
    plain Chinese text are like this."""
    a = 0
    for k, b in enumerate(breaks):
        last = k == len(breaks) - 1
        if fz.badness(a, b, first_width if a == 0 else width, last) > FAST_PATH_BADNESS:
            return False
        if last and a > 0 and fz.lone_han(a, b):
            return False
        a = b
    return True


def first_fit(p: Prepared, fz: Fitter, width: float, first_width: float) -> list[int]:
    """Greedy breaking as a desk typesetter does it: fill the line; when the next unit does not fit,
    either squeeze it in (先挤进) or push the last one down (后推出), whichever line is the better.
    The baseline that total-fit is measured against, and the fast path of `break_paragraph`."""
    n = len(p.text)
    legal = [i for i in range(1, n) if p.penalty[i] < INF] + [n]
    breaks: list[int] = []
    start, k = 0, 0
    while start < n:
        w = first_width if start == 0 else width
        natural_end = squeezed_end = None
        j = k
        while j < len(legal):
            f = fz.fit(start, legal[j])
            if f.natural - f.squeeze - f.shrink > w + EPS:
                break
            squeezed_end = j
            if f.natural <= w + EPS:
                natural_end = j
            j += 1
        if squeezed_end is None:  # one unit wider than the line: it gets a line of its own
            choice = k
        elif natural_end is None or natural_end == squeezed_end:
            choice = squeezed_end
        else:
            nat, sqz = legal[natural_end], legal[squeezed_end]
            better = fz.badness(start, nat, w, nat == n) <= fz.badness(start, sqz, w, sqz == n)
            choice = natural_end if better else squeezed_end
        breaks.append(legal[choice])
        start = legal[choice]
        k = choice + 1
    return breaks


def _too_wide_runs(p: Prepared, fz: Fitter, width: float, first_width: float) -> set[int]:
    """Positions inside the unbreakable runs (a long word, a URL) wider than a line: the only
    places where an emergency break may go, so that one overlong word does not let the breaker
    split COVID-19 elsewhere in the paragraph. Only the run that opens the paragraph must fit the
    (indented) first line; any other can start a full line."""
    legal = [0, *(i for i in range(1, len(p.text)) if p.penalty[i] < INF), len(p.text)]
    inside: set[int] = set()
    for a, b in zip(legal, legal[1:]):
        if b - a > 1 and fz.fit(a, b).natural > (first_width if a == 0 else width) + EPS:
            inside.update(range(a + 1, b))
    return inside


def _candidates(p: Prepared, fz: Fitter, width: float, first_width: float,
                emergency: bool) -> list[int]:
    """Where lines may end: legal breaks; in an emergency also inside the runs too wide for a line
    (or anywhere, when no single run explains the failure); always the paragraph's end."""
    n = len(p.text)
    penalty = p.penalty
    forced = _too_wide_runs(p, fz, width, first_width) if emergency else set()
    if emergency and not forced:
        return [*range(1, n), n]
    return [*(i for i in range(1, n) if penalty[i] < INF or i in forced), n]


def best_breaks(p: Prepared, fz: Fitter, width: float, first_width: float,
                emergency: bool) -> list[int] | None:
    """The DP over break candidates; `emergency` also allows breaks inside words (and, when even a
    single unit is wider than the line, an overfull line) so that no text is ever dropped.

    Long because it is the composer's hot loop (every (start, end) pair of candidates): the loop
    state stays in locals; each line is rated by `fz.rate`, the one definition."""
    n = len(p.text)
    penalty, rate, last_ink, first_ink = p.penalty, fz.rate, fz.last_ink, fz.first_ink
    c_adv, c_gap = fz.c_adv, fz.c_gap  # `Fitter.natural`, inlined
    best = {0: 0.0}
    back: dict[int, int] = {}
    starts = [0]
    # starts[hi + 1:] give lines more than LOOSE_LINE short of the measure: they are tried only when
    # no tighter line fits, and for the last line (which may be short). `hi` moves forward with j.
    hi = 0
    for j in _candidates(p, fz, width, first_width, emergency):
        last = j == n
        pen_j = 0.0 if last else (penalty[j] if penalty[j] < INF else EMERGENCY_PENALTY)
        pen2 = pen_j * pen_j
        b = last_ink[j]
        while hi + 1 < len(starts):
            a = first_ink[starts[hi + 1]]
            if b <= a or c_adv[b] - c_adv[a] + c_gap[b] - c_gap[a + 1] < width - LOOSE_LINE:
                break
            hi += 1
        best_d, best_i = INF, -1
        for idx in range(hi, -1, -1):
            s = starts[idx]
            dem = rate(s, j, first_width if s == 0 else width, last, True)
            if dem is None:
                break  # too long; lines from earlier starts are longer still
            total = best[s] + dem + pen2
            if total < best_d:
                best_d, best_i = total, s
        if best_i < 0 or last:
            for idx in range(len(starts) - 1, hi, -1):
                s = starts[idx]
                dem = rate(s, j, first_width if s == 0 else width, last, True)
                if dem is None:
                    continue
                total = best[s] + dem + pen2
                if total < best_d:
                    best_d, best_i = total, s
        if best_i < 0 and emergency:
            best_i, best_d = starts[-1], best[starts[-1]] + EMERGENCY_PENALTY ** 2
        if best_i >= 0:
            best[j] = best_d
            back[j] = best_i
            starts.append(j)
    return _trace(back, n)


def _trace(back: dict[int, int], n: int) -> list[int] | None:
    """The breaks of the best setting, from the back pointers of its DP."""
    if n not in back:
        return None
    out = []
    j = n
    while j > 0:
        out.append(j)
        j = back[j]
    return out[::-1]


def break_into(p: Prepared, fz: Fitter, width: float, first_width: float, count: int,
               max_badness: float) -> list[int] | None:
    """Breaks that set the paragraph in exactly `count` lines, with the fewest demerits, every
    line but the last within `max_badness` and no 孤字 last line; None when there are none. A
    paragraph is set a line longer or shorter this way to keep its last line off a column top
    (flow/). A DP over (lines so far, break): each line ends at a break of the layer above."""
    return break_into_widths(p, fz, (first_width, width), count, max_badness)


def break_into_widths(p: Prepared, fz: Fitter, widths: Sequence[float], count: int,
                      max_badness: float) -> list[int] | None:
    """`break_into` with a measure per line (widths[k] em for line k, the last
    repeating): exactly `count` lines, each but the last within `max_badness`, no 孤字 last
    line; None when there are none (widow control of a story set round an inset)."""
    n, rate = len(p.text), fz.rate
    ends = [i for i in range(1, n) if p.penalty[i] < INF]
    layer: dict[int, float] = {0: 0.0}
    backs: list[dict[int, int]] = []
    for k in range(1, count + 1):
        final = k == count
        w = widths[min(k - 1, len(widths) - 1)]
        nxt: dict[int, float] = {}
        back: dict[int, int] = {}
        starts = sorted(layer)
        for j in ([n] if final else ends):
            pen = 0.0 if final else p.penalty[j]
            for i in reversed(starts):  # the shortest line first: earlier starts are longer
                if i >= j:
                    continue
                bad = rate(i, j, w, final)
                if bad == INF:
                    break
                if bad > max_badness or (final and i > 0 and fz.lone_han(i, j)):
                    continue
                total = layer[i] + rate(i, j, w, final, True) + pen * pen
                if total < nxt.get(j, INF):
                    nxt[j], back[j] = total, i
        if not nxt:
            return None
        layer = nxt
        backs.append(back)
    if n not in layer:
        return None
    out = [n]
    for back in reversed(backs[1:]):
        out.append(back[out[-1]])
    return out[::-1]


def worst_badness(fz: Fitter, breaks: Sequence[int], width: float, first_width: float) -> float:
    """The badness of the worst line of a setting, its last line apart."""
    return worst_badness_widths(fz, breaks, (first_width, width))


def worst_badness_widths(fz: Fitter, breaks: Sequence[int], widths: Sequence[float]) -> float:
    """The badness of the worst line of a setting at a measure per line, its last line apart."""
    worst, a = 0.0, 0
    for k, b in enumerate(breaks[:-1]):
        worst = max(worst, fz.badness(a, b, widths[min(k, len(widths) - 1)], False))
        a = b
    return worst
