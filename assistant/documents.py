"""The document catalog: which documents the store holds, read back from the passages'
payloads (the store is the single source of truth, so the catalog cannot disagree with
what search finds). Every read applies the caller's access groups inside the Qdrant
query, like search does."""

from dataclasses import asdict, dataclass
from pathlib import Path

from llama_index.core.vector_stores.utils import metadata_dict_to_node
from qdrant_client import models

from assistant.filters import NO_FILTERS, SearchFilters, access_condition, build_filter
from assistant.store import KnowledgeStore

_SUMMARY_FIELDS = [
    "document_id",
    "title",
    "source",
    "root",
    "doc_type",
    "date",
    "status",
    "beleidsdomein",
    "page",
    "chunk_count",
    "fingerprint",
]


@dataclass(frozen=True)
class DocumentSummary:
    """One document as a catalog row."""

    document_id: str
    title: str
    source: str
    doc_type: str
    date: str | None
    status: str
    pages: int | None
    chunks: int
    beleidsdomein: list[str]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Passage:
    page: int | None
    heading: str
    article: str | None
    text: str


@dataclass(frozen=True)
class DocumentDetail:
    summary: DocumentSummary
    passages: list[Passage]

    def to_dict(self) -> dict:
        return {**self.summary.to_dict(), "passages": [asdict(passage) for passage in self.passages]}


class DocumentCatalog:
    """Lists documents, shows one with its passages in order, and finds its file."""

    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store

    def documents(
        self, *, groups: frozenset[str], filters: SearchFilters = NO_FILTERS
    ) -> list[DocumentSummary]:
        """The documents the caller may see that match `filters`, newest first."""
        payloads_by_document: dict[str, list[dict]] = {}
        for payload in self._payloads(build_filter(filters, groups), _SUMMARY_FIELDS):
            payloads_by_document.setdefault(payload["document_id"], []).append(payload)
        summaries = [_summary(_current_version(payloads)) for payloads in payloads_by_document.values()]
        return sorted(summaries, key=lambda doc: (doc.date or "", doc.title), reverse=True)

    def get(self, document_id: str, *, groups: frozenset[str]) -> DocumentDetail | None:
        """The document with its passages in reading order; None when it does not exist
        or the caller may not see it (the two are indistinguishable on purpose)."""
        payloads = _current_version(list(self._payloads(_one_document(document_id, groups), True)))
        if not payloads:
            return None
        passages = []
        for payload in sorted(payloads, key=lambda p: p["chunk_index"]):
            node = metadata_dict_to_node(payload)
            passages.append(
                Passage(
                    payload.get("page"),
                    payload.get("heading", ""),
                    payload.get("article"),
                    node.get_content(),
                )
            )
        return DocumentDetail(_summary(payloads), passages)

    def file_path(self, document_id: str, *, groups: frozenset[str]) -> Path | None:
        """The original file of a document the caller may see, or None. The path comes
        from the payload (`root` + `source`) and is refused unless it stays inside `root`,
        so a crafted payload or a symlink cannot serve other files of the server."""
        payloads = list(self._payloads(_one_document(document_id, groups), ["root", "source"], limit=1))
        if not payloads:
            return None
        root = Path(payloads[0]["root"]).resolve()
        path = (root / payloads[0]["source"]).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        return path

    def _payloads(self, query_filter: models.Filter, keys: list[str] | bool, limit: int | None = None):
        if not self.store.exists():
            return
        offset = None
        while True:
            points, offset = self.store.client.scroll(
                self.store.collection,
                scroll_filter=query_filter,
                limit=limit or 1024,
                offset=offset,
                with_payload=keys,
                with_vectors=False,
            )
            for point in points:
                yield point.payload or {}
            if offset is None or limit:
                return


def _one_document(document_id: str, groups: frozenset[str]) -> models.Filter:
    is_document = models.FieldCondition(key="document_id", match=models.MatchValue(value=document_id))
    return models.Filter(must=[access_condition(groups), is_document])


def _current_version(payloads: list[dict]) -> list[dict]:
    """The passages of one fingerprint. While a document is being replaced the store
    briefly holds its old and new version; show the complete one with most passages."""
    versions: dict[str, list[dict]] = {}
    for payload in payloads:
        versions.setdefault(payload["fingerprint"], []).append(payload)
    if len(versions) <= 1:
        return payloads
    complete = [v for v in versions.values() if len(v) == v[0]["chunk_count"]]
    return max(complete or versions.values(), key=len)


def _summary(payloads: list[dict]) -> DocumentSummary:
    first = payloads[0]
    pages = [payload["page"] for payload in payloads if payload.get("page")]
    return DocumentSummary(
        document_id=first["document_id"],
        title=first["title"],
        source=first["source"],
        doc_type=first["doc_type"],
        date=first.get("date"),
        status=first["status"],
        pages=max(pages) if pages else None,
        chunks=first["chunk_count"],
        beleidsdomein=list(first.get("beleidsdomein") or []),
    )
