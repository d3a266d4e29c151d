"""The HTTP API. `create_app` receives a built `Kennisbank`; routes only translate
between HTTP and the assistant."""

import logging
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse

from assistant.filters import SearchFilters
from assistant.service import Kennisbank

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 1000


def create_app(kennisbank: Kennisbank) -> FastAPI:
    app = FastAPI(
        title="Midwest Kennisbank",
        description="Search and cited answers over the documents of DVV Midwest.",
        version="0.1.0",
    )

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        # Log the details for operators; never send a stack trace to the caller.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(status_code=500, content={"detail": "internal error; see the server log"})

    @app.get("/healthz", summary="The process is alive")
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/api/search", summary="Search passages (hybrid dense + sparse)")
    def search(
        q: Annotated[
            str,
            Query(
                min_length=1,
                max_length=MAX_QUERY_CHARS,
                description="The question or keywords.",
                examples=["Wie onderhoudt de brandkranen?"],
            ),
        ],
        top_k: Annotated[int, Query(ge=1, le=50, description="Number of passages to return.")] = 5,
        type: Annotated[str | None, Query(description="Only this document type, e.g. notulen.")] = None,
        year: Annotated[
            int | None, Query(ge=1900, le=2100, description="Only documents of this year.")
        ] = None,
    ) -> dict:
        hits = kennisbank.retriever.search(q, top_k=top_k, filters=SearchFilters(doc_type=type, year=year))
        return {"results": [hit.to_dict() for hit in hits]}

    return app
