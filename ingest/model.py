"""What readers produce and the chunker consumes: a document as a flat list of blocks
that keep their structural role and page."""

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table"]


@dataclass(frozen=True)
class Block:
    """One structural unit of a document.

    `level` is the heading depth (1 = top) for headings and 0 otherwise; `page` is the
    1-based page the block starts on, or None for formats without pages.
    """

    text: str
    kind: BlockKind = "paragraph"
    level: int = 0
    page: int | None = None


@dataclass
class ParsedDocument:
    """A document as read from disk, before metadata and chunking.

    `title` is what the file itself says its title is (PDF metadata, first heading,
    HTML <title>), or None. `warnings` are problems worth telling the user that did not
    stop the document from being indexed (e.g. pages without text and no OCR).
    """

    blocks: list[Block]
    title: str | None = None
    page_count: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


class UnreadableDocument(Exception):
    """The file cannot be read; the message says why, in words a user can act on."""
