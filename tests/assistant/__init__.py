"""Tests of the answering side: search, ranking, answers (extractive and LLM),
follow-ups, evaluation, state and backup."""
