"""Re-indexing through the server: the embedded store belongs to the server process, so
an admin starts ingestion over HTTP and follows it with a status endpoint."""

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from api.composition import build_kennisbank
from api.http.app import create_app
from api.http.reindex import ReindexJobs, StoreGuard
from assistant.service import Kennisbank
from assistant.state.jobs import INTERRUPTED, STALE_AFTER, reindex_jobs
from assistant.state.store import StateStore
from core.index.embedding import HashingMockEmbedding
from tests.support.api import app_for, new_key
from tests.support.environment import make_settings


@pytest.fixture()
def empty(tmp_path: Path, corpus_copy: Path) -> Iterator[Kennisbank]:
    instance = build_kennisbank(
        make_settings(tmp_path / "data", corpus_dirs=[corpus_copy]), HashingMockEmbedding()
    )
    yield instance
    instance.close()


def _finished(client: TestClient, job_id: str, headers: dict[str, str]) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(f"/api/admin/reindex/{job_id}", headers=headers).json()
        if status["state"] != "running":
            return status
        time.sleep(0.1)
    raise AssertionError("re-indexing did not finish in 120 s")


def test_reindex_builds_the_index_then_only_processes_changes(empty: Kennisbank, corpus_copy: Path):
    app, variant = app_for(empty)
    client = TestClient(app)
    admin = new_key(variant, "beheer", admin=True)
    assert client.get("/readyz").status_code == 503

    started = client.post("/api/admin/reindex", headers=admin)
    assert started.status_code == 202
    job_id = started.json()["job_id"]
    again = client.post("/api/admin/reindex", headers=admin)
    assert again.status_code == 409 and job_id in again.json()["detail"]
    status = _finished(client, job_id, admin)
    assert status["state"] == "succeeded" and status["counts"]["new"] == 9 and status["failures"] == []
    assert client.get("/readyz").status_code == 200
    assert client.get("/api/search", params={"q": "hydranten"}).json()["results"]

    (corpus_copy / "onthaal" / "parking.md").write_text(
        "# Parking\n\nDe fietsenstalling is achter het gebouw.\n"
    )
    (corpus_copy / "onthaal" / "kapot.pdf").write_bytes(b"%PDF-1.7 dit is geen pdf")
    job_id = client.post("/api/admin/reindex", headers=admin).json()["job_id"]
    status = _finished(client, job_id, admin)
    assert status["state"] == "succeeded"
    assert (
        status["counts"]["new"] == 1
        and status["counts"]["unchanged"] == 9
        and status["counts"]["failed"] == 1
    )
    assert status["failures"][0]["source"] == "onthaal/kapot.pdf" and status["failures"][0]["reason"]
    sources = {d["source"] for d in client.get("/api/documents").json()["documents"]}
    assert "onthaal/parking.md" in sources
    assert client.get("/api/admin/status", headers=admin).json()["latest_job"]["job_id"] == job_id


def test_searches_keep_working_while_reindexing(empty: Kennisbank, corpus_copy: Path):
    """Searches and listings while documents are added and replaced keep answering
    (the embedded Qdrant is not made for reads during a write; the API's StoreGuard
    keeps them apart)."""
    app, variant = app_for(empty, rate_limit_per_minute=100_000)
    client = TestClient(app, raise_server_exceptions=False)
    admin = new_key(variant, "beheer", admin=True)
    _finished(client, client.post("/api/admin/reindex", headers=admin).json()["job_id"], admin)
    for number in range(20):
        (corpus_copy / "onthaal" / f"nota-{number}.md").write_text(
            f"# Nota {number}\n\nDe verdeelsleutel van nota {number} volgt het inwonersaantal.\n"
        )
    (corpus_copy / "vergaderingen" / "2019-03-18-notulen-raad-van-bestuur.md").write_text(
        "# Notulen 18 maart 2019\n\nDe verdeelsleutel blijft 50 % inwonersaantal.\n"
    )
    job_id = client.post("/api/admin/reindex", headers=admin).json()["job_id"]
    statuses: list[int] = []
    stop = threading.Event()

    def search() -> None:
        while not stop.is_set():
            statuses.append(client.get("/api/search", params={"q": "verdeelsleutel"}).status_code)
            statuses.append(client.get("/api/documents").status_code)

    workers = [threading.Thread(target=search) for _ in range(3)]
    for worker in workers:
        worker.start()
    status = _finished(client, job_id, admin)
    stop.set()
    for worker in workers:
        worker.join()
    assert (
        status["state"] == "succeeded" and status["counts"]["new"] == 20 and status["counts"]["changed"] == 1
    )
    assert statuses and set(statuses) == {200}


