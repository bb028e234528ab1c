"""Index → answer: the question read, sentences chosen and composed, meeting facts, declining, rendering."""
