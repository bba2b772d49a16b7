# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The compiled composition kernel: the prefix sums of `fit.Fitter`, the breakers of `breaker`
(first fit, the fast-path test, the total-fit search) and `justify.set_line`, over flat C arrays.

A port, not a second definition: the pure-Python modules are the specification and the fallback
(`native` picks one), and every float is computed with the same operations in the same order as
there, so breaks and glyph positions are identical (tests/unit/test_kernel.py). Hence: no
`-ffast-math`, no FMA contraction, and `pow` is libm's, as Python's `**` is (setup.py's flags).
`Lines(p)` copies a `Prepared` paragraph's lists into C arrays once; the prefix sums and ink edges
are `array.array`s that the Python `Fitter` shares, so nothing is summed twice.
"""
from cpython cimport array
from libc.math cimport pow
from libc.stdlib cimport free, malloc

import array as _array

from . import costs

cdef double INF = costs.INF
cdef double EPS = costs.EPS
cdef double PUNCT_SQUEEZE = costs.PUNCT_SQUEEZE
cdef double SQUEEZE_COST = costs.SQUEEZE_COST
cdef double RAGGED_COST = costs.RAGGED_COST
cdef double UNJUSTIFIABLE = costs.UNJUSTIFIABLE
cdef double LINE_PENALTY = costs.LINE_PENALTY
cdef double LONE = costs.LONE_HAN_PENALTY ** 2
cdef double LOOSE_WEIGHT = costs.LOOSE_WEIGHT
cdef double LOOSE_SPREAD_FACTOR = costs.LOOSE_SPREAD_FACTOR
cdef double WORD_SPREAD_FACTOR = costs.WORD_SPREAD_FACTOR
cdef double SPREAD_UNIT = costs.SPREAD_UNIT
cdef double FAST_PATH_BADNESS = costs.FAST_PATH_BADNESS
cdef double LOOSE_LINE = costs.LOOSE_LINE
cdef double EMERGENCY_PENALTY = costs.EMERGENCY_PENALTY
cdef double TOO_LONG = -1.0  # the demerits of a line too long (the reference's None)

cdef array.array _DOUBLES = _array.array("d")
cdef array.array _INDICES = _array.array("q")

# Per-character inputs copied from `Prepared` (doubles; flags as 0.0 / 1.0).
cdef enum:
    ADV, PLACE, SQ, SQ_LEFT, SHIFT, END_SQ, RESTORE, GAP, GAP_SHRINK, GAP_STRETCH, SPREADABLE, \
        LOOSE_SHARE, WORD_GAP, PENALTY, SPACE, N_INPUTS
_INPUT_NAMES = ("adv", "place", "squeeze", "squeeze_left", "shift", "end_squeeze",
                "start_restore", "gap", "gap_shrink", "gap_stretch", "spreadable", "loose_share",
                "word_gap", "penalty", "space")


cdef inline array.array _sums(Py_ssize_t n):
    return array.clone(_DOUBLES, n + 1, False)


cdef inline double _min(double a, double b):
    """Python's min(a, b): the first unless the second is smaller."""
    return b if b < a else a


cdef double spread_badness(double rest, double gaps, double loose_gaps, double letter_gaps,
                           double word_gaps) except? -2.0:
    """`fit.spread_badness`."""
    cdef double unit
    if gaps >= 0.5:
        return 100.0 * pow(rest / gaps / SPREAD_UNIT, 2.0)
    if loose_gaps + letter_gaps >= 0.5:
        unit = rest / (LOOSE_WEIGHT * loose_gaps + letter_gaps)
        if loose_gaps >= 0.5:
            return LOOSE_SPREAD_FACTOR * 100.0 * pow(LOOSE_WEIGHT * unit / SPREAD_UNIT, 2.0)
        return WORD_SPREAD_FACTOR * 100.0 * pow(unit / SPREAD_UNIT, 2.0)
    if word_gaps >= 0.5:
        return WORD_SPREAD_FACTOR * 100.0 * pow(rest / word_gaps / SPREAD_UNIT, 2.0)
    return UNJUSTIFIABLE


cdef class Lines:
    """One prepared paragraph as C arrays, with the breakers and the line setter over them."""

    cdef readonly array.array c_adv, c_squeeze, c_gap, c_shrink, c_stretch, c_spread, c_loose
    cdef readonly array.array c_letter, c_word, c_han, c_latin, first_ink, last_ink
    cdef readonly Py_ssize_t n
    cdef readonly bint ragged
    cdef str text
    cdef double *block  # N_INPUTS rows of n doubles
    cdef double *inp[N_INPUTS]
    cdef double *cadv
    cdef double *csq
    cdef double *cgap
    cdef double *csh
    cdef double *cst
    cdef double *csp
    cdef double *clo
    cdef double *cle
    cdef double *cwd
    cdef double *chan
    cdef double *clat
    cdef long long *fi
    cdef long long *li

    def __cinit__(self, p):
        cdef Py_ssize_t n = len(p.text), k
        self.n = n
        self.text = p.text
        self.ragged = p.ragged
        self.block = <double *> malloc(N_INPUTS * (n + 1) * sizeof(double))
        if self.block == NULL:
            raise MemoryError()
        for k in range(N_INPUTS):
            self.inp[k] = self.block + k * (n + 1)
            _copy(self.inp[k], getattr(p, _INPUT_NAMES[k]), n)
        self._sum_all(p)
        self._ink_edges(_as_list(p.edge_blank))

    def __dealloc__(self):
        free(self.block)

    cdef void _sum_all(self, p) except *:
        """`Fitter.__init__`'s prefix sums, each the running sum left to right from 0.0."""
        cdef Py_ssize_t n = self.n, k
        cdef Py_UCS4 ch
        cdef double *adv = self.inp[ADV]
        cdef double *space = self.inp[SPACE]
        cdef double *gap = self.inp[GAP]
        cdef list kinds = _as_list(p.kinds), letter = _as_list(p.letter_gap)
        cdef list loose = _as_list(p.loose_gap)
        self.c_adv, self.c_squeeze, self.c_gap = _sums(n), _sums(n), _sums(n)
        self.c_shrink, self.c_stretch, self.c_spread = _sums(n), _sums(n), _sums(n)
        self.c_loose, self.c_letter, self.c_word = _sums(n), _sums(n), _sums(n)
        self.c_han, self.c_latin = _sums(n), _sums(n)
        self.cadv, self.csq = self.c_adv.data.as_doubles, self.c_squeeze.data.as_doubles
        self.cgap, self.csh = self.c_gap.data.as_doubles, self.c_shrink.data.as_doubles
        self.cst, self.csp = self.c_stretch.data.as_doubles, self.c_spread.data.as_doubles
        self.clo, self.cle = self.c_loose.data.as_doubles, self.c_letter.data.as_doubles
        self.cwd, self.chan = self.c_word.data.as_doubles, self.c_han.data.as_doubles
        self.clat = self.c_latin.data.as_doubles
        _zero_first(self)
        for k in range(n):
            self.cadv[k + 1] = self.cadv[k] + (0.0 if space[k] else adv[k])
            self.csq[k + 1] = self.csq[k] + self.inp[SQ][k]
            self.cgap[k + 1] = self.cgap[k] + (gap[k] + (adv[k] if space[k] else 0.0))
            self.csh[k + 1] = self.csh[k] + self.inp[GAP_SHRINK][k]
            self.cst[k + 1] = self.cst[k] + self.inp[GAP_STRETCH][k]
            self.csp[k + 1] = self.csp[k] + self.inp[SPREADABLE][k]
            self.clo[k + 1] = self.clo[k] + (1.0 if loose[k] else 0.0)
            self.cle[k + 1] = self.cle[k] + (1.0 if letter[k] else 0.0)
            self.cwd[k + 1] = self.cwd[k] + self.inp[WORD_GAP][k]
            kind = kinds[k]
            ch = self.text[k]
            # `k == "han" and cjk.is_han(c)`: kind "han" is is_han or kana (classes._classify),
            # so for a character of that kind is_han is "not kana".
            self.chan[k + 1] = self.chan[k] + (
                1.0 if kind == "han" and not (0x3040 <= ch <= 0x30FF) else 0.0)
            self.clat[k + 1] = self.clat[k] + (
                1.0 if kind == "latin" or kind == "latinpunct" else 0.0)

    cdef void _ink_edges(self, list blank) except *:
        """`fit._ink_edges`."""
        cdef Py_ssize_t n = self.n, i, j
        self.first_ink = array.clone(_INDICES, n + 1, False)
        self.last_ink = array.clone(_INDICES, n + 1, False)
        self.fi, self.li = self.first_ink.data.as_longlongs, self.last_ink.data.as_longlongs
        for i in range(n + 1):
            self.fi[i] = i
            self.li[i] = i
        for i in range(n - 1, -1, -1):
            if blank[i]:
                self.fi[i] = self.fi[i + 1]
        for j in range(1, n + 1):
            if blank[j - 1]:
                self.li[j] = self.li[j - 1]

    # --- line measures and rating (fit.py) ---

    cdef double rate(self, Py_ssize_t i, Py_ssize_t j, double width, bint last,
                     bint demerits) except? -2.0:
        """`Fitter.rate`; TOO_LONG where the reference's demerits are None."""
        cdef Py_ssize_t a = self.fi[i], b = self.li[j]
        cdef double natural, squeeze, shrink, d, s1, bad, stretch, dem
        cdef double *sq = self.inp[SQ]
        if b > a:
            natural = self.cadv[b] - self.cadv[a] + self.cgap[b] - self.cgap[a + 1] \
                + self.inp[RESTORE][a]
            squeeze = (self.csq[b] - self.csq[a] - (sq[a] if self.inp[SQ_LEFT][a] else 0.0)
                       + self.inp[END_SQ][b - 1] - sq[b - 1])
            shrink = self.csh[b] - self.csh[a + 1]
        else:
            natural = squeeze = shrink = 0.0
        d = width - natural
        if d < -EPS:
            if -d > squeeze + shrink + EPS:
                return TOO_LONG if demerits else INF
            s1 = _min(-d, squeeze)
            bad = SQUEEZE_COST * s1 / PUNCT_SQUEEZE
            if -d - s1 > EPS:
                bad += 100.0 * pow((-d - s1) / shrink, 2.0)
        elif last:
            bad = 0.0
        elif self.ragged:
            bad = RAGGED_COST * pow(d / width, 2.0)
        elif b <= a:
            bad = UNJUSTIFIABLE if d > EPS else 0.0
        else:
            stretch = self.cst[b] - self.cst[a + 1]
            s1 = _min(d, stretch)
            bad = 100.0 * pow(s1 / stretch, 3.0) if stretch > EPS else 0.0
            if d - s1 > EPS:
                bad += spread_badness(d - s1, self.csp[b] - self.csp[a + 1],
                                      self.clo[b] - self.clo[a + 1],
                                      self.cle[b] - self.cle[a + 1],
                                      self.cwd[b] - self.cwd[a + 1])
        if not demerits:
            return bad
        dem = pow(LINE_PENALTY + bad, 2.0)
        if last and i > 0 and self.chan[j] - self.chan[i] == 1 \
                and self.clat[j] - self.clat[i] == 0:
            dem += LONE
        return dem

    cdef void fit(self, Py_ssize_t a0, Py_ssize_t b0, double *out) noexcept:
        """`Fitter.fit` into out[0:8] (natural, squeeze, shrink, stretch, then the four gap
        counts), in its own order of operations."""
        cdef Py_ssize_t a = self.fi[a0], b = self.li[b0], k
        cdef double *sq = self.inp[SQ]
        if b <= a:
            for k in range(8):
                out[k] = 0.0
            return
        out[0] = self.cadv[b] - self.cadv[a] + self.cgap[b] - self.cgap[a + 1] \
            + self.inp[RESTORE][a]
        out[1] = self.csq[b] - self.csq[a] + self.inp[END_SQ][b - 1] - sq[b - 1]
        if self.inp[SQ_LEFT][a]:
            out[1] -= sq[a]
        out[2] = self.csh[b] - self.csh[a + 1]
        out[3] = self.cst[b] - self.cst[a + 1]
        out[4] = <long long> (self.csp[b] - self.csp[a + 1])
        out[5] = <long long> (self.clo[b] - self.clo[a + 1])
        out[6] = <long long> (self.cle[b] - self.cle[a + 1])
        out[7] = <long long> (self.cwd[b] - self.cwd[a + 1])

    cdef bint lone_han(self, Py_ssize_t a, Py_ssize_t b) noexcept:
        return self.chan[b] - self.chan[a] == 1 and self.clat[b] - self.clat[a] == 0

    def line_rate(self, Py_ssize_t i, Py_ssize_t j, double width, bint last,
                  bint demerits=False):
        """`Fitter.rate` from Python (tests): badness, or demerits with None for too long."""
        cdef double r = self.rate(i, j, width, last, demerits)
        return None if demerits and r == TOO_LONG else r

    # --- breaking (breaker.py) ---

    def break_paragraph(self, double width, double first_width, str method="total-fit"):
        """`breaker.break_paragraph` (the paragraph is not empty)."""
        greedy = self.first_fit(width, first_width)
        if method == "first-fit" or (not self.ragged
                                     and self.near_perfect(greedy, width, first_width)):
            return greedy
        for emergency in (False, True):
            breaks = self.best_breaks(width, first_width, emergency)
            if breaks is not None:
                return breaks
        raise AssertionError("emergency breaking always finds a solution")

    cpdef bint near_perfect(self, list breaks, double width, double first_width) except -1:
        """`breaker._near_perfect`."""
        cdef Py_ssize_t a = 0, b, k, count = len(breaks)
        cdef bint last
        for k in range(count):
            b = breaks[k]
            last = k == count - 1
            if self.rate(a, b, first_width if a == 0 else width, last, False) \
                    > FAST_PATH_BADNESS:
                return False
            if last and a > 0 and self.lone_han(a, b):
                return False
            a = b
        return True

    cdef Py_ssize_t _legal(self, long long *out) noexcept:
        """The legal break positions 1..n-1, then n; returns their count."""
        cdef Py_ssize_t i, m = 0
        cdef double *penalty = self.inp[PENALTY]
        for i in range(1, self.n):
            if penalty[i] < INF:
                out[m] = i
                m += 1
        out[m] = self.n
        return m + 1

    cpdef list first_fit(self, double width, double first_width):
        """`breaker.first_fit`."""
        cdef Py_ssize_t n = self.n, start = 0, k = 0, j, count, choice, nat, sqz
        cdef Py_ssize_t natural_end, squeezed_end
        cdef double w
        cdef double f[8]
        cdef long long *legal = <long long *> malloc((n + 1) * sizeof(long long))
        cdef list breaks = []
        if legal == NULL:
            raise MemoryError()
        try:
            count = self._legal(legal)
            while start < n:
                w = first_width if start == 0 else width
                natural_end = squeezed_end = -1
                j = k
                while j < count:
                    self.fit(start, legal[j], f)
                    if f[0] - f[1] - f[2] > w + EPS:
                        break
                    squeezed_end = j
                    if f[0] <= w + EPS:
                        natural_end = j
                    j += 1
                if squeezed_end < 0:
                    choice = k
                elif natural_end < 0 or natural_end == squeezed_end:
                    choice = squeezed_end
                else:
                    nat, sqz = legal[natural_end], legal[squeezed_end]
                    choice = natural_end if (self.rate(start, nat, w, nat == n, False)
                                             <= self.rate(start, sqz, w, sqz == n, False)) \
                        else squeezed_end
                breaks.append(legal[choice])
                start = legal[choice]
                k = choice + 1
        finally:
            free(legal)
        return breaks

    cdef Py_ssize_t _candidates(self, double width, double first_width, bint emergency,
                                long long *out) except -1:
        """`breaker._candidates` (with `_too_wide_runs`) into out; returns their count."""
        cdef Py_ssize_t n = self.n, i, m = 0, a, b, count, k
        cdef double f[8]
        cdef double *penalty = self.inp[PENALTY]
        cdef bint forced_any = False
        cdef char *forced
        if not emergency:
            return self._legal(out)
        forced = <char *> malloc(n + 1)
        if forced == NULL:
            raise MemoryError()
        try:
            for i in range(n + 1):
                forced[i] = 0
            out[0] = 0
            count = self._legal(out + 1) + 1  # [0, legal..., n]
            for k in range(count - 1):
                a, b = out[k], out[k + 1]
                if b - a > 1:
                    self.fit(a, b, f)
                    if f[0] > (first_width if a == 0 else width) + EPS:
                        forced_any = True
                        for i in range(a + 1, b):
                            forced[i] = 1
            for i in range(1, n):
                if not forced_any or penalty[i] < INF or forced[i]:
                    out[m] = i
                    m += 1
            out[m] = n
            return m + 1
        finally:
            free(forced)

    def best_breaks(self, double width, double first_width, bint emergency):
        """`breaker.best_breaks`.

        Long because it is the composer's hot loop, as in the reference."""
        cdef Py_ssize_t n = self.n, count, c, j, s, idx, hi = 0, n_starts = 1, best_i, a, b
        cdef double pen_j, pen2, best_d, dem, total
        cdef bint last
        cdef double *penalty = self.inp[PENALTY]
        cdef long long *cand = <long long *> malloc((n + 2) * sizeof(long long))
        cdef long long *starts = <long long *> malloc((n + 2) * sizeof(long long))
        cdef long long *back = <long long *> malloc((n + 1) * sizeof(long long))
        cdef double *best = <double *> malloc((n + 1) * sizeof(double))
        if cand == NULL or starts == NULL or back == NULL or best == NULL:
            free(cand); free(starts); free(back); free(best)
            raise MemoryError()
        try:
            for j in range(n + 1):
                back[j] = -1
            best[0] = 0.0
            starts[0] = 0
            count = self._candidates(width, first_width, emergency, cand)
            for c in range(count):
                j = cand[c]
                last = j == n
                pen_j = 0.0 if last else (penalty[j] if penalty[j] < INF else EMERGENCY_PENALTY)
                pen2 = pen_j * pen_j
                b = self.li[j]
                while hi + 1 < n_starts:
                    a = self.fi[starts[hi + 1]]
                    if b <= a or self.cadv[b] - self.cadv[a] + self.cgap[b] - self.cgap[a + 1] \
                            < width - LOOSE_LINE:
                        break
                    hi += 1
                best_d, best_i = INF, -1
                for idx in range(hi, -1, -1):
                    s = starts[idx]
                    dem = self.rate(s, j, first_width if s == 0 else width, last, True)
                    if dem == TOO_LONG:
                        break
                    total = best[s] + dem + pen2
                    if total < best_d:
                        best_d, best_i = total, s
                if best_i < 0 or last:
                    for idx in range(n_starts - 1, hi, -1):
                        s = starts[idx]
                        dem = self.rate(s, j, first_width if s == 0 else width, last, True)
                        if dem == TOO_LONG:
                            continue
                        total = best[s] + dem + pen2
                        if total < best_d:
                            best_d, best_i = total, s
                if best_i < 0 and emergency:
                    s = starts[n_starts - 1]
                    best_i, best_d = s, best[s] + EMERGENCY_PENALTY * EMERGENCY_PENALTY
                if best_i >= 0:
                    best[j] = best_d
                    back[j] = best_i
                    starts[n_starts] = j
                    n_starts += 1
            if back[n] < 0:
                return None
            out = []
            j = n
            while j > 0:
                out.append(j)
                j = back[j]
            return out[::-1]
        finally:
            free(cand); free(starts); free(back); free(best)

    def break_into(self, double width, double first_width, Py_ssize_t count,
                   double max_badness):
        """`breaker.break_into`: exactly `count` lines, or None.

        Long because it is the reference's DP over (lines so far, break) in one loop."""
        cdef Py_ssize_t n = self.n, k, m_ends, m_cur = 1, m_nxt, e, j, idx, i
        cdef bint final
        cdef double pen, w, bad, total, total_best
        cdef Py_ssize_t best_i
        cdef double *penalty = self.inp[PENALTY]
        cdef long long *ends = <long long *> malloc((n + 1) * sizeof(long long))
        cdef long long *cur = <long long *> malloc((n + 1) * sizeof(long long))
        cdef long long *nxt = <long long *> malloc((n + 1) * sizeof(long long))
        cdef double *cur_val = <double *> malloc((n + 1) * sizeof(double))
        cdef double *nxt_val = <double *> malloc((n + 1) * sizeof(double))
        cdef long long *swap
        cdef double *swap_val
        cdef list backs = []
        if ends == NULL or cur == NULL or nxt == NULL or cur_val == NULL or nxt_val == NULL:
            free(ends); free(cur); free(nxt); free(cur_val); free(nxt_val)
            raise MemoryError()
        try:
            m_ends = self._legal(ends) - 1  # without n
            cur[0], cur_val[0] = 0, 0.0
            for k in range(1, count + 1):
                final = k == count
                m_nxt = 0
                back = {}
                for e in range(1 if final else m_ends):
                    j = n if final else ends[e]
                    pen = 0.0 if final else penalty[j]
                    total_best = INF
                    best_i = -1
                    for idx in range(m_cur - 1, -1, -1):
                        i = cur[idx]
                        if i >= j:
                            continue
                        w = first_width if i == 0 else width
                        bad = self.rate(i, j, w, final, False)
                        if bad == INF:
                            break
                        if bad > max_badness or (final and i > 0 and self.lone_han(i, j)):
                            continue
                        total = cur_val[idx] + self.rate(i, j, w, final, True) + pen * pen
                        if total < total_best:
                            total_best, best_i = total, i
                    if best_i >= 0:
                        nxt[m_nxt], nxt_val[m_nxt] = j, total_best
                        m_nxt += 1
                        back[j] = best_i
                if m_nxt == 0:
                    return None
                swap = cur  # the layer just made becomes the current one
                cur = nxt
                nxt = swap
                swap_val = cur_val
                cur_val = nxt_val
                nxt_val = swap_val
                m_cur = m_nxt
                backs.append(back)
            if cur[m_cur - 1] != n:
                return None
            out = [n]
            for back in reversed(backs[1:]):
                out.append(back[out[len(out) - 1]])  # no wraparound here
            return out[::-1]
        finally:
            free(ends); free(cur); free(nxt); free(cur_val); free(nxt_val)

    # --- setting a line (justify.py) ---

    def set_line(self, Py_ssize_t a0, Py_ssize_t b0, double width, double size, bint justify):
        """`justify.set_line`: the glyphs of [a0, b0) and the pen position, x in pt.

        Long because it is `adjust` and the glyph loop in one, as the reference's two are."""
        cdef double f[8]
        cdef double d, end_sq, mid_sq, need, s, rest, first, gaps, x = 0.0, restore, place
        cdef double squeeze_ratio = 0.0, shrink_ratio = 0.0, stretch_ratio = 0.0, spread = 0.0
        cdef bint squeeze_end = False
        cdef Py_ssize_t a, b, end, i
        cdef double *shares = self.inp[SPREADABLE]
        cdef double **v = self.inp
        self.fit(a0, b0, f)
        a, b = self.fi[a0], self.li[b0]
        d = width - f[0]
        end = b - 1
        end_sq = v[END_SQ][end] if end > a and not v[SQ_LEFT][end] else 0.0
        mid_sq = f[1] - end_sq
        if d < -EPS and end_sq != 0.0 and -d > mid_sq + EPS:
            squeeze_end = True
            d += end_sq
        if d < -EPS:
            need = -d
            s = _min(need, mid_sq)
            rest = need - s
            squeeze_ratio = s / mid_sq if mid_sq > EPS else 0.0
            shrink_ratio = _min(1.0, rest / f[2]) if f[2] > EPS else 0.0
        elif justify and d > EPS:
            first = _min(d, f[3])
            rest = d - first
            if f[4] != 0.0:
                gaps = f[4]
            elif LOOSE_WEIGHT * f[5] + f[6] != 0.0:
                gaps, shares = LOOSE_WEIGHT * f[5] + f[6], v[LOOSE_SHARE]
            else:
                gaps = f[7]
                if gaps != 0.0:
                    shares = v[WORD_GAP]
            spread = rest / gaps if rest > EPS and gaps != 0.0 else 0.0
            stretch_ratio = first / f[3] if f[3] > EPS else 0.0
        glyphs = []
        for i in range(a, b):
            if i > a:
                x += v[GAP][i] - v[GAP_SHRINK][i] * shrink_ratio \
                    + v[GAP_STRETCH][i] * stretch_ratio
                if spread != 0.0:
                    x += spread * shares[i]
            if v[SPACE][i]:
                x += v[ADV][i]
                continue
            restore = v[RESTORE][i] if i == a else 0.0
            if i == b - 1 and i > a and not v[SQ_LEFT][i]:
                s = v[END_SQ][i] if squeeze_end else 0.0
            elif i == a and v[SQ_LEFT][i]:
                s = 0.0
            else:
                s = v[SQ][i] * squeeze_ratio
            place = v[PLACE][i] + restore - s * v[SHIFT][i]
            glyphs.append((self.text[i], (x + place) * size))
            x += v[ADV][i] + restore - s
        return tuple(glyphs), x * size


cdef void _zero_first(Lines k) noexcept:
    k.cadv[0] = k.csq[0] = k.cgap[0] = k.csh[0] = k.cst[0] = k.csp[0] = 0.0
    k.clo[0] = k.cle[0] = k.cwd[0] = k.chan[0] = k.clat[0] = 0.0


cdef inline list _as_list(values):
    return values if type(values) is list else list(values)


cdef void _copy(double *dst, values, Py_ssize_t n) except *:
    """A sequence of floats or bools into doubles (True → 1.0)."""
    cdef Py_ssize_t k
    cdef list src = _as_list(values)
    if len(src) != n:
        raise ValueError("a prepared array is not one entry a character")
    for k in range(n):
        dst[k] = src[k]
