"""qa: cited answers about UN Security Council verbatim records.

The package reads as the pipeline: records → corpus → tokens → index →
answer → interfaces (cli, batch, chat).
"""

__version__ = "0.1.0"
