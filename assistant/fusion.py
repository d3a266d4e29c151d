"""How the dense and sparse candidate lists become one ranking, and the second stage
that adjusts it for what the question says about versions and years.

Chosen by measurement (bench/policyqa.py and `kennisbank eval`, see README): relative
score fusion (each side min-max normalised over its own candidates, then a weighted
sum) with the dense side weighted 0.6. Plain reciprocal rank fusion lost top-1 accuracy
against dense alone; z-score and distribution-based normalisation did no better than
min-max; an equal weight was 0.008 R@1 behind on PolicyQA.
"""

import re
from collections.abc import Sequence

from assistant.analysis import normalise
from assistant.local_search import ScoredPoint

DENSE_WEIGHT = 0.6
# Second stage, on the fused 0..1 scale. A replaced version drops below the current one
# that says about the same; a document of the year the question names rises a little.
REPLACED_PENALTY = 0.2
YEAR_BONUS = 0.1

# Words that ask for an earlier state of affairs: then replaced versions rank as found.
_HISTORY = re.compile(
    r"\b(vroeger|oude?r?e? versies?|eerder|eerste|daarvoor|voordien|destijds|oorspronkelijk|"
    r"vorige|toen|historiek|geschiedenis|vervangen)\b"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _min_max(points: Sequence[ScoredPoint]) -> dict[str, float]:
    if not points:
        return {}
    scores = [point.score for point in points]
    low, high = min(scores), max(scores)
    return {point.id: (point.score - low) / (high - low) if high > low else 1.0 for point in points}


def fuse(dense: Sequence[ScoredPoint], sparse: Sequence[ScoredPoint]) -> list[ScoredPoint]:
    """Relative score fusion: a passage found by one side only gets 0 from the other."""
    dense_scores, sparse_scores = _min_max(dense), _min_max(sparse)
    payloads = {point.id: point.payload for point in (*dense, *sparse)}
    fused = [
        ScoredPoint(
            point_id,
            payload,
            DENSE_WEIGHT * dense_scores.get(point_id, 0.0)
            + (1 - DENSE_WEIGHT) * sparse_scores.get(point_id, 0.0),
        )
        for point_id, payload in payloads.items()
    ]
    return sorted(fused, key=lambda point: -point.score)


def asks_for_history(question: str) -> bool:
    """True when the question is about an earlier version or an earlier time ("vroeger",
    "de oude versie", "eerder", "in 2019"): then replaced documents are not held back."""
    text = normalise(question)
    return bool(_HISTORY.search(text) or _YEAR.search(text))


def rerank(question: str, points: Sequence[ScoredPoint]) -> list[ScoredPoint]:
    """Current versions before replaced ones unless the question asks for history, and
    documents dated in a year the question names a little higher."""
    history = asks_for_history(question)
    years = set(_YEAR.findall(question))
    adjusted = []
    for point in points:
        score = point.score
        if point.payload.get("status") == "vervangen" and not history:
            score -= REPLACED_PENALTY
        if years and str(point.payload.get("year")) in years:
            score += YEAR_BONUS
        adjusted.append(ScoredPoint(point.id, point.payload, score))
    return sorted(adjusted, key=lambda point: -point.score)
