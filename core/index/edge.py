"""The embedded engine: Qdrant Edge (`qdrant_edge`), Qdrant's own segments, HNSW, payload
indexes and WAL running inside this process, one shard per collection on disk.

One process at a time: the shard's WAL allows one writer, and this backend also holds a
lock on `<shard>.lock` from the moment it is opened, so that a server started before the
first ingest owns the store as well (the shard does not exist yet then)."""

import fcntl
import os
import uuid
from pathlib import Path

import qdrant_edge as edge
from qdrant_client import models

from core.index.backend import DENSE, SPARSE, Hit, SparseVector, StoredPoint, StoreUnavailable
from core.index.passage import INTEGER_FIELDS, KEYWORD_FIELDS

CONFIG_FILE = "edge_config.json"  # written by Edge when a shard is created
UPSERT_BATCH = 256


def in_use_message(path: Path) -> str:
    return (
        f"the index in {path} is in use by another process (probably `kennisbank serve`). "
        "Stop that process and run the command again, or run a Qdrant server and set "
        "KENNISBANK_QDRANT_URL so several processes can share the index."
    )


class EdgeBackend:
    """A collection as an Edge shard in the folder `path` (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = _hold_lock(path.with_name(f"{path.name}.lock"), path)
        self._shard: edge.EdgeShard | None = None
        try:
            if (path / CONFIG_FILE).exists():
                self._shard = _load(path)
        except BaseException:
            self._lock.close()
            raise

    def exists(self) -> bool:
        return self._shard is not None

    def dimension(self) -> int | None:
        points, _ = self.scroll(None, payload=False, vectors=True, limit=1, offset=None)
        return len(points[0].dense) if points and points[0].dense else None

    def create(self, dimension: int) -> None:
        config = edge.EdgeConfig(
            vectors={DENSE: edge.EdgeVectorParams(size=dimension, distance=edge.Distance.Cosine)},
            # Edge computes IDF over the shard at query time, as a server does, so the
            # sparse weights stay BM25-like as documents come and go.
            sparse_vectors={SPARSE: edge.EdgeSparseVectorParams(modifier=edge.Modifier.Idf)},
        )
        self._shard = edge.EdgeShard.create(str(self.path), config)
        self.ensure_payload_indexes()

    def adopt(self, folder: Path) -> None:
        """Open the complete shard in `folder` (written beside this one and closed) in
        this backend's place: renamed in one step, so an interrupted write of it leaves
        no half shard where the store is looked for."""
        folder.rename(self.path)
        self._shard = _load(self.path)

    def ensure_payload_indexes(self) -> None:
        """Without them every filtered query reads the payload of every point (276 ms at
        50k passages, measured); with them the filter is resolved from the index."""
        shard = self._require()
        present = shard.info().payload_schema
        wanted = [(name, edge.PayloadSchemaType.Keyword) for name in KEYWORD_FIELDS] + [
            (name, edge.PayloadSchemaType.Integer) for name in INTEGER_FIELDS
        ]
        for name, schema in wanted:
            if name not in present:
                shard.update(edge.UpdateOperation.create_field_index(name, schema))

    def upsert(self, points: list[StoredPoint]) -> None:
        shard = self._require()
        for start in range(0, len(points), UPSERT_BATCH):
            batch = [_edge_point(point) for point in points[start : start + UPSERT_BATCH]]
            shard.update(edge.UpdateOperation.upsert_points(batch))

    def delete(self, flt: models.Filter) -> None:
        self._require().update(edge.UpdateOperation.delete_points_by_filter(edge_filter(flt)))

    def query(self, vector: list[float] | SparseVector, flt: models.Filter, limit: int) -> list[Hit]:
        if isinstance(vector, SparseVector):
            nearest = edge.Query.Nearest(edge.SparseVector(vector.indices, vector.values), using=SPARSE)
        else:
            nearest = edge.Query.Nearest(vector, using=DENSE)
        request = edge.QueryRequest(limit=limit, query=nearest, filter=edge_filter(flt), with_payload=True)
        points = self._require().query(request)
        return [Hit(str(point.id), point.payload or {}, point.score) for point in points]

    def scroll(
        self,
        flt: models.Filter | None,
        *,
        payload: bool | list[str],
        vectors: bool,
        limit: int,
        offset: object | None,
    ) -> tuple[list[StoredPoint], object | None]:
        request = edge.ScrollRequest(
            offset=offset,
            limit=limit,
            filter=edge_filter(flt) if flt else None,
            with_payload=payload,
            with_vector=vectors,
        )
        records, following = self._require().scroll(request)
        return [_stored_point(record) for record in records], following

    def count(self) -> int:
        return self._require().count(edge.CountRequest(exact=True)) if self._shard is not None else 0

    def optimize(self) -> None:
        """Edge's optimizers run in the caller and hold the whole process, Python's other
        threads included, until they are done (measured: 12 s for 12,000 new passages,
        one query got through meanwhile)."""
        self._require().optimize()

    def flush(self) -> None:
        if self._shard is not None:
            self._shard.flush()

    def close(self) -> None:
        if self._shard is not None:
            self._shard.close()
            self._shard = None
        self._lock.close()

    def _require(self) -> edge.EdgeShard:
        if self._shard is None:
            raise RuntimeError(f"no collection in {self.path} yet: call create() first")
        return self._shard


def _hold_lock(lock_path: Path, shard: Path):
    """An exclusive lock for the life of this process's use of the shard; the kernel
    drops it when the process dies, however it dies."""
    handle = lock_path.open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise StoreUnavailable(in_use_message(shard)) from None
    os.set_inheritable(handle.fileno(), False)
    return handle


def _load(path: Path) -> edge.EdgeShard:
    try:
        return edge.EdgeShard.load(str(path))
    except Exception as exc:  # Edge raises plain Exception with the engine's message
        if "WouldBlock" in str(exc):
            raise StoreUnavailable(in_use_message(path)) from None
        raise StoreUnavailable(
            f"the index in {path} cannot be opened ({exc}); rebuild it: move the folder away "
            "and run `kennisbank ingest` on your documents again"
        ) from None


def _edge_point(point: StoredPoint) -> edge.Point:
    vector: dict = {}
    if point.dense is not None:
        vector[DENSE] = point.dense
    if point.sparse is not None:
        vector[SPARSE] = edge.SparseVector(point.sparse.indices, point.sparse.values)
    return edge.Point(uuid.UUID(point.id), vector, point.payload)


def _stored_point(record) -> StoredPoint:
    vectors = record.vector if isinstance(record.vector, dict) else {}
    sparse = vectors.get(SPARSE)
    return StoredPoint(
        id=str(record.id),
        payload=record.payload or {},
        dense=list(vectors[DENSE]) if DENSE in vectors else None,
        sparse=SparseVector(list(sparse.indices), list(sparse.values)) if sparse is not None else None,
    )


def edge_filter(flt: models.Filter) -> edge.Filter:
    """`flt` in Edge's classes. Only the conditions our filters use are translated; any
    other is a programming error and raises rather than being dropped (a dropped access
    condition would show restricted passages)."""

    def conditions(items) -> list | None:
        if items is None:
            return None
        return [condition(item) for item in (items if isinstance(items, list) else [items])]

    return edge.Filter(
        must=conditions(flt.must), should=conditions(flt.should), must_not=conditions(flt.must_not)
    )


def condition(item):
    if isinstance(item, models.Filter):
        return edge_filter(item)
    if isinstance(item, models.IsEmptyCondition):
        return edge.IsEmptyCondition(item.is_empty.key)
    if isinstance(item, models.FieldCondition):
        if isinstance(item.match, models.MatchValue):
            return edge.FieldCondition(item.key, match=edge.MatchValue(item.match.value))
        if isinstance(item.match, models.MatchAny):
            return edge.FieldCondition(item.key, match=edge.MatchAny(list(item.match.any)))
        if item.range is not None and item.match is None:
            bounds = item.range
            return edge.FieldCondition(
                item.key, range=edge.RangeFloat(gte=bounds.gte, gt=bounds.gt, lte=bounds.lte, lt=bounds.lt)
            )
    raise TypeError(f"the embedded store cannot translate the filter condition {item!r}")
