"""How the dense and sparse candidate lists become one ranking, and the second stage
that adjusts it for what the question says about versions and years.

Chosen by measurement (bench/policyqa.py and `kennisbank eval`, see docs/retrieval.md): relative
score fusion (each side min-max normalised over its own candidates, then a weighted
sum) with the dense side weighted 0.6. Plain reciprocal rank fusion lost top-1 accuracy
against dense alone; z-score and distribution-based normalisation did no better than
min-max; an equal weight was 0.008 R@1 behind on PolicyQA.
"""

from collections.abc import Sequence
from datetime import date

from assistant.question import YEAR, asks_about_the_present, may_want_replaced_versions
from core.index.passage import DocumentStatus, ScoredPoint

DENSE_WEIGHT = 0.6
# Second stage, on the fused 0..1 scale. A replaced version drops below the current one
# that says about the same; a passage of the year the question names (the document's date,
# or a heading such as "Jaarverslag 2022" in minutes of 2023) rises a little; a
# question about the present ("nu", "momenteel") lifts the newest candidate by
# RECENT_BONUS and older ones by half as much for each RECENT_HALF_LIFE_DAYS they are older,
# because a later decision overrides an earlier one on the same subject.
REPLACED_PENALTY = 0.2
YEAR_BONUS = 0.1
RECENT_BONUS = 0.3
RECENT_HALF_LIFE_DAYS = 365


def _min_max(points: Sequence[ScoredPoint]) -> dict[str, float]:
    if not points:
        return {}
    scores = [point.score for point in points]
    low, high = min(scores), max(scores)
    return {point.id: (point.score - low) / (high - low) if high > low else 1.0 for point in points}


def fuse(dense: Sequence[ScoredPoint], sparse: Sequence[ScoredPoint]) -> list[ScoredPoint]:
    """Relative score fusion: a passage found by one side only gets 0 from the other."""
    dense_scores, sparse_scores = _min_max(dense), _min_max(sparse)
    passages = {point.id: point.passage for point in (*dense, *sparse)}
    fused = [
        ScoredPoint(
            point_id,
            passage,
            DENSE_WEIGHT * dense_scores.get(point_id, 0.0)
            + (1 - DENSE_WEIGHT) * sparse_scores.get(point_id, 0.0),
        )
        for point_id, passage in passages.items()
    ]
    return sorted(fused, key=lambda point: -point.score)


def rerank(question: str, points: Sequence[ScoredPoint]) -> list[ScoredPoint]:
    """Current versions before replaced ones unless the question asks for history,
    passages of a year the question names a little higher, and newer documents a
    little higher when the question asks about the present."""
    history = may_want_replaced_versions(question)
    years = set(YEAR.findall(question))
    recency = _recency(points) if asks_about_the_present(question) else {}
    adjusted = []
    for point in points:
        score = point.score
        if point.passage.status == DocumentStatus.REPLACED and not history:
            score -= REPLACED_PENALTY
        if years and years & _years_of(point):
            score += YEAR_BONUS
        score += RECENT_BONUS * recency.get(point.id, 0.0)
        adjusted.append(ScoredPoint(point.id, point.passage, score))
    return sorted(adjusted, key=lambda point: -point.score)


def _recency(points: Sequence[ScoredPoint]) -> dict[str, float]:
    """Each dated candidate's weight by age: 1 for the newest, halving per half-life older."""
    days = {point.id: _ordinal(point.passage.day) for point in points if point.passage.day}
    newest = max(days.values(), default=0)
    return {point_id: 0.5 ** ((newest - day) / RECENT_HALF_LIFE_DAYS) for point_id, day in days.items()}


def _ordinal(day: int) -> int:
    """The stored YYYYMMDD number as a count of days, so that distances are in days."""
    return date(day // 10000, day // 100 % 100, day % 100).toordinal()


def _years_of(point: ScoredPoint) -> set[str]:
    """The year of the passage's document and the years its heading names."""
    return {str(point.passage.year), *YEAR.findall(point.passage.heading)}
