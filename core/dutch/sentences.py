"""Dutch sentence boundaries, shared by the chunker (which splits long blocks between
sentences), the extractive answerer (which quotes sentences) and the citation check of
generated answers (which drops sentences without a source)."""

import re

# Dutch abbreviations that end in a period inside a sentence ("art. 5", "bv. de raad",
# "dhr. Declercq", "1 jan. 2024"). Dotted ones ("i.s.m.", "m.b.t.") are recognised by
# their shape and single letters ("K. Declercq") as initials.
# fmt: off
_ABBREVIATIONS = frozenset(
    {
        "art", "artt", "nr", "nrs", "blz", "p", "pp", "bv", "bijv", "dhr", "mevr", "mr",
        "dr", "prof", "ir", "ing", "lic", "enz", "etc", "resp", "incl", "excl", "ca", "min",
        "max", "vnl", "evt", "vgl", "zgn", "jl", "ll", "cf", "nl", "par", "hfdst", "afd",
        "tel", "jan", "feb", "febr", "mrt", "apr", "jun", "jul", "aug", "sep", "sept",
        "okt", "nov", "dec", "st", "gem", "burg",
    }
)
# fmt: on
_DOTTED_ABBREVIATION = re.compile(r"(?:[a-z]\.)+[a-z]")
# A numbering label is not a sentence of its own: "1. Goedkeuring", "Artikel 5. De ...".
_LABEL = re.compile(r"(?:(?:artikel|art\.|punt|agendapunt)\s*)?\d+(?:[./]\d+)*[a-z]?\.", re.I)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-ZÀ-ÖØ-Þ0-9])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a Dutch text, split after . ! ? before a capital or digit, except
    after abbreviations, initials and numbering labels."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.end()]
        if match.group().startswith(".") and (
            _is_abbreviation(candidate.split()[-1]) or _LABEL.fullmatch(candidate.strip())
        ):
            continue
        sentences.append(candidate.strip())
        start = match.end()
    if rest := text[start:].strip():
        sentences.append(rest)
    return [sentence for sentence in sentences if sentence]


def _is_abbreviation(word: str) -> bool:
    stem = word.lower().lstrip("(\"'“‘").rstrip(".")
    return (
        stem in _ABBREVIATIONS
        or (len(stem) == 1 and stem.isalpha())
        or bool(_DOTTED_ABBREVIATION.fullmatch(stem))
    )
