"""Total-fit line breaking against the first-fit baseline, on a spec (default: the reference edition).

    python -m benchmarks.breaking [SPEC] [--rounds 3] [--runs 5]

Times the in-process render stages that breaking changes (load spec, plan = compose + flow +
furniture, PDF drawing), alternating the two breakers in rounds so that the machine's load hits both
alike, and prints the medians and their ratio (the composition issue asks for ≤ 1.3).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from layout.pages.planner import plan_issue
from layout.press.pdf import render_pdf
from layout.desk.render import shared_fontbook
from layout.spec.load import load_issue

from .stages import empty_composition_cache

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "issue_specs" / "xuchang-2022-06-16.yaml"


def render_once(spec: Path, breaking: str) -> float:
    empty_composition_cache()  # each run composes, as one `broadsheet render` does
    start = time.perf_counter()
    plan = plan_issue(load_issue(spec), shared_fontbook(), breaking)
    render_pdf(plan.pages, title="benchmark", initial_font=plan.body_font)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", type=Path, default=REFERENCE)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    render_once(args.spec, "total-fit")  # fonts and imports warm
    medians: dict[str, list[float]] = {"first-fit": [], "total-fit": []}
    for _ in range(args.rounds):
        for method in medians:
            medians[method].append(statistics.median(
                render_once(args.spec, method) for _ in range(args.runs)))
    first, total = (statistics.median(medians[m]) for m in ("first-fit", "total-fit"))
    print(f"{args.spec.name}: first-fit {first:.3f} s, total-fit {total:.3f} s, "
          f"ratio {total / first:.2f} (medians of {args.rounds} rounds × {args.runs} runs)")


if __name__ == "__main__":
    main()
