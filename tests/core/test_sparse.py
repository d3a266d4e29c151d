"""BM25 sparse vectors: weights, stable ids, and Dutch questions finding Dutch passages in
Qdrant with its IDF modifier."""

import pytest
from llama_index.core.schema import TextNode
from llama_index.core.vector_stores.types import VectorStoreQuery, VectorStoreQueryMode
from llama_index.vector_stores.qdrant import QdrantVectorStore
from qdrant_client import QdrantClient, models

from core.index.sparse import SparseEncoder, term_id

PASSAGES = {
    "av": "De Algemene Vergadering komt twee keer per jaar samen, in juni en in december. "
    "Daar keuren de gemeenten de jaarrekening en de begroting goed.",
    "brandkranen": "Het onderhoud van de brandkranen (hydranten) op het grondgebied van de "
    "gemeente gebeurt door de brandweerzone Midwest.",
    "afsprakennota": "Volgens de afsprakennota met Pittem werkt de gedeelde medewerker acht uur "
    "per week in Pittem; de gemeente betaalt daarvoor een bedrag van € 8.800 per jaar.",
    "wijkwerken": "Via wijk-werken doen werkzoekenden klussen bij particulieren, scholen en "
    "lokale besturen in de regio.",
    "raad": "De raadsleden krijgen het verslag van de vergadering van de Raad van Bestuur "
    "binnen tien werkdagen.",
}


@pytest.fixture(scope="module")
def encoder() -> SparseEncoder:
    return SparseEncoder()


def weights(encoder: SparseEncoder, text: str) -> dict[int, float]:
    [indices], [values] = encoder.encode_documents([text])
    return dict(zip(indices, values, strict=True))


def test_term_ids_are_stable_across_processes(encoder: SparseEncoder) -> None:
    """Regression guard: stored passages keep the ids they were indexed with, so another
    process, or another release of the stemmer, must give the same ids for the same words,
    or every existing index silently stops matching. The literals were computed once.
    ("gemeenten" -> "meen" is Snowball 3's Dutch stemmer; snowballstemmer 2.x gave
    "gemeent", so an old release in some environment fails here.)"""
    assert term_id("vergader") == 3517865923
    assert term_id("meen") == 345254580
    assert encoder.encode_queries(["De vergaderingen van de gemeenten"]) == (
        [[345254580, 3517865923]],
        [[1.0, 1.0]],
    )


def test_vectors_are_sorted_unique_and_aligned(encoder: SparseEncoder) -> None:
    texts = ["gemeente gemeenten Gemeente begroting 2020 wijk-werken", "", "de het"]
    for indices, values in zip(*encoder.encode_documents(texts), strict=True):
        assert indices == sorted(set(indices))
        assert len(values) == len(indices)
        assert all(value > 0 for value in values)
    for indices, values in zip(*encoder.encode_queries(texts), strict=True):
        assert indices == sorted(set(indices))
        assert values == [1.0] * len(indices)


def test_empty_text_gives_empty_vector(encoder: SparseEncoder) -> None:
    assert encoder.encode_documents(["", "de het een"]) == ([[], []], [[], []])
    assert encoder.encode_queries([""]) == ([[]], [[]])
    assert encoder.encode_documents([]) == ([], [])


def test_query_weights_each_distinct_term_once(encoder: SparseEncoder) -> None:
    [indices], [values] = encoder.encode_queries(["vergadering vergaderingen begroting"])
    assert len(indices) == 2
    assert values == [1.0, 1.0]


def test_repeated_terms_saturate(encoder: SparseEncoder) -> None:
    """A passage that repeats a word ten times is not ten times as relevant."""
    begroting = term_id(encoder.analyzer.terms("begroting")[0])
    filler = " ".join(f"woord{i}" for i in range(30))
    w = [weights(encoder, filler + " begroting" * tf)[begroting] for tf in (1, 2, 4, 10)]
    assert w[0] < w[1] < w[2] < w[3] < encoder.k1 + 1
    assert w[1] - w[0] > w[2] - w[1] > 0


def test_longer_passages_weigh_a_term_less(encoder: SparseEncoder) -> None:
    begroting = term_id(encoder.analyzer.terms("begroting")[0])
    short = "De begroting van de gemeente."
    long = short + " " + " ".join(f"woord{i}" for i in range(200))
    assert weights(encoder, short)[begroting] > weights(encoder, long)[begroting]


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        SparseEncoder(b=1.5)
    with pytest.raises(ValueError):
        SparseEncoder(avg_doc_len=0)


@pytest.fixture(scope="module")
def qdrant(encoder: SparseEncoder) -> QdrantClient:
    """In-memory Qdrant with only a sparse vector, IDF supplied by Qdrant."""
    client = QdrantClient(":memory:")
    client.create_collection(
        "passages",
        vectors_config={},
        sparse_vectors_config={"text": models.SparseVectorParams(modifier=models.Modifier.IDF)},
    )
    names = list(PASSAGES)
    indices, values = encoder.encode_documents(list(PASSAGES.values()))
    client.upsert(
        "passages",
        [
            models.PointStruct(
                id=i,
                vector={"text": models.SparseVector(indices=indices[i], values=values[i])},
                payload={"name": name},
            )
            for i, name in enumerate(names)
        ],
    )
    return client


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Inflection mismatches between question and passage (the last three find
        # nothing, or the wrong passage, without stemming):
        ("Wanneer komen de algemene vergaderingen samen?", "av"),
        ("Wie onderhoudt de brandkraan?", "brandkranen"),
        ("Welke bedragen betalen de gemeenten voor gedeelde medewerkers?", "afsprakennota"),
        ("Krijgt een raadslid de verslagen?", "raad"),
        # Compound written together in the question, hyphenated in the passage:
        ("Wat is wijkwerken?", "wijkwerken"),
        # A number written with a thousands point in the passage:
        ("8800 euro", "afsprakennota"),
        ("afsprakennota's Pittem", "afsprakennota"),
    ],
)
def test_dutch_question_finds_its_passage(
    encoder: SparseEncoder, qdrant: QdrantClient, question: str, expected: str
) -> None:
    [indices], [values] = encoder.encode_queries([question])
    hits = qdrant.query_points(
        "passages",
        query=models.SparseVector(indices=indices, values=values),
        using="text",
        limit=3,
    ).points
    assert hits[0].payload == {"name": expected}
    assert len(hits) == 1 or hits[0].score > hits[1].score


def test_encoder_plugs_into_llama_index_store(encoder: SparseEncoder) -> None:
    """The methods are llama-index `SparseEncoderCallable`s: QdrantVectorStore indexes
    and searches with them (sparse mode, no dense model involved)."""
    store = QdrantVectorStore(
        collection_name="hybrid",
        client=QdrantClient(":memory:"),
        enable_hybrid=True,
        sparse_doc_fn=encoder.encode_documents,
        sparse_query_fn=encoder.encode_queries,
    )
    store.add(
        [
            TextNode(text=text, id_=f"00000000-0000-0000-0000-00000000000{i}", embedding=[1.0, i])
            for i, text in enumerate(PASSAGES.values())
        ]
    )
    result = store.query(
        VectorStoreQuery(
            query_str="Wie onderhoudt de brandkraan?",
            mode=VectorStoreQueryMode.SPARSE,
            similarity_top_k=1,
        )
    )
    assert result.nodes is not None
    assert result.nodes[0].get_content() == PASSAGES["brandkranen"]