def test_reindex_of_a_missing_corpus_folder_says_so(empty: Kennisbank, tmp_path: Path):
    app, variant = app_for(empty, corpus_dirs=[tmp_path / "bestaat-niet"])
    response = TestClient(app).post("/api/admin/reindex", headers=new_key(variant, "beheer", admin=True))
    assert response.status_code == 503 and "bestaat-niet" in response.json()["detail"]


def test_unknown_job_is_404(empty: Kennisbank):
    app, variant = app_for(empty)
    response = TestClient(app).get(
        "/api/admin/reindex/onbekend", headers=new_key(variant, "beheer", admin=True)
    )
    assert response.status_code == 404


def test_a_job_started_by_one_worker_is_reported_and_respected_by_another(empty: Kennisbank):
    """Two API workers (own apps, own connections to one state database): the status of
    a job one of them runs is known to the other, which refuses to start a second."""
    first_app, first = app_for(empty)
    second = replace(empty, state=StateStore(empty.settings.state_database_url))
    first_client, second_client = TestClient(first_app), TestClient(create_app(second))
    admin = new_key(first, "beheer", admin=True)
    with first_app.state.context.guard.reading():  # the job waits at its first write
        job_id = first_client.post("/api/admin/reindex", headers=admin).json()["job_id"]
        assert second_client.get(f"/api/admin/reindex/{job_id}", headers=admin).json()["state"] == "running"
        again = second_client.post("/api/admin/reindex", headers=admin)
        assert again.status_code == 409 and job_id in again.json()["detail"]
    status = _finished(second_client, job_id, admin)
    assert status["state"] == "succeeded" and status["counts"]["new"] == 9
    assert second_client.get("/api/admin/status", headers=admin).json()["latest_job"] == status
    second.state.close()


def test_a_job_whose_process_died_is_failed_and_does_not_block_the_next(empty: Kennisbank):
    """A job left "running" by a process that was killed (no heartbeat for longer than
    STALE_AFTER) is reported failed, and a new job can start."""
    dead = empty.state.jobs.start(["/corpus"])
    with empty.state.engine.begin() as connection:
        connection.execute(
            update(reindex_jobs)
            .where(reindex_jobs.c.id == dead.id)
            .values(heartbeat_at=datetime.now(UTC) - STALE_AFTER - timedelta(seconds=1))
        )
    app, variant = app_for(empty)
    client = TestClient(app)
    admin = new_key(variant, "beheer", admin=True)
    status = client.get(f"/api/admin/reindex/{dead.id}", headers=admin).json()
    assert status["state"] == "failed" and status["error"] == INTERRUPTED and status["finished_at"]
    started = client.post("/api/admin/reindex", headers=admin)
    assert started.status_code == 202
    assert _finished(client, started.json()["job_id"], admin)["state"] == "succeeded"


def test_a_running_job_keeps_its_heartbeat_and_is_not_taken_for_dead(empty: Kennisbank):
    empty.state.jobs.stale_after = timedelta(seconds=0.5)
    guard = StoreGuard()
    jobs = ReindexJobs(empty, guard, heartbeat=timedelta(seconds=0.1))
    with guard.reading():  # the job waits at its first write for 1.5 s: three stale periods
        job = jobs.start(empty.settings.corpus_dirs)
        time.sleep(1.5)
        still = jobs.get(job.id)
        assert still is not None and still.state == "running"
    deadline = time.monotonic() + 60
    while (finished := jobs.get(job.id)) and finished.state == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert finished is not None and finished.state == "succeeded" and finished.error is None


def test_store_guard_lets_searches_share_and_a_write_wait_for_them():
    guard = StoreGuard()
    order: list[str] = []
    reading, writer_waiting = threading.Event(), threading.Event()
    release_reader = threading.Event()

    def reader() -> None:
        with guard.reading():
            order.append("read")
            reading.set()
            release_reader.wait(5)
            order.append("read done")

    def writer() -> None:
        writer_waiting.set()
        with guard.writing():
            order.append("write")

    def late_reader() -> None:
        with guard.reading():
            order.append("late read")

    threads = [threading.Thread(target=reader)]
    threads[0].start()
    reading.wait(5)
    with guard.reading():  # a second search runs alongside the first
        order.append("second read")
    threads.append(threading.Thread(target=writer))
    threads[1].start()
    writer_waiting.wait(5)
    time.sleep(0.1)
    threads.append(threading.Thread(target=late_reader))  # arrives while the write waits
    threads[2].start()
    time.sleep(0.1)
    assert order == ["read", "second read"]  # the write and the late read both wait
    release_reader.set()
    for thread in threads:
        thread.join(5)
    assert order == ["read", "second read", "read done", "write", "late read"]
