"""Brute-force dense and sparse search over an in-memory copy of an embedded collection.

Qdrant's embedded (local) mode is brute force too, but it evaluates payload filters in
Python for every point and scores sparse vectors point by point: about 15-40 ms a query
on 600 passages, more than the whole search budget. This copy scores with numpy instead
(a matrix product for dense, posting lists for sparse) and resolves a filter to the set
of points it allows by asking Qdrant once per filter and index generation, so the filter
semantics stay Qdrant's own and are exactly as strict. With a Qdrant server none of this
is used: the filter runs inside the server's query.
"""

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from qdrant_client import QdrantClient, models

from core.index.passage import Passage, ScoredPoint

# Distinct filters whose allowed points are kept per generation (each costs one bool per
# point); past this the cache starts over, so odd date ranges cannot grow it without end.
MAX_CACHED_FILTERS = 256


@dataclass
class _Snapshot:
    """One generation of the collection, replaced whole, so that a search running
    during a reload never sees half of one and half of the other."""

    generation: int | None = None
    ids: list[str] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    dense: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    postings: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    allowed: dict[str, np.ndarray] = field(default_factory=dict)


class LocalMirror:
    """The points of one collection as numpy arrays, reloaded when `generation()` changes
    (the store bumps it on every write). Safe to share between threads."""

    def __init__(
        self,
        client: QdrantClient,
        collection: str,
        dense_name: str,
        sparse_name: str,
        generation: Callable[[], int],
    ) -> None:
        self.client = client
        self.collection = collection
        self.dense_name = dense_name
        self.sparse_name = sparse_name
        self.generation = generation
        self._snapshot = _Snapshot()
        self._lock = threading.Lock()

    def dense(self, vector: list[float], flt: models.Filter, limit: int) -> list[ScoredPoint]:
        """Cosine similarity, best first, among the points `flt` allows."""
        snapshot = self._current()
        if not snapshot.ids:
            return []
        query = np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(query))
        scores = snapshot.dense @ (query / norm if norm else query)
        return _best(snapshot, scores, self._allowed_mask(snapshot, flt), limit)

    def sparse(
        self, indices: list[int], values: list[float], flt: models.Filter, limit: int
    ) -> list[ScoredPoint]:
        """BM25 as Qdrant computes it with `Modifier.IDF`: sum of query weight x IDF x
        stored weight over shared terms, with IDF = ln((N - df + 0.5) / (df + 0.5) + 1).
        Points sharing no term are not candidates (as in Qdrant)."""
        snapshot = self._current()
        n = len(snapshot.ids)
        scores = np.zeros(n, dtype=np.float64)
        touched = np.zeros(n, dtype=bool)
        for index, weight in zip(indices, values, strict=True):
            posting = snapshot.postings.get(index)
            if posting is None:
                continue
            rows, stored = posting
            idf = math.log((n - len(rows) + 0.5) / (len(rows) + 0.5) + 1)
            scores[rows] += weight * idf * stored
            touched[rows] = True
        return _best(snapshot, scores, self._allowed_mask(snapshot, flt) & touched, limit)

    def _allowed_mask(self, snapshot: _Snapshot, flt: models.Filter) -> np.ndarray:
        """The points `flt` allows, as Qdrant itself decides: one scroll per distinct
        filter and generation, then cached (the access groups, types and years in use
        are few)."""
        key = flt.model_dump_json()
        mask = snapshot.allowed.get(key)
        if mask is None:
            allowed: set[str] = set()
            offset = None
            while True:
                points, offset = self.client.scroll(
                    self.collection, scroll_filter=flt, limit=4096, offset=offset, with_payload=False
                )
                allowed.update(str(point.id) for point in points)
                if offset is None:
                    break
            mask = np.fromiter((i in allowed for i in snapshot.ids), dtype=bool, count=len(snapshot.ids))
            if len(snapshot.allowed) >= MAX_CACHED_FILTERS:
                snapshot.allowed.clear()
            snapshot.allowed[key] = mask
        return mask

    def _current(self) -> _Snapshot:
        """The snapshot of the store's current generation, loaded when it is not."""
        generation = self.generation()
        if self._snapshot.generation == generation:
            return self._snapshot
        with self._lock:
            if self._snapshot.generation != generation:
                self._snapshot = self._load(generation)
            return self._snapshot

    def _load(self, generation: int) -> _Snapshot:
        ids: list[str] = []
        passages: list[Passage] = []
        dense: list[list[float]] = []
        postings: dict[int, tuple[list[int], list[float]]] = {}
        offset = None
        while self.client.collection_exists(self.collection):
            points, offset = self.client.scroll(
                self.collection, limit=1024, offset=offset, with_payload=True, with_vectors=True
            )
            for point in points:
                vectors = point.vector if isinstance(point.vector, dict) else {}
                row = len(ids)
                ids.append(str(point.id))
                passages.append(Passage.from_payload(point.payload or {}))
                dense.append(vectors[self.dense_name])  # type: ignore[arg-type]
                sparse = vectors.get(self.sparse_name)
                if isinstance(sparse, models.SparseVector):
                    for index, value in zip(sparse.indices, sparse.values, strict=True):
                        rows, stored = postings.setdefault(index, ([], []))
                        rows.append(row)
                        stored.append(value)
            if offset is None:
                break
        # An empty collection (during the first ingest, or a fresh restore) has no rows
        # to infer the width from.
        matrix = np.asarray(dense, dtype=np.float32).reshape(len(ids), -1) if ids else np.zeros((0, 0))
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return _Snapshot(
            generation=generation,
            ids=ids,
            passages=passages,
            dense=matrix / np.where(norms == 0, 1, norms),
            postings={
                index: (np.asarray(rows, dtype=np.intp), np.asarray(stored, dtype=np.float64))
                for index, (rows, stored) in postings.items()
            },
        )


def _best(snapshot: _Snapshot, scores: np.ndarray, mask: np.ndarray, limit: int) -> list[ScoredPoint]:
    """The `limit` best rows that `mask` allows, best first."""
    rows = np.flatnonzero(mask)
    if len(rows) > limit:
        rows = rows[np.argpartition(-scores[rows], limit - 1)[:limit]]
    rows = rows[np.argsort(-scores[rows], kind="stable")]
    return [ScoredPoint(snapshot.ids[row], snapshot.passages[row], float(scores[row])) for row in rows]
