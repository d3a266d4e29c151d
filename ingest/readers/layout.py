"""Rebuild headings, paragraphs and list items from lines of text.

PDF pages, OCR output and plain-text files only give lines. This module turns them into
blocks: words hyphenated at line ends are joined, wrapped lines become paragraphs,
headings are found by font size, bold type and wording, and list items by their marker.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.model import Block, BlockKind
from ingest.readers.cleanup import join_lines, normalize_whitespace
from ingest.readers.patterns import (
    MAX_HEADING_WORDS,
    has_heading_label,
    heading_rank,
    is_page_number,
    is_title_like,
    list_item_text,
    starts_new_block,
)

# A font counts as a heading font when it is at least this much larger than the body.
_HEADING_SIZE_RATIO = 1.15
# Bold lines without a telling wording are labels ("Toelichting", "Besluit"): they
# nest below every numbered or worded heading.
_BOLD_RANK = 10
# A "heading" that grows longer than this when its lines are merged is body text set in
# a large or bold font (an introduction, a quote).
_MAX_MERGED_HEADING_WORDS = 2 * MAX_HEADING_WORDS
# A line this much shorter than the page's full lines, ending a sentence, ends a paragraph.
_SHORT_LINE_RATIO = 0.8
# Consecutive lines both shorter than this share of a full line are separate rows.
_TABLE_ROW_RATIO = 0.5
_SENTENCE_END = (".", "!", "?")


@dataclass(frozen=True)
class Line:
    """One line of text as laid out on a page.

    `size` is the font size in points (None when unknown, as for OCR and plain text),
    `bold` whether the line is set in a bold font, and `gap_before` whether there is
    visibly more space above it than between the lines of a paragraph (or a blank line).
    """

    text: str
    size: float | None = None
    bold: bool = False
    gap_before: bool = False


@dataclass(frozen=True)
class FontStats:
    """The fonts of a whole document: the body size and the larger heading sizes.

    Computed over all pages at once, so that a page holding only a title does not take
    the title's size for its body size.
    """

    body_size: float | None = None
    heading_sizes: tuple[float, ...] = ()

    @classmethod
    def from_lines(cls, lines: Iterable[Line]) -> "FontStats":
        """Body size = the size most characters are set in; heading sizes = clearly
        larger sizes used on short lines, largest first."""
        chars: Counter[float] = Counter()
        short_sizes: set[float] = set()
        for line in lines:
            if line.size is None:
                continue
            size = _round_size(line.size)
            chars[size] += len(line.text)
            if len(line.text.split()) <= MAX_HEADING_WORDS:
                short_sizes.add(size)
        if not chars:
            return cls()
        body = chars.most_common(1)[0][0]
        larger = sorted((size for size in short_sizes if size >= body * _HEADING_SIZE_RATIO), reverse=True)
        return cls(body_size=body, heading_sizes=tuple(larger))

    def size_level(self, size: float | None) -> int | None:
        """Heading level for text in this font size (1 = largest), or None for body."""
        if size is None or self.body_size is None:
            return None
        rounded = _round_size(size)
        return self.heading_sizes.index(rounded) + 1 if rounded in self.heading_sizes else None


def plain_lines(text: str) -> list[Line]:
    """Lines of a text without layout (a .txt file, OCR output); a blank line marks the
    gap between paragraphs."""
    lines: list[Line] = []
    gap = False
    for raw in text.splitlines():
        if raw.strip():
            lines.append(Line(raw, gap_before=gap))
            gap = False
        else:
            gap = True
    return lines


def lines_to_blocks(lines: Sequence[Line], stats: FontStats, page: int | None) -> list[Block]:
    """Blocks of one page (or of a whole page-less text), in reading order.

    Heading levels are relative: larger fonts first, then headings recognised by their
    wording (see `patterns.heading_rank`), then bold labels. Call `compact_levels` on the
    whole document's blocks to renumber them 1, 2, 3, ...
    """
    builder = _BlockBuilder(page)
    full_length = max((len(line.text.strip()) for line in lines), default=0)
    previous: str | None = None
    for line in lines:
        text = normalize_whitespace(line.text)
        if not text or is_page_number(text):
            continue
        level = _heading_level(text, line, stats)
        if level is not None:
            builder.add_heading(text, level, continues=not line.gap_before)
        elif (item := list_item_text(text)) is not None:
            builder.start("list_item", item)
        elif line.gap_before or _breaks_after(previous, text, full_length):
            builder.start("paragraph", text)
        else:
            builder.extend(text)
        previous = text
    return builder.finish()


def compact_levels(blocks: Sequence[Block]) -> list[Block]:
    """The same blocks with heading levels renumbered 1, 2, 3, ... keeping their order,
    so that a document whose only headings are bold labels still starts at level 1."""
    used = sorted({block.level for block in blocks if block.kind == "heading"})
    dense = {level: index + 1 for index, level in enumerate(used)}
    return [
        Block(block.text, block.kind, dense[block.level], block.page) if block.kind == "heading" else block
        for block in blocks
    ]


def _breaks_after(previous: str | None, text: str, full_length: int) -> bool:
    """True if `text` starts a new block although no space separates it from the line
    above: it opens an article or agenda item, the line above ends a sentence well
    before the margin, or both lines are short and the new one starts with a capital
    or digit (rows of a table, an address, a signature block)."""
    if previous is None:
        return False
    if starts_new_block(text):
        return True
    if previous.endswith(_SENTENCE_END) and len(previous) < _SHORT_LINE_RATIO * full_length:
        return True
    short = _TABLE_ROW_RATIO * full_length
    return len(previous) < short and len(text) < short and (text[0].isupper() or text[0].isdigit())


def _heading_level(text: str, line: Line, stats: FontStats) -> int | None:
    """Heading level of a line: by font size, else by wording, else bold and short."""
    size_level = stats.size_level(line.size)
    if size_level is not None and len(text.split()) <= _MAX_MERGED_HEADING_WORDS:
        return size_level
    base = len(stats.heading_sizes)
    if (rank := heading_rank(text)) is not None:
        return base + rank
    if line.bold and is_title_like(text):
        return base + _BOLD_RANK
    return None


def _round_size(size: float) -> float:
    """Font sizes to the nearest half point: the same font renders at 9.96 and 10.0."""
    return round(size * 2) / 2


class _BlockBuilder:
    """Collects lines into blocks; one block is open at a time."""

    def __init__(self, page: int | None) -> None:
        self._page = page
        self._blocks: list[Block] = []
        self._kind: BlockKind | None = None
        self._level = 0
        self._text = ""

    def start(self, kind: BlockKind, text: str, level: int = 0) -> None:
        self._flush()
        self._kind, self._text, self._level = kind, text, level

    def extend(self, text: str) -> None:
        """Continue the open paragraph or list item (or start a paragraph)."""
        if self._kind in ("paragraph", "list_item"):
            self._text = join_lines(self._text, text)
        else:
            self.start("paragraph", text)

    def add_heading(self, text: str, level: int, *, continues: bool) -> None:
        """A heading line; a heading that wraps over several lines in the same style is
        one heading, unless the new line opens a numbered heading of its own."""
        if continues and self._kind == "heading" and self._level == level and not has_heading_label(text):
            self._text = join_lines(self._text, text)
        else:
            self.start("heading", text, level)

    def finish(self) -> list[Block]:
        self._flush()
        return self._blocks

    def _flush(self) -> None:
        if self._kind is None or not self._text:
            return
        kind = self._kind
        if kind == "heading" and len(self._text.split()) > _MAX_MERGED_HEADING_WORDS:
            kind = "paragraph"
        level = self._level if kind == "heading" else 0
        self._blocks.append(Block(self._text, kind, level, self._page))
        self._kind, self._text, self._level = None, "", 0
