"""Re-indexing inside the server process: the embedded Qdrant store is single-process,
so while the server runs, ingestion must run in it (POST /api/admin/reindex).

One job at a time runs in a background thread; its status is kept in the shared state
database. The embedded store is not safe for a write during a read (a search can see a
half-added point), so writes take a `StoreGuard` exclusively and searches share it; the
expensive part, reading and embedding a document, happens outside the guard and
searches keep running.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

from api.composition import build_indexer
from assistant.service import Kennisbank
from assistant.state.jobs import HEARTBEAT, ReindexJob, ReindexJobLog
from core.index.store import KnowledgeStore

log = logging.getLogger(__name__)

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


class ReindexJobs:
    """Runs re-indexing jobs in this process, one at a time across all workers. Their
    status lives in the shared state database (`assistant.state.jobs`), so any worker
    reports any job; while a job runs, its process writes a heartbeat every `heartbeat`
    so that a job whose process died is seen as failed."""

    def __init__(
        self, kennisbank: Kennisbank, guard: StoreGuard, *, heartbeat: timedelta = HEARTBEAT
    ) -> None:
        self.kennisbank = kennisbank
        self.guard = guard
        self.heartbeat = heartbeat

    @property
    def log(self) -> ReindexJobLog:
        return self.kennisbank.state.jobs

    def start(self, paths: list[Path]) -> ReindexJob:
        """Start a job over `paths`; JobAlreadyRunning if one runs (in any worker)."""
        job = self.log.start([str(path) for path in paths])
        threading.Thread(
            target=self._run, args=(job.id, paths), name=f"reindex-{job.id}", daemon=True
        ).start()
        return job

    def get(self, job_id: str) -> ReindexJob | None:
        return self.log.get(job_id)

    def latest(self) -> ReindexJob | None:
        return self.log.latest()

    def _run(self, job_id: str, paths: list[Path]) -> None:
        done = threading.Event()
        threading.Thread(
            target=self._beat, args=(job_id, done), name=f"reindex-{job_id}-heartbeat", daemon=True
        ).start()
        indexer = build_indexer(self.kennisbank, GuardedStore(self.kennisbank.store, self.guard))
        try:
            report = indexer.ingest(paths, progress=False)
        except Exception as exc:  # the job's status is where this error is reported
            log.exception("re-indexing job %s failed", job_id)
            self.log.finish(job_id, "failed", error=f"{type(exc).__name__}: {exc}")
        else:
            counts = {
                "new": len(report.new),
                "changed": len(report.changed),
                "unchanged": len(report.unchanged),
                "removed": len(report.removed),
                "failed": len(report.failed),
                "pages": report.pages,
                "chunks": report.chunks,
            }
            failures = [{"source": f.source, "reason": f.reason} for f in report.failed]
            self.log.finish(job_id, "succeeded", counts=counts, failures=failures)
        finally:
            done.set()

    def _beat(self, job_id: str, done: threading.Event) -> None:
        while not done.wait(self.heartbeat.total_seconds()):
            try:
                self.log.beat(job_id)
            except SQLAlchemyError as exc:  # the next beat tries again; the job goes on
                log.warning("heartbeat of re-indexing job %s not written: %s", job_id, type(exc).__name__)
