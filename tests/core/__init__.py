"""Tests of the lower layer: Dutch analysis, the glossary, sparse vectors, the store."""
