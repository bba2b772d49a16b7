"""Two checkouts of Broadsheet, the same specs, one run: is the working tree slower than a base?

    python -m benchmarks.compare --base /path/to/other/checkout [--runs 7] [SPEC ...]

For a refactoring that must not slow anything (issue 13: ratio ≤ 1.05). Each render is a fresh
`python -m layout render` process, launched the same way for both trees (only PYTHONPATH differs);
the two trees alternate run by run, so load on the machine falls on both alike. Prints the median
and the fastest wall time of each tree per spec, and their ratios (tree / base). Default specs:
the reference edition and the generated 8- and 24-page editions (`python -m benchmarks.generate`).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPECS = (ROOT / "issue_specs" / "xuchang-2022-06-16.yaml",
                 ROOT / "benchmarks" / "generated" / "edition-8.yaml",
                 ROOT / "benchmarks" / "generated" / "edition-24.yaml")


def render_seconds(tree: Path, spec: Path, out: Path) -> float:
    """Wall time of one render of `spec` by the package in `tree`, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "layout", "render", str(spec), "-o", str(out),
                    "--allow-overset"], cwd=tree, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def compare(base: Path, specs: list[Path], runs: int) -> list[tuple[str, list[float], list[float]]]:
    """Per spec: (name, the tree's times, the base's times), alternating which goes first."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            mine, theirs = [], []
            for i in range(runs + 1):  # the first pair warms caches and is dropped
                order = [(ROOT, mine), (base, theirs)]
                for tree, times in (order if i % 2 else order[::-1]):
                    seconds = render_seconds(tree, spec.resolve(), Path(tmp) / tree.name)
                    if i:
                        times.append(seconds)
            results.append((spec.stem, mine, theirs))
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.compare", description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=Path, required=True, help="the other checkout (its top folder)")
    ap.add_argument("--runs", type=int, default=7, help="timed renders per tree and spec")
    ap.add_argument("specs", nargs="*", type=Path, default=list(DEFAULT_SPECS))
    args = ap.parse_args(argv)
    print(f"{'spec':<22} {'tree med':>9} {'base med':>9} {'ratio':>6} {'tree min':>9} {'base min':>9} {'ratio':>6}")
    for name, mine, theirs in compare(args.base.resolve(), args.specs, args.runs):
        med, bmed = statistics.median(mine), statistics.median(theirs)
        print(f"{name:<22} {med:9.3f} {bmed:9.3f} {med / bmed:6.3f} {min(mine):9.3f} "
              f"{min(theirs):9.3f} {min(mine) / min(theirs):6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
