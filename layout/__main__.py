"""`python -m layout …` is `broadsheet …`."""
from .desk.cli import run

run()
