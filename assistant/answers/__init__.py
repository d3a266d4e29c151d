"""Composing answers from retrieved passages: the answer model every front end shows,
the extractive answerer (default, no LLM), the LLM answerer, and the post-checks of
generated text (citations, links)."""
