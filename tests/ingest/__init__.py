"""Tests of ingestion: readers, chunking, metadata, the incremental pipeline, crashes and hostile files."""
