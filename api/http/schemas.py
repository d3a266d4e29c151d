"""Request and response bodies of the HTTP API, with the examples shown in /docs."""

from datetime import date
from typing import Annotated, Literal

from fastapi import HTTPException, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from core.index.filters import InvalidFilter, SearchFilters


def _without_nul(value: str | None) -> str | None:
    """PostgreSQL refuses a NUL character in text (SQLite takes it): a value that reaches
    the state database or a filter is refused here, with a 422, on either database."""
    if value is not None and "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


Text = AfterValidator(_without_nul)


def _not_slack(value: str | None) -> str | None:
    """Slack's conversations (`slack:CHANNEL[:THREAD]`) are continued from Slack only."""
    if value is not None and value.startswith("slack:"):
        raise ValueError("a Slack conversation cannot be continued over HTTP")
    return value

EXAMPLE_CITATION = {
    "n": 1,
    "document_id": "2021-06-21-notulen-raad-van-bestuur-3f2a9c1b",
    "title": "Notulen Raad van Bestuur 21 juni 2021",
    "source": "vergaderingen/2021-06-21-notulen-raad-van-bestuur.pdf",
    "page": 2,
    "article": None,
    "date": "2021-06-21",
    "doc_type": "notulen",
    "text": "Vanaf 1 januari 2022 betalen de gemeenten 70 % volgens de effectieve inzet ...",
    "score": 0.8731,
}
EXAMPLE_HIT = {
    "document_id": EXAMPLE_CITATION["document_id"],
    "title": EXAMPLE_CITATION["title"],
    "source": EXAMPLE_CITATION["source"],
    "page": 2,
    "heading": "2. Verdeelsleutel gedeeld personeel",
    "article": None,
    "doc_type": "notulen",
    "date": "2021-06-21",
    "status": "geldend",
    "text": EXAMPLE_CITATION["text"],
    "score": 0.8731,
}
EXAMPLE_DOCUMENT = {
    "document_id": EXAMPLE_CITATION["document_id"],
    "title": EXAMPLE_CITATION["title"],
    "source": EXAMPLE_CITATION["source"],
    "doc_type": "notulen",
    "date": "2021-06-21",
    "status": "geldend",
    "pages": 4,
    "chunks": 9,
    "beleidsdomein": ["bestuur"],
}


class Filters(BaseModel):
    """Narrow the passages an answer may use. Omitted fields do not restrict."""

    model_config = ConfigDict(extra="forbid")

    doc_type: Annotated[str | None, Text] = Field(None, max_length=100, examples=["notulen"])
    year: int | None = Field(None, ge=1900, le=2100, examples=[2021])
    date_from: date | None = Field(None, description="Documents dated on or after this day.")
    date_to: date | None = Field(None, description="Documents dated on or before this day.")
    status: Annotated[str | None, Text] = Field(None, max_length=50, examples=["geldend"])
    domain: Annotated[str | None, Text] = Field(
        None, max_length=100, description="Beleidsdomein.", examples=["mobiliteit"]
    )

    def to_search_filters(self) -> SearchFilters:
        return search_filters(**self.model_dump())


def search_filters(
    *,
    doc_type: str | None = None,
    year: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    status: str | None = None,
    domain: str | None = None,
) -> SearchFilters:
    """The assistant's filters for the API's filter names; 422 for a filter that cannot
    match anything sensible (an unknown status, a date range that ends before it starts)."""
    try:
        return SearchFilters(
            doc_type=doc_type,
            year=year,
            date_from=date_from,
            date_to=date_to,
            status=status,
            beleidsdomein=domain,
        )
    except InvalidFilter as exc:
        raise HTTPException(422, str(exc)) from exc


def filter_query(
    type: Annotated[
        str | None, Query(max_length=100, description="Only this document type, e.g. notulen."), Text
    ] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="Only documents of this year.")] = None,
    date_from: Annotated[date | None, Query(description="Only documents dated on or after this day.")] = None,
    date_to: Annotated[date | None, Query(description="Only documents dated on or before this day.")] = None,
    status: Annotated[
        str | None, Query(max_length=50, description="Only documents with this status, e.g. geldend."), Text
    ] = None,
    domain: Annotated[str | None, Query(max_length=100, description="Only this beleidsdomein."), Text] = None,
) -> SearchFilters:
    """The filter query parameters that /api/search and /api/documents share (a dependency)."""
    return search_filters(
        doc_type=type, year=year, date_from=date_from, date_to=date_to, status=status, domain=domain
    )


class SimilarRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "De gemeenten betalen de kosten van het gedeelde personeel volgens een "
                    "verdeelsleutel op basis van inzet en inwonersaantal.",
                    "top_k": 5,
                    "filters": {"doc_type": "notulen"},
                }
            ]
        },
    )

    text: str = Field(min_length=1, description="A pasted paragraph (a draft, an earlier decision).")
    top_k: int = Field(5, ge=1, le=50, description="Number of documents.")
    filters: Filters | None = None


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"question": "Hoe wordt de kost van gedeeld personeel verdeeld?"},
                {"question": "En in 2019?", "conversation_id": "5f1c0e0a9d6b4c8e8a3b2f7d6c5e4a31"},
                {"question": "Wat werd beslist over strooizout?", "filters": {"doc_type": "notulen"}},
            ]
        },
    )

    question: str = Field(min_length=1, description="The question, in Dutch.")
    conversation_id: Annotated[str | None, Text, AfterValidator(_not_slack)] = Field(
        None, max_length=64, description="Continue this conversation (from an earlier answer)."
    )
    filters: Filters | None = None


EXAMPLE_ANSWER = {
    "answer": "Vanaf 1 januari 2022 betalen de gemeenten 70 % volgens de effectieve inzet en 30 % "
    "volgens het inwonersaantal [1].",
    "abstained": False,
    "citations": [EXAMPLE_CITATION],
    "conversation_id": "5f1c0e0a9d6b4c8e8a3b2f7d6c5e4a31",
    "question": "Hoe wordt de kost van gedeeld personeel verdeeld?",
    "standalone_question": "Hoe wordt de kost van gedeeld personeel verdeeld?",
    "warnings": [],
    "answer_id": "0b8e2f4c1d3a4e5f9a7b6c5d4e3f2a10",
}


def documented(description: str, *examples: dict, media_type: str = "application/json") -> dict:
    """An OpenAPI `responses` entry for a 200 with named examples. Routes return plain
    dicts (the assistant's own `to_dict()`), so the examples document the shape."""
    return {
        200: {
            "description": description,
            "content": {
                media_type: {"examples": {f"example {n}": {"value": e} for n, e in enumerate(examples, 1)}}
            },
        }
    }


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "answer_id": "0b8e2f4c1d3a4e5f9a7b6c5d4e3f2a10",
                    "rating": "down",
                    "comment": "Bedrag ontbreekt",
                }
            ]
        },
    )

    answer_id: Annotated[str, Text] = Field(min_length=1, max_length=64)
    rating: Literal["up", "down"]
    comment: Annotated[str | None, Text] = Field(None, max_length=2000)


class StatusResponse(BaseModel):
    status: str


class ReindexStarted(BaseModel):
    job_id: str
