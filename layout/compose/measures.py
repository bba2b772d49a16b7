"""Total fit with a measure per line (a photo set into a story narrows some of its lines): the
same demerits as `breaker.best_breaks`, over states (break, line number), the line number capped
at the last measure given, which repeats. Widths in em."""
from __future__ import annotations

from typing import Sequence

from .costs import EMERGENCY_PENALTY, INF, LOOSE_LINE
from .fit import Fitter
from .native import break_paragraph
from .prepare import Prepared

State = tuple[int, int]  # (break index, number of the line that starts there, capped)


def uniform_tail(widths: Sequence[float]) -> bool:
    """Whether every line after the first has the same measure (the ordinary breaker's case)."""
    return all(w == widths[1] for w in widths[2:])


def break_measures(p: Prepared, fz: Fitter, widths: Sequence[float]) -> list[int]:
    """Breaks for lines of widths[k] em each (the last width repeating). With one measure after
    the first line this is `break_paragraph` itself, so that its output is unchanged."""
    if not p.text:
        return []
    if len(widths) == 1:
        return break_paragraph(p, widths[0], widths[0], fz)
    if uniform_tail(widths):
        return break_paragraph(p, widths[1], widths[0], fz)
    for emergency in (False, True):
        breaks = _search(p, fz, widths, emergency)
        if breaks is not None:
            return breaks
    raise AssertionError("emergency breaking always finds a solution")


def _candidates(p: Prepared, emergency: bool) -> list[int]:
    n = len(p.text)
    return [*(i for i in range(1, n) if emergency or p.penalty[i] < INF), n]


def _search(p: Prepared, fz: Fitter, widths: Sequence[float], emergency: bool) -> list[int] | None:
    n, cap = len(p.text), len(widths) - 1
    best: dict[State, float] = {(0, 0): 0.0}
    back: dict[State, State] = {}
    # Open states only: a line too long from a state stays too long for every later break (it
    # only grows), so such a state is dropped for good. And as in `best_breaks`, a line more than
    # LOOSE_LINE short of its measure is tried only when no tighter one ends at the break (or for
    # the last line): without both the search is quadratic in the paragraph and in its lines
    # (20 s for a 5000-character story round one inset).
    states: list[State] = [(0, 0)]
    newest: State = (0, 0)
    first_ink, last_ink, c_adv, c_gap = fz.first_ink, fz.last_ink, fz.c_adv, fz.c_gap
    for j in _candidates(p, emergency):
        last = j == n
        pen = 0.0 if last else (p.penalty[j] if p.penalty[j] < INF else EMERGENCY_PENALTY)
        found: dict[State, tuple[float, State]] = {}
        still: list[State] = []
        loose: list[tuple[State, float]] = []
        b = last_ink[j]
        for s, k in states:
            dem = fz.rate(s, j, widths[k], last, True)
            if dem is None:
                continue
            still.append((s, k))
            a = first_ink[s]
            if not last and (b <= a or c_adv[b] - c_adv[a] + c_gap[b] - c_gap[a + 1]
                             < widths[k] - LOOSE_LINE):
                loose.append(((s, k), dem))
                continue
            _offer(found, (j, min(k + 1, cap)), best[(s, k)] + dem + pen * pen, (s, k))
        if not found:
            for (s, k), dem in loose:
                _offer(found, (j, min(k + 1, cap)), best[(s, k)] + dem + pen * pen, (s, k))
        if not found and emergency:  # an overfull line, as the ordinary breaker allows
            s, k = newest
            found[(j, min(k + 1, cap))] = (best[(s, k)] + EMERGENCY_PENALTY ** 2, (s, k))
        states = still
        for key, (total, prev) in found.items():
            best[key], back[key] = total, prev
            states.append(key)
            newest = key
    ends = [state for state in best if state[0] == n]
    if not ends:
        return None
    state = min(ends, key=best.__getitem__)
    out = []
    while state[0] > 0:
        out.append(state[0])
        state = back[state]
    return out[::-1]


def _offer(found: dict[State, tuple[float, State]], key: State, total: float, prev: State) -> None:
    if total < found.get(key, (INF, (0, 0)))[0]:
        found[key] = (total, prev)
