"""GET /api/documents, /api/documents/{id} and /api/documents/{id}/file. A document the
caller may not see is answered exactly like one that does not exist (404). A file that
changed since it was indexed is 409 until the next re-index."""

import mimetypes
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi.responses import Response

from api.http.context import Context, CurrentCaller
from api.http.schemas import EXAMPLE_DOCUMENT, documented, filter_query
from assistant.search.catalog import FileChanged
from core.index.filters import SearchFilters

router = APIRouter(tags=["documents"])

DocumentId = Annotated[str, Path(max_length=200, examples=[EXAMPLE_DOCUMENT["document_id"]])]
NOT_FOUND = "no such document"
FILE_CHANGED = "the file changed after it was indexed; it is served again after the next re-index"


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
    response_class=Response,
    responses={
        200: {"description": "The file, shown inline.", "content": {"application/pdf": {}}},
        404: {"description": "No such document, or not one the caller may see."},
        409: {"description": "The file changed after it was indexed; served again after the next re-index."},
    },
)
def get_document_file(document_id: DocumentId, context: Context, caller: CurrentCaller) -> Response:
    max_bytes = int(context.kennisbank.settings.max_file_mb * 1024 * 1024)
    with context.guard.reading():
        try:
            document = context.catalog.file(document_id, groups=caller.groups, max_bytes=max_bytes)
        except FileChanged:
            raise HTTPException(409, FILE_CHANGED) from None
    if document is None:
        raise HTTPException(404, NOT_FOUND)
    return _inline(document.name, document.content)


def _inline(name: str, content: bytes) -> Response:
    """The checked bytes, shown inline. An HTML document must not run as a page of this
    site (its scripts could call the API as the user): anything but a PDF is sandboxed;
    browsers do not show a PDF in a sandbox."""
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = {"X-Content-Type-Options": "nosniff", "Content-Disposition": _inline_disposition(name)}
    if media_type != "application/pdf":
        headers["Content-Security-Policy"] = "sandbox"
    return Response(content, media_type=media_type, headers=headers)


def _inline_disposition(name: str) -> str:
    """`inline` with the file name, as FileResponse writes it (RFC 5987 for non-ASCII names)."""
    quoted = quote(name)
    if quoted != name:
        return f"inline; filename*=utf-8''{quoted}"
    return f'inline; filename="{name}"'
