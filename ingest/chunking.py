"""Structure-aware chunking: a document's blocks become passages that keep the page,
the enclosing headings and the article they belong to, so an answer can cite them."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from core.dutch.sentences import split_sentences
from ingest.model import Block, BlockKind
from ingest.readers.patterns import article_number, list_item_text, starts_agenda_item

# A passage this short is a fragment: not worth standing alone at a page break.
FRAGMENT_WORDS = 15

_ENDS_SENTENCE = (".", "!", "?", "…", ":", ";", '"', "”", ")")
_BODY_KINDS: frozenset[BlockKind] = frozenset({"paragraph", "list_item", "table"})


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of a document, as the chunker cuts it (`core.index.passage.Passage`
    is the same piece with its document's metadata, as it is stored).

    `text` is the passage body without the heading path; `page` the 1-based page it
    starts on (None for formats without pages); `heading_path` the enclosing headings,
    outermost first; `article` the article number it belongs to ("5", "5.2"), if any.
    """

    text: str
    page: int | None
    heading_path: tuple[str, ...]
    article: str | None


def chunk_blocks(blocks: Sequence[Block], max_words: int) -> list[Chunk]:
    """Passages of at most `max_words` words (body text only; the heading path is
    extra), in document order, never empty.

    - A heading closes the passage and updates the heading path by level. Headings are
      not passages themselves, except: two or more consecutive headings left without
      body text (an agenda listing, a table of contents) become one passage listing
      them, and a document of nothing but headings yields its headings.
    - An article ("Artikel 5.", "Art. 5 -") starts a passage and sets `article`, as a
      heading or at the start of a paragraph. It lasts until the next article or a
      heading that is not nested inside it; for an article paragraph, a heading deeper
      than the one the paragraph sits under (a table caption) is inside it. Agenda
      items of minutes ("Punt 3:", "1. Goedkeuring notulen") start a passage too.
    - Blocks under one heading are packed together while they fit, so small paragraphs
      merge and list items and table rows stay with the paragraph introducing them
      (that paragraph moves along to the next passage if the list would not fit).
    - A block longer than `max_words` is split between sentences (Dutch abbreviations
      such as "art." do not end a sentence); only a single sentence longer than
      `max_words` is cut between words.
    - Page breaks: a passage cites the page it starts on, so a new page starts a new
      passage. Two exceptions keep passages whole without citing the wrong page for
      more than a few words: a passage of fewer than FRAGMENT_WORDS words carries on
      onto the next page, and a sentence running over the page break is finished in
      the passage where it started; the rest of that paragraph opens the new passage.
    """
    if max_words < 1:
        raise ValueError(f"max_words must be at least 1, not {max_words}")
    chunker = _Chunker(max_words)
    for block in blocks:
        if block.text.strip():
            chunker.add(block)
    return chunker.finish()


