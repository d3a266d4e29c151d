"""The store's contract, run against each engine: Qdrant Edge (the embedded default)
always, and a Qdrant server when KENNISBANK_QDRANT_URL is set. Both must score, filter
and keep points alike, so a deployment can move from one to the other and find the
same passages."""

import math
import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from api.composition import build_indexer, build_kennisbank
from assistant.service import Kennisbank
from core.index.backend import StoreUnavailable
from core.index.edge import EdgeBackend
from core.index.embedding import HashingMockEmbedding
from core.index.filters import SearchFilters, build_filter
from core.index.passage import INTEGER_FIELDS, KEYWORD_FIELDS, Passage
from core.index.server import ServerBackend
from tests.support.environment import make_settings
from tests.support.sample_corpus import CANARY

QDRANT_URL = os.environ.get("KENNISBANK_QDRANT_URL", "")
ENGINES = [
    "edge",
    pytest.param(
        "server",
        marks=pytest.mark.skipif(
            not QDRANT_URL, reason="server half of the contract: set KENNISBANK_QDRANT_URL to run it"
        ),
    ),
]
QUERIES = [
    "verdeelsleutel gedeeld personeel",
    "Hoeveel uur per week werkt het archiefteam voor Kortevoorde?",
    f"tuchtdossier besloten zitting {CANARY}",
    "inspecties van de hydrant",
]
FILTERS = [
    (SearchFilters(), frozenset()),
    (SearchFilters(), frozenset({"bestuur"})),
    (SearchFilters(doc_type="afsprakennota"), frozenset()),
    (SearchFilters(year=2021), frozenset({"personeel"})),
    (SearchFilters(date_from=date(2020, 1, 1), date_to=date(2022, 12, 31)), frozenset({"bestuur"})),
]


def engine_settings(engine: str, data_dir: Path):
    if engine == "edge":
        return make_settings(data_dir)
    return make_settings(
        data_dir,
        qdrant_url=QDRANT_URL,
        qdrant_api_key=os.environ.get("KENNISBANK_QDRANT_API_KEY"),
        collection=f"kennisbank-contract-{uuid.uuid4().hex[:8]}",
    )


def drop(kennisbank: Kennisbank) -> None:
    backend = kennisbank.store.backend
    if isinstance(backend, ServerBackend) and backend.exists():
        backend.client.delete_collection(backend.collection)
    kennisbank.close()


@pytest.fixture(scope="module", params=ENGINES)
def engine_store(
    request: pytest.FixtureRequest, sample_corpus: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Kennisbank]:
    """The sample corpus indexed on one engine, read-only."""
    settings = engine_settings(request.param, tmp_path_factory.mktemp(f"contract-{request.param}"))
    kennisbank = build_kennisbank(settings, HashingMockEmbedding())
    report = build_indexer(kennisbank).ingest([sample_corpus], progress=False)
    assert report.ok, report.summary()
    yield kennisbank
    drop(kennisbank)


@pytest.fixture(params=ENGINES)
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Kennisbank]:
    kennisbank = build_kennisbank(engine_settings(request.param, tmp_path / "data"), HashingMockEmbedding())
    yield kennisbank
    drop(kennisbank)


def allowed(passage, filters: SearchFilters, groups: frozenset[str]) -> bool:
    """The filter rules, spelled out in Python: what the engine must agree with."""
    if passage.groups and not groups & set(passage.groups):
        return False
    if filters.doc_type and passage.doc_type != filters.doc_type:
        return False
    if filters.year is not None and passage.year != filters.year:
        return False
    if filters.date_from or filters.date_to:
        if passage.date is None:
            return False
        day = date.fromisoformat(passage.date)
        if (filters.date_from and day < filters.date_from) or (filters.date_to and day > filters.date_to):
            return False
    return True


