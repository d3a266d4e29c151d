"""The one place that wires the components together from settings. Every front end (CLI,
HTTP API, Slack) gets a `Kennisbank` built here and never builds clients of its own."""

from dataclasses import dataclass

from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.analysis import DutchAnalyzer
from assistant.embedding import build_embedding
from assistant.retrieval import Retriever
from assistant.settings import Settings
from assistant.sparse import SparseEncoder
from assistant.store import KnowledgeStore, open_qdrant
from ingest.pipeline import Indexer


@dataclass
class Kennisbank:
    """The assembled application: store, embedder, search and ingestion."""

    settings: Settings
    store: KnowledgeStore
    embed_model: BaseEmbedding
    retriever: Retriever

    @property
    def indexer(self) -> Indexer:
        return Indexer(self.store, self.embed_model, self.settings)

    def close(self) -> None:
        """Release the store (the embedded store holds a lock on its folder until then)."""
        self.store.client.close()


def build_kennisbank(settings: Settings, embed_model: BaseEmbedding | None = None) -> Kennisbank:
    """Everything the front ends need, built from settings. `embed_model` lets tests share
    one embedder across many instances instead of loading it again."""
    embed_model = embed_model or build_embedding(settings)
    store = KnowledgeStore(
        open_qdrant(settings),
        settings.collection,
        SparseEncoder(DutchAnalyzer()),
        payload_indexes=not settings.embedded,
    )
    return Kennisbank(settings, store, embed_model, Retriever(store, embed_model))
