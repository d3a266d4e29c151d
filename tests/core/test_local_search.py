"""The in-memory mirror that serves searches in embedded mode must rank, score and
filter exactly as Qdrant's own query does, and must never serve a stale index."""

import pytest
from qdrant_client import models

from api.composition import build_indexer
from assistant.service import Kennisbank
from core.index.filters import SearchFilters, build_filter
from tests.support.sample_corpus import CANARY

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
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize(("filters", "groups"), FILTERS)
def test_mirror_matches_qdrant(
    indexed: Kennisbank, query: str, filters: SearchFilters, groups: frozenset[str]
):
    store, retriever = indexed.store, indexed.retriever
    assert store.mirror is not None, "the embedded test store should search on its mirror"
    flt = build_filter(filters, groups)
    vector = indexed.embed_model.get_query_embedding(query)
    indices, values = retriever.sparse_query(query)
    for mine, theirs in [
        (store.mirror.dense(vector, flt, 10), store._query(vector, "text-dense", flt, 10)),
        (
            store.mirror.sparse(indices, values, flt, 10),
            store._query(store_sparse_vector(indices, values), "text-sparse-new", flt, 10),
        ),
    ]:
        assert [p.score for p in mine] == pytest.approx([p.score for p in theirs], rel=1e-4)
        assert untied_ids(mine) == untied_ids(theirs)


def untied_ids(points: list) -> list[tuple[int, str]]:
    """(rank, id) of the points whose score no other point shares: equal scores may come
    in either order, and the mock embedder gives many ties."""
    scores = [round(point.score, 4) for point in points]
    return [(rank, p.id) for rank, p in enumerate(points) if scores.count(scores[rank]) == 1]


def store_sparse_vector(indices: list[int], values: list[float]) -> models.SparseVector:
    return models.SparseVector(indices=indices, values=values)


def test_mirror_follows_new_and_deleted_documents(kennisbank: Kennisbank, corpus_copy):
    build_indexer(kennisbank).ingest([corpus_copy], progress=False)
    assert not kennisbank.retriever.search("fietsvergoeding", top_k=3, mode="sparse")
    (corpus_copy / "onthaal").mkdir(exist_ok=True)
    (corpus_copy / "onthaal" / "fiets.md").write_text(
        "# Fietsvergoeding\n\nWie met de fiets komt, krijgt 0,35 euro per kilometer fietsvergoeding.\n",
        encoding="utf-8",
    )
    build_indexer(kennisbank).ingest([corpus_copy], progress=False)
    hits = kennisbank.retriever.search("fietsvergoeding", top_k=1, mode="sparse")
    assert hits and hits[0].source == "onthaal/fiets.md"
    (corpus_copy / "onthaal" / "fiets.md").unlink()
    build_indexer(kennisbank).ingest([corpus_copy], progress=False)
    assert all(
        hit.source != "onthaal/fiets.md" for hit in kennisbank.retriever.search("fietsvergoeding", top_k=10)
    )


def test_an_existing_but_empty_collection_finds_nothing(kennisbank: Kennisbank):
    """Between creating the collection and the first passages (the first ingest, a
    restore) searches must answer "nothing found", not fail."""
    kennisbank.store.ensure_collection(len(kennisbank.embed_model.get_query_embedding("x")))
    assert kennisbank.store.exists()
    for mode in ("dense", "sparse", "hybrid"):
        assert kennisbank.retriever.search("verdeelsleutel", top_k=3, mode=mode) == []
