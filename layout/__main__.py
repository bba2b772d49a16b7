"""`python -m layout …` is `broadsheet …`."""
from .cli import run

run()
