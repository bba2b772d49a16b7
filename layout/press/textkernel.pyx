# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled twin of textdraw.line_operators: the same operators, character for character, from
a typed loop (a line's glyphs are most of a page's content). textdraw.py is the specification;
tests/unit/test_textkernel.py holds the two to the same output."""


cdef double PRECISION = 0.05


cdef str _num(double v, int places):
    cdef str text = f"{v:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" or text == "" else text


def line_operators(glyph_seq, dict table, double size, double x0, double y, spacing):
    cdef tuple glyphs = tuple(glyph_seq)
    cdef Py_ssize_t n = len(glyphs), i
    cdef double scale, tc, pen, inv, x, width, adjust, x_first
    cdef str code
    cdef list parts
    cdef tuple glyph, entry
    if n == 0:
        return "", spacing or 0.0
    scale = size / 1000.0
    glyph = <tuple>glyphs[0]
    x_first = glyph[1]
    entry = <tuple>table[glyph[0]]
    code, width = entry[0], entry[1]
    tc = 0.0
    if n > 1:
        tc = round((<tuple>glyphs[1])[1] - x_first - width * scale, 4)
    head = f"1 0 0 1 {_num(x0 + x_first, 3)} {_num(y, 3)} Tm"
    if spacing is None or abs(tc - <double>spacing) > 1e-9:
        head += f" {_num(tc, 4)} Tc"
    parts = [head, " [<", code]
    pen = x_first + width * scale + tc
    inv = 1000.0 / size
    for i in range(1, n):
        glyph = <tuple>glyphs[i]
        x = glyph[1]
        entry = <tuple>table[glyph[0]]
        code, width = entry[0], entry[1]
        adjust = (pen - x) * inv
        if adjust > PRECISION or adjust < -PRECISION:
            parts.append(f">{round(adjust, 3):g}<")
            pen = x
        parts.append(code)
        pen += width * scale + tc
    parts.append(">] TJ")
    return "".join(parts), tc
