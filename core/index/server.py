"""A collection on a Qdrant server or cluster, through qdrant-client: the production
backend (several processes, replication, sharding are the server's)."""

from pydantic import SecretStr
from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

from core.index.backend import DENSE, SPARSE, Hit, SparseVector, StoredPoint, StoreUnavailable
from core.index.passage import INTEGER_FIELDS, KEYWORD_FIELDS

UPSERT_BATCH = 64


def open_server(url: str, api_key: SecretStr | None) -> QdrantClient:
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


class ServerBackend:
    """The collection `collection` on the server `client` talks to. `shards` and
    `replication` lay out a new collection; None: chosen by `collection_layout`."""

    def __init__(
        self,
        client: QdrantClient,
        collection: str,
        *,
        shards: int | None = None,
        replication: int | None = None,
    ) -> None:
        self.client = client
        self.collection = collection
        self.shards = shards
        self.replication = replication

    def exists(self) -> bool:
        return self.client.collection_exists(self.collection)

    def dimension(self) -> int | None:
        vectors = self.client.get_collection(self.collection).config.params.vectors
        return vectors[DENSE].size if isinstance(vectors, dict) and DENSE in vectors else None

    def create(self, dimension: int) -> None:
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
        self.ensure_payload_indexes()

    def _peers(self) -> int:
        status = self.client.cluster_status()
        return len(status.peers) if isinstance(status, models.ClusterStatusOneOf1) else 1

    def ensure_payload_indexes(self) -> None:
        present = self.client.get_collection(self.collection).payload_schema
        for name in KEYWORD_FIELDS:
            if name not in present:
                self.client.create_payload_index(self.collection, name, models.PayloadSchemaType.KEYWORD)
        for name in INTEGER_FIELDS:
            if name not in present:
                self.client.create_payload_index(self.collection, name, models.PayloadSchemaType.INTEGER)

    def upsert(self, points: list[StoredPoint]) -> None:
        for start in range(0, len(points), UPSERT_BATCH):
            self.client.upsert(
                self.collection, [_point_struct(point) for point in points[start : start + UPSERT_BATCH]]
            )

    def delete(self, flt: models.Filter) -> None:
        self.client.delete(self.collection, points_selector=models.FilterSelector(filter=flt))

    def query(self, vector: list[float] | SparseVector, flt: models.Filter, limit: int) -> list[Hit]:
        if isinstance(vector, SparseVector):
            query: list[float] | models.SparseVector = models.SparseVector(
                indices=vector.indices, values=vector.values
            )
            using = SPARSE
        else:
            query, using = vector, DENSE
        response = self.client.query_points(
            self.collection, query=query, using=using, query_filter=flt, limit=limit, with_payload=True
        )
        return [Hit(str(point.id), point.payload or {}, point.score) for point in response.points]

    def scroll(
        self,
        flt: models.Filter | None,
        *,
        payload: bool | list[str],
        vectors: bool,
        limit: int,
        offset: object | None,
    ) -> tuple[list[StoredPoint], object | None]:
        records, following = self.client.scroll(
            self.collection,
            scroll_filter=flt,
            limit=limit,
            offset=offset,  # type: ignore[arg-type]
            with_payload=payload,
            with_vectors=vectors,
        )
        return [_stored_point(record) for record in records], following

    def count(self) -> int:
        return self.client.count(self.collection).count if self.exists() else 0

    def optimize(self) -> None:
        """The server's optimizers run in the background by themselves."""

    def flush(self) -> None:
        """The server makes writes durable itself (its WAL)."""

    def close(self) -> None:
        self.client.close()


def _point_struct(point: StoredPoint) -> models.PointStruct:
    vector: dict = {}
    if point.dense is not None:
        vector[DENSE] = point.dense
    if point.sparse is not None:
        vector[SPARSE] = models.SparseVector(indices=point.sparse.indices, values=point.sparse.values)
    return models.PointStruct(id=point.id, vector=vector, payload=point.payload)


def _stored_point(record: models.Record) -> StoredPoint:
    vectors = record.vector if isinstance(record.vector, dict) else {}
    dense = vectors.get(DENSE)
    sparse = vectors.get(SPARSE)
    return StoredPoint(
        id=str(record.id),
        payload=record.payload or {},
        dense=list(dense) if isinstance(dense, list) else None,  # type: ignore[arg-type]
        sparse=(
            SparseVector(sparse.indices, sparse.values) if isinstance(sparse, models.SparseVector) else None
        ),
    )
