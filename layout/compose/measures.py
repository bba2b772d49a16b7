"""Total fit with a measure per line (a photo set into a story narrows some of its lines): the
same demerits as `breaker.best_breaks`, over states (break, line number), the line number capped
at the last measure given, which repeats. Widths in em."""
from __future__ import annotations

from typing import Sequence

from .costs import EMERGENCY_PENALTY, INF
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
    states: list[State] = [(0, 0)]
    for j in _candidates(p, emergency):
        last = j == n
        pen = 0.0 if last else (p.penalty[j] if p.penalty[j] < INF else EMERGENCY_PENALTY)
        found: dict[State, tuple[float, State]] = {}
        for s, k in states:
            dem = fz.rate(s, j, widths[k], last, True)
            if dem is None:
                continue
            key, total = (j, min(k + 1, cap)), best[(s, k)] + dem + pen * pen
            if total < found.get(key, (INF, (0, 0)))[0]:
                found[key] = (total, (s, k))
        if not found and emergency:  # an overfull line, as the ordinary breaker allows
            s, k = states[-1]
            found[(j, min(k + 1, cap))] = (best[(s, k)] + EMERGENCY_PENALTY ** 2, (s, k))
        for key, (total, prev) in found.items():
            best[key], back[key] = total, prev
            states.append(key)
    ends = [state for state in best if state[0] == n]
    if not ends:
        return None
    state = min(ends, key=best.__getitem__)
    out = []
    while state[0] > 0:
        out.append(state[0])
        state = back[state]
    return out[::-1]
