"""GET /api/search: passages, or documents with their best passages; POST
/api/search/similar: the documents that dealt with the same thing as a pasted paragraph."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from api.http.context import Context, CurrentCaller
from api.http.schemas import EXAMPLE_DOCUMENT, EXAMPLE_HIT, SimilarRequest, documented, filter_query
from assistant.search.retrieval import SearchMode
from core.index.filters import NO_FILTERS, SearchFilters

router = APIRouter(tags=["search"])

EXAMPLE_DOCUMENT_HIT = {**EXAMPLE_DOCUMENT, "score": 0.8731, "passages": [EXAMPLE_HIT]}


@router.get(
    "/api/search",
    summary="Search passages (hybrid dense + sparse), optionally grouped by document",
    responses=documented(
        "Passages best first (group_by=passage) or documents best first (group_by=document).",
        {"results": [EXAMPLE_HIT]},
        {"documents": [EXAMPLE_DOCUMENT_HIT]},
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
    filters: Annotated[SearchFilters, Depends(filter_query)],
    top_k: Annotated[int, Query(ge=1, le=50, description="Number of passages (or documents).")] = 5,
    group_by: Annotated[
        Literal["passage", "document"], Query(description="List passages, or documents with their passages.")
    ] = "passage",
    mode: Annotated[
        SearchMode,
        Query(description="hybrid (meaning and words, fused), dense (meaning only) or sparse (words only)."),
    ] = "hybrid",
) -> dict:
    kennisbank = context.kennisbank
    with context.guard.reading():
        if group_by == "document":
            documents = kennisbank.search_documents(q, caller=caller, top_k=top_k, filters=filters, mode=mode)
            return {"documents": [document.to_dict() for document in documents]}
        hits = kennisbank.search(q, caller=caller, top_k=top_k, filters=filters, mode=mode)
    return {"results": [hit.to_dict() for hit in hits]}


@router.post(
    "/api/search/similar",
    summary="Search by example: documents like a pasted paragraph, with their best passages",
    responses=documented(
        "Documents best first, each with its best passages.", {"documents": [EXAMPLE_DOCUMENT_HIT]}
    ),
)
def search_similar(request: SimilarRequest, context: Context, caller: CurrentCaller) -> dict:
    filters = request.filters.to_search_filters() if request.filters else NO_FILTERS
    with context.guard.reading():
        documents = context.kennisbank.search_by_example(
            request.text, caller=caller, top_k=request.top_k, filters=filters
        )
    return {"documents": [document.to_dict() for document in documents]}
