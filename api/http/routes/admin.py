"""Admin keys only: re-indexing through the server (the embedded store belongs to the
server process, so new and changed documents are ingested here, in the background), and
the audit records of answers."""

from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse, StreamingResponse

from api.http.context import Admin, Context
from assistant.state.audit_export import MEDIA_TYPES, ExportFormat, export_lines
from assistant.state.jobs import JobAlreadyRunning

router = APIRouter(tags=["admin"])

JOB_EXAMPLE = {
    "job_id": "9c4f2b7e0d1a4c3b8e6f5a4d3c2b1a09",
    "state": "succeeded",
    "paths": ["corpus"],
    "started_at": "2026-03-02T09:00:00+00:00",
    "finished_at": "2026-03-02T09:00:41+00:00",
    "counts": {"new": 1, "changed": 2, "unchanged": 42, "removed": 0, "failed": 1, "pages": 9, "chunks": 31},
    "failures": [{"source": "scans/kapot.pdf", "reason": "the PDF is encrypted"}],
    "error": None,
}


@router.post(
    "/api/admin/reindex",
    status_code=202,
    summary="Start incremental re-indexing of the corpus folders (KENNISBANK_CORPUS_DIRS)",
    responses={
        202: {"content": {"application/json": {"example": {"job_id": JOB_EXAMPLE["job_id"]}}}},
        409: {"description": "A re-indexing job is still running."},
        503: {"description": "A configured corpus folder does not exist on the server."},
    },
)
def start_reindex(context: Context, admin: Admin) -> JSONResponse:
    folders = context.kennisbank.settings.corpus_dirs
    missing = [str(folder) for folder in folders if not folder.is_dir()]
    if missing:
        raise HTTPException(503, f"corpus folder(s) not found on the server: {', '.join(missing)}")
    try:
        job = context.reindex.start(folders)
    except JobAlreadyRunning as exc:
        raise HTTPException(409, f"{exc}; see /api/admin/reindex/{exc.job.id}") from exc
    return JSONResponse({"job_id": job.id}, status_code=202)


@router.get(
    "/api/admin/reindex/{job_id}",
    summary="State, counts and failures of a re-indexing job",
    responses={
        200: {"content": {"application/json": {"example": JOB_EXAMPLE}}},
        404: {"description": "No such job."},
    },
)
def reindex_status(job_id: str, context: Context, admin: Admin) -> dict:
    job = context.reindex.get(job_id)
    if job is None:
        raise HTTPException(404, "no re-indexing job with this id")
    return job.to_dict()


@router.get(
    "/api/admin/status",
    summary="The index size and the latest re-indexing job",
    responses={
        200: {"content": {"application/json": {"example": {"passages": 1234, "latest_job": JOB_EXAMPLE}}}}
    },
)
def admin_status(context: Context, admin: Admin) -> dict:
    with context.guard.reading():
        passages = context.kennisbank.store.count()
    latest = context.reindex.latest()
    return {"passages": passages, "latest_job": latest.to_dict() if latest else None}


@router.get(
    "/api/admin/audit",
    summary="The audit records of answers from a date on (JSON lines or CSV)",
    description="One record per answer: when, channel, who (oidc:SUBJECT, slack:USER, key:NAME, cli "
    "or anonymous), the question (unless KENNISBANK_AUDIT_QUESTIONS=false) and each document shown "
    "with its access groups and whether the answer cited it. The same export as "
    "`kennisbank audit export`.",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {
                "application/x-ndjson": {},
                "text/csv": {},
            }
        },
        403: {"description": "Not an admin key."},
    },
)
def audit_export(
    context: Context,
    admin: Admin,
    since: Annotated[date, Query(description="Records from this day (00:00 UTC) on, YYYY-MM-DD.")],
    user: Annotated[str | None, Query(max_length=255, description="Only this caller's records.")] = None,
    format: Annotated[ExportFormat, Query(description="`jsonl`, or `csv`: a row per document.")] = "jsonl",
) -> StreamingResponse:
    start = datetime.combine(since, time(), tzinfo=UTC)
    records = context.kennisbank.state.audit.records(start, datetime.now(UTC), user)
    return StreamingResponse(
        export_lines(records, format),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="audit-{since.isoformat()}.{format}"'},
    )
