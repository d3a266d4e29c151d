"""Liveness and readiness, for load balancers and container health checks."""

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.http.context import Context
from assistant.service import Kennisbank

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    summary="The process is alive",
    responses={200: {"content": {"application/json": {"example": {"status": "ok"}}}}},
)
def healthz() -> dict:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The index, the embedder and the state database answer",
    responses={
        200: {"content": {"application/json": {"example": {"status": "ready"}}}},
        503: {
            "content": {
                "application/json": {
                    "example": {
                        "status": "not ready",
                        "detail": "the index is empty; run `kennisbank ingest`",
                    }
                }
            }
        },
    },
)
def readyz(context: Context) -> JSONResponse:
    with context.guard.reading():
        problem = _not_ready_reason(context.kennisbank)
        if problem:
            return JSONResponse({"status": "not ready", "detail": problem}, status_code=503)
        # No passage count: it would tell anyone how much restricted text the index holds
        # (admins see it at /api/admin/status).
        return JSONResponse({"status": "ready"})


def _not_ready_reason(kennisbank: Kennisbank) -> str | None:
    """Why the server cannot answer questions yet, or None."""
    try:
        if not kennisbank.store.exists():
            return "the index is empty; run `kennisbank ingest` or POST /api/admin/reindex"
    except Exception as exc:  # any failure means "not ready"; the details go to the log only
        log.warning("readiness: the store failed: %s", exc)
        return "the vector store does not answer"
    try:
        kennisbank.embed_model.get_query_embedding("gereed")
    except Exception as exc:
        log.warning("readiness: the embedder failed: %s", exc)
        return "the embedding model does not answer"
    try:
        kennisbank.state.ping()
    except Exception as exc:
        log.warning("readiness: the state database failed: %s", exc)
        return "the state database does not answer"
    return None
