"""What a first use of a CFF face says while it is converted: an estimate, then a progress bar
(on a terminal) or a line at each quarter (logs, CI)."""
from __future__ import annotations

import math
import sys
import time
from pathlib import Path
from typing import Callable

from .convert import estimated_seconds


def note_to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class ConversionProgress:
    """What a first use of a CFF face says while it is converted (a minute or more): one line on
    what is happening and how long it will take, then a progress bar redrawn in place on a terminal
    (stderr), or a plain line at each quarter otherwise (logs, CI). `note` prints a whole line; the
    bar is drawn only when `note` is the default, stderr printer and stderr is a terminal."""

    WIDTH = 30

    def __init__(self, name: str, cache_dir: Path, jobs: int,
                 note: Callable[[str], None] = note_to_stderr, terminal: bool | None = None):
        self.name, self.cache_dir, self.jobs, self.note = name, cache_dir, jobs, note
        self.terminal = (note is note_to_stderr and sys.stderr.isatty()) if terminal is None else terminal
        self.started = self.drawing = 0.0
        self.quarter = -1
        self.announced = False

    def start(self) -> None:
        self.started = time.monotonic()

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.announced:  # after the skeleton: the glyph count gives the estimate
            self.announced, self.drawing = True, now
            least, most = estimated_seconds(total, self.jobs)
            self.note(f"broadsheet: converting {self.name} to TrueType once ({total} glyphs, about "
                      f"{_duration(least, most)} with {self.jobs} worker(s); cached in "
                      f"{self.cache_dir})")
        fraction = done / total if total else 1.0
        elapsed = now - self.started
        # the time left from the drawing's own pace, once it has one
        left = (now - self.drawing) * (1 - fraction) / fraction if fraction > 0 else None
        if self.terminal:
            filled = round(self.WIDTH * fraction)
            end = "\n" if done >= total else ""
            to_go = f", about {_duration(left)} left" if left is not None and done < total else ""
            sys.stderr.write(f"\r  [{'#' * filled}{'-' * (self.WIDTH - filled)}] {fraction:4.0%} "
                             f"{_duration(elapsed)}{to_go}   {end}")
            sys.stderr.flush()
        elif int(fraction * 4) > self.quarter:
            self.quarter = int(fraction * 4)
            self.note(f"broadsheet: {self.name}: {fraction:.0%} of the glyphs converted "
                      f"({_duration(elapsed)})")


def _duration(seconds: float, most: float | None = None) -> str:
    """"12 s", "1.5 min"; with `most`, a range: "15–45 s", "1–3 min"."""
    if most is None or round(most) <= round(seconds):
        return f"{max(1, round(seconds))} s" if seconds < 90 else f"{seconds / 60:.1f} min"
    if most < 90:
        return f"{max(1, round(seconds))}–{max(1, round(most))} s"
    return f"{max(1, round(seconds / 60))}–{max(1, math.ceil(most / 60))} min"
