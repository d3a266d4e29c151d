"""Passage search: dense (e5), sparse (Dutch BM25) or both fused, with filters and
access rules applied inside the Qdrant query."""

from dataclasses import asdict, dataclass
from typing import Literal

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import BaseNode
from llama_index.core.vector_stores.types import VectorStoreQuery, VectorStoreQueryMode

from assistant.filters import NO_FILTERS, SearchFilters, build_filter
from assistant.store import KnowledgeStore

SearchMode = Literal["hybrid", "dense", "sparse"]
SEARCH_MODES: tuple[SearchMode, ...] = ("hybrid", "dense", "sparse")

_QUERY_MODES = {
    "hybrid": VectorStoreQueryMode.HYBRID,
    "dense": VectorStoreQueryMode.DEFAULT,
    "sparse": VectorStoreQueryMode.SPARSE,
}
# Each side of a hybrid query fetches this many candidates per requested result, so
# fusion can promote a passage that only one side ranks highly.
CANDIDATES_PER_RESULT = 4
MIN_CANDIDATES = 20


@dataclass(frozen=True)
class SearchHit:
    """One passage as the user sees it in a result list or a citation."""

    document_id: str
    title: str
    source: str
    page: int | None
    heading: str
    article: str | None
    doc_type: str
    date: str | None
    status: str
    text: str
    score: float

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_node(cls, node: BaseNode, score: float) -> "SearchHit":
        meta = node.metadata
        return cls(
            document_id=meta["document_id"],
            title=meta["title"],
            source=meta["source"],
            page=meta.get("page"),
            heading=meta.get("heading", ""),
            article=meta.get("article"),
            doc_type=meta["doc_type"],
            date=meta.get("date"),
            status=meta["status"],
            text=node.get_content(),
            score=round(float(score), 4),
        )


class Retriever:
    """Finds the passages that best match a question, best first."""

    def __init__(self, store: KnowledgeStore, embed_model: BaseEmbedding) -> None:
        self.store = store
        self.embed_model = embed_model

    def search(
        self,
        query: str,
        *,
        top_k: int = 5,
        filters: SearchFilters = NO_FILTERS,
        groups: frozenset[str] = frozenset(),
        mode: SearchMode = "hybrid",
    ) -> list[SearchHit]:
        if not query.strip() or not self.store.exists():
            return []
        candidates = max(top_k * CANDIDATES_PER_RESULT, MIN_CANDIDATES)
        request = VectorStoreQuery(
            query_str=query,
            query_embedding=None if mode == "sparse" else self.embed_model.get_query_embedding(query),
            mode=_QUERY_MODES[mode],
            similarity_top_k=candidates if mode == "hybrid" else top_k,
            sparse_top_k=candidates if mode == "hybrid" else top_k,
            hybrid_top_k=top_k,
        )
        result = self.store.vector_store.query(request, qdrant_filters=build_filter(filters, groups))
        nodes = result.nodes or []
        scores = result.similarities or [0.0] * len(nodes)
        return [SearchHit.from_node(node, score) for node, score in zip(nodes, scores, strict=True)][:top_k]
