"""The peers, Typst and WeasyPrint: benchmark extras, never runtime dependencies of Broadsheet.

    pip install typst weasyprint
    apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0   # WeasyPrint's C libraries

`python -m benchmarks.peers TOOL SRC OUT [--repeat N]` times the tool in-process (fresh process,
import timed apart) and prints JSON; the runner uses the `command()` lines below for whole-process
timings. Typst gets the same font files as Broadsheet (`FONT_DIRS`, system fonts ignored, so it
scans only those); WeasyPrint finds the same installed faces through fontconfig by family name.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

from .generate import FONT_DIRS

TYPST_SNIPPET = ("import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], "
                 "font_paths=sys.argv[3:], ignore_system_fonts=True)")


def command(tool: str, src: Path, out: Path) -> list[str]:
    """Whole-process command line for one render."""
    if tool == "typst":
        return [sys.executable, "-c", TYPST_SNIPPET, str(src), str(out), *FONT_DIRS]
    if tool == "weasyprint":
        return [sys.executable, "-m", "weasyprint", str(src), str(out)]
    raise ValueError(tool)


def available(tool: str) -> tuple[bool, str]:
    """(usable, version or why not). WeasyPrint's import fails without its C libraries, so it is
    tried in a subprocess."""
    module = {"typst": "typst", "weasyprint": "weasyprint"}[tool]
    if importlib.util.find_spec(module) is None:
        return False, f"not installed (pip install {module})"
    probe = subprocess.run(
        [sys.executable, "-c", f"import {module}, importlib.metadata as m; print(m.version('{module}'))"],
        capture_output=True, text=True)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["import failed"])[-1]
        return False, f"cannot be imported: {last}"
    version = probe.stdout.strip()
    if tool == "weasyprint":
        subset = subprocess.run([sys.executable, "-c", "from weasyprint.text.ffi import harfbuzz_subset; "
                                 "print(bool(harfbuzz_subset))"], capture_output=True, text=True)
        if subset.stdout.strip() != "True":
            version += " (without libharfbuzz-subset: subsets fonts with fontTools, much slower)"
    return True, version


def in_process(tool: str, src: Path, out: Path, repeat: int) -> dict:
    t0 = time.perf_counter()
    if tool == "typst":
        import typst

        def once():
            typst.compile(str(src), output=str(out), font_paths=list(FONT_DIRS), ignore_system_fonts=True)
    else:
        import logging

        import weasyprint
        logging.getLogger("weasyprint").setLevel(logging.ERROR)

        def once():
            weasyprint.HTML(filename=str(src)).write_pdf(str(out))
    imported = time.perf_counter() - t0
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        once()
        runs.append(time.perf_counter() - t)
    return {"tool": tool, "import": imported, "runs": runs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.peers")
    ap.add_argument("tool", choices=("typst", "weasyprint"))
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    print(json.dumps(in_process(args.tool, args.src, args.out, args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
