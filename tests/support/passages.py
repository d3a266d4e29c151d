"""Passages built in memory, for tests of the ranking stages that need no index."""

from datetime import date

from core.index.passage import DocumentStatus, Passage, ScoredPoint


def make_passage(
    *, day: int | None = None, status: str = "geldend", heading: str = "", text: str = ""
) -> Passage:
    """A passage of a document dated `day` (YYYYMMDD; None: undated)."""
    iso = date(day // 10000, day // 100 % 100, day % 100).isoformat() if day else None
    return Passage(
        document_id="document",
        source="document.md",
        root="/corpus",
        title="Document",
        doc_type="notulen",
        date=iso,
        year=day // 10000 if day else None,
        status=DocumentStatus(status),
        replaces=None,
        groups=(),
        beleidsdomein=(),
        tags=(),
        page=None,
        heading=heading,
        article=None,
        chunk_index=0,
        chunk_count=1,
        fingerprint="f",
        text=text,
    )


def scored(point_id: str, score: float, **passage) -> ScoredPoint:
    """A search candidate `point_id` with `score` (see `make_passage` for the passage)."""
    return ScoredPoint(point_id, make_passage(**passage), score)
