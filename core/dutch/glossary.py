"""The glossary of acronyms and synonyms that widens a question on the sparse side.

A question that contains one form of a concept ("IDPW", "brandkraan") is also searched
with its other forms ("gemeenschappelijke interne dienst", "hydrant"). Expansion happens
at query time only: the index stays as it is, a user can extend the glossary without
re-indexing, and a passage is not credited for words it does not contain.
"""

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from core.dutch.analysis import DutchAnalyzer

Phrase = tuple[str, ...]  # the terms of one form, in order


class GlossaryFileError(ValueError):
    """The user's glossary file cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Glossary:
    """Concepts, each a set of forms (as term sequences) that mean the same."""

    concepts: tuple[tuple[Phrase, ...], ...]

    @classmethod
    def load(cls, analyzer: DutchAnalyzer, user_file: Path | None = None) -> "Glossary":
        """The built-in glossary (assistant/data/glossary-nl.txt) plus the lines of
        `user_file` when given."""
        text = files("core.dutch").joinpath("data", "glossary-nl.txt").read_text(encoding="utf-8")
        lines = [(line, "glossary-nl.txt") for line in text.splitlines()]
        if user_file is not None:
            try:
                user_text = user_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise GlossaryFileError(f"cannot read glossary file {user_file}: {exc}") from exc
            lines += [(line, str(user_file)) for line in user_text.splitlines()]
        concepts = []
        for line, origin in lines:
            content = line.partition("#")[0]
            if not content.strip():
                continue
            forms = tuple(dict.fromkeys(tuple(analyzer.terms(form)) for form in content.split("=")))
            forms = tuple(form for form in forms if form)
            if len(forms) < 2:
                raise GlossaryFileError(f"{origin}: line {line!r} needs two forms separated by '='")
            concepts.append(forms)
        return cls(tuple(concepts))

    def expansions(self, query_terms: list[str]) -> list[str]:
        """Terms of the other forms of every concept one of whose forms occurs in
        `query_terms` (as a contiguous run), without the terms the query already has."""
        present = set(query_terms)
        extra: dict[str, None] = {}
        for forms in self.concepts:
            if any(_occurs(form, query_terms) for form in forms):
                for form in forms:
                    extra.update(dict.fromkeys(term for term in form if term not in present))
        return list(extra)


def _occurs(phrase: Phrase, terms: list[str]) -> bool:
    if len(phrase) == 1:
        return phrase[0] in terms
    n = len(phrase)
    return any(tuple(terms[i : i + n]) == phrase for i in range(len(terms) - n + 1))
