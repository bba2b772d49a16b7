"""`python -m benchmarks`: see benchmarks/run.py (`--help`)."""
import sys

from .run import main

sys.exit(main())
