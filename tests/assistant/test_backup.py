"""`kennisbank backup` and `restore`: a backup of the embedded store survives losing the
whole data dir; a Qdrant server is backed up with snapshots (only when
KENNISBANK_QDRANT_URL is set)."""

import json
import os
import shutil
import uuid
from pathlib import Path

import pytest

from api.composition import build_indexer, build_kennisbank
from assistant.backup import backup, restore
from assistant.state.store import StateStore
from core.index.embedding import HashingMockEmbedding
from core.settings import Settings
from tests.support.environment import make_settings, run_cli
from tests.support.local_mode_index import QUERIES as OLD_QUERIES
from tests.support.local_mode_index import write_local_mode_index

pytestmark = pytest.mark.slow  # processes, browsers or crashes: out of the fast loop

QUERIES = ("Wie onderhoudt de brandkranen?", "afsprakennota archief", "begroting personeel")


def search_results(settings: Settings) -> dict[str, list[tuple[str, int | None, str]]]:
    kennisbank = build_kennisbank(settings, HashingMockEmbedding())
    try:
        return {
            query: [(hit.source, hit.page, hit.text) for hit in kennisbank.retriever.search(query, top_k=5)]
            for query in QUERIES
        }
    finally:
        kennisbank.close()


@pytest.fixture()
def indexed_data_dir(sample_corpus: Path, tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    kennisbank = build_kennisbank(make_settings(data_dir), HashingMockEmbedding())
    try:
        assert build_indexer(kennisbank).ingest([sample_corpus], progress=False).ok
    finally:
        kennisbank.close()
    state = StateStore(make_settings(data_dir).state_database_url)
    assert state.claim_once("slack-event-Ev01")
    state.close()
    return data_dir


def test_backup_then_losing_the_data_dir_then_restore_gives_the_same_answers(indexed_data_dir, tmp_path):
    settings = make_settings(indexed_data_dir)
    before = search_results(settings)
    assert all(before.values())

    made = run_cli("backup", str(tmp_path / "backup"), data_dir=indexed_data_dir)
    assert made.returncode == 0, made.stderr
    assert "passages" in made.stdout
    shutil.rmtree(indexed_data_dir)
    restored = run_cli("restore", str(tmp_path / "backup"), data_dir=indexed_data_dir)
    assert restored.returncode == 0, restored.stderr

    assert search_results(settings) == before
    state = StateStore(settings.state_database_url)
    try:
        assert not state.claim_once("slack-event-Ev01"), "the state database was not restored"
    finally:
        state.close()


def test_restore_replaces_a_newer_index(indexed_data_dir, sample_corpus, tmp_path):
    settings = make_settings(indexed_data_dir)
    before = search_results(settings)
    backup(settings, tmp_path / "backup")
    kennisbank = build_kennisbank(settings, HashingMockEmbedding())
    try:
        for document_id in list(kennisbank.store.indexed_documents())[:3]:
            kennisbank.store.delete_document(document_id)
    finally:
        kennisbank.close()
    assert search_results(settings) != before

    restore(settings, tmp_path / "backup")

    assert search_results(settings) == before
    assert not (indexed_data_dir / "qdrant.restoring").exists()
    assert not (indexed_data_dir / "qdrant.replaced").exists()


def test_a_backup_made_by_an_earlier_version_is_restored_and_moved_to_edge(sample_corpus, tmp_path):
    """Backups made before Qdrant Edge hold qdrant-client's local-mode folder `qdrant`."""
    old = make_settings(tmp_path / "old")
    before = write_local_mode_index(old, sample_corpus)
    backup_dir = tmp_path / "backup"
    shutil.copytree(old.local_mode_path, backup_dir / "qdrant")
    manifest = {"created": "2026-11-30T12:00:00+00:00", "mode": "embedded", "collection": "kennisbank"}
    (backup_dir / "manifest.json").write_text(json.dumps({**manifest, "points": 1, "files": ["qdrant"]}))
    settings = make_settings(tmp_path / "data")
    kennisbank = build_kennisbank(settings, HashingMockEmbedding())  # an Edge index that the restore replaces
    try:
        assert build_indexer(kennisbank).ingest([sample_corpus], progress=False).ok
    finally:
        kennisbank.close()

    restore(settings, backup_dir)

    restored = build_kennisbank(settings, HashingMockEmbedding())
    try:
        assert {query: restored.retriever.search(query, top_k=5) for query in OLD_QUERIES} == before
    finally:
        restored.close()


def test_backup_refuses_a_folder_that_is_not_empty(indexed_data_dir, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("iets", encoding="utf-8")
    result = run_cli("backup", str(tmp_path / "full"), data_dir=indexed_data_dir)
    assert result.returncode == 2
    assert "not empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_restore_refuses_a_folder_that_is_not_a_backup(indexed_data_dir, tmp_path):
    (tmp_path / "random").mkdir()
    result = run_cli("restore", str(tmp_path / "random"), data_dir=indexed_data_dir)
    assert result.returncode == 2
    assert "not a kennisbank backup" in result.stderr
    missing = run_cli("restore", str(tmp_path / "nowhere"), data_dir=indexed_data_dir)
    assert missing.returncode == 2
    assert "no such backup folder" in missing.stderr


def test_backup_refuses_while_the_store_is_in_use(indexed_data_dir, tmp_path):
    """The embedded store is single-process: backing it up under a running server would
    copy a folder being written, so the command refuses and says why."""
    kennisbank = build_kennisbank(make_settings(indexed_data_dir), HashingMockEmbedding())
    try:
        result = run_cli("backup", str(tmp_path / "backup"), data_dir=indexed_data_dir)
    finally:
        kennisbank.close()
    assert result.returncode == 2
    assert "in use by another process" in result.stderr


@pytest.mark.skipif(not os.environ.get("KENNISBANK_QDRANT_URL"), reason="KENNISBANK_QDRANT_URL is not set")
def test_server_backup_and_restore_with_snapshots(sample_corpus, tmp_path):
    settings = make_settings(
        tmp_path / "data",
        qdrant_url=os.environ["KENNISBANK_QDRANT_URL"],
        collection=f"test-backup-{uuid.uuid4().hex[:8]}",
    )
    kennisbank = build_kennisbank(settings, HashingMockEmbedding())
    try:
        assert build_indexer(kennisbank).ingest([sample_corpus], progress=False).ok
        before = search_results(settings)
        manifest = backup(settings, tmp_path / "backup")
        assert manifest.mode == "server"
        kennisbank.store.backend.client.delete_collection(settings.collection)
        restore(settings, tmp_path / "backup")
        assert search_results(settings) == before
    finally:
        kennisbank.store.backend.client.delete_collection(settings.collection)
        kennisbank.close()
