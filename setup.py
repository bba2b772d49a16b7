"""The compiled kernels (layout/compose/kernel.pyx, kernel_prepare.pyx; layout/press/textkernel.pyx,
the text operators of a line), built at install time when a C compiler and Python's headers are there; without them the package installs
all the same and composes with the pure-Python reference (layout/compose/compiled.py decides)."""
import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

# The kernel must compute every float as Python does: no FMA contraction, and pow() from libm
# (as Python's `**`), not folded by the compiler into x*x.
UNIX_FLAGS = ["-O2", "-ffp-contract=off", "-fno-builtin-pow"]


class OptionalBuildExt(build_ext):
    """A failed build is a note on stderr, not a failed install."""

    def run(self):
        try:
            super().run()
        except Exception as error:  # noqa: BLE001 - any compiler or Cython failure
            _skipped(error)

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as error:  # noqa: BLE001
            _skipped(error)


_NOTED = []


def _skipped(error):
    if _NOTED:  # one note: a failed compile also fails the copy that follows it
        return
    _NOTED.append(error)
    print(f"broadsheet: the composition kernel was not built ({error}); "
          "the pure-Python composer is used", file=sys.stderr)


def _extensions():
    try:
        from Cython.Build import cythonize
        from setuptools import Extension
    except ImportError as error:
        _skipped(error)
        return []
    flags = [] if os.name == "nt" else UNIX_FLAGS
    exts = [Extension(f"layout.{name.replace('/', '.')}", [f"layout/{name}.pyx"],
                      extra_compile_args=flags, optional=True)
            for name in ("compose/kernel", "compose/kernel_prepare", "press/textkernel")]
    try:
        return cythonize(exts, language_level=3, quiet=True)
    except Exception as error:  # noqa: BLE001
        _skipped(error)
        return []


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
