"""An index as versions before Qdrant Edge left it (qdrant-client's local mode in
DATA_DIR/qdrant), for the tests of moving it to Edge and of restoring an old backup."""

import shutil
from pathlib import Path

from qdrant_client import QdrantClient, models

from api.composition import build_indexer, build_kennisbank
from core.index.backend import DENSE, SPARSE
from core.index.embedding import HashingMockEmbedding
from core.index.passage import EMBEDDING_KEY

QUERIES = ("Wie onderhoudt de brandkranen?", "verdeelsleutel gedeeld personeel", "afsprakennota archief")


def write_local_mode_index(settings, sample_corpus: Path) -> dict[str, list]:
    """The sample corpus as an earlier version left it: indexed, then its points written
    into a local-mode store (without the embedding key, which that version did not
    write) and the Edge shard removed. Returns the search results it gave."""
    kennisbank = build_kennisbank(settings, HashingMockEmbedding())
    try:
        build_indexer(kennisbank).ingest([sample_corpus], progress=False)
        results = {query: kennisbank.retriever.search(query, top_k=5) for query in QUERIES}
        points = list(kennisbank.store.points())
    finally:
        kennisbank.close()
    shutil.rmtree(settings.index_path)
    client = QdrantClient(path=str(settings.local_mode_path))
    dense = models.VectorParams(size=len(points[0].dense), distance=models.Distance.COSINE)
    client.create_collection(
        settings.collection,
        vectors_config={DENSE: dense},
        sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
    )
    client.upsert(
        settings.collection,
        [
            models.PointStruct(
                id=point.id,
                payload={key: value for key, value in point.payload.items() if key != EMBEDDING_KEY},
                vector={
                    DENSE: point.dense,
                    SPARSE: models.SparseVector(indices=point.sparse.indices, values=point.sparse.values),
                },
            )
            for point in points
        ],
    )
    client.close()
    return results
