"""The loader's part for the additions of issue 16: colours, ads, the ad list and the ad checks,
each read on its own with its problems recorded (so one run still reports them all)."""
from __future__ import annotations

from typing import Any, Callable

from ..model.issue import AD_TOLERANCE, Ad
from .ads import AdRows, ad_fit_problems, overlaps_with_rows, read_ad, read_ads_from
from .colours import BUILT_IN, AnyColour, read_colours
from .nodes import Item
from .problems import FAILED, Records, SpecContext, attempt
from .sections import read_records
from .tables import ROOT


class Additions:
    """Reads `colours`, `ads`, `ads_from` and `ad_tolerance` beside the loader's own sections."""

    def __init__(self, ctx: SpecContext, section: Callable[[str], Item | None]) -> None:
        self.ctx, self.section = ctx, section
        self.colours: dict[str, Any] = dict(BUILT_IN)
        self.ads = Records({})
        self.rows = AdRows()
        self.tolerance = AD_TOLERANCE

    def read_colours(self) -> None:
        colours = attempt(self.ctx, self.section("colours"), read_colours, None)
        if colours is not None and colours is not FAILED:
            self.colours = colours
        # an unreadable section (its problem recorded): no colour: key is told its name is missing
        self.ctx.colours = AnyColour(BUILT_IN) if colours is FAILED else self.colours

    def read_ads(self) -> Records:
        self.ads = read_records(self.ctx, self.section("ads"), read_ad)
        if self.ctx.em is not None:
            tolerance = attempt(self.ctx, self.section("ad_tolerance"), ROOT["ad_tolerance"].convert)
            if tolerance is not None and tolerance is not FAILED:
                self.tolerance = tolerance
        return self.ads

    def place_ads(self, pages: Any, fmt: Any, styles: Any, grid: Any) -> Any:
        """The pages with the ad list's modules added; every ad module checked against its ad."""
        if FAILED in (pages, fmt, styles):
            return pages
        leading = styles["body"].leading
        item = self.section("ads_from")
        if item is not None:
            rows = attempt(self.ctx, item, lambda i: read_ads_from(
                self.ctx, i, self.ads, fmt, leading, None if grid is FAILED else grid))
            if rows is not FAILED and rows is not None:
                self.rows = rows
                pages, problems = overlaps_with_rows(pages, rows)
                for problem in problems:
                    self.ctx.record(problem)
        notes: list[str] = self.rows.notes
        for problem in ad_fit_problems(pages, self.all_ads(), fmt, leading, self.tolerance, notes):
            self.ctx.record(problem)
        return pages

    def all_ads(self) -> dict[str, Ad]:
        return {**self.ads.records, **self.rows.ads}

    def issue_fields(self) -> dict[str, Any]:
        return {"colours": self.colours, "ads": self.all_ads(), "ad_tolerance": self.tolerance,
                "notes": tuple(self.rows.notes)}
