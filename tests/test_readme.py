"""README's two set-up commands are the ones CI runs, and they use the project venv (PEP 668)."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    """The shell blocks of README's "Set-up and use" section, one command each."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Set-up and use", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def ci_commands() -> list[str]:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    return [line for line in lines
            if line.strip() and not line.startswith(("#", "set ", "cd "))]


def test_ci_runs_exactly_the_readme_commands():
    commands = readme_commands()
    assert len(commands) == 2
    assert ci_commands() == commands


def test_setup_never_installs_into_the_system_python():
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "--break-system-packages" not in setup
    assert "python3 -m venv .venv" in setup
    pip_lines = [line for line in setup.splitlines() if "pip install" in line]
    assert pip_lines and all(line.lstrip().startswith(".venv/bin/python -m pip") for line in pip_lines)
    assert readme_commands()[1].startswith(".venv/bin/python ")
