"""One render, end to end: spec file → checks → PDF file. The CLI and tests call this."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import FontError, LayoutError, SpecError
from .fonts import FontBook
from .pages import plan_issue
from .pdf import render_pdf, write_atomically
from .plan import EditionPlan
from .spec import load_issue

_FONTBOOK: FontBook | None = None


def shared_fontbook() -> FontBook:
    """One FontBook per process: a batch of specs loads each face once."""
    global _FONTBOOK
    if _FONTBOOK is None:
        _FONTBOOK = FontBook()
    return _FONTBOOK


@dataclass(frozen=True)
class RenderResult:
    output: Path
    pages: int
    plan: EditionPlan
    warnings: tuple[str, ...]


def overset_message(plan: EditionPlan) -> str:
    parts = []
    for fit in plan.overset:
        last_page = fit.modules[-1][0] if fit.modules else "?"
        parts.append(f"story {fit.story!r} is overset by {fit.overset_chars} characters "
                     f"({fit.overset_lines} lines) after its last module on page {last_page}")
    return "; ".join(parts)


def missing_message(plan: EditionPlan, limit: int = 8) -> str:
    shown = "; ".join(str(m) for m in plan.missing[:limit])
    more = len(plan.missing) - limit
    return shown + (f"; and {more} more" if more > 0 else "")


def _key_line(spec: Path, keys: list[str]) -> int | None:
    """The line of a key in the spec, for errors found after loading (a font that cannot be found)."""
    try:
        node = yaml.compose(spec.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if k.value == key), None)
        if node is None:
            return None
    return node.start_mark.line + 1


def render_spec(spec: Path, output: Path, *, allow_overset: bool = False,
                fontbook: FontBook | None = None) -> RenderResult:
    issue = load_issue(spec)
    try:
        plan = plan_issue(issue, fontbook or shared_fontbook())
    except FontError as e:
        if e.role is None:
            raise
        raise SpecError(str(spec), _key_line(spec, ["fonts", e.role]), f"fonts.{e.role}",
                        e.message, e.hint) from None
    warnings: list[str] = []
    if plan.missing:
        if issue.typography.missing_glyphs == "error":
            raise LayoutError(f"{spec}: characters missing from the fonts: {missing_message(plan)}",
                              "install a face that has them, or set typography.missing_glyphs: warn")
        warnings.append(f"characters no font has (drawn as .notdef): {missing_message(plan)}")
    if plan.overset:
        if not allow_overset:
            raise LayoutError(f"{spec}: {overset_message(plan)}",
                              "cut the story, enlarge its modules, add a continue: module, "
                              "or pass --allow-overset")
        warnings.append(overset_message(plan))
    data = render_pdf(plan.pages, title=f"{issue.paper.name} {issue.issue.date.isoformat()}",
                      author=issue.paper.publisher or issue.paper.name, initial_font=plan.body_font)
    write_atomically(data, output)
    return RenderResult(output, len(plan.pages), plan, tuple(warnings))
