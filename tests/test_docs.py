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


def readme_table(heading: str) -> str:
    """The Markdown table that starts with ``heading`` (its header row), as text."""
    start = README.index(heading)
    end = README.index("\n\n", start)
    return README[start:end]


def row_of(table: str, command: str) -> str:
    return next(line for line in table.splitlines() if f"`qa {command}" in line.split(" | ")[0])


def test_every_option_of_every_command_is_in_its_row_of_the_commands_table():
    from qa.cli import build_parser

    table = readme_table("| command | what it does |")
    common = {"--help", "--seeds", "--cache-dir", "--prompts", "--debug"}
    parser = build_parser()
    subparsers = next(action for action in parser._actions if action.choices and "ask" in action.choices)
    for name, sub in subparsers.choices.items():
        row = row_of(table, name)
        for action in sub._actions:
            for option in set(action.option_strings) - common:
                if option.startswith("--"):
                    assert f"`{option}" in row or f"/{option}" in row, f"README's row for qa {name} lacks {option}"


README_KEYS = {"escape": "Escape", "right": "→", "left": "←", "up": "Up", "down": "Down"}


def readme_key(key: str) -> str:
    """A Textual key name as README spells it: f1 → F1, ctrl+l → Ctrl+L, right → →."""
    if key in README_KEYS:
        return README_KEYS[key]
    if key.startswith("ctrl+"):
        rest = key[5:]
        return "Ctrl+" + README_KEYS.get(rest, rest.upper() if len(rest) == 1 else rest.capitalize())
    return key.upper() if key[0] == "f" and key[1:].isdigit() else key


def test_every_key_and_slash_command_of_the_chat_is_in_the_keys_table():
    from qa.tui.app import ChatApp
    from qa.tui.screens import ReaderScreen
    from qa.tui.slash import ALIASES, SLASH_COMMANDS

    table = readme_table("| key or command | action |")
    reader = next(line for line in table.splitlines() if line.startswith("| in the reader"))
    for binding in ChatApp.BINDINGS:
        for key in binding.key.split(","):
            assert readme_key(key) in table, f"README's keys table lacks {readme_key(key)} ({binding.description})"
    for binding in ReaderScreen.BINDINGS:
        assert readme_key(binding.key) in reader, f"README's reader row lacks {readme_key(binding.key)}"
    for name in [*SLASH_COMMANDS, *ALIASES]:
        if len(name) > 1:
            assert f"`/{name}" in table, f"README's keys table lacks /{name}"
