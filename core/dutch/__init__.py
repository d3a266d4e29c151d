"""Dutch text as both sides read it: sentence boundaries, characters nobody sees, the
analyzer that turns text into index terms, and the glossary of acronyms and synonyms.
Ingestion and questions go through the same code, so a term in a question meets the
same term in a passage."""
