"""Finding passages and documents: hybrid retrieval with fusion and a second ranking
stage, precedent search, and the document catalog."""
