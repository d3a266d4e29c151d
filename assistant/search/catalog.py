"""The document catalog: which documents the store holds, read back from the passages'
payloads (the store is the single source of truth, so the catalog cannot disagree with
what search finds). Every read applies the caller's access groups inside the Qdrant
query, like search does."""

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

from qdrant_client import models

from core.index.filters import NO_FILTERS, SearchFilters, access_condition, build_filter
from core.index.passage import Passage
from core.index.store import KnowledgeStore


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
class DocumentPassage:
    """One passage of a shown document, where it stands in it."""

    page: int | None
    heading: str
    article: str | None
    text: str


@dataclass(frozen=True)
class DocumentDetail:
    summary: DocumentSummary
    passages: list[DocumentPassage]

    def to_dict(self) -> dict:
        return {**self.summary.to_dict(), "passages": [asdict(passage) for passage in self.passages]}


@dataclass(frozen=True)
class DocumentFile:
    """A document's original file as it was indexed: its name and the bytes that were
    checked against the index, which are the bytes to send (never the path, which could
    be read again after it changed)."""

    name: str
    content: bytes


class FileChanged(Exception):
    """The file on disk is no longer the one that was indexed: it is not served until the
    next re-index, because its access groups (and its text) were decided for the old one."""


class DocumentCatalog:
    """Lists documents, shows one with its passages in order, and finds its file."""

    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store

    def documents(
        self, *, groups: frozenset[str], filters: SearchFilters = NO_FILTERS
    ) -> list[DocumentSummary]:
        """The documents the caller may see that match `filters`, newest first."""
        passages_by_document: dict[str, list[Passage]] = {}
        for passage in self.store.passages(build_filter(filters, groups)):
            passages_by_document.setdefault(passage.document_id, []).append(passage)
        summaries = [_summary(_current_version(passages)) for passages in passages_by_document.values()]
        return sorted(summaries, key=lambda doc: (doc.date or "", doc.title), reverse=True)

    def get(self, document_id: str, *, groups: frozenset[str]) -> DocumentDetail | None:
        """The document with its passages in reading order; None when it does not exist
        or the caller may not see it (the two are indistinguishable on purpose)."""
        found = self.store.passages(_one_document(document_id, groups), with_text=True)
        passages = _current_version(list(found))
        if not passages:
            return None
        shown = [
            DocumentPassage(passage.page, passage.heading, passage.article, passage.text)
            for passage in sorted(passages, key=lambda passage: passage.chunk_index)
        ]
        return DocumentDetail(_summary(passages), shown)

    def file(
        self, document_id: str, *, groups: frozenset[str], max_bytes: int | None = None
    ) -> DocumentFile | None:
        """The original file of a document the caller may see, read once, or None when
        there is no such document or file. The path comes from the payload (`root` +
        `source`) and is refused unless it stays inside `root`, so a crafted payload cannot
        serve other files of the server. Raises FileChanged unless the bytes read hash to
        the `file_sha256` of an indexed version the caller may see: a file replaced after
        indexing (say, by confidential text with a new sidecar) must not be served under
        the old version's access groups. A file over `max_bytes` cannot have been indexed
        (ingestion refuses it), so it is not read past that."""
        passages = list(self.store.passages(_one_document(document_id, groups)))
        if not passages:
            return None
        path = _inside_root(passages[0])
        if path is None:
            return None
        content = _read_at_most(path, max_bytes)
        if content is None:
            return None
        too_large = max_bytes is not None and len(content) > max_bytes
        if too_large or hashlib.sha256(content).hexdigest() not in {p.file_sha256 for p in passages}:
            raise FileChanged(f"{passages[0].source} changed after it was indexed")
        return DocumentFile(path.name, content)


def _inside_root(passage: Passage) -> Path | None:
    """The file a passage was read from, if it is still a file inside its root."""
    root = Path(passage.root).resolve()
    path = (root / passage.source).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def _read_at_most(path: Path, max_bytes: int | None) -> bytes | None:
    """The file's bytes (one more than `max_bytes` at most, to tell that it is larger),
    or None when it cannot be read (gone since it was found)."""
    try:
        with path.open("rb") as handle:
            return handle.read(-1 if max_bytes is None else max_bytes + 1)
    except OSError:
        return None


def _one_document(document_id: str, groups: frozenset[str]) -> models.Filter:
    is_document = models.FieldCondition(key="document_id", match=models.MatchValue(value=document_id))
    return models.Filter(must=[access_condition(groups), is_document])


def _current_version(passages: list[Passage]) -> list[Passage]:
    """The passages of one fingerprint. While a document is being replaced the store
    briefly holds its old and new version; show the complete one with most passages."""
    versions: dict[str, list[Passage]] = {}
    for passage in passages:
        versions.setdefault(passage.fingerprint, []).append(passage)
    if len(versions) <= 1:
        return passages
    complete = [v for v in versions.values() if len(v) == v[0].chunk_count]
    return max(complete or versions.values(), key=len)


def _summary(passages: list[Passage]) -> DocumentSummary:
    first = passages[0]
    pages = [passage.page for passage in passages if passage.page]
    return DocumentSummary(
        document_id=first.document_id,
        title=first.title,
        source=first.source,
        doc_type=first.doc_type,
        date=first.date,
        status=str(first.status),
        pages=max(pages) if pages else None,
        chunks=first.chunk_count,
        beleidsdomein=list(first.beleidsdomein),
    )
