"""One module per ``qa`` subcommand: ``configure(parser)`` and ``run(args) -> int``."""
