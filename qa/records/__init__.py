"""Records → corpus: reading record files (text) into meetings, speeches and paragraphs, and the parse cache."""
