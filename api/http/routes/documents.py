"""GET /api/documents, /api/documents/{id} and /api/documents/{id}/file. A document the
caller may not see is answered exactly like one that does not exist (404)."""

import mimetypes
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi.responses import FileResponse

from api.http.context import Context, CurrentCaller
from api.http.schemas import EXAMPLE_DOCUMENT, documented, filter_query
from core.index.filters import SearchFilters

router = APIRouter(tags=["documents"])

DocumentId = Annotated[str, Path(max_length=200, examples=[EXAMPLE_DOCUMENT["document_id"]])]
NOT_FOUND = "no such document"


@router.get(
    "/api/documents",
    summary="List the documents, newest first",
    responses=documented("The documents the caller may see.", {"documents": [EXAMPLE_DOCUMENT]}),
)
def list_documents(
    context: Context, caller: CurrentCaller, filters: Annotated[SearchFilters, Depends(filter_query)]
) -> dict:
    with context.guard.reading():
        documents = context.catalog.documents(groups=caller.groups, filters=filters)
    return {"documents": [document.to_dict() for document in documents]}


@router.get(
    "/api/documents/{document_id}",
    summary="One document's metadata and its passages in reading order",
    responses=documented(
        "The document.",
        {
            **EXAMPLE_DOCUMENT,
            "passages": [
                {
                    "page": 1,
                    "heading": "1. Goedkeuring notulen",
                    "article": None,
                    "text": "De notulen van ...",
                }
            ],
        },
    )
    | {404: {"description": "No such document, or not one the caller may see."}},
)
def get_document(document_id: DocumentId, context: Context, caller: CurrentCaller) -> dict:
    with context.guard.reading():
        document = context.catalog.get(document_id, groups=caller.groups)
    if document is None:
        raise HTTPException(404, NOT_FOUND)
    return document.to_dict()


@router.get(
    "/api/documents/{document_id}/file",
    summary="The original file (a PDF opens at a page with …/file#page=N)",
    response_class=FileResponse,
    responses={
        200: {"description": "The file, shown inline.", "content": {"application/pdf": {}}},
        404: {"description": "No such document, or not one the caller may see."},
    },
)
def get_document_file(document_id: DocumentId, context: Context, caller: CurrentCaller) -> FileResponse:
    with context.guard.reading():
        path = context.catalog.file_path(document_id, groups=caller.groups)
    if path is None:
        raise HTTPException(404, NOT_FOUND)
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    headers = {"X-Content-Type-Options": "nosniff"}
    if media_type != "application/pdf":
        # An HTML document must not run as a page of this site (its scripts could call the
        # API as the user). Not for PDFs: browsers do not show a PDF in a sandbox.
        headers["Content-Security-Policy"] = "sandbox"
    return FileResponse(
        path, media_type=media_type, filename=path.name, content_disposition_type="inline", headers=headers
    )
