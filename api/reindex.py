"""Re-indexing inside the server process: the embedded Qdrant store is single-process,
so while the server runs, ingestion must run in it (POST /api/admin/reindex).

One job at a time runs in a background thread. The embedded store is not safe for a
write during a read (a search can see a half-added point), so writes take a
`StoreGuard` exclusively and searches share it; the expensive part, reading and
embedding a document, happens outside the guard and searches keep running.
"""

import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TypeVar

from assistant.service import Kennisbank
from assistant.store import KnowledgeStore
from ingest.pipeline import Indexer

log = logging.getLogger(__name__)

JobState = Literal["running", "succeeded", "failed"]
T = TypeVar("T")
_END = object()


class StoreGuard:
    """A readers-writer lock: many searches at once, or one write."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                self._condition.notify_all()

    def each_reading(self, items: Iterator[T]) -> Iterator[T]:
        """`items`, each produced under the read lock, which is released while the
        consumer (a slow client of a stream) handles it."""
        while True:
            with self.reading():
                item = next(items, _END)
            if item is _END:
                return
            yield item

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing)
            self._writing = True  # new readers wait from here on
            self._condition.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


class GuardedStore:
    """The store as the indexer sees it: every write holds the guard exclusively."""

    def __init__(self, store: KnowledgeStore, guard: StoreGuard) -> None:
        self._store = store
        self._guard = guard

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def add(self, nodes) -> None:
        with self._guard.writing():
            self._store.add(nodes)

    def delete_document(self, document_id: str, keep_fingerprint: str | None = None) -> None:
        with self._guard.writing():
            self._store.delete_document(document_id, keep_fingerprint)

    def ensure_collection(self, dimension: int) -> None:
        with self._guard.writing():
            self._store.ensure_collection(dimension)


@dataclass
class ReindexJob:
    id: str
    paths: list[str]
    state: JobState = "running"
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)
    error: str | None = None

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


class ReindexJobs:
    """Starts re-indexing jobs one at a time and remembers them (in this process)."""

    def __init__(self, kennisbank: Kennisbank, guard: StoreGuard) -> None:
        self.kennisbank = kennisbank
        self.guard = guard
        self._jobs: dict[str, ReindexJob] = {}
        self._lock = threading.Lock()

    def start(self, paths: list[Path]) -> ReindexJob:
        """Start a job over `paths`; JobAlreadyRunning if one runs."""
        with self._lock:
            running = self.running()
            if running:
                raise JobAlreadyRunning(running)
            job = ReindexJob(uuid.uuid4().hex, [str(path) for path in paths])
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, paths), name=f"reindex-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> ReindexJob | None:
        return self._jobs.get(job_id)

    def running(self) -> ReindexJob | None:
        return next((job for job in self._jobs.values() if job.state == "running"), None)

    def latest(self) -> ReindexJob | None:
        return max(self._jobs.values(), key=lambda job: job.started_at, default=None)

    def _run(self, job: ReindexJob, paths: list[Path]) -> None:
        kennisbank = self.kennisbank
        indexer = Indexer(
            GuardedStore(kennisbank.store, self.guard), kennisbank.embed_model, kennisbank.settings
        )
        try:
            report = indexer.ingest(paths, progress=False)
        except Exception as exc:  # the job's status is where this error is reported
            log.exception("re-indexing job %s failed", job.id)
            job.error = f"{type(exc).__name__}: {exc}"
            job.state = "failed"
        else:
            job.counts = {
                "new": len(report.new),
                "changed": len(report.changed),
                "unchanged": len(report.unchanged),
                "removed": len(report.removed),
                "failed": len(report.failed),
                "pages": report.pages,
                "chunks": report.chunks,
            }
            job.failures = [{"source": f.source, "reason": f.reason} for f in report.failed]
            job.state = "succeeded"
        job.finished_at = datetime.now(UTC)
