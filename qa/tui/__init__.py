"""The Textual chat: the only part of ``qa`` that imports Textual (see ``app.make_app``)."""
