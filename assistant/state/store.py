"""State that every API worker and the Slack app must share: the answers given (so that
feedback can point at one), the feedback itself, keys claimed once (Slack event ids,
so a retried event is answered once), the API keys (`assistant.state.keys`) and the
re-indexing jobs (`assistant.state.jobs`).

It lives in a database given by URL (SQLAlchemy Core): SQLite in the data dir by default,
PostgreSQL when several workers or hosts run. Opening it brings its schema to the newest
revision (`assistant.state.migrate`); every method is one short transaction, so the store
is safe to share between threads.
"""

import json
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from assistant.answers.model import Answer
from assistant.caller import Caller, Channel
from assistant.state.audit import KEEP_ALL, AuditLog, AuditPolicy
from assistant.state.jobs import ReindexJobLog
from assistant.state.keys import ApiKeys
from assistant.state.migrate import SchemaError, upgrade_to_head
from assistant.state.schema import answers, claims, feedback

Rating = Literal["up", "down"]


@dataclass(frozen=True)
class RatedAnswer:
    """One piece of feedback with the answer it rates."""

    answer_id: str
    rating: Rating
    comment: str | None
    channel: str
    rated_at: datetime
    question: str
    standalone_question: str
    answer: str
    abstained: bool
    citations: list[dict]
    groups: list[str]

    def to_dict(self) -> dict:
        return {**asdict(self), "rated_at": self.rated_at.isoformat()}


@dataclass(frozen=True)
class RecordedConversation:
    """A conversation as the recorded answers tell it. `owner` is the identity of the
    caller who asked its latest question (None for answers recorded before that was kept)."""

    owner: str | None
    turns: int
    last: str


class StateUnavailable(RuntimeError):
    """The state database cannot be opened; the message says why, without the password."""


class StateStore:
    """Answers, feedback, once-only keys, API keys (`keys`), re-indexing jobs (`jobs`) and
    audit records (`audit`, kept as `audit_policy` says) in one database."""

    keys: ApiKeys
    jobs: ReindexJobLog
    audit: AuditLog

    def __init__(self, url: str, audit_policy: AuditPolicy = KEEP_ALL) -> None:
        """Connects and upgrades the schema to the newest revision, or raises
        StateUnavailable: a server that cannot keep answers and feedback should not start."""
        # Raised `from None`: the errors of the driver are not shown, so that no message
        # or traceback can carry the URL with its password.
        try:
            parsed = make_url(url)
        except (ArgumentError, ValueError):
            raise StateUnavailable("KENNISBANK_DATABASE_URL is not a valid SQLAlchemy URL") from None
        shown = parsed.render_as_string(hide_password=True)
        if "@" in (parsed.host or ""):
            # The driver would name this host in its error, and with it part of the password.
            raise StateUnavailable(
                f"the state database URL {shown.partition('@')[0]}@... has '@' in its password or user "
                "name; write it as %40 (and ':' as %3A, '/' as %2F)"
            )
        try:
            self.engine = create_engine(parsed, **_engine_options(parsed))
            upgrade_to_head(self.engine)
            self.keys = ApiKeys(self.engine)
            self.jobs = ReindexJobLog(self.engine)
            self.audit = AuditLog(self.engine, audit_policy)
        except (SQLAlchemyError, SchemaError, ImportError, ValueError) as exc:
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            if parsed.password:
                reason = reason.replace(parsed.password, "***")
            raise StateUnavailable(f"the state database {shown} cannot be opened: {reason}") from None

    def record_answer(self, answer: Answer, *, channel: Channel, caller: Caller) -> str:
        """Store an answer as shown to `caller`, with its audit record; returns its new answer_id."""
        answer_id, now = uuid.uuid4().hex, _now()
        row = {
            "id": answer_id,
            "created_at": now,
            "channel": channel,
            "conversation_id": answer.conversation_id,
            "caller": caller.identity,
            "question": answer.question,
            "standalone_question": answer.standalone_question,
            "answer": answer.answer,
            "abstained": answer.abstained,
            "citations": json.dumps([c.to_dict() for c in answer.citations], ensure_ascii=False),
            "groups": json.dumps(sorted(caller.groups)),
        }
        with self.engine.begin() as connection:
            connection.execute(insert(answers).values(row))
            self.audit.add(connection, answer_id, answer, channel=channel, caller=caller, at=now)
        return answer_id

    def record_feedback(
        self, answer_id: str, rating: Rating, comment: str | None, *, channel: Channel
    ) -> bool:
        """Store a rating of an answer; False when no answer has that id."""
        with self.engine.begin() as connection:
            known = connection.execute(select(answers.c.id).where(answers.c.id == answer_id)).first()
            if known is None:
                return False
            connection.execute(
                insert(feedback).values(
                    answer_id=answer_id, created_at=_now(), channel=channel, rating=rating, comment=comment
                )
            )
        return True

    def thumbs_down(self) -> list[RatedAnswer]:
        """Every thumbs-down with its answer, oldest first: the candidates for new gold questions."""
        query = (
            select(feedback, answers)
            .join(answers, feedback.c.answer_id == answers.c.id)
            .where(feedback.c.rating == "down")
            .order_by(feedback.c.id)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            RatedAnswer(
                answer_id=row[feedback.c.answer_id],
                rating=row[feedback.c.rating],
                comment=row[feedback.c.comment],
                channel=row[feedback.c.channel],
                rated_at=row[feedback.c.created_at],
                question=row[answers.c.question],
                standalone_question=row[answers.c.standalone_question],
                answer=row[answers.c.answer],
                abstained=row[answers.c.abstained],
                citations=json.loads(row[answers.c.citations]),
                groups=json.loads(row[answers.c.groups]),
            )
            for row in rows
        ]

    def conversation(self, conversation_id: str) -> RecordedConversation | None:
        """Who a conversation belongs to, how many questions it has had and its latest
        standalone question, or None when nothing was answered in it: what another process
        or worker needs to resolve its next follow-up."""
        in_conversation = answers.c.conversation_id == conversation_id
        turns = select(func.count()).where(in_conversation).scalar_subquery()
        latest = (
            select(answers.c.caller, answers.c.standalone_question, turns.label("turns"))
            .where(in_conversation)
            .order_by(answers.c.created_at.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            row = connection.execute(latest).first()
        if row is None:
            return None
        return RecordedConversation(owner=row.caller, turns=row.turns, last=row.standalone_question)

    def claim_once(self, key: str) -> bool:
        """True the first time `key` is claimed, False every time after, also across
        workers: the primary key makes the insert the atomic test."""
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(claims).values(key=key, created_at=_now()))
        except IntegrityError:
            return False
        return True

    def ping(self) -> None:
        """Raises when the database does not answer (for the readiness check)."""
        with self.engine.connect() as connection:
            connection.execute(select(1))

    def close(self) -> None:
        self.engine.dispose()


def _engine_options(parsed: URL) -> dict:
    """SQLite needs help to be shared by threads: its file's folder must exist, and an
    in-memory database must be one connection (else every thread sees an empty one)."""
    if not parsed.drivername.startswith("sqlite"):
        return {"pool_pre_ping": True}
    options: dict = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if parsed.database in (None, "", ":memory:"):
        options["poolclass"] = StaticPool
    else:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return options


def _now() -> datetime:
    return datetime.now(UTC)
