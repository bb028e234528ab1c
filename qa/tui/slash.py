"""Slash commands typed in the chat's input: ``/speaker 中国``, ``/export [PATH]``, ``/clear``, ``/help``,
``/conversations``, ``/quit`` (or ``/exit``).

Parsing is separate from acting so the palette, the key bindings and the input
all end in the same app actions.
"""

from __future__ import annotations

from dataclasses import dataclass

SLASH_COMMANDS = {
    "speaker": "/speaker NAME — only answer from this speaker or country; /speaker alone clears",
    "export": "/export [PATH] — save the conversation with its citations as Markdown",
    "clear": "/clear — clear the conversation",
    "help": "/help — keys, commands and example questions",
    "conversations": "/conversations — reopen a saved conversation (F6)",
    "quit": "/quit or /exit — leave the chat",
}
ALIASES = {"exit": "quit", "q": "quit"}


@dataclass(frozen=True)
class SlashCommand:
    name: str
    """The command without its slash, lower case (``speaker``)."""
    argument: str
    """Everything after the name, stripped; empty when none."""


def parse_slash(text: str) -> SlashCommand | None:
    """The command in ``text`` when it starts with "/" (or the full-width "／"), else None."""
    text = text.strip()
    if not text or text[0] not in "/／":
        return None
    name, _, argument = text[1:].partition(" ")
    name = name.strip().lower()
    return SlashCommand(ALIASES.get(name, name), argument.strip())
