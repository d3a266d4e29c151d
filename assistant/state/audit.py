"""The audit record of every answer: when, through which channel, who asked, the question
(unless its text is not to be kept) and each document the answer showed, with its access
groups and whether a claim cited it or it was only listed (the closest documents of an
answer that found nothing). A public body must be able to say who was shown which
document: the GDPR's right of access, the Flemish rules on public access to documents.

A record is written in the transaction that records its answer (`StateStore.record_answer`),
so no answer is recorded without one. After the retention period a record goes, and with
it the recorded answer and its feedback, which hold the same question; `erase` removes all
of one person's.
"""

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, delete, insert, select
from sqlalchemy.engine import Connection, Engine

from assistant.answers.citations import cited_numbers
from assistant.answers.model import Answer
from assistant.caller import ANONYMOUS, Caller, Channel
from assistant.state.jobs import aware
from assistant.state.schema import answers, audit_records, feedback


@dataclass(frozen=True)
class AuditPolicy:
    """What the records keep: the question's text or not, and for how many days (None: until erased)."""

    keep_questions: bool = True
    retention_days: int | None = None


KEEP_ALL = AuditPolicy()
# How often recording an answer also deletes what is past the retention period: a
# retention counted in days needs no pruning on every answer, the hot path of every channel.
# An export prunes first, always, so it never shows an expired record.
PRUNE_INTERVAL = timedelta(hours=1)


@dataclass(frozen=True)
class AuditedDocument:
    """A document an answer showed; `groups` are its access groups then (none: public)."""

    document_id: str
    source: str
    title: str
    groups: list[str]
    cited: bool


@dataclass(frozen=True)
class AuditRecord:
    answer_id: str
    at: datetime
    channel: str
    who: str
    question: str | None
    groups: list[str]  # the caller's access groups
    documents: list[AuditedDocument]

    def to_dict(self) -> dict:
        return {**asdict(self), "at": self.at.isoformat()}


@dataclass(frozen=True)
class Erased:
    """How many of one person's rows `erase` deleted."""

    records: int
    answers: int
    feedback: int


class NotAPerson(ValueError):
    """`erase` was asked for the anonymous callers, who are not one person."""


def shown_documents(answer: Answer) -> list[AuditedDocument]:
    """Each document among the answer's citations once, in citation order; cited when a
    claim cites any of its passages."""
    cited = cited_numbers(answer.answer) if not answer.abstained else set()
    documents: dict[str, AuditedDocument] = {}
    for citation in answer.citations:
        known = documents.get(citation.document_id)
        documents[citation.document_id] = AuditedDocument(
            citation.document_id,
            citation.source,
            citation.title,
            sorted(citation.groups),
            citation.n in cited or (known is not None and known.cited),
        )
    return list(documents.values())


class AuditLog:
    """The audit records in the state database, written and read under one `AuditPolicy`."""

    def __init__(self, engine: Engine, policy: AuditPolicy) -> None:
        self.engine = engine
        self.policy = policy
        self._next_prune: datetime | None = None  # when recording an answer prunes next

    def add(
        self,
        connection: Connection,
        answer_id: str,
        answer: Answer,
        *,
        channel: Channel,
        caller: Caller,
        at: datetime,
    ) -> None:
        """The record of an answer, in the transaction of `connection` that records the answer;
        records past the retention period go at the same time, once per `PRUNE_INTERVAL`."""
        documents = [asdict(document) for document in shown_documents(answer)]
        connection.execute(
            insert(audit_records).values(
                answer_id=answer_id,
                created_at=at,
                channel=channel,
                who=caller.who,
                question=answer.question if self.policy.keep_questions else None,
                groups=json.dumps(sorted(caller.groups)),
                documents=json.dumps(documents, ensure_ascii=False),
            )
        )
        if self._next_prune is None or at >= self._next_prune:
            self._prune(connection, at)

    def records(self, since: datetime, now: datetime, who: str | None = None) -> list[AuditRecord]:
        """The records from `since` on (of `who` only, when given), oldest first; none past
        the retention period, which are deleted first."""
        query = select(audit_records).where(audit_records.c.created_at >= since)
        if who is not None:
            query = query.where(audit_records.c.who == who)
        with self.engine.begin() as connection:
            self._prune(connection, now)
            rows = connection.execute(query.order_by(audit_records.c.created_at, audit_records.c.answer_id))
            return [_record(row._mapping) for row in rows]

    def erase(self, who: str) -> Erased:
        """Delete every record of `who` (as records name them: "oidc:SUBJECT", "slack:USER",
        "key:NAME") with the answers they asked and their feedback."""
        if who == ANONYMOUS:
            raise NotAPerson("'anonymous' names every caller without an identity, not one person")
        with self.engine.begin() as connection:
            return _delete(
                connection,
                select(answers.c.id).where(answers.c.caller == who),
                audit_records.c.who == who,
            )

    def _prune(self, connection: Connection, now: datetime) -> None:
        if self.policy.retention_days is None:
            return
        self._next_prune = now + PRUNE_INTERVAL
        cutoff = now - timedelta(days=self.policy.retention_days)
        _delete(
            connection,
            select(answers.c.id).where(answers.c.created_at < cutoff),
            audit_records.c.created_at < cutoff,
        )


def _delete(connection: Connection, answer_ids: Select, records_where: ColumnElement[bool]) -> Erased:
    """Delete the answers `answer_ids` selects, with their feedback, and the records
    `records_where` matches."""
    feedback_count = connection.execute(delete(feedback).where(feedback.c.answer_id.in_(answer_ids))).rowcount
    answer_count = connection.execute(delete(answers).where(answers.c.id.in_(answer_ids))).rowcount
    record_count = connection.execute(delete(audit_records).where(records_where)).rowcount
    return Erased(records=record_count, answers=answer_count, feedback=feedback_count)


def _record(row) -> AuditRecord:
    return AuditRecord(
        answer_id=row["answer_id"],
        at=aware(row["created_at"]),
        channel=row["channel"],
        who=row["who"],
        question=row["question"],
        groups=json.loads(row["groups"]),
        documents=[AuditedDocument(**document) for document in json.loads(row["documents"])],
    )
