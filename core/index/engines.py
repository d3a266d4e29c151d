"""Which Qdrant engine holds the index, chosen once from settings: a Qdrant server when
`qdrant_url` is set, else Qdrant Edge in this process under the data dir (moving an index
left by the local mode of earlier versions there first)."""

from llama_index.core.base.embeddings.base import BaseEmbedding

from core.index import local_mode
from core.index.backend import Backend
from core.index.edge import EdgeBackend
from core.index.server import ServerBackend, open_server
from core.index.sparse import SparseEncoder
from core.index.store import KnowledgeStore
from core.settings import Settings


def open_backend(settings: Settings) -> Backend:
    """The configured collection on the configured engine. The embedded one is held by
    this process until it is closed: a second process gets a one-line StoreUnavailable."""
    if settings.qdrant_url:
        return ServerBackend(
            open_server(settings.qdrant_url, settings.qdrant_api_key),
            settings.collection,
            shards=settings.qdrant_shards,
            replication=settings.qdrant_replication,
        )
    return EdgeBackend(settings.index_path / settings.collection)


def open_store(settings: Settings, sparse: SparseEncoder, embed_model: BaseEmbedding) -> KnowledgeStore:
    """The knowledge store on the configured engine, for vectors of `embed_model`."""
    backend = open_backend(settings)
    try:
        if (
            isinstance(backend, EdgeBackend)
            and not backend.exists()
            and local_mode.holds_collection(settings.local_mode_path, settings.collection)
        ):
            local_mode.migrate(settings.local_mode_path, settings.collection, backend, embed_model)
    except BaseException:
        backend.close()
        raise
    return KnowledgeStore(backend, sparse, embed_model.model_name)
