"""Component choices made from settings: embedding backends and the Qdrant server mode."""

import importlib.util
import os
import uuid
from pathlib import Path

import pytest
from qdrant_client import QdrantClient, models

from api.composition import build_indexer, build_kennisbank
from core.dutch.analysis import DutchAnalyzer
from core.index.embedding import HashingMockEmbedding, MissingExtra, build_embedding
from core.index.sparse import SparseEncoder
from core.index.store import KnowledgeStore, collection_layout
from tests.support.environment import make_settings


@pytest.mark.parametrize(
    ("mode", "module", "extra"),
    [
        ("huggingface", "llama_index.embeddings.huggingface", "huggingface"),
        ("openai", "llama_index.embeddings.openai_like", "openai"),
    ],
)
def test_missing_backend_names_the_extra_to_install(tmp_path: Path, mode: str, module: str, extra: str):
    if importlib.util.find_spec(module.rsplit(".", 1)[0]) and importlib.util.find_spec(module):
        pytest.skip(f"{module} is installed here, so the missing-extra message cannot be shown")
    with pytest.raises(MissingExtra, match=rf"midwest-kennisbank\[{extra}\]"):
        build_embedding(make_settings(tmp_path, embedding=mode))


def test_mock_embedding_is_deterministic_and_normalised():
    model = HashingMockEmbedding()
    first = model.get_text_embedding("De hydranten worden om de twee jaar gecontroleerd.")
    assert first == model.get_text_embedding("De hydranten worden om de twee jaar gecontroleerd.")
    assert abs(sum(x * x for x in first) - 1.0) < 1e-6


@pytest.mark.parametrize(
    ("peers", "shards", "replication", "layout"),
    [
        (1, None, None, (1, 1)),  # a single server, not a cluster
        (2, None, None, (4, 2)),
        (3, None, None, (6, 2)),  # 3 nodes, as in docker-compose.cluster.yml
        (5, None, None, (10, 2)),
        (3, 3, None, (3, 2)),  # a setting that is given wins, the other is still detected
        (3, None, 3, (6, 3)),
        (3, 1, 1, (1, 1)),
        (1, 4, 2, (4, 2)),  # configured for a cluster that does not report itself as one
    ],
)
def test_a_new_collection_is_laid_out_for_the_cluster_unless_configured(peers, shards, replication, layout):
    assert collection_layout(peers, shards, replication) == layout


@pytest.mark.parametrize(
    ("status", "settings", "layout"),
    [
        (
            models.ClusterStatusOneOf1.model_construct(status="enabled", peers=dict.fromkeys("123")),
            {},
            (6, 2),
        ),
        (models.ClusterStatusOneOf(status="disabled"), {}, (1, 1)),
        (None, {"shards": 3, "replication": 1}, (3, 1)),  # both given: Qdrant is not asked
    ],
    ids=["3-node cluster", "single server", "configured"],
)
def test_a_server_store_lays_out_a_new_collection_from_the_cluster_status(status, settings, layout):
    """The server-mode wiring, with the client's answers stubbed: cluster_status() is read
    and its layout reaches create_collection (a real server: tests/deploy/test_deploy.py)."""
    client = QdrantClient(":memory:")
    created: dict = {}
    create = client.create_collection

    def recording_create(name, **arguments):
        created.update(arguments)
        return create(name, **arguments)

    client.create_collection = recording_create  # type: ignore[method-assign]

    def cluster_status():
        assert status is not None, "Qdrant was asked though both settings are given"
        return status

    client.cluster_status = cluster_status  # type: ignore[method-assign]
    store = KnowledgeStore(
        client, "kennisbank", SparseEncoder(DutchAnalyzer()), payload_indexes=True, **settings
    )
    store.ensure_collection(8)
    assert (created["shard_number"], created["replication_factor"]) == layout


def test_the_embedded_store_never_asks_for_a_cluster(kennisbank):
    """Local Qdrant has no cluster API (it raises NotImplementedError), so the embedded
    store must create its collection without asking."""
    assert not kennisbank.store.exists()
    kennisbank.store.ensure_collection(384)
    assert kennisbank.store.exists()


QDRANT_URL = os.environ.get("KENNISBANK_QDRANT_URL", "")


@pytest.mark.skipif(not QDRANT_URL, reason="needs a Qdrant server: set KENNISBANK_QDRANT_URL to run it")
def test_server_mode_indexes_and_filters_like_embedded_mode(sample_corpus: Path, tmp_path: Path):
    """The code path docker-compose uses: a Qdrant server, payload indexes, the same filters."""
    collection = f"kennisbank-test-{uuid.uuid4().hex[:8]}"
    settings = make_settings(
        tmp_path,
        qdrant_url=QDRANT_URL,
        qdrant_api_key=os.environ.get("KENNISBANK_QDRANT_API_KEY"),
        collection=collection,
    )
    kennisbank = build_kennisbank(settings, HashingMockEmbedding())
    try:
        report = build_indexer(kennisbank).ingest([sample_corpus], progress=False)
        assert report.ok and len(report.new) == 9
        assert build_indexer(kennisbank).ingest([sample_corpus], progress=False).unchanged
        hits = kennisbank.retriever.search("verdeelsleutel", top_k=5)
        assert hits and all(hit.doc_type for hit in hits)
    finally:
        kennisbank.store.client.delete_collection(collection)
        kennisbank.close()
