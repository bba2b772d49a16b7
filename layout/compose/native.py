"""The composer's engine: the compiled kernel (kernel.pyx, built at install time) when it was built
and BROADSHEET_PURE_PYTHON is not "1", else the pure-Python reference it is a port of (fit.py,
breaker.py, justify.py: the specification, with which it agrees to the last bit).

`fitter(p)` makes the paragraph's `Fitter` (its prefix sums summed by the kernel when there is
one); `break_paragraph`, `break_into` and `set_line` take the kernel's path for a fitter that has
one.
"""
from __future__ import annotations

from . import breaker
from . import justify as justifier
from .compiled import LINES as KERNEL
from .fit import Fitter
from .justify import Glyphs
from .prepare import Prepared
from .types import Breaking


def fitter(p: Prepared) -> Fitter:
    """The paragraph's fitter; with the kernel, over the kernel's arrays (`Fitter.native`)."""
    return Fitter(p, KERNEL.Lines(p) if KERNEL is not None else None)


def break_paragraph(p: Prepared, width: float, first_width: float, fz: Fitter,
                    method: Breaking = "total-fit") -> list[int]:
    """`breaker.break_paragraph`, compiled when `fz` has the kernel."""
    if fz.native is None or not p.text:
        return breaker.break_paragraph(p, width, first_width, fz, method)
    return fz.native.break_paragraph(width, first_width, method)


def break_into(p: Prepared, fz: Fitter, width: float, first_width: float, count: int,
               max_badness: float) -> list[int] | None:
    """`breaker.break_into`, compiled when `fz` has the kernel."""
    if fz.native is None:
        return breaker.break_into(p, fz, width, first_width, count, max_badness)
    return fz.native.break_into(width, first_width, count, max_badness)


def set_line(p: Prepared, fz: Fitter, a: int, b: int, width: float, size: float,
             justify: bool) -> tuple[Glyphs, float]:
    """`justify.set_line`, compiled when `fz` has the kernel."""
    if fz.native is None:
        return justifier.set_line(p, fz, a, b, width, size, justify)
    return fz.native.set_line(a, b, width, size, justify)
