"""The index's files on disk: posting arrays, per-record terms, the snapshot of the parsed corpus."""
