"""Tokens → index: the BM25 formula, exact top k (MaxScore), the build, the engine, and the caches in store/."""
