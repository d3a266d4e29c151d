"""GET /api/search: passages, or documents with their best passages."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.context import Context, CurrentCaller
from api.schemas import EXAMPLE_DOCUMENT, EXAMPLE_HIT, documented, search_filters

router = APIRouter(tags=["search"])


@router.get(
    "/api/search",
    summary="Search passages (hybrid dense + sparse), optionally grouped by document",
    responses=documented(
        "Passages best first (group_by=passage) or documents best first (group_by=document).",
        {"results": [EXAMPLE_HIT]},
        {"documents": [{**EXAMPLE_DOCUMENT, "score": 0.8731, "passages": [EXAMPLE_HIT]}]},
    ),
)
def search(
    context: Context,
    caller: CurrentCaller,
    q: Annotated[
        str,
        Query(
            min_length=1, description="The question or keywords.", examples=["Wie onderhoudt de brandkranen?"]
        ),
    ],
    top_k: Annotated[int, Query(ge=1, le=50, description="Number of passages (or documents).")] = 5,
    type: Annotated[
        str | None, Query(max_length=100, description="Only this document type, e.g. notulen.")
    ] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="Only documents of this year.")] = None,
    date_from: Annotated[date | None, Query(description="Only documents dated on or after this day.")] = None,
    date_to: Annotated[date | None, Query(description="Only documents dated on or before this day.")] = None,
    status: Annotated[
        str | None, Query(max_length=50, description="Only documents with this status, e.g. geldend.")
    ] = None,
    domain: Annotated[str | None, Query(max_length=100, description="Only this beleidsdomein.")] = None,
    group_by: Annotated[
        Literal["passage", "document"], Query(description="List passages, or documents with their passages.")
    ] = "passage",
) -> dict:
    context.check_question_length(q, "query")
    filters = search_filters(
        doc_type=type, year=year, date_from=date_from, date_to=date_to, status=status, domain=domain
    )
    retriever = context.kennisbank.retriever
    with context.guard.reading():
        if group_by == "document":
            documents = retriever.search_documents(q, top_k=top_k, filters=filters, groups=caller.groups)
            return {"documents": [document.to_dict() for document in documents]}
        hits = retriever.search(q, top_k=top_k, filters=filters, groups=caller.groups)
    return {"results": [hit.to_dict() for hit in hits]}
