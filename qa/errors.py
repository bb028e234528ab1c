"""Errors a user can cause: shown as one line, never as a traceback."""


class UserError(Exception):
    """A mistake in the user's input (a file, a flag, a field); the message says what to do."""

    exit_status = 2
