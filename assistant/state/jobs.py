"""Re-indexing jobs in the shared state database: any API worker reports a job that
another one runs, and one job at a time runs across all of them.

A running job's process writes a heartbeat (see api/reindex.py). A job whose heartbeat
is older than `stale_after` ran in a process that died (killed, restarted, its host
lost); it is marked failed the next time anyone looks, so it neither stays "running"
forever nor blocks the next job. This works across hosts, where a check at start-up
of "my own old jobs" would not.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine, RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import ColumnElement

from assistant.state.schema import reindex_jobs

JobState = Literal["running", "succeeded", "failed"]

HEARTBEAT = timedelta(seconds=10)
STALE_AFTER = timedelta(seconds=60)
INTERRUPTED = "interrupted: the process running this job stopped before it finished; start it again"


@dataclass(frozen=True)
class ReindexJob:
    id: str
    state: JobState
    paths: list[str]
    started_at: datetime
    finished_at: datetime | None
    counts: dict[str, int]
    failures: list[dict[str, str]]
    error: str | None

    def to_dict(self) -> dict:
        return {
            "job_id": self.id,
            "state": self.state,
            "paths": self.paths,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "counts": self.counts,
            "failures": self.failures,
            "error": self.error,
        }


class JobAlreadyRunning(RuntimeError):
    def __init__(self, job: ReindexJob) -> None:
        super().__init__(f"re-indexing job {job.id} is still running")
        self.job = job


class ReindexJobLog:
    """The `reindex_jobs` table; every method is one short transaction."""

    def __init__(self, engine: Engine, *, stale_after: timedelta = STALE_AFTER) -> None:
        self.engine = engine
        self.stale_after = stale_after

    def start(self, paths: list[str]) -> ReindexJob:
        """Record a new running job over `paths`; JobAlreadyRunning if one runs."""
        while True:
            self.fail_stale()
            job_id, now = uuid.uuid4().hex, _now()
            row = {
                "id": job_id,
                "state": "running",
                "running": True,
                "paths": json.dumps(paths, ensure_ascii=False),
                "started_at": now,
                "heartbeat_at": now,
                "counts": "{}",
                "failures": "[]",
            }
            try:
                with self.engine.begin() as connection:
                    connection.execute(insert(reindex_jobs).values(row))
            except IntegrityError:
                running = self._first(reindex_jobs.c.running.is_(True))
                if running is not None:
                    raise JobAlreadyRunning(running) from None
                continue  # it finished in between: try again
            job = self.get(job_id)
            assert job is not None
            return job

    def beat(self, job_id: str) -> None:
        """Say that the job's process is still alive."""
        with self.engine.begin() as connection:
            connection.execute(
                update(reindex_jobs)
                .where(reindex_jobs.c.id == job_id, reindex_jobs.c.running.is_(True))
                .values(heartbeat_at=_now())
            )

    def finish(
        self,
        job_id: str,
        state: Literal["succeeded", "failed"],
        *,
        counts: dict[str, int] | None = None,
        failures: list[dict[str, str]] | None = None,
        error: str | None = None,
    ) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(reindex_jobs)
                .where(reindex_jobs.c.id == job_id)
                .values(
                    state=state,
                    running=None,
                    finished_at=_now(),
                    counts=json.dumps(counts or {}),
                    failures=json.dumps(failures or [], ensure_ascii=False),
                    error=error,
                )
            )

    def get(self, job_id: str) -> ReindexJob | None:
        self.fail_stale()
        return self._first(reindex_jobs.c.id == job_id)

    def latest(self) -> ReindexJob | None:
        """The job started last, or None."""
        self.fail_stale()
        return self._first(None)

    def fail_stale(self) -> int:
        """Mark running jobs without a recent heartbeat failed; returns how many."""
        with self.engine.begin() as connection:
            return connection.execute(
                update(reindex_jobs)
                .where(
                    reindex_jobs.c.running.is_(True),
                    reindex_jobs.c.heartbeat_at < _now() - self.stale_after,
                )
                .values(state="failed", running=None, finished_at=_now(), error=INTERRUPTED)
            ).rowcount

    def _first(self, condition: ColumnElement[bool] | None) -> ReindexJob | None:
        query = select(reindex_jobs).order_by(reindex_jobs.c.started_at.desc()).limit(1)
        if condition is not None:
            query = query.where(condition)
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return _job(row) if row else None


def _job(row: RowMapping) -> ReindexJob:
    return ReindexJob(
        id=row["id"],
        state=row["state"],
        paths=json.loads(row["paths"]),
        started_at=aware(row["started_at"]),
        finished_at=aware(row["finished_at"]) if row["finished_at"] else None,
        counts=json.loads(row["counts"]),
        failures=json.loads(row["failures"]),
        error=row["error"],
    )


def aware(value: datetime) -> datetime:
    """SQLite gives back datetimes without their zone; they were stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _now() -> datetime:
    return datetime.now(UTC)