def _word_count(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class _Article:
    """The article passages belong to. `owner_level` is the level of the heading that
    owns it (the article's own heading, or the heading an article paragraph sits under;
    None when there is none); `enclosing` counts the headings of the path outside it."""

    number: str
    owner_level: int | None
    enclosing: int

    def ends_at(self, level: int) -> bool:
        """True if a heading at this level ends the article; deeper headings are in it."""
        return self.owner_level is None or level <= self.owner_level


@dataclass
class _Part:
    kind: BlockKind
    text: str
    page: int | None


@dataclass
class _Open:
    """The passage being filled."""

    heading_path: tuple[str, ...]
    article: str | None
    parts: list[_Part] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(_word_count(part.text) for part in self.parts)

    def passage(self) -> Chunk:
        text = "\n".join(part.text for part in self.parts)
        return Chunk(text, self.parts[0].page, self.heading_path, self.article)


def _crosses_page(open_: _Open, part: _Part) -> bool:
    """True when the part starts on another page than the open passage's last part and
    the open passage is more than a fragment."""
    last_page = open_.parts[-1].page
    return (
        part.page is not None
        and last_page is not None
        and part.page != last_page
        and open_.words >= FRAGMENT_WORDS
    )


def _display(block: Block) -> str:
    """A block as a line of passage text; bulleted list items get "- " back (their
    bullet was dropped when reading) while enumerated ones ("1)", "a)") keep theirs.
    The dash counts as a word, so passages stay within max_words as displayed."""
    text = block.text.strip()
    if block.kind == "list_item" and list_item_text(text) != text:
        return f"- {text}"
    return text


class _Chunker:
    def __init__(self, max_words: int) -> None:
        self._max = max_words
        self._passages: list[Chunk] = []
        self._headings: list[Block] = []
        self._article: _Article | None = None
        self._open: _Open | None = None
        # Headings seen since the last body text, with the heading path above each.
        self._bodyless: list[tuple[Block, tuple[str, ...]]] = []

    def add(self, block: Block) -> None:
        if block.kind == "heading":
            self._add_heading(block)
        elif block.kind in _BODY_KINDS:
            self._add_body(block)

    def finish(self) -> list[Chunk]:
        self._close()
        self._list_bodyless_headings(at_end=True)
        return self._passages

    def _add_heading(self, block: Block) -> None:
        self._close()
        heading = Block(block.text.strip(), "heading", max(block.level, 1), block.page)
        parent = self._path_above(heading.level)
        self._headings = [*self._headings[: len(parent)], heading]
        self._bodyless.append((heading, parent))
        number = article_number(heading.text, heading=True)
        if number is not None:
            self._article = _Article(number, heading.level, enclosing=len(parent))
        elif self._article is not None and self._article.ends_at(heading.level):
            self._article = None

    def _add_body(self, block: Block) -> None:
        self._list_bodyless_headings(at_end=False)
        if block.kind == "paragraph":
            number = article_number(block.text, heading=False)
            if number is not None:
                self._close()
                self._start_article_paragraph(number)
            elif starts_agenda_item(block.text):
                self._close()
        part = _Part(block.kind, _display(block), block.page)
        if self._open and _crosses_page(self._open, part):
            part = self._finish_sentence_before_page_break(self._open, part)
            self._close()
        if part.text:
            self._place(part)

    def _start_article_paragraph(self, number: str) -> None:
        """An article opened by a paragraph belongs to the heading it sits under. Headings
        opened inside the previous article (a table caption) do not enclose this one."""
        if self._article is not None:
            del self._headings[self._article.enclosing :]
        owner = self._headings[-1].level if self._headings else None
        self._article = _Article(number, owner, enclosing=len(self._headings))

    def _place(self, part: _Part) -> None:
        """Append a part to the open passage, or start a new one where it does not fit."""
        words = _word_count(part.text)
        if self._open is not None and self._open.words + words <= self._max:
            self._open.parts.append(part)
        elif words <= self._max:
            moved = self._detach_list(part, words)
            self._close()
            self._start().parts.extend([*moved, part])
        else:
            self._place_sentences(part)

    def _place_sentences(self, part: _Part) -> None:
        """Spread a part longer than a passage over passages, whole sentences each; the
        first sentences fill up the open passage."""
        target: _Part | None = None
        for piece in self._pieces(part.text):
            open_ = self._open
            if open_ is None or open_.words + _word_count(piece) > self._max:
                self._close()
                open_, target = self._start(), None
            if target is None:
                target = _Part(part.kind, piece, part.page)
                open_.parts.append(target)
            else:
                target.text = f"{target.text} {piece}"

    def _pieces(self, text: str) -> list[str]:
        """Sentences, with any sentence longer than a passage cut into word windows."""
        pieces: list[str] = []
        for sentence in split_sentences(text):
            words = sentence.split()
            pieces += [" ".join(words[i : i + self._max]) for i in range(0, len(words), self._max)]
        return pieces

    def _detach_list(self, part: _Part, words: int) -> list[_Part]:
        """When a list item or table row does not fit, the paragraph introducing its list
        and the items before it, taken out of the open passage so that the whole list
        moves on together; nothing when the list would not fit in one passage anyway."""
        if self._open is None or part.kind == "paragraph":
            return []
        parts = self._open.parts
        start = len(parts)
        while start > 0 and parts[start - 1].kind == part.kind:
            start -= 1
        intro = start - 1
        if intro < 1 or parts[intro].kind != "paragraph":
            return []
        moved = parts[intro:]
        if sum(_word_count(moving.text) for moving in moved) + words > self._max:
            return []
        del parts[intro:]
        return moved

    def _finish_sentence_before_page_break(self, open_: _Open, part: _Part) -> _Part:
        """Move the end of a sentence that runs over the page break to the open passage;
        return what is left of the part for the new page."""
        last = open_.parts[-1]
        if last.text.endswith(_ENDS_SENTENCE) or not part.text[:1].islower():
            return part
        sentences = split_sentences(part.text)
        ending = sentences[0]
        if open_.words + _word_count(ending) > self._max:
            return part
        last.text = f"{last.text} {ending}"
        return _Part(part.kind, " ".join(sentences[1:]), part.page)

    def _list_bodyless_headings(self, *, at_end: bool) -> None:
        """Emit headings that were closed without body text when two or more of them
        follow each other (an agenda listing, a table of contents), or all of them when
        the document has nothing else."""
        if not at_end and not self._bodyless:
            return
        current = {id(heading) for heading in self._headings}
        closed = [(block, parent) for block, parent in self._bodyless if at_end or id(block) not in current]
        self._bodyless = []
        if len(closed) < 2 and not (at_end and closed and not self._passages):
            return
        listing = _Open(closed[0][1], None)
        for heading, _ in closed:
            for piece in self._pieces(heading.text):
                if listing.parts and listing.words + _word_count(piece) > self._max:
                    self._passages.append(listing.passage())
                    listing = _Open(closed[0][1], None)
                listing.parts.append(_Part("paragraph", piece, heading.page))
        self._passages.append(listing.passage())

    def _path_above(self, level: int) -> tuple[str, ...]:
        return tuple(heading.text for heading in self._headings if heading.level < level)

    def _start(self) -> _Open:
        article = self._article.number if self._article else None
        self._open = _Open(tuple(heading.text for heading in self._headings), article)
        return self._open

    def _close(self) -> None:
        if self._open is not None and self._open.parts:
            self._passages.append(self._open.passage())
        self._open = None
