"""Ranking and latency measures shared by `kennisbank eval` and the benchmarks."""

import math
from collections.abc import Iterable, Sequence


def first_rank(ranked: Iterable[str], relevant: str | set[str]) -> int | None:
    """1-based rank of the first relevant item, counting each distinct item once, so that
    several passages of one document do not push the next document down."""
    wanted = {relevant} if isinstance(relevant, str) else relevant
    seen: list[str] = []
    for item in ranked:
        if item in seen:
            continue
        seen.append(item)
        if item in wanted:
            return len(seen)
    return None


def recall_at(ranks: Sequence[int | None], k: int) -> float:
    """Share of questions whose relevant item is in the top k."""
    return sum(1 for rank in ranks if rank is not None and rank <= k) / len(ranks) if ranks else 0.0


def mean_reciprocal_rank(ranks: Sequence[int | None], k: int = 10) -> float:
    """MRR@k: 1/rank of the relevant item, 0 when it is not in the top k."""
    return sum(1 / rank for rank in ranks if rank is not None and rank <= k) / len(ranks) if ranks else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]
