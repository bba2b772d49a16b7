"""The 报眉's texts and rule as `header:` orders them (defaults: the page and its section on the
outside edge, the paper and the date on the inside, a 0.75 pt rule beneath). Pure."""
from __future__ import annotations

from ..model.grid import Grid
from ..model.issue import Issue, Page, RuleSpec
from ..util.locale import wording
from ..util.dates import masthead_date
from .plan import Item
from .rulework import horizontal_rule_at


def header_texts(issue: Issue, page: Page) -> tuple[str, str]:
    """(outside, inside): `header.outside` / `header.inside` with their fields filled in, else
    `第N版　section` (the label alone, `A3　要闻`, on a labelled page) and `paper　date`."""
    words = wording(issue.paper.locale)
    date = masthead_date(issue.issue.date, with_lunar=False, locale=issue.paper.locale,
                         era=issue.issue.era)
    fields = {"page": page.name, "section": page.section or "", "paper": issue.paper.name,
              "date": date}
    h = issue.header
    if h.outside is None:
        number = page.label or words.page_number.format(page=page.number)
        outer = "　".join(x for x in (number, page.section) if x)
    else:
        outer = _filled(h.outside, fields)
    inner = f"{issue.paper.name}　{date}" if h.inside is None else _filled(h.inside, fields)
    return outer, inner


def _filled(template: str, fields: dict[str, str]) -> str:
    for key, value in fields.items():
        template = template.replace("{" + key + "}", value)
    return template.strip(" \u3000")  # an empty field at an end leaves no stray space


def header_rule(rule: RuleSpec | None, grid: Grid) -> list[Item]:
    """The rule under the header, its first line 0.35 of a line above the type area."""
    if rule is None:
        return []
    return horizontal_rule_at(rule, grid.left, grid.left + grid.width, grid.top - 0.35 * grid.leading)
