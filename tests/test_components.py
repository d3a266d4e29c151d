"""Component choices made from settings: embedding backends and the Qdrant server mode."""

import importlib.util
import os
import uuid
from pathlib import Path

import pytest

from assistant.embedding import HashingMockEmbedding, MissingExtra, build_embedding
from assistant.service import build_kennisbank
from tests.conftest import make_settings


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
        report = kennisbank.indexer.ingest([sample_corpus], progress=False)
        assert report.ok and len(report.new) == 9
        assert kennisbank.indexer.ingest([sample_corpus], progress=False).unchanged
        hits = kennisbank.retriever.search("verdeelsleutel", top_k=5)
        assert hits and all(hit.doc_type for hit in hits)
    finally:
        kennisbank.store.client.delete_collection(collection)
        kennisbank.close()
