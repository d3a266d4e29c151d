"""Audit records as files: JSON lines (one record per line, its documents nested) or CSV
(one row per document shown, so that a spreadsheet can filter on a document or a group;
an answer that showed none has one row with empty document columns). The command line
and the admin endpoint write the same bytes."""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Literal

from assistant.state.audit import AuditRecord

ExportFormat = Literal["jsonl", "csv"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv")
MEDIA_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}
CSV_COLUMNS = (
    "answer_id",
    "at",
    "channel",
    "who",
    "question",
    "caller_groups",
    "document_id",
    "source",
    "title",
    "document_groups",
    "cited",
)


def export_lines(records: Iterable[AuditRecord], export_format: ExportFormat) -> Iterator[str]:
    """The export, line by line (the CSV with its header first)."""
    if export_format == "jsonl":
        for record in records:
            yield json.dumps(record.to_dict(), ensure_ascii=False) + "\n"
        return
    yield _csv_line(CSV_COLUMNS)
    for record in records:
        shared = (
            record.answer_id,
            record.at.isoformat(),
            record.channel,
            record.who,
            record.question or "",
            ";".join(record.groups),
        )
        if not record.documents:
            yield _csv_line((*shared, "", "", "", "", ""))
        for document in record.documents:
            yield _csv_line(
                (
                    *shared,
                    document.document_id,
                    document.source,
                    document.title,
                    ";".join(document.groups),
                    "yes" if document.cited else "no",
                )
            )


def _csv_line(values: Iterable[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()
