"""What two StateStores on one database (two API workers, or a worker and the
`kennisbank keys` command) must agree on: API keys and re-indexing jobs. Run against
SQLite (tests/api/test_api_state.py) and PostgreSQL (tests/assistant/test_state_postgres.py)."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from api.http.auth import caller_with_key, create_key
from assistant.state.jobs import INTERRUPTED, STALE_AFTER, JobAlreadyRunning, reindex_jobs
from assistant.state.store import StateStore


def check_a_key_made_or_revoked_by_one_counts_for_the_other(first: StateStore, second: StateStore) -> None:
    name = f"slack-{uuid.uuid4().hex[:8]}"
    key = create_key(first.keys, name, groups=["bestuur", "personeel"], admin=False)
    caller = caller_with_key(second.keys, key)
    assert caller is not None and caller.name == name and caller.groups == {"bestuur", "personeel"}
    assert [stored.name for stored in second.keys.all() if stored.name == name] == [name]
    assert second.keys.remove(name) and not second.keys.remove(name)
    assert caller_with_key(first.keys, key) is None


def check_one_job_runs_at_a_time_across_stores(first: StateStore, second: StateStore) -> None:
    """Eight threads of two workers race to start a job: one wins, the other seven are
    told which job runs; when it is finished, a new one can start."""
    started: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def race(store: StateStore) -> None:
        barrier.wait()
        try:
            job = store.jobs.start(["/corpus"])
        except JobAlreadyRunning as exc:
            with lock:
                refused.append(exc.job.id)
        else:
            with lock:
                started.append(job.id)

    threads = [threading.Thread(target=race, args=((first, second)[n % 2],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(started) == 1 and refused == started * 7
    [job_id] = started
    running = second.jobs.get(job_id)
    assert running is not None and running.state == "running" and running.paths == ["/corpus"]

    first.jobs.finish(
        job_id, "succeeded", counts={"new": 3}, failures=[{"source": "a.pdf", "reason": "kapot"}]
    )
    done = second.jobs.get(job_id)
    assert done is not None and done.state == "succeeded" and done.counts == {"new": 3}
    assert done.failures == [{"source": "a.pdf", "reason": "kapot"}] and done.finished_at is not None
    assert done.started_at.tzinfo is not None and second.jobs.latest() == done
    following = second.jobs.start(["/corpus"])
    second.jobs.finish(following.id, "failed", error="RuntimeError: schijf vol")
    assert first.jobs.latest() == second.jobs.get(following.id)


def check_a_job_without_heartbeat_is_failed_by_the_other(first: StateStore, second: StateStore) -> None:
    """A job whose process died (no heartbeat for longer than STALE_AFTER) is failed the
    next time another worker looks, and does not block the next job; a job whose
    process beats stays running."""
    dead = first.jobs.start(["/corpus"])
    _silence(first, dead.id)
    reported = second.jobs.get(dead.id)
    assert reported is not None and reported.state == "failed" and reported.error == INTERRUPTED
    alive = second.jobs.start(["/corpus"])
    _silence(first, alive.id)
    second.jobs.beat(alive.id)
    still = first.jobs.get(alive.id)
    assert still is not None and still.state == "running"
    first.jobs.finish(alive.id, "succeeded")


def _silence(store: StateStore, job_id: str) -> None:
    """Date the job's last heartbeat just beyond STALE_AFTER, as if its process had died."""
    with store.engine.begin() as connection:
        connection.execute(
            update(reindex_jobs)
            .where(reindex_jobs.c.id == job_id)
            .values(heartbeat_at=datetime.now(UTC) - STALE_AFTER - timedelta(seconds=1))
        )
