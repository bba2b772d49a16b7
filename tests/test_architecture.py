"""The architecture check: the package tree, its import graph and its size limits, read with ast.

Run `pytest -s tests/test_architecture.py` (or `python tests/test_architecture.py`) to print the tree
with line counts per module and the imports between stages. The rules, one test each, every
violation listed with file and line:

- a module imports its own stage and lower ones only (STAGES, lowest first; desk may import all);
- never another stage's `_private` module or `_private` name (imported or read as `module._name`);
- only press/ imports reportlab (and util/svgfile, converting an SVG logo with it);
- no module over MAX_MODULE_LINES lines;
- no function over MAX_FUNCTION_LINES lines unless its docstring says why with a line containing
  LONG_MARKER ("Long because the loop is hot: …").

Imports inside functions (lazy imports) count like the others.
"""
from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "layout"
STAGES = ("util", "model", "spec", "fonts", "compose", "flow", "pages", "press", "desk")
TOP = "layout"            # layout/__init__.py and __main__.py: above every stage
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
LONG_MARKER = "Long because"
BACKEND = "reportlab"     # only press/ may import it
BACKEND_STAGE = "press"
# Not as a backend: reportlab's renderPDF writes an SVG logo's svglib drawing as the PDF page that
# the logo path then places (an input converted at the edge, imported only for an SVG logo).
BACKEND_CONVERTERS = {"layout.util.svgfile"}
THIS = sys.modules[__name__]


@dataclass(frozen=True)
class Import:
    """One import statement's target, as seen from the module that holds it."""
    source: str           # importing module, dotted ("layout.pages.planner")
    line: int
    target: str           # imported module, dotted and absolute ("layout.press.colour", "reportlab.lib")
    name: str | None      # the name taken from it (`from target import name`), None for a module


@dataclass(frozen=True)
class Module:
    dotted: str
    path: Path
    lines: int
    tree: ast.Module


def stage_of(dotted: str) -> str | None:
    """The stage a module of layout belongs to; TOP for the package's own files, None outside it."""
    parts = dotted.split(".")
    if parts[0] != "layout":
        return None
    if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()):
        return parts[1]
    return TOP


