"""Text → tokens: normalisation, the tokenizer, names and synonyms (aliases), jieba's general lexicon;
word lists in data/."""
