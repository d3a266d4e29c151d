"""Markdown reader: headings, paragraphs, list items and pipe tables, without markup."""

import re
from collections.abc import Iterator
from pathlib import Path

from ingest.model import Block, BlockKind, ParsedDocument
from ingest.readers.cleanup import clean_title, normalize_whitespace
from ingest.readers.tables import table_blocks
from ingest.readers.text import decode_utf8

_FRONT_MATTER = re.compile(
    r"\A(?:---|\+\+\+)[ \t]*\n(?P<body>.*?)\n(?:---|\+\+\+|\.\.\.)[ \t]*$\n?",
    re.DOTALL | re.MULTILINE,
)
_FRONT_MATTER_TITLE = re.compile(r"^title\s*[:=]\s*['\"]?(?P<title>.+?)['\"]?\s*$", re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ATX_HEADING = re.compile(r"^ {0,3}(?P<marks>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?P<mark>=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|(?P<number>\d{1,9}[.)]))[ \t]+(?P<text>.*)$")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_TABLE_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")

_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image -> alt text
    (re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])"), r"\1"),  # link -> its text
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolink -> URL
    (re.compile(r"<[^>\n]+>"), ""),  # inline HTML tags
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),  # code
)


def read_markdown(path: Path) -> ParsedDocument:
    """Blocks of a Markdown file; front matter and HTML comments are dropped. The title
    is the front matter's `title:` or else the first heading."""
    text = decode_utf8(path.read_bytes()).replace("\r\n", "\n")
    front_title = None
    if front := _FRONT_MATTER.match(text):
        if title := _FRONT_MATTER_TITLE.search(front.group("body")):
            front_title = clean_title(title.group("title"))
        text = text[front.end() :]
    blocks = list(_blocks(_COMMENT.sub("", text).split("\n")))
    first_heading = next((block.text for block in blocks if block.kind == "heading"), None)
    return ParsedDocument(blocks=blocks, title=front_title or first_heading)


def _blocks(lines: list[str]) -> Iterator[Block]:
    """Blocks in order. One pass over the lines; `pending` holds the open paragraph or
    list item, which a blank line, heading, rule, table, fence or new item closes."""
    pending: list[str] = []
    pending_kind: BlockKind = "paragraph"
    index = 0
    while index < len(lines):
        line = _QUOTE.sub("", lines[index])
        following = lines[index + 1] if index + 1 < len(lines) else ""
        heading = _ATX_HEADING.match(line)
        setext = _SETEXT_UNDERLINE.match(line)
        fence = _FENCE.match(line)
        rule = _RULE.match(line)
        item = None if rule else _LIST_ITEM.match(line)
        if setext and pending and pending_kind == "paragraph":
            level = 1 if setext.group("mark").startswith("=") else 2
            yield Block(_inline(" ".join(pending)), "heading", level)
            pending = []
        elif not line.strip() or heading or fence or rule or item or _starts_table(line, following):
            yield from _close(pending, pending_kind)
            pending, pending_kind = [], "paragraph"
            if heading and heading.group("text"):
                yield Block(_inline(heading.group("text")), "heading", len(heading.group("marks")))
            elif fence:
                code, index = _fenced(lines, index, fence.group("fence"))
                yield from _close(code, "paragraph")
            elif item:
                pending, pending_kind = [_item_text(item)], "list_item"
            elif _starts_table(line, following):
                rows, index = _table_rows(lines, index)
                yield from table_blocks(rows, has_header=True)
        else:
            pending.append(line.strip())
        index += 1
    yield from _close(pending, pending_kind)


def _starts_table(line: str, following: str) -> bool:
    """A pipe table starts with a header row followed by a delimiter row ("|---|---|")."""
    return "|" in line and "|" in following and bool(_TABLE_SEPARATOR.match(following))


def _close(lines: list[str], kind: BlockKind) -> Iterator[Block]:
    text = _inline(" ".join(lines))
    if text:
        yield Block(text, kind)


def _item_text(item: re.Match[str]) -> str:
    """A list item's text; an ordered item keeps its number, which the text may cite."""
    number = item.group("number")
    return f"{number} {item.group('text')}" if number else item.group("text")


def _fenced(lines: list[str], start: int, fence: str) -> tuple[list[str], int]:
    """The lines of a fenced code block and the index of its closing fence."""
    index = start + 1
    while index < len(lines) and not lines[index].strip().startswith(fence):
        index += 1
    return lines[start + 1 : index], index


def _table_rows(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    """Cells of a pipe table starting at its header row (the separator row skipped), and
    the index of its last row."""
    rows = [_cells(lines[start])]
    index = start + 2
    while index < len(lines) and "|" in lines[index] and lines[index].strip():
        rows.append(_cells(lines[index]))
        index += 1
    return rows, index - 1


def _cells(line: str) -> list[str]:
    stripped = line.strip().removeprefix("|").removesuffix("|")
    cells = re.split(r"(?<!\\)\|", stripped)
    return [_inline(cell.replace("\\|", "|")) for cell in cells]


def _inline(text: str) -> str:
    """Text without inline markup: links keep their text, images their alt text."""
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return normalize_whitespace(text)
