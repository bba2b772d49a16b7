"""Whether the compiled kernels are used: they were built (setup.py, at install time) and
BROADSHEET_PURE_PYTHON is not "1". `LINES` is kernel.pyx (the sums, breakers and line setter),
`PREPARE` kernel_prepare.pyx (prepare's per-character loops); None means the pure-Python
reference, which is the specification either way."""
from __future__ import annotations

import os
from importlib import import_module
from types import ModuleType

PURE_PYTHON_ENV = "BROADSHEET_PURE_PYTHON"


def _load(name: str) -> ModuleType | None:
    if os.environ.get(PURE_PYTHON_ENV) == "1":
        return None
    try:
        return import_module(f"{__package__}.{name}")
    except ImportError:  # not built: no compiler or headers at install time
        return None


LINES = _load("kernel")
PREPARE = _load("kernel_prepare") if LINES is not None else None
