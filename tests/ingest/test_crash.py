"""Ingestion killed with SIGKILL at random points: a rerun ends exactly like one clean
run (same point ids, payloads and vectors), and while changed documents are being
re-indexed no document ever goes missing (the old version stays until the new one is
complete).

The kill points are drawn from a seeded generator and printed; rerun a failure with
KENNISBANK_CRASH_SEED=<seed> (and `-s` to see the points). Runs use the mock embedder and
are forked from a fork server that has imported the application once: no interpreter
start-up per run, and none of the test process's threads (servers of other tests) are
copied into the child.
"""

import multiprocessing
import os
import random
import shutil
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from api.composition import build_indexer, build_kennisbank
from core.index.embedding import HashingMockEmbedding
from tests.support.environment import make_settings
from tests.support.sample_corpus import write_sample_corpus

pytestmark = pytest.mark.slow  # processes, browsers or crashes: out of the fast loop

SEED = int(os.environ.get("KENNISBANK_CRASH_SEED", "7"))
FRESH_KILLS = 6
CHANGE_KILLS = 5
# Changing the chunk size changes every document's fingerprint and passages: a re-index
# of the whole corpus, as after an edit of every file.
CHUNK_SIZE, CHANGED_CHUNK_SIZE = 180, 120
RUN_TIMEOUT_S = 300
CONTEXT = multiprocessing.get_context("forkserver")
CONTEXT.set_forkserver_preload(["assistant.service", "core.index.embedding", "tests.ingest.test_crash"])


def ingest(corpus: Path, data_dir: Path, chunk_size: int, written=None) -> None:
    """One `kennisbank ingest`, as run in a forked child; `written` (a shared counter)
    counts the points the store has acknowledged."""
    kennisbank = build_kennisbank(make_settings(data_dir, chunk_size=chunk_size), HashingMockEmbedding())
    if written is not None:
        add = kennisbank.store.add

        def counted_add(nodes) -> None:
            add(nodes)
            with written.get_lock():
                written.value += len(nodes)

        kennisbank.store.add = counted_add  # type: ignore[method-assign]
    try:
        build_indexer(kennisbank).ingest([corpus], progress=False)
    finally:
        kennisbank.close()


def start_ingest(
    corpus: Path, data_dir: Path, chunk_size: int, written=None
) -> multiprocessing.process.BaseProcess:
    process = CONTEXT.Process(target=ingest, args=(corpus, data_dir, chunk_size, written))
    process.start()
    return process


def ingest_to_the_end(corpus: Path, data_dir: Path, chunk_size: int) -> None:
    process = start_ingest(corpus, data_dir, chunk_size)
    process.join(RUN_TIMEOUT_S)
    assert process.exitcode == 0, f"ingest ended with {process.exitcode}"


def ingest_and_kill(corpus: Path, data_dir: Path, chunk_size: int, after_writes: int) -> bool:
    """Start an ingest, SIGKILL it once the store has acknowledged `after_writes` point
    writes (the kill lands wherever the run is then: in the next write, a delete, an
    embedding, the optimizer); False if it finished first."""
    written = CONTEXT.Value("i", 0)
    process = start_ingest(corpus, data_dir, chunk_size, written)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while written.value < after_writes and process.is_alive():
        assert time.monotonic() < deadline, "ingest neither progressed nor ended"
        time.sleep(0.002)
    os.kill(process.pid, signal.SIGKILL)
    process.join()
    return process.exitcode == -signal.SIGKILL


def snapshot(data_dir: Path) -> dict[str, tuple]:
    """Every point of the store in `data_dir`: payload and both vectors."""
    kennisbank = build_kennisbank(make_settings(data_dir), HashingMockEmbedding())
    try:
        return {point.id: (point.payload, point.dense, point.sparse) for point in kennisbank.store.points()}
    finally:
        kennisbank.close()


def complete_documents(state: dict[str, tuple]) -> set[str]:
    """Documents with at least one version whose passages are all in the store."""
    counts: Counter[tuple[str, str]] = Counter()
    expected: dict[tuple[str, str], int] = {}
    for payload, *_ in state.values():
        version = (payload["document_id"], payload["fingerprint"])
        counts[version] += 1
        expected[version] = payload["chunk_count"]
    return {document for (document, fingerprint), n in counts.items() if n == expected[document, fingerprint]}


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six copies of the sample corpus, so a run takes long enough to be killed midway."""
    root = tmp_path_factory.mktemp("big-corpus")
    for copy in range(6):
        write_sample_corpus(root / f"kopie-{copy:02d}")
    return root


@pytest.fixture(scope="module")
def clean_runs(big_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, dict]]:
    """The data dir and store contents of one uninterrupted run per chunk size."""
    runs = {}
    for chunk_size in (CHUNK_SIZE, CHANGED_CHUNK_SIZE):
        data_dir = tmp_path_factory.mktemp(f"clean-{chunk_size}")
        ingest_to_the_end(big_corpus, data_dir, chunk_size)
        runs[chunk_size] = (data_dir, snapshot(data_dir))
    return runs


def test_killed_runs_then_a_rerun_equal_a_clean_run(big_corpus, clean_runs, tmp_path):
    _, clean = clean_runs[CHUNK_SIZE]
    generator = random.Random(SEED)
    for kill in range(FRESH_KILLS):
        after_writes = generator.randint(1, len(clean) - 1)
        print(f"seed {SEED}: fresh run {kill} killed after {after_writes} of {len(clean)} point writes")
        data_dir = tmp_path / f"run-{kill}"
        assert ingest_and_kill(big_corpus, data_dir, CHUNK_SIZE, after_writes), "finished before the kill"

        ingest_to_the_end(big_corpus, data_dir, CHUNK_SIZE)

        assert snapshot(data_dir) == clean, f"seed {SEED}, run {kill}"


def test_no_document_vanishes_while_changed_documents_are_reindexed(big_corpus, clean_runs, tmp_path):
    before_dir, before = clean_runs[CHUNK_SIZE]
    _, after = clean_runs[CHANGED_CHUNK_SIZE]
    documents = complete_documents(before)
    data_dir = tmp_path / "data"
    shutil.copytree(before_dir, data_dir)
    generator = random.Random(SEED + 1)
    for kill in range(CHANGE_KILLS):
        # Small steps, so that every run is killed before the re-index is done.
        after_writes = generator.randint(1, len(after) // (CHANGE_KILLS + 1))
        print(f"seed {SEED}: re-index run {kill} killed after {after_writes} of {len(after)} point writes")
        assert ingest_and_kill(big_corpus, data_dir, CHANGED_CHUNK_SIZE, after_writes), "finished first"

        state = snapshot(data_dir)
        assert complete_documents(state) == documents, f"seed {SEED}, kill {kill}: a document went missing"
    assert state not in (before, after), "the kills did not land in the middle of the re-index"

    ingest_to_the_end(big_corpus, data_dir, CHANGED_CHUNK_SIZE)

    assert snapshot(data_dir) == after
    assert complete_documents(after) == documents
