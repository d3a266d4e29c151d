"""The Qdrant collection that holds every passage: one point per passage with a named
dense vector, a named sparse vector and the passage's metadata as payload.

Qdrant is the single source of truth for what is indexed: ingestion reads the
fingerprints back from the payload instead of keeping a separate manifest that could
disagree with the store after a crash.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from llama_index.core.schema import BaseNode
from llama_index.vector_stores.qdrant import QdrantVectorStore
from pydantic import SecretStr
from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

from core.index.local_search import LocalMirror
from core.index.passage import INTEGER_FIELDS, KEYWORD_FIELDS, METADATA_KEYS, Passage, ScoredPoint
from core.index.sparse import SparseEncoder
from core.settings import Settings

DENSE = "text-dense"
SPARSE = "text-sparse-new"  # llama-index's default name for a new-style sparse vector
SCROLL_PAGE = 1024


class StoreUnavailable(RuntimeError):
    """The store cannot be opened; the message says what to do."""


def open_qdrant(settings: Settings) -> QdrantClient:
    """A client for the configured Qdrant: a server when `qdrant_url` is set, else the
    embedded store under the data dir (which one process at a time may hold)."""
    if settings.qdrant_url:
        return _open_server(settings.qdrant_url, settings.qdrant_api_key)
    settings.qdrant_path.mkdir(parents=True, exist_ok=True)
    try:
        return QdrantClient(path=str(settings.qdrant_path))
    except RuntimeError as exc:
        if "already accessed" not in str(exc):
            raise
        raise StoreUnavailable(
            f"the index in {settings.qdrant_path} is in use by another process "
            "(probably `kennisbank serve`). Stop that process and run the command again, "
            "or run a Qdrant server and set KENNISBANK_QDRANT_URL so several processes "
            "can share the index."
        ) from exc


def _open_server(url: str, api_key: SecretStr | None) -> QdrantClient:
    """A client for the Qdrant server at `url`, after one request that proves the server
    answers and accepts the key, so a server that is down or a wrong key is one clear
    message instead of a traceback from the first real call."""
    client = QdrantClient(url=url, api_key=api_key.get_secret_value() if api_key else None)
    try:
        client.get_collections()
    except UnexpectedResponse as exc:
        if exc.status_code in (401, 403):
            raise StoreUnavailable(
                f"the Qdrant server at {url} refused the API key (HTTP {exc.status_code}); "
                "check KENNISBANK_QDRANT_API_KEY"
            ) from None
        raise StoreUnavailable(f"the Qdrant server at {url} answered HTTP {exc.status_code}") from None
    except ResponseHandlingException as exc:
        raise StoreUnavailable(
            f"cannot reach the Qdrant server at {url} ({_root_cause(exc)}); start it, "
            "or unset KENNISBANK_QDRANT_URL to use the embedded index"
        ) from None
    return client


def _root_cause(exc: BaseException) -> str:
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__
    return str(exc) or type(exc).__name__


def collection_layout(peers: int, shards: int | None, replication: int | None) -> tuple[int, int]:
    """(shards, copies of each shard) for a new collection. Settings that are given win.
    Left empty, a cluster of 2 or more peers gets 2 shards per peer, so the collection can
    spread over nodes added later, each kept on 2 peers, so it survives the loss of one
    node; a single server gets 1 and 1."""
    clustered = peers >= 2
    return shards or (2 * peers if clustered else 1), replication or (2 if clustered else 1)


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
    """The collection, its schema, and the writes and reads ingestion and search need."""

    def __init__(
        self,
        client: QdrantClient,
        collection: str,
        sparse: SparseEncoder,
        *,
        payload_indexes: bool,
        shards: int | None = None,
        replication: int | None = None,
    ) -> None:
        """`payload_indexes`: create Qdrant payload indexes for the filtered fields (a
        server uses them; the embedded store scans and would only warn). Without them
        (embedded mode) searches run on an in-memory mirror of the collection, see
        `core.index.local_search`. `shards` and `replication` lay out a new collection on
        a Qdrant server; None: chosen by `collection_layout` (the embedded store ignores
        them)."""
        self.client = client
        self.collection = collection
        self.payload_indexes = payload_indexes
        self.shards = shards
        self.replication = replication
        self.generation = 0  # bumped on every write, so the mirror knows to reload
        self.mirror = (
            None
            if payload_indexes
            else LocalMirror(client, collection, DENSE, SPARSE, generation=lambda: self.generation)
        )
        self.vector_store = QdrantVectorStore(
            collection_name=collection,
            client=client,
            enable_hybrid=True,
            sparse_doc_fn=sparse.encode_documents,
            sparse_query_fn=sparse.encode_queries,
            dense_vector_name=DENSE,
            sparse_vector_name=SPARSE,
            batch_size=64,
        )

    def exists(self) -> bool:
        return self.client.collection_exists(self.collection)

    def ensure_collection(self, dimension: int) -> None:
        """Create the collection on first use; refuse one built for another model size."""
        if self.exists():
            info = self.client.get_collection(self.collection)
            vectors = info.config.params.vectors
            size = vectors[DENSE].size if isinstance(vectors, dict) else None
            if size != dimension:
                raise StoreUnavailable(
                    f"collection {self.collection!r} holds {size}-dimensional vectors but the "
                    f"embedding model gives {dimension}; use another KENNISBANK_COLLECTION "
                    "or delete the collection to rebuild it"
                )
            return
        # Qdrant is asked only when a setting is left empty (its cluster API may need rights
        # that a key limited to one collection lacks).
        configured = self.shards is not None and self.replication is not None
        peers = 1 if configured else self._peers()
        shards, replication = collection_layout(peers, self.shards, self.replication)
        self.client.create_collection(
            self.collection,
            vectors_config={DENSE: models.VectorParams(size=dimension, distance=models.Distance.COSINE)},
            # Qdrant computes IDF over the collection at query time, so documents can be
            # added one by one and the sparse weights stay BM25-like without a rebuild.
            sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
            shard_number=shards,
            replication_factor=replication,
        )
        if self.payload_indexes:
            for name in KEYWORD_FIELDS:
                self.client.create_payload_index(self.collection, name, models.PayloadSchemaType.KEYWORD)
            for name in INTEGER_FIELDS:
                self.client.create_payload_index(self.collection, name, models.PayloadSchemaType.INTEGER)
        # The vector store was built before the collection existed; without this it would
        # create the collection again on the first add, with its own schema (no IDF).
        self.vector_store._collection_initialized = True

    def _peers(self) -> int:
        """How many peers the Qdrant cluster has: 1 for the embedded store (which has no
        cluster API; it is the store without payload indexes) and a server not in a cluster."""
        if not self.payload_indexes:
            return 1
        status = self.client.cluster_status()
        return len(status.peers) if isinstance(status, models.ClusterStatusOneOf1) else 1

    def add(self, nodes: list[BaseNode]) -> None:
        """Upsert passages (their point ids are deterministic, so a rerun overwrites)."""
        self.vector_store.add(nodes)
        self.generation += 1

    def search_dense(self, vector: list[float], flt: models.Filter, limit: int) -> list[ScoredPoint]:
        """The `limit` passages nearest to `vector` among those `flt` allows, best first."""
        if self.mirror is not None:
            return self.mirror.dense(vector, flt, limit)
        return self._query(vector, DENSE, flt, limit)

    def search_sparse(
        self, indices: list[int], values: list[float], flt: models.Filter, limit: int
    ) -> list[ScoredPoint]:
        """The `limit` best BM25 matches of a sparse query among the passages `flt` allows."""
        if not indices:
            return []
        if self.mirror is not None:
            return self.mirror.sparse(indices, values, flt, limit)
        return self._query(models.SparseVector(indices=indices, values=values), SPARSE, flt, limit)

    def _query(self, query: list[float] | models.SparseVector, using: str, flt: models.Filter, limit: int):
        response = self.client.query_points(
            self.collection, query=query, using=using, query_filter=flt, limit=limit, with_payload=True
        )
        return [
            ScoredPoint(str(point.id), Passage.from_payload(point.payload or {}), point.score)
            for point in response.points
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
        offset = None
        while True:
            points, offset = self.client.scroll(
                self.collection,
                scroll_filter=flt,
                limit=min(limit or SCROLL_PAGE, SCROLL_PAGE),
                offset=offset,
                with_payload=True if with_text else list(METADATA_KEYS),
                with_vectors=False,
            )
            for point in points:
                yield Passage.from_payload(point.payload or {})
            if offset is None or limit:
                return

    def delete_document(self, document_id: str, keep_fingerprint: str | None = None) -> None:
        """Remove a document's points, except those of `keep_fingerprint` if given."""
        must_not = (
            [models.FieldCondition(key="fingerprint", match=models.MatchValue(value=keep_fingerprint))]
            if keep_fingerprint
            else None
        )
        self.client.delete(
            self.collection,
            points_selector=models.FilterSelector(
                filter=models.Filter(
                    must=[
                        models.FieldCondition(key="document_id", match=models.MatchValue(value=document_id))
                    ],
                    must_not=must_not,
                )
            ),
        )
        self.generation += 1

    def count(self) -> int:
        return self.client.count(self.collection).count if self.exists() else 0
