"""Search filters and access rules, turned into one Qdrant filter that runs inside the
query (never as a post-filter that could drop results or leak them)."""

from dataclasses import dataclass

from qdrant_client import models


@dataclass(frozen=True)
class SearchFilters:
    """What the user narrowed the search to. None means: no restriction on that field."""

    doc_type: str | None = None
    year: int | None = None


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
    if filters.doc_type:
        must.append(models.FieldCondition(key="doc_type", match=models.MatchValue(value=filters.doc_type)))
    if filters.year is not None:
        must.append(models.FieldCondition(key="year", match=models.MatchValue(value=filters.year)))
    return models.Filter(must=must)
