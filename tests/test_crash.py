"""A `kennisbank ingest` killed with SIGKILL, then rerun, ends exactly like one clean run."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from qdrant_client import QdrantClient

from tests.conftest import REPO
from tests.sample_corpus import write_sample_corpus

KILL_AFTER_POINTS = (1, 40, 120)


def snapshot(data_dir: Path) -> dict[str, tuple]:
    client = QdrantClient(path=str(data_dir / "qdrant"))
    try:
        points, _ = client.scroll("kennisbank", limit=100_000, with_payload=True, with_vectors=True)
    finally:
        client.close()
    return {str(p.id): (p.payload, p.vector) for p in points}


def ingest_command(corpus: Path, data_dir: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "KENNISBANK_DATA_DIR": str(data_dir), "KENNISBANK_EMBEDDING": "mock"}
    return [str(Path(sys.executable).parent / "kennisbank"), "ingest", str(corpus), "--json"], env


def points_on_disk(data_dir: Path) -> int:
    """Rows in the embedded store's SQLite file, read without taking Qdrant's lock."""
    import sqlite3

    database = data_dir / "qdrant/collection/kennisbank/storage.sqlite"
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=0.1) as connection:
            return connection.execute("SELECT COUNT(*) FROM points").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twenty copies of the sample corpus, so a run takes long enough to be killed midway."""
    root = tmp_path_factory.mktemp("big-corpus")
    for copy in range(20):
        write_sample_corpus(root / f"kopie-{copy:02d}")
    return root


@pytest.fixture(scope="module")
def clean_state(big_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    data_dir = tmp_path_factory.mktemp("clean")
    command, env = ingest_command(big_corpus, data_dir)
    subprocess.run(command, env=env, cwd=REPO, check=True, capture_output=True, timeout=300)
    return snapshot(data_dir)


@pytest.mark.parametrize("kill_after", KILL_AFTER_POINTS)
def test_killed_run_then_rerun_equals_a_clean_run(big_corpus, clean_state, tmp_path, kill_after):
    data_dir = tmp_path / "data"
    command, env = ingest_command(big_corpus, data_dir)
    process = subprocess.Popen(
        command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while points_on_disk(data_dir) < kill_after and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"

    rerun = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)

    assert rerun.returncode == 0, rerun.stderr
    assert snapshot(data_dir) == clean_state
