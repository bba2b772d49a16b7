"""Broadsheet's in-process stages, timed in a fresh process (run by the benchmark runner).

    python -m benchmarks.stages SPEC [--repeat N] [--out DIR]      → JSON on stdout
    python -m benchmarks.stages SPEC --profile [--top 15]          → cProfile tables (text)

Stages, as `layout.desk.render.render_spec` runs them: load spec (`layout.spec.load.load_issue`), fonts
(`layout.fonts.book.FontBook().face` for each role), plan (`layout.pages.planner.plan_issue`: compose + flow +
headline blocks + furniture), PDF (`layout.press.pdf.render_pdf`: font subsetting with hb-subset and
drawing, then `pdfwriter.Document.finish`: the objects serialised), write (`layout.util.atomic.write_atomically`). Inside the plan, `compose_story`,
`flow_story`, `furniture.headline_block` and the glyph check are timed by wrapping them in this process
only (the package is not changed). Iteration 1 is what one `broadsheet render` does; later iterations
run with a fresh FontBook and an emptied composition cache but the opened HarfBuzz faces and Python's
caches already warm.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

T_START = time.perf_counter()
RSS_BEFORE_IMPORT = 0.0
ROOT = Path(__file__).resolve().parent.parent


class Timers:
    def __init__(self) -> None:
        self.t: dict[str, float] = {}

    def add(self, key: str, dt: float) -> None:
        self.t[key] = self.t.get(key, 0.0) + dt

    def wrap(self, key: str, fn, *, generator: bool = False):
        def wrapped(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                result = fn(*args, **kwargs)
                if generator:
                    result = iter(list(result))
                return result
            finally:
                self.add(key, time.perf_counter() - t0)
        wrapped.__wrapped__ = fn
        return wrapped


def _import():
    global RSS_BEFORE_IMPORT
    RSS_BEFORE_IMPORT = rss_mb()
    t0 = time.perf_counter()
    from layout.pages import furniture
    from layout.pages import planner as pages
    from layout.press import pdf
    from layout.spec import load as spec
    from layout.fonts.book import FontBook  # noqa: F401
    return time.perf_counter() - t0


def rss_mb() -> float:
    """Current resident set size of this process, MB (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return 0.0


def empty_composition_cache() -> None:
    """Make the next render compose everything afresh: with the process's composition cache
    (layout/compose/cache.py) a later iteration would time cache hits, which is the watch case
    (benchmarks/rerender.py), not a render. Trees from before the cache have none."""
    try:
        from layout.compose import cache
    except ImportError:
        return
    cache.shared().clear()
    try:  # nor the previous render's pages and font subsets (layout/press/pdf.py)
        from layout.press.pdf import forget_previous_render
    except ImportError:
        return
    forget_previous_render()


def render_once(spec_path: Path, out: Path, timers: Timers | None) -> dict[str, float]:
    empty_composition_cache()
    from layout.fonts.book import FontBook
    from layout.pages.planner import plan_issue
    from layout.press.pdf import render_pdf
    from layout.util.atomic import write_atomically
    from layout.spec.load import load_issue

    st: dict[str, float] = {}
    rss = {"start": rss_mb()}
    t0 = time.perf_counter()
    issue = load_issue(spec_path)
    t1 = time.perf_counter()
    rss["load_spec"] = rss_mb()
    fontbook = FontBook()
    for name in issue.fonts.values():
        fontbook.face(name)
    t2 = time.perf_counter()
    rss["fonts"] = rss_mb()
    plan = plan_issue(issue, fontbook)
    t3 = time.perf_counter()
    rss["plan"] = rss_mb()
    data = render_pdf(plan.pages, title=f"{issue.paper.name} {issue.issue.date.isoformat()}",
                      author=issue.paper.publisher or issue.paper.name, initial_font=plan.body_font)
    t4 = time.perf_counter()
    rss["pdf"] = rss_mb()
    write_atomically(data, out)
    t5 = time.perf_counter()
    st.update({"load_spec": t1 - t0, "fonts": t2 - t1, "plan": t3 - t2, "pdf": t4 - t3, "write": t5 - t4,
               "total": t5 - t0})
    st["rss_mb"] = rss
    try:
        import resource
        st["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except ImportError:
        pass
    st["pages"] = len(plan.pages)
    st["bytes"] = len(data)
    st["overset"] = len(plan.overset)
    return st


def timed_runs(spec_path: Path, out: Path, repeat: int) -> dict:
    import_s = _import()
    from layout.press.pdfwriter import Document

    from layout.pages import furniture
    from layout.pages import planner as pages

    timers = Timers()
    pages.compose_story = timers.wrap("compose", pages.compose_story)
    pages.flow_story = timers.wrap("flow", pages.flow_story)
    furniture.headline_block = timers.wrap("headlines", furniture.headline_block)
    pages.find_missing_glyphs = timers.wrap("glyph_check", pages.find_missing_glyphs, generator=True)
    Document.finish = timers.wrap("pdf_save", Document.finish)

    runs = []
    for _ in range(repeat):
        timers.t.clear()
        st = render_once(spec_path, out, timers)
        sub = dict(timers.t)
        plan_known = sum(sub.get(k, 0.0) for k in ("compose", "flow", "headlines", "glyph_check"))
        sub["plan_other"] = st["plan"] - plan_known  # furniture, placing lines, rules, sorting
        sub["pdf_draw"] = st["pdf"] - sub.get("pdf_save", 0.0)
        st["sub"] = sub
        runs.append(st)
    return {"spec": str(spec_path), "import": import_s, "runs": runs, "rss_python_mb": RSS_BEFORE_IMPORT,
            "process_so_far": time.perf_counter() - T_START}


def profile(spec_path: Path, out: Path, top: int) -> str:
    _import()
    prof = cProfile.Profile()
    prof.enable()
    st = render_once(spec_path, out, None)
    prof.disable()
    chunks = [f"in-process render of {spec_path.name} under cProfile: {st['total']:.2f} s "
              f"({st['pages']} pages; cProfile slows pure-Python code ~1.5-2x)\n"]
    for key, title in (("cumulative", "by cumulative time"), ("tottime", "by own time")):
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats(key).print_stats(top)
        chunks.append(f"--- top {top} {title} ---\n" + _tidy(buf.getvalue()))
    return "\n".join(chunks)


def _tidy(text: str) -> str:
    """Keep the table, shorten paths."""
    lines = text.splitlines()
    start = next((i for i, l in enumerate(lines) if l.lstrip().startswith("ncalls")), 0)
    prefixes = sorted({p for p in sys.path if p and len(p) > 1} | {str(ROOT)}, key=len, reverse=True)
    prefixes = [p for p in prefixes if p != "/"]
    out = []
    for line in lines[start:]:
        if not line.strip():
            continue
        for p in prefixes:
            line = line.replace(p.rstrip("/") + "/", "")
        out.append(line)
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.stages")
    ap.add_argument("spec", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "generated" / "out" / "stages")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args(argv)
    sys.path.insert(0, os.environ.get("BENCHMARK_LAYOUT_PATH") or str(ROOT))
    out = args.out / f"{args.spec.stem}.pdf"
    if args.profile:
        sys.stdout.write(profile(args.spec, out, args.top))
    else:
        print(json.dumps(timed_runs(args.spec, out, args.repeat)))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
