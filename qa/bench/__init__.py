"""``qa bench``: retrieval, build, start-up and answer figures on the bundled record and synthetic corpora."""
