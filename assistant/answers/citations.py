"""The post-check of a generated answer: every claim must cite a source that was given.

An LLM can cite a source number that does not exist ("[7]" when 3 were given) or write a
sentence without any source (a claim from its own memory, or one a document smuggled in
as an instruction). Markers to numbers that were not given are removed; a sentence left
without a valid marker is removed from the answer. Links and images go first (see
`assistant.answers.links`), so that no dropped sentence quoted in a warning carries one either.
All of it is reported as warnings, so the user sees what was dropped and why.
"""

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from assistant.answers.links import LINKS_REMOVED, remove_links
from core.dutch.sentences import split_sentences

# "[2]", also written "[1, 3]" or "[1][3]" by some models.
_MARKERS = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
# Markers written after the full stop ("Het kost 30 euro. [1]") belong to that sentence.
_MARKERS_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+)")
_EXCERPT = 120


@dataclass(frozen=True)
class CheckedText:
    """The answer after the post-check, the source numbers it cites (first use first)
    and what was dropped."""

    text: str
    cited: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def cited_numbers(text: str) -> set[int]:
    """The source numbers `text` cites with `[n]` markers (of a checked answer: each one
    points at a given source)."""
    return {int(n) for group in _MARKERS.findall(text) for n in re.findall(r"\d+", group)}


def check_citations(text: str, given: Collection[int]) -> CheckedText:
    """`text` without links and images, with markers to numbers outside `given` removed
    and sentences without a valid marker removed. Line breaks (lists) are kept."""
    cited: dict[int, None] = {}
    unlinked = remove_links(text)
    warnings = [LINKS_REMOVED] if unlinked != text else []
    lines = []
    for line in _MARKERS_AFTER_STOP.sub(r"\2\1", unlinked.strip()).splitlines():
        kept = []
        for sentence in split_sentences(line):
            numbers = [int(n) for group in _MARKERS.findall(sentence) for n in re.findall(r"\d+", group)]
            valid = [n for n in dict.fromkeys(numbers) if n in given]
            warnings += [
                f"Bron [{n}] bestaat niet; de verwijzing is weggelaten." for n in numbers if n not in given
            ]
            bare = _MARKERS.sub("", sentence).strip()
            if not bare:
                continue
            if not valid:
                warnings.append(f"Zin zonder bronvermelding weggelaten: \u201c{_excerpt(bare)}\u201d")
                continue
            cited.update(dict.fromkeys(valid))
            kept.append(_with_markers(bare, valid))
        if kept:
            lines.append(" ".join(kept))
    return CheckedText("\n".join(lines), list(cited), warnings)


def _with_markers(sentence: str, numbers: list[int]) -> str:
    """The sentence with its valid markers at the end, before its closing punctuation
    moves behind them: "Het kost 30 euro [1]." reads as the model meant it."""
    markers = "".join(f"[{n}]" for n in numbers)
    body, end = (sentence[:-1], sentence[-1]) if sentence[-1:] in ".!?" else (sentence, "")
    return f"{body.rstrip()} {markers}{end}"


def _excerpt(text: str) -> str:
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1].rstrip() + "\u2026"
