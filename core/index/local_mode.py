"""Moving an index made by versions before Qdrant Edge (qdrant-client's local mode, in
`DATA_DIR/qdrant`) to the Edge store, without embedding anything again: its points carry
their dense and sparse vectors and their payload, and are copied as they are.

The old folder is left in place (the message says it can be deleted); the Edge shard is
written beside its final place and renamed when complete, so an interrupted move starts
over on the next start instead of leaving half an index.
"""

import math
import shutil
import sys
from pathlib import Path

from llama_index.core.base.embeddings.base import BaseEmbedding
from qdrant_client import QdrantClient

from core.index.backend import DENSE, SPARSE, SparseVector, StoredPoint, StoreUnavailable
from core.index.edge import EdgeBackend
from core.index.passage import EMBEDDING_KEY, Passage, embedding_key

PAGE = 512
# A re-embedded passage whose vector is this close to the stored one shows that the
# stored vectors come from the configured model (quantised engines differ in the last
# digits between batch sizes).
SAME_MODEL_COSINE = 0.99


def holds_collection(folder: Path, collection: str) -> bool:
    """Whether `folder` is a local-mode store with `collection` in it (read from its
    files, without opening it)."""
    return (folder / "collection" / collection / "storage.sqlite").is_file()


def migrate(folder: Path, collection: str, target: EdgeBackend, embed_model: BaseEmbedding) -> int:
    """Copy `collection` from the local-mode store in `folder` into `target`, which holds
    no shard yet, and open it there. Returns the number of passages moved."""
    rebuild = (
        f"rebuild it instead: move {folder} away and run `kennisbank ingest` on your documents "
        "(every passage is embedded again)"
    )
    try:
        client = QdrantClient(path=str(folder))
    except Exception as exc:  # whatever a damaged folder makes it raise: one line, no traceback
        if "already accessed" in str(exc):
            raise StoreUnavailable(
                f"the old index in {folder} is in use by another process (a `kennisbank` of an earlier "
                "version?); stop it and run the command again to move the index to Qdrant Edge"
            ) from None
        raise StoreUnavailable(f"the old index in {folder} cannot be read ({exc}); {rebuild}") from None
    staging = target.path.with_name(f"{target.path.name}.moving")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        vectors = client.get_collection(collection).config.params.vectors
        dimension = vectors[DENSE].size  # type: ignore[index]
        print(
            f"moving the index in {folder} to Qdrant Edge (once; nothing is embedded again) ...",
            file=sys.stderr,
        )
        shard = EdgeBackend(staging)
        try:
            shard.create(dimension)
            moved = _copy_points(client, collection, shard, embed_model)
            shard.flush()
        finally:
            shard.close()
    except StoreUnavailable:
        raise
    except Exception as exc:  # a damaged old store: say how to rebuild, never a traceback
        raise StoreUnavailable(f"the old index in {folder} could not be moved ({exc}); {rebuild}") from None
    finally:
        client.close()
    staging.with_name(f"{staging.name}.lock").unlink(missing_ok=True)
    target.adopt(staging)
    print(
        f"moved {moved} passages to {target.path}; the old folder {folder} is no longer used "
        "and can be deleted",
        file=sys.stderr,
    )
    return moved


def _copy_points(
    client: QdrantClient, collection: str, shard: EdgeBackend, embed_model: BaseEmbedding
) -> int:
    moved = 0
    model_checked: bool | None = None  # decided on the first point
    offset = None
    while True:
        records, offset = client.scroll(
            collection, limit=PAGE, offset=offset, with_payload=True, with_vectors=True
        )
        points = []
        for record in records:
            vectors = record.vector if isinstance(record.vector, dict) else {}
            dense = list(vectors[DENSE])  # type: ignore[arg-type]
            sparse = vectors.get(SPARSE)
            payload = dict(record.payload or {})
            text = Passage.from_payload(payload).embedded_text()
            if model_checked is None:
                model_checked = _cosine(dense, embed_model.get_text_embedding(text)) >= SAME_MODEL_COSINE
            if model_checked:
                # Vectors made by the configured model can be found again by their text.
                payload[EMBEDDING_KEY] = embedding_key(embed_model.model_name, text)
            points.append(
                StoredPoint(
                    id=str(record.id),
                    payload=payload,
                    dense=dense,
                    sparse=SparseVector(sparse.indices, sparse.values) if sparse else None,  # type: ignore[union-attr]
                )
            )
        shard.upsert(points)
        moved += len(points)
        if offset is None:
            return moved


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norms = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norms if norms else 0.0
