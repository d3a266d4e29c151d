"""Component choices made from settings: embedding backends and the layout of a
collection on a Qdrant server (the store's behaviour on each engine:
tests/core/test_store_contract.py)."""

import importlib.util
from pathlib import Path

import pytest
from qdrant_client import QdrantClient, models

from core.index.embedding import HashingMockEmbedding, MissingExtra, build_embedding
from core.index.server import ServerBackend, collection_layout
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
    ServerBackend(client, "kennisbank", **settings).create(8)
    assert (created["shard_number"], created["replication_factor"]) == layout
