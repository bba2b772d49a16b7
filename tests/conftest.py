import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/*.txt from the current output instead of comparing")


def pytest_sessionstart(session):
    """The binary inputs of issue_specs/ (the issue-16 edition's ads and logo) are never committed:
    make them before any test renders the specs (a fresh clone's CI included)."""
    import importlib.util

    script = ROOT / "scripts" / "make_edition_assets.py"
    spec = importlib.util.spec_from_file_location("make_edition_assets", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_assets()
