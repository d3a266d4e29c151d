"""One passage as the index holds it: the typed record that ingestion writes and that
search, the document catalog and the store read back, with its conversion to and from
the Qdrant payload. Nothing else reads a payload by key.

The payload has llama-index's node layout, because `QdrantVectorStore` writes the points:
the metadata keys at the top level, where Qdrant filters and indexes them, and the node
itself (with the passage text) serialised as JSON under `_node_content`.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum

from llama_index.core.schema import MetadataMode, NodeRelationship, RelatedNodeInfo, TextNode

# Point ids are derived from (document, fingerprint, passage number), so a rerun of the
# same version overwrites its own points instead of adding copies.
POINT_NAMESPACE = uuid.UUID("6f0c3f4e-8a53-4f57-9d0e-6b0d3a1c2e41")
# Only the title and heading path are embedded with the text: they say what the passage is
# about, while ids, dates and flags would only add noise to the vectors.
EMBEDDED_METADATA = ("title", "heading")
_NODE_CONTENT = "_node_content"  # where llama-index keeps the serialised node


class DocumentStatus(StrEnum):
    """Whether a document is in force: its sidecar says so (`status:`), else `geldend`."""

    CURRENT = "geldend"
    DRAFT = "ontwerp"
    REPLACED = "vervangen"


# The payload key of the hash of (embedding model, embedded text) that a point's dense
# vector was made from: ingestion looks vectors up by it instead of embedding a passage
# whose text did not change (after a pipeline-version bump, a moved file, an edit
# elsewhere in the document). Written by the store, not part of the typed passage.
EMBEDDING_KEY = "embedding_key"
# The payload keys that filters use, by the kind of payload index that serves them.
KEYWORD_FIELDS = ("document_id", "doc_type", "status", "groups", "beleidsdomein", "root", EMBEDDING_KEY)
INTEGER_FIELDS = ("year", "day")


def embedding_key(model: str, text: str) -> str:
    """What identifies a dense vector: the model that made it and the exact text it embedded."""
    return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()[:32]


def day_number(day: date) -> int:
    """A date as the integer YYYYMMDD: the payload field `day` that date ranges compare,
    since a Range condition needs a number and this one sorts like the date."""
    return day.year * 10000 + day.month * 100 + day.day


@dataclass(frozen=True)
class Passage:
    """A passage with everything it inherits from its document.

    `source` is the file's path relative to `root`, the folder it was ingested from;
    `date` is ISO (YYYY-MM-DD); `groups` are the access groups that may see it (none:
    public); `heading` is the heading path joined with " > "; `chunk_index` and
    `chunk_count` place it in its document's version `fingerprint`; `file_sha256` is the
    SHA-256 of the file's bytes when it was indexed, what the file endpoint checks before
    it serves the file (None in a point written before it existed: such a file is not
    served until it is indexed again). `text` is empty when
    it was read from a scroll that left the text out (`METADATA_KEYS`). `day` is the
    date as a number (see `day_number`), derived."""

    document_id: str
    source: str
    root: str
    title: str
    doc_type: str
    date: str | None
    year: int | None
    day: int | None = field(init=False)
    status: DocumentStatus
    replaces: str | None
    groups: tuple[str, ...]
    beleidsdomein: tuple[str, ...]
    tags: tuple[str, ...]
    page: int | None
    heading: str
    article: str | None
    chunk_index: int
    chunk_count: int
    fingerprint: str
    file_sha256: str | None = None
    text: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "day", day_number(date.fromisoformat(self.date)) if self.date else None)

    @property
    def point_id(self) -> str:
        return str(uuid.uuid5(POINT_NAMESPACE, f"{self.document_id}/{self.fingerprint}/{self.chunk_index}"))

    def metadata(self) -> dict:
        """The payload keys besides the node (`METADATA_KEYS`): what Qdrant filters on and
        returns, as JSON values."""
        return {key: _json_value(getattr(self, key)) for key in METADATA_KEYS}

    def to_node(self) -> TextNode:
        """The passage as the llama-index node whose metadata becomes the payload; its
        embedding text is the title and heading path, then the text."""
        metadata = self.metadata()
        return TextNode(
            id_=self.point_id,
            text=self.text,
            metadata=metadata,
            excluded_embed_metadata_keys=[key for key in metadata if key not in EMBEDDED_METADATA],
            excluded_llm_metadata_keys=list(metadata),
            metadata_template="{value}",
            text_template="{metadata_str}\n\n{content}",
            relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=self.document_id)},
        )

    def embedded_text(self) -> str:
        """The text the dense and sparse vectors are made from (title, heading, text)."""
        return self.to_node().get_content(metadata_mode=MetadataMode.EMBED)

    @classmethod
    def from_payload(cls, payload: dict) -> "Passage":
        """The passage a point's payload holds (all of it, or the `METADATA_KEYS`)."""
        # The text is read from the node's JSON directly rather than by rebuilding the
        # node with llama-index: search reads every candidate, and this is ten times faster.
        node = payload.get(_NODE_CONTENT)
        return cls(
            document_id=payload["document_id"],
            source=payload["source"],
            root=payload["root"],
            title=payload["title"],
            doc_type=payload["doc_type"],
            date=payload.get("date"),
            year=payload.get("year"),
            status=DocumentStatus(payload["status"]),
            replaces=payload.get("replaces"),
            groups=tuple(payload.get("groups") or ()),
            beleidsdomein=tuple(payload.get("beleidsdomein") or ()),
            tags=tuple(payload.get("tags") or ()),
            page=payload.get("page"),
            heading=payload.get("heading") or "",
            article=payload.get("article"),
            chunk_index=payload["chunk_index"],
            chunk_count=payload["chunk_count"],
            fingerprint=payload["fingerprint"],
            file_sha256=payload.get("file_sha256"),
            text=json.loads(node)["text"] if node else "",
        )


# Every payload key but the node, in payload order: what a scroll asks for when it needs
# the passages without their text.
METADATA_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Passage) if f.name != "text")


def _json_value(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    return str(value) if isinstance(value, DocumentStatus) else value


@dataclass(frozen=True)
class ScoredPoint:
    """A candidate passage and the score of one search side (or of their fusion)."""

    id: str
    passage: Passage
    score: float
