"""The collection that holds every passage: one point per passage with a named dense
vector, a named sparse vector and the passage's metadata as payload, on either Qdrant
engine (`core.index.backend`): Qdrant Edge in this process, or a Qdrant server.

The store writes its points itself instead of through llama-index's QdrantVectorStore:
that class needs a QdrantClient, which Edge is not, and one write path for both engines
keeps their points identical. The payload keeps llama-index's node layout (metadata keys
at the top level, the node as JSON under `_node_content`), so collections written before
stay readable.

Qdrant is the single source of truth for what is indexed: ingestion reads the
fingerprints back from the payload instead of keeping a separate manifest that could
disagree with the store after a crash.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from llama_index.core.schema import BaseNode, MetadataMode
from llama_index.core.vector_stores.utils import node_to_metadata_dict
from qdrant_client import models

from core.index.backend import Backend, SparseVector, StoredPoint, StoreUnavailable
from core.index.passage import EMBEDDING_KEY, METADATA_KEYS, Passage, ScoredPoint, embedding_key
from core.index.sparse import SparseEncoder

SCROLL_PAGE = 1024
KEYS_PER_LOOKUP = 256


@dataclass
class IndexedDocument:
    """What the store holds for one document: how many points it has per fingerprint,
    and how many a complete write of that fingerprint has."""

    root: str
    points: Counter[str] = field(default_factory=Counter)
    expected: dict[str, int] = field(default_factory=dict)

    def is_complete(self, fingerprint: str) -> bool:
        return self.points[fingerprint] == self.expected.get(fingerprint, -1)


class KnowledgeStore:
    """The collection, its schema, and the writes and reads ingestion and search need.
    `embedding_model` names the model whose vectors are written (see `known_vectors`)."""

    def __init__(self, backend: Backend, sparse: SparseEncoder, embedding_model: str) -> None:
        self.backend = backend
        self.sparse = sparse
        self.embedding_model = embedding_model

    def exists(self) -> bool:
        return self.backend.exists()

    def ensure_collection(self, dimension: int) -> None:
        """Create the collection on first use; refuse one built for another model size;
        give an existing one the payload indexes it lacks (one made by an older version)."""
        if not self.exists():
            self.backend.create(dimension)
            return
        size = self.backend.dimension()
        if size is not None and size != dimension:
            raise StoreUnavailable(
                f"the index holds {size}-dimensional vectors but the embedding model gives "
                f"{dimension}; use another KENNISBANK_COLLECTION or delete the collection to rebuild it"
            )
        self.backend.ensure_payload_indexes()

    def add(self, nodes: list[BaseNode]) -> None:
        """Upsert passages with their embeddings (their point ids are deterministic, so a
        rerun overwrites)."""
        texts = [node.get_content(metadata_mode=MetadataMode.EMBED) for node in nodes]
        indices, values = self.sparse.encode_documents(texts)
        points = [
            StoredPoint(
                id=node.node_id,
                payload={
                    **node_to_metadata_dict(node, remove_text=False, flat_metadata=False),
                    EMBEDDING_KEY: embedding_key(self.embedding_model, text),
                },
                dense=node.get_embedding(),
                sparse=SparseVector(point_indices, point_values),
            )
            for node, text, point_indices, point_values in zip(nodes, texts, indices, values, strict=True)
        ]
        self.backend.upsert(points)

    def known_vectors(self, texts: list[str]) -> list[list[float] | None]:
        """For each embedded text, the dense vector this model already made for exactly
        that text, wherever it is in the store; None where there is none."""
        keys = [embedding_key(self.embedding_model, text) for text in texts]
        found: dict[str, list[float]] = {}
        if self.exists():
            wanted = sorted(set(keys))
            for start in range(0, len(wanted), KEYS_PER_LOOKUP):
                batch = wanted[start : start + KEYS_PER_LOOKUP]
                is_known = models.FieldCondition(key=EMBEDDING_KEY, match=models.MatchAny(any=batch))
                flt = models.Filter(must=[is_known])
                for point in self._scroll(flt, payload=[EMBEDDING_KEY], vectors=True):
                    if point.dense is not None:
                        found[point.payload[EMBEDDING_KEY]] = point.dense
        return [found.get(key) for key in keys]

    def search_dense(self, vector: list[float], flt: models.Filter, limit: int) -> list[ScoredPoint]:
        """The `limit` passages nearest to `vector` among those `flt` allows, best first."""
        return self._query(vector, flt, limit)

    def search_sparse(
        self, indices: list[int], values: list[float], flt: models.Filter, limit: int
    ) -> list[ScoredPoint]:
        """The `limit` best BM25 matches of a sparse query among the passages `flt` allows."""
        if not indices:
            return []
        return self._query(SparseVector(indices, values), flt, limit)

    def _query(self, vector: list[float] | SparseVector, flt: models.Filter, limit: int) -> list[ScoredPoint]:
        return [
            ScoredPoint(hit.id, Passage.from_payload(hit.payload), hit.score)
            for hit in self.backend.query(vector, flt, limit)
        ]

    def indexed_documents(self) -> dict[str, IndexedDocument]:
        """Every document in the store with its points counted per fingerprint."""
        documents: dict[str, IndexedDocument] = {}
        for passage in self.passages():
            document = documents.setdefault(passage.document_id, IndexedDocument(passage.root))
            document.points[passage.fingerprint] += 1
            document.expected[passage.fingerprint] = passage.chunk_count
        return documents

    def passages(
        self, flt: models.Filter | None = None, *, with_text: bool = False, limit: int | None = None
    ) -> Iterator[Passage]:
        """The passages `flt` allows (every one without it), at most `limit`; without their
        text unless `with_text` (a scroll of the metadata alone is much lighter)."""
        if not self.exists():
            return
        payload = True if with_text else list(METADATA_KEYS)
        for point in self._scroll(flt, payload=payload, vectors=False, limit=limit):
            yield Passage.from_payload(point.payload)

    def points(self, *, vectors: bool = True) -> Iterator[StoredPoint]:
        """Every point as stored, payload and (unless not wanted) vectors: for comparing
        whole stores and for moving one to another engine."""
        if self.exists():
            yield from self._scroll(None, payload=True, vectors=vectors)

    def _scroll(
        self, flt: models.Filter | None, *, payload: bool | list[str], vectors: bool, limit: int | None = None
    ) -> Iterator[StoredPoint]:
        offset = None
        while True:
            page, offset = self.backend.scroll(
                flt,
                payload=payload,
                vectors=vectors,
                limit=min(limit or SCROLL_PAGE, SCROLL_PAGE),
                offset=offset,
            )
            yield from page
            if offset is None or limit:
                return

    def delete_document(self, document_id: str, keep_fingerprint: str | None = None) -> None:
        """Remove a document's points, except those of `keep_fingerprint` if given."""
        must_not = (
            [models.FieldCondition(key="fingerprint", match=models.MatchValue(value=keep_fingerprint))]
            if keep_fingerprint
            else None
        )
        is_document = models.FieldCondition(key="document_id", match=models.MatchValue(value=document_id))
        self.backend.delete(models.Filter(must=[is_document], must_not=must_not))

    def count(self) -> int:
        return self.backend.count()

    def optimize(self) -> None:
        """Build the search indexes for what was written (the embedded engine does it only
        when asked, and holds the process meanwhile; a server does it by itself)."""
        if self.exists():
            self.backend.optimize()

    def close(self) -> None:
        self.backend.close()
