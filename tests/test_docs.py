"""README is the user's entry point: its commands must be the ones CI runs and the CLI has."""

from __future__ import annotations

import re
from pathlib import Path

from qa.cli import available_commands

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def fresh_machine_commands() -> list[str]:
    """The shell blocks README opens with, before any prose."""
    head = README.split("\n\n", 2)
    blocks = re.findall(r"```sh\n(.*?)\n```", "\n\n".join(head[:2]), flags=re.S)
    return [block.strip() for block in blocks]


def test_readme_opens_with_exactly_two_commands():
    commands = fresh_machine_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert commands[0].endswith("qa") and "pytest" in commands[1]


def test_ci_runs_readme_test_command_verbatim():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert fresh_machine_commands()[1] in ci.splitlines()


def test_every_command_is_documented_in_readme():
    for name in available_commands():
        assert f"qa {name}" in README, f"README does not show `qa {name}`"