@pytest.mark.parametrize(("filters", "groups"), FILTERS)
def test_filters_allow_exactly_the_passages_the_rules_allow(engine_store, filters, groups):
    store = engine_store.store
    everything = list(store.passages(with_text=True))
    expected = {p.point_id for p in everything if allowed(p, filters, groups)}
    found = {p.point_id for p in store.passages(build_filter(filters, groups))}
    assert found == expected and found, "a filter let through or kept out the wrong passages"


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize(("filters", "groups"), FILTERS)
def test_dense_and_sparse_scores_are_cosine_and_bm25_over_the_allowed_passages(
    engine_store, query, filters, groups
):
    """Scores computed here from the stored vectors: cosine for dense, and for sparse
    sum(query weight x IDF x stored weight) with IDF = ln((N - df + 0.5) / (df + 0.5) + 1)
    over the whole collection (Qdrant's `Modifier.IDF`)."""
    store, retriever = engine_store.store, engine_store.retriever
    points = list(store.points())
    rules = {p.id: allowed(_passage(p), filters, groups) for p in points}
    flt = build_filter(filters, groups)
    vector = np.asarray(engine_store.embed_model.get_query_embedding(query))
    dense_expected = {
        p.id: float(np.dot(p.dense, vector) / (np.linalg.norm(p.dense) * np.linalg.norm(vector)))
        for p in points
        if rules[p.id]
    }
    indices, values = retriever.sparse_query(query)
    document_frequency = {i: sum(i in p.sparse.indices for p in points) for i in indices}
    sparse_expected = {}
    for p in points:
        stored = dict(zip(p.sparse.indices, p.sparse.values, strict=True))
        shared = [i for i in indices if i in stored]
        if rules[p.id] and shared:
            sparse_expected[p.id] = sum(
                weight * _idf(len(points), document_frequency[i]) * stored[i]
                for i, weight in zip(indices, values, strict=True)
                if i in stored
            )
    for found, expected in [
        (store.search_dense(vector.tolist(), flt, 10), dense_expected),
        (store.search_sparse(indices, values, flt, 10), sparse_expected),
    ]:
        best = sorted(expected.values(), reverse=True)[:10]
        assert [point.score for point in found] == pytest.approx(best, rel=1e-3, abs=1e-5)
        assert all(point.score == pytest.approx(expected[point.id], rel=1e-3) for point in found)


def _idf(n: int, df: int) -> float:
    return math.log((n - df + 0.5) / (df + 0.5) + 1)


def _passage(point) -> Passage:
    return Passage.from_payload(point.payload)


def test_every_filtered_field_has_a_payload_index(engine_store):
    """Without one, a filtered search reads every point's payload (276 ms at 50k passages)."""
    backend = engine_store.store.backend
    if isinstance(backend, EdgeBackend):
        indexed = set(backend._require().info().payload_schema)
    else:
        indexed = set(backend.client.get_collection(backend.collection).payload_schema)
    assert set(KEYWORD_FIELDS) | set(INTEGER_FIELDS) <= indexed


def test_known_vectors_are_found_by_their_text_and_only_for_this_model(engine_store):
    store = engine_store.store
    passage = next(store.passages(with_text=True))
    text = passage.embedded_text()
    [stored] = [p.dense for p in store.points() if p.id == passage.point_id]
    assert store.known_vectors([text, text + " anders"]) == [stored, None]
    other_model = type(store)(store.backend, store.sparse, "een-ander-model")
    assert other_model.known_vectors([text]) == [None]


def test_deleting_a_document_can_keep_its_newest_version(engine_store, empty_store, sample_corpus):
    store = empty_store.store
    build_indexer(empty_store).ingest([sample_corpus], progress=False)
    document_id, document = next(iter(store.indexed_documents().items()))
    [fingerprint] = document.points
    store.delete_document(document_id, keep_fingerprint=fingerprint)
    assert store.indexed_documents()[document_id].points == document.points
    store.delete_document(document_id)
    assert document_id not in store.indexed_documents()
    assert store.count() == engine_store.store.count() - document.points[fingerprint]


def test_an_existing_but_empty_collection_finds_nothing(empty_store):
    """Between creating the collection and the first passages (the first ingest, a
    restore) searches must answer "nothing found", not fail."""
    empty_store.store.ensure_collection(len(empty_store.embed_model.get_query_embedding("x")))
    assert empty_store.store.exists() and empty_store.store.count() == 0
    for mode in ("dense", "sparse", "hybrid"):
        assert empty_store.retriever.search("verdeelsleutel", top_k=3, mode=mode) == []


def test_an_index_of_another_vector_size_is_refused_in_one_line(empty_store, sample_corpus):
    build_indexer(empty_store).ingest([sample_corpus], progress=False)
    with pytest.raises(StoreUnavailable, match="holds 64-dimensional vectors .* gives 384") as raised:
        empty_store.store.ensure_collection(384)
    assert "\n" not in str(raised.value)


def test_the_embedded_store_keeps_its_points_across_a_restart(sample_corpus, tmp_path):
    settings = make_settings(tmp_path / "data")
    kennisbank = build_kennisbank(settings, HashingMockEmbedding())
    build_indexer(kennisbank).ingest([sample_corpus], progress=False)
    before = {p.id: (p.payload, p.dense, p.sparse) for p in kennisbank.store.points()}
    kennisbank.close()
    reopened = build_kennisbank(settings, HashingMockEmbedding())
    try:
        assert {p.id: (p.payload, p.dense, p.sparse) for p in reopened.store.points()} == before
    finally:
        reopened.close()


def test_a_second_opener_of_the_embedded_store_gets_one_line(tmp_path):
    settings = make_settings(tmp_path / "data")
    first = build_kennisbank(settings, HashingMockEmbedding())
    try:
        with pytest.raises(StoreUnavailable, match="in use by another process") as raised:
            build_kennisbank(settings, HashingMockEmbedding())
        assert "\n" not in str(raised.value)
    finally:
        first.close()
