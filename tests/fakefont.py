"""A deterministic fake font for unit tests: Han and CJK punctuation 1 em, Latin 0.5 em; full-width
punctuation has its blank half where mainland Chinese fonts put it (as a GPOS `halt` would say)."""
from __future__ import annotations

from layout.compose import cjk


class FakeFace:
    name = "Fake"
    key = "Fake"
    ascent, descent = 0.88, -0.12

    def __init__(self, missing: str = ""):
        self.missing = set(missing)

    def has(self, ch: str) -> bool:
        return ch not in self.missing

    def advance(self, ch: str) -> float:
        return 1.0 if cjk.is_cjk(ch) else 0.5

    def halt(self, ch: str):
        side = cjk.fallback_blank_side(ch)
        if side == "left":
            return (-0.5, -0.5)
        if side == "right":
            return (0.0, -0.5)
        return None


class CentredFace(FakeFace):
    """Traditional Chinese marks: ，。、：；！？ centred in the em box (halt moves them by a quarter)."""

    def halt(self, ch: str):
        if ch in "，。、：；！？":
            return (-0.25, -0.5)
        return super().halt(ch)


class ProportionalFace(FakeFace):
    """Latin advances that are not multiples of ½ em, so prefix sums carry float rounding."""

    def advance(self, ch: str) -> float:
        if ch.isascii() and not ch.isspace():
            return 0.27 + (ord(ch) * 0.0137) % 0.45
        return super().advance(ch)


# One of each: plain, centred marks, proportional Latin (the differential tests run all three).
FACES = (FakeFace(), CentredFace(), ProportionalFace())
