"""What the knowledge store needs from a Qdrant engine, so that one store serves both: the
embedded engine in this process (Qdrant Edge, `core.index.edge`) and a Qdrant server or
cluster (`core.index.server`).

Filters are written once, as qdrant-client's `models.Filter` (the server takes them as
they are; the embedded backend translates the few kinds of condition we use). Points and
hits are plain records, so nothing above this line depends on either client's types.
"""

from dataclasses import dataclass
from typing import Protocol

from qdrant_client import models

DENSE = "text-dense"
SPARSE = "text-sparse-new"  # the name llama-index gave it, kept so that existing collections still fit


class StoreUnavailable(RuntimeError):
    """The store cannot be opened; the message says what to do."""


@dataclass(frozen=True)
class SparseVector:
    indices: list[int]
    values: list[float]


@dataclass(frozen=True)
class StoredPoint:
    """One point as written and as read back (vectors only when asked for)."""

    id: str
    payload: dict
    dense: list[float] | None = None
    sparse: SparseVector | None = None


@dataclass(frozen=True)
class Hit:
    id: str
    payload: dict
    score: float


class Backend(Protocol):
    """One collection on one Qdrant engine. `create` makes it with the dense vector of
    `dimension`, the sparse vector with IDF, and the payload indexes; `open` on an existing
    one adds any payload index it lacks."""

    def exists(self) -> bool: ...

    def dimension(self) -> int | None:
        """Size of the dense vectors, None when the collection holds no point to tell."""
        ...

    def create(self, dimension: int) -> None: ...

    def ensure_payload_indexes(self) -> None: ...

    def upsert(self, points: list[StoredPoint]) -> None: ...

    def delete(self, flt: models.Filter) -> None: ...

    def query(self, vector: list[float] | SparseVector, flt: models.Filter, limit: int) -> list[Hit]:
        """The `limit` best points for `vector` (dense or sparse) among those `flt` allows."""
        ...

    def scroll(
        self,
        flt: models.Filter | None,
        *,
        payload: bool | list[str],
        vectors: bool,
        limit: int,
        offset: object | None,
    ) -> tuple[list[StoredPoint], object | None]:
        """One page of points and the offset of the next page (None after the last)."""
        ...

    def count(self) -> int: ...

    def optimize(self) -> None:
        """Build the search indexes now (HNSW, merged segments); returns when done. A
        server does this by itself."""
        ...

    def flush(self) -> None: ...

    def close(self) -> None: ...
