"""`broadsheet watch`'s case, timed in one process: a full re-render of an edition against a
re-render after editing one story (the composition cache, layout/compose/cache.py, keeps the rest).

    python -m benchmarks.rerender [SPEC] [--rounds 5] [--out DIR]      → JSON on stdout

Both renders run `layout.desk.render.render_spec` in the same warm process (fonts loaded, bytecode
and reportlab's state warm), in alternation round by round: "full" with the composition cache
emptied first, "edited" after changing one paragraph of the spec's first story (a new text each
round, so that paragraph is always composed afresh, as after a save). The target of issue 14:
edited ≤ 0.3 × full.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from .generate import OUT as GEN

DEFAULT_SPEC = GEN / "edition-8.yaml"


KNOWN = "记者报道，"  # characters every generated edition has (from the reference's stories)


def edit_known_characters(text: str, n: int) -> str:
    """The first story's first paragraph with a clause of characters the edition already has:
    the font subsets stay, so the pages the story is not on are not drawn again."""
    return re.sub(r"^(\s+body: \|\n\s+)(\S)", lambda m: m.group(1) + KNOWN * n + m.group(2), text,
                  count=1, flags=re.M)


def edit_one_story(text: str, n: int) -> str:
    """The spec with the first paragraph of its first story's body changed (a clause added)."""
    m = re.search(r"^(\s+)body: \|\n(\s+)(\S[^\n]*)", text, flags=re.M)
    if m is None:
        raise ValueError("no `body: |` block in the spec")
    return text[:m.start(3)] + f"据第{n}稿修订，" + text[m.start(3):]


def measure(spec: Path, rounds: int, out_dir: Path) -> dict:
    from layout.compose import cache
    from layout.desk.render import render_spec, shared_fontbook
    from layout.press.pdf import forget_previous_render

    base = spec.read_text(encoding="utf-8")
    work = out_dir / "spec"
    work.mkdir(parents=True, exist_ok=True)
    edited = work / spec.name  # beside nothing: the generated editions have no pictures
    edited.write_text(base, encoding="utf-8")
    fontbook = shared_fontbook()
    render_spec(edited, out_dir / "full.pdf", allow_overset=True, fontbook=fontbook)  # warm-up
    full, after_edit = [], []
    for r in range(rounds):
        edited.write_text(base, encoding="utf-8")
        cache.shared().clear()
        forget_previous_render()  # nor the previous render's pages and font subsets
        t0 = time.perf_counter()
        render_spec(edited, out_dir / "full.pdf", allow_overset=True, fontbook=fontbook)
        full.append(time.perf_counter() - t0)
        edited.write_text(edit_one_story(base, r + 1), encoding="utf-8")
        t0 = time.perf_counter()
        render_spec(edited, out_dir / "edited.pdf", allow_overset=True, fontbook=fontbook)
        after_edit.append(time.perf_counter() - t0)
    f, e = statistics.median(full), statistics.median(after_edit)
    c = cache.shared()
    return {"spec": str(spec), "rounds": rounds, "full": full, "edited": after_edit,
            "full_median": f, "edited_median": e, "ratio": e / f,
            "cache_entries": len(c), "cache_chars": c.weight}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.rerender", description=__doc__.split("\n")[0])
    ap.add_argument("spec", nargs="?", type=Path, default=DEFAULT_SPEC)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--known-characters", action="store_true",
                    help="edit with characters the edition already has (the font subsets stay)")
    args = ap.parse_args(argv)
    # the runner's snapshot of layout/ (as benchmarks/stages.py), else this checkout
    sys.path.insert(0, os.environ.get("BENCHMARK_LAYOUT_PATH") or str(Path(__file__).resolve().parent.parent))
    global edit_one_story
    if args.known_characters:
        edit_one_story = edit_known_characters
    with tempfile.TemporaryDirectory(prefix="broadsheet-rerender-") as tmp:
        result = measure(args.spec, args.rounds, args.out or Path(tmp))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
