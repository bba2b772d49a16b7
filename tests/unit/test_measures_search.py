"""The total-fit search at a measure per line (compose/measures.py) on long paragraphs: the same
breaks as the exhaustive search it prunes, and a few hundred line ratings a character, not tens
of thousands (a 5000-character story round an inset took 25 s to plan before, 4 s now)."""
from __future__ import annotations

from fakefont import FACES
from layout.compose import measures
from layout.compose.costs import EMERGENCY_PENALTY, INF
from layout.compose.paragraph import Paragraph

TEXT = ("本报讯（记者 武芳）6月15日，全市中招考试安全工作视频会召开。市委副书记、政法委书记马正兰"
        "出席会议并讲话，COVID-19 疫情防控“一个不落”。")


def _counted(fz):
    calls = [0]
    rate = fz.rate

    def counting(*args):
        calls[0] += 1
        return rate(*args)

    fz.rate = counting
    return calls


def _exhaustive(p, fz, widths, emergency):
    """The search as first written: every state offered every later break (the reference)."""
    n, cap = len(p.text), len(widths) - 1
    best, back, states = {(0, 0): 0.0}, {}, [(0, 0)]
    for j in measures._candidates(p, emergency):
        last = j == n
        pen = 0.0 if last else (p.penalty[j] if p.penalty[j] < INF else EMERGENCY_PENALTY)
        found = {}
        for s, k in states:
            dem = fz.rate(s, j, widths[k], last, True)
            if dem is None:
                continue
            key, total = (j, min(k + 1, cap)), best[(s, k)] + dem + pen * pen
            if total < found.get(key, (INF, (0, 0)))[0]:
                found[key] = (total, (s, k))
        for key, (total, prev) in found.items():
            best[key], back[key] = total, prev
            states.append(key)
    state = min((st for st in best if st[0] == n), key=best.__getitem__)
    out = []
    while state[0] > 0:
        out.append(state[0])
        state = back[state]
    return out[::-1]


def test_the_pruned_search_gives_the_exhaustive_searchs_breaks() -> None:
    for face in FACES:
        for text in (TEXT, TEXT * 3):
            para = Paragraph(text, face, 9.0)
            for widths in ([10.6] + [12.6] * 30, [13.0] * 5 + [8.0] * 6 + [13.0],
                           [20.0, 6.0, 6.0, 20.0] * 8, [4.0] + [9.0] * 3):
                want = _exhaustive(para.prepared, para.fitter, widths, False)
                assert measures._search(para.prepared, para.fitter, widths, False) == want


def test_a_long_paragraph_rates_few_lines_a_character() -> None:
    face = FACES[0]
    for copies in (10,):  # 740 characters: 22 million lines rated before, 67 000 now
        para = Paragraph(TEXT * copies, face, 9.0)
        fz = para.fitter
        calls = _counted(fz)
        # a column round an inset: 20 lines at the measure, 20 narrowed, and so on
        widths = [12.0 if (k // 20) % 2 else 13.0 for k in range(400)]
        breaks = measures.break_measures(para.prepared, fz, widths)
        n = len(para.prepared.text)
        assert breaks[-1] == n and breaks == sorted(set(breaks))
        assert calls[0] < 200 * n, (copies, n, calls[0])
