"""Search filters and access rules, turned into one Qdrant filter that runs inside the
query (never as a post-filter that could drop results or leak them)."""

from dataclasses import dataclass
from datetime import date

from qdrant_client import models

from core.index.passage import DocumentStatus, day_number


class InvalidFilter(ValueError):
    """A filter value that cannot match anything sensible; the message says which."""


@dataclass(frozen=True)
class SearchFilters:
    """What the user narrowed the search to. None means: no restriction on that field.

    `date_from` and `date_to` bound the document date, both ends included; a document
    without a date is left out when either is set. `beleidsdomein` keeps documents tagged
    with that policy domain.
    """

    doc_type: str | None = None
    year: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    status: str | None = None
    beleidsdomein: str | None = None

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in set(DocumentStatus):
            raise InvalidFilter(f"status must be one of {', '.join(DocumentStatus)}, not {self.status!r}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidFilter(f"date_from {self.date_from} is after date_to {self.date_to}")


NO_FILTERS = SearchFilters()


def access_condition(groups: frozenset[str]) -> models.Condition:
    """Public documents (no groups) plus documents shared with one of `groups`.

    No groups means public documents only: this condition is always present, so a
    caller who forgot to pass groups is denied rather than allowed everything.
    """
    public = models.IsEmptyCondition(is_empty=models.PayloadField(key="groups"))
    if not groups:
        # A bare condition, not a one-branch `should`: the embedded Qdrant checks filters in
        # Python per point, and the nested form costs it about 10 ms more per query.
        return public
    shared = models.FieldCondition(key="groups", match=models.MatchAny(any=sorted(groups)))
    return models.Filter(should=[public, shared])


def build_filter(filters: SearchFilters, groups: frozenset[str]) -> models.Filter:
    must: list[models.Condition] = [access_condition(groups)]
    for key in ("doc_type", "status", "beleidsdomein"):
        value = getattr(filters, key)
        if value:
            must.append(models.FieldCondition(key=key, match=models.MatchValue(value=value)))
    if filters.year is not None:
        must.append(models.FieldCondition(key="year", match=models.MatchValue(value=filters.year)))
    if filters.date_from or filters.date_to:
        must.append(
            models.FieldCondition(
                key="day",
                range=models.Range(
                    gte=day_number(filters.date_from) if filters.date_from else None,
                    lte=day_number(filters.date_to) if filters.date_to else None,
                ),
            )
        )
    return models.Filter(must=must)
