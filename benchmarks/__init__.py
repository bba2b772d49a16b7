"""Benchmarks of Broadsheet against Typst and WeasyPrint (not part of the package; see BENCHMARKS.md).

`python -m benchmarks` runs them; `python -m benchmarks.generate` only writes the editions.
"""