def rank(stage: str) -> int:
    """Position in STAGES; TOP and a subpackage missing from STAGES rank above desk."""
    return STAGES.index(stage) if stage in STAGES else len(STAGES)


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@cache
def modules() -> dict[str, Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        text = path.read_text(encoding="utf-8")
        found[".".join(parts)] = Module(".".join(parts), path, len(text.splitlines()),
                                        ast.parse(text, filename=str(path)))
    return found


def absolute(module: Module, node: ast.ImportFrom) -> str:
    """The dotted module a `from … import` names, relative levels resolved."""
    if not node.level:
        return node.module or ""
    package = module.dotted.split(".")
    if module.path.name != "__init__.py":
        package.pop()
    package = package[:len(package) - node.level + 1]
    return ".".join(package + ([node.module] if node.module else []))


def imports(module: Module) -> list[Import]:
    """Every import of the module, at any depth (lazy imports inside functions included)."""
    known = modules()
    found = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            found += [Import(module.dotted, node.lineno, alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = absolute(module, node)
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in known:      # `from ..press import colour` imports a module
                    found.append(Import(module.dotted, node.lineno, submodule, None))
                else:
                    found.append(Import(module.dotted, node.lineno, target, alias.name))
    return sorted(found, key=lambda imp: imp.line)


def where(module: str, line: int) -> str:
    return f"{modules()[module].path.relative_to(ROOT)}:{line}"


# -- the rules ---------------------------------------------------------------------------------------

def upward_imports() -> list[str]:
    found = []
    for module in modules().values():
        own = stage_of(module.dotted)
        for imp in imports(module):
            other = stage_of(imp.target)
            if other is not None and rank(other) > rank(own):
                found.append(f"{where(imp.source, imp.line)}: {own} imports {imp.target} "
                             f"(stage {other} is above {own})")
    return found


def private_reaches() -> list[str]:
    """Imports of another stage's `_private` module or name, and `module._name` reads through an
    imported module of another stage."""
    found = []
    for module in modules().values():
        own = stage_of(module.dotted)
        foreign_aliases: dict[str, str] = {}
        for imp in imports(module):
            other = stage_of(imp.target)
            if other is None or other == own:
                continue
            names = imp.target.split(".") + ([imp.name] if imp.name else [])
            private = [name for name in names if is_private(name)]
            if private:
                found.append(f"{where(imp.source, imp.line)}: {own} imports {private[-1]} "
                             f"from {imp.target} (private to stage {other})")
            if imp.name is None:
                foreign_aliases[imp.target.rsplit(".", 1)[-1]] = imp.target
        for node in ast.walk(module.tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in foreign_aliases and is_private(node.attr)):
                target = foreign_aliases[node.value.id]
                found.append(f"{where(module.dotted, node.lineno)}: {own} reads "
                             f"{node.value.id}.{node.attr} (private to stage {stage_of(target)})")
    return found


def backend_imports() -> list[str]:
    return [f"{where(imp.source, imp.line)}: {stage_of(imp.source)} imports {imp.target} "
            f"(only {BACKEND_STAGE}/ may import {BACKEND})"
            for module in modules().values() if stage_of(module.dotted) != BACKEND_STAGE
            and module.dotted not in BACKEND_CONVERTERS
            for imp in imports(module) if imp.target.split(".")[0] == BACKEND]


def long_modules() -> list[str]:
    return [f"{module.path.relative_to(ROOT)}: {module.lines} lines (limit {MAX_MODULE_LINES})"
            for module in modules().values() if module.lines > MAX_MODULE_LINES]


def function_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """From the `def` line to the last line of the body, nested functions included."""
    return node.end_lineno - node.lineno + 1


def long_functions() -> list[str]:
    found = []
    for module in modules().values():
        for node in ast.walk(module.tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            lines = function_lines(node)
            if lines > MAX_FUNCTION_LINES and LONG_MARKER not in (ast.get_docstring(node) or ""):
                found.append(f"{where(module.dotted, node.lineno)}: {node.name}() is {lines} lines "
                             f"(limit {MAX_FUNCTION_LINES}; or say why: \"{LONG_MARKER} …\" "
                             f"in its docstring)")
    return found


# -- the report ----------------------------------------------------------------------------------------

def stage_graph() -> dict[tuple[str, str], int]:
    """How many imports run from one stage to another (within a stage not counted)."""
    edges: Counter[tuple[str, str]] = Counter()
    for module in modules().values():
        own = stage_of(module.dotted)
        for imp in imports(module):
            other = stage_of(imp.target)
            if other is not None and other != own:
                edges[own, other] += 1
    return dict(edges)


def stages_in_tree() -> list[str]:
    return sorted({stage_of(name) for name in modules()} - {TOP}, key=lambda s: (s not in STAGES, rank(s) if s in STAGES else 0, s))


def report() -> str:
    """The package tree with line counts and cross-stage imports per module, then the stage graph."""
    out = ["layout/ (stages lowest first)"]
    for stage in [TOP, *stages_in_tree()]:
        members = [m for m in modules().values() if stage_of(m.dotted) == stage]
        total = sum(m.lines for m in members)
        out.append(f"  {'(top)' if stage == TOP else stage + '/':<12} {total:>6} lines")
        for module in members:
            uses = sorted({imp.target.removeprefix("layout.") for imp in imports(module)
                           if stage_of(imp.target) not in (None, stage)})
            arrow = f"  -> {', '.join(uses)}" if uses else ""
            out.append(f"    {module.path.name:<18} {module.lines:>5}{arrow}")
    out.append("imports between stages (count of import names):")
    for stage in [*stages_in_tree(), TOP]:
        targets = sorted(((other, count) for (own, other), count in stage_graph().items()
                          if own == stage), key=lambda pair: rank(pair[0]) if pair[0] in STAGES else -1)
        if targets:
            marked = [f"{other}({count}){' UP' if rank(other) > rank(stage) else ''}"
                      for other, count in targets]
            out.append(f"  {stage:<8} -> {' '.join(marked)}")
    return "\n".join(out)


def check(violations: list[str], rule: str) -> None:
    """Fail with every violation of one rule listed (the tree and graph go to captured stdout)."""
    print(report())
    violations = list(dict.fromkeys(violations))    # `from x import a, b` is one line, one finding
    assert not violations, f"{len(violations)} {rule}:\n" + "\n".join(violations)


def test_package_tree_and_import_graph():
    print(report())
    unknown = [stage for stage in stages_in_tree() if stage not in STAGES]
    assert not unknown, f"subpackages with no place in the stage order {STAGES}: {unknown}"
    loose = [m.path.name for m in modules().values()
             if stage_of(m.dotted) == TOP and m.path.name not in ("__init__.py", "__main__.py")]
    assert not loose, f"modules outside every stage (put them in a subpackage): {loose}"


def test_every_stage_imports_only_its_own_and_lower_stages():
    check(upward_imports(), "imports from a higher stage")


def test_no_stage_reaches_into_another_stages_private_names():
    check(private_reaches(), "reaches into another stage's private names")


def test_only_press_imports_reportlab():
    check(backend_imports(), f"imports of {BACKEND} outside {BACKEND_STAGE}/")


def test_no_module_over_the_line_limit():
    check(long_modules(), f"modules over {MAX_MODULE_LINES} lines")


def test_no_function_over_the_line_limit_without_a_reason():
    check(long_functions(), f"functions over {MAX_FUNCTION_LINES} lines without a stated reason")


# -- the rules on themselves: small fake trees ---------------------------------------------------------

def fake(dotted: str, source: str) -> Module:
    path = PACKAGE.joinpath(*dotted.split(".")[1:]).with_suffix(".py")
    return Module(dotted, path, len(source.splitlines()), ast.parse(source))


def test_relative_imports_resolve_to_the_stage_they_name(monkeypatch):
    planner = fake("layout.pages.planner",
                   "from ..press import colour\nfrom .plan import PagePlan\n"
                   "def f():\n    from ..util.units import mm\n")
    monkeypatch.setattr(THIS, "modules", lambda: {
        "layout.pages.planner": planner, "layout.press.colour": fake("layout.press.colour", "")})
    assert [(imp.target, imp.name) for imp in imports(planner)] == [
        ("layout.press.colour", None), ("layout.pages.plan", "PagePlan"),
        ("layout.util.units", "mm")]


def test_the_rules_catch_a_lazy_upward_private_and_backend_import(monkeypatch):
    source = ("def f():\n    from ..desk import _cli\n    from ..press.pdf import _page\n"
              "    import reportlab.pdfgen\n    from ..press import pdf\n    return pdf._draw\n")
    tree = {"layout.fonts.book": fake("layout.fonts.book", source),
            "layout.press.pdf": fake("layout.press.pdf", "")}
    monkeypatch.setattr(THIS, "modules", lambda: tree)
    assert upward_imports() == [
        "layout/fonts/book.py:2: fonts imports layout.desk (stage desk is above fonts)",
        "layout/fonts/book.py:3: fonts imports layout.press.pdf (stage press is above fonts)",
        "layout/fonts/book.py:5: fonts imports layout.press.pdf (stage press is above fonts)"]
    assert private_reaches() == [
        "layout/fonts/book.py:2: fonts imports _cli from layout.desk (private to stage desk)",
        "layout/fonts/book.py:3: fonts imports _page from layout.press.pdf (private to stage press)",
        "layout/fonts/book.py:6: fonts reads pdf._draw (private to stage press)"]
    assert backend_imports() == [
        "layout/fonts/book.py:4: fonts imports reportlab.pdfgen (only press/ may import reportlab)"]


def test_a_long_function_passes_only_with_a_stated_reason(monkeypatch):
    body = "".join(f"    x = {i}\n" for i in range(MAX_FUNCTION_LINES))
    source = (f"def plain():\n{body}"
              f"def hot():\n    \"\"\"Sum.\n\n    {LONG_MARKER} the loop is hot.\"\"\"\n{body}")
    monkeypatch.setattr(THIS, "modules", lambda: {"layout.compose.x": fake("layout.compose.x", source)})
    assert long_functions() == [
        f"layout/compose/x.py:1: plain() is {MAX_FUNCTION_LINES + 1} lines (limit "
        f"{MAX_FUNCTION_LINES}; or say why: \"{LONG_MARKER} …\" in its docstring)"]


# -- README's layout table follows the tree ------------------------------------------------------------

def readme_layout_rows() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Layout of the project", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if re.match(r"\|\s*`layout/", line)]


def test_readme_layout_table_names_every_subpackage():
    named = {re.match(r"\|\s*`layout/(\w+)/`", row).group(1) for row in readme_layout_rows()}
    missing, gone = set(stages_in_tree()) - named, named - set(stages_in_tree())
    assert not missing and not gone, (f"README's layout table lacks {sorted(missing)} and names "
                                      f"{sorted(gone)}, which are not subpackages of layout/")


def test_readme_layout_table_names_only_modules_that_exist():
    """Each row is `| layout/stage/ | module, module, … | job |`: every module it names exists."""
    missing = []
    for row in readme_layout_rows():
        package, listed = row.split("|")[1:3]
        stage = package.strip(" `").removeprefix("layout/").rstrip("/")
        for name in re.findall(r"`([\w/]+)`", listed):
            if not (PACKAGE / stage / f"{name}.py").exists() and not (PACKAGE / stage / name).is_dir():
                missing.append(f"{stage}/{name}")
    assert not missing, f"README's layout table names modules that do not exist: {missing}"


if __name__ == "__main__":
    print(report())
    for rule in (upward_imports, private_reaches, backend_imports, long_modules, long_functions):
        for violation in dict.fromkeys(rule()):
            print(violation)
