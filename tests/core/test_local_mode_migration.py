"""A data dir whose index was made by an earlier version (qdrant-client's local mode in
DATA_DIR/qdrant) is moved to Qdrant Edge when it is first opened: nothing is embedded
again, search finds the same passages, and a damaged one gets a one-line way out."""

import pytest

from api.composition import build_indexer, build_kennisbank
from core.index.backend import StoreUnavailable
from core.index.embedding import HashingMockEmbedding
from ingest import pipeline
from tests.support.environment import make_settings, run_cli
from tests.support.local_mode_index import QUERIES, write_local_mode_index


def test_an_old_index_is_moved_without_embedding_and_finds_the_same(sample_corpus, tmp_path, monkeypatch):
    settings = make_settings(tmp_path / "data")
    before = write_local_mode_index(settings, sample_corpus)
    embedder = HashingMockEmbedding()

    kennisbank = build_kennisbank(settings, embedder)
    try:
        assert {query: kennisbank.retriever.search(query, top_k=5) for query in QUERIES} == before
        assert embedder.texts_embedded == 1, "only the one passage that checks the model"
        monkeypatch.setattr(pipeline, "PIPELINE_VERSION", pipeline.PIPELINE_VERSION + "-volgende")
        report = build_indexer(kennisbank).ingest([sample_corpus], progress=False)
        assert report.reused == report.chunks and embedder.texts_embedded == 1
    finally:
        kennisbank.close()


@pytest.mark.slow  # runs the `kennisbank` command
def test_the_move_is_reported_on_the_command_line(sample_corpus, tmp_path):
    settings = make_settings(tmp_path / "data")
    write_local_mode_index(settings, sample_corpus)
    result = run_cli("search", "verdeelsleutel", data_dir=settings.data_dir)
    assert result.returncode == 0, result.stderr
    assert "moved" in result.stderr and "can be deleted" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # runs the `kennisbank` command
def test_a_damaged_old_index_says_how_to_rebuild_in_one_line(tmp_path):
    settings = make_settings(tmp_path / "data")
    storage = settings.local_mode_path / "collection" / settings.collection / "storage.sqlite"
    storage.parent.mkdir(parents=True)
    storage.write_bytes(b"dit is geen sqlite-bestand")
    (settings.local_mode_path / "meta.json").write_text("{kapot", encoding="utf-8")
    with pytest.raises(StoreUnavailable) as raised:
        build_kennisbank(settings, HashingMockEmbedding())
    message = str(raised.value)
    assert "rebuild it" in message and "kennisbank ingest" in message and "\n" not in message
    result = run_cli("search", "verdeelsleutel", data_dir=settings.data_dir)
    assert result.returncode == 2 and "rebuild it" in result.stderr and "Traceback" not in result.stderr
