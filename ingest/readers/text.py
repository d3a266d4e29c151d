"""Plain-text reader (.txt), and the UTF-8 decoding shared with the Markdown reader."""

from pathlib import Path

from ingest.model import ParsedDocument, UnreadableDocument
from ingest.readers.layout import FontStats, compact_levels, lines_to_blocks, plain_lines


def decode_utf8(data: bytes) -> str:
    """The text of a UTF-8 file (a byte-order mark is dropped), or UnreadableDocument
    naming the first bad byte, so the user can find it and re-save the file as UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from exc


def read_text(path: Path) -> ParsedDocument:
    """Paragraphs split on blank lines; hard-wrapped lines are joined into their
    paragraph. Text files are often copied from PDFs or slides, so list markers and
    headings recognisable by their wording ("Artikel 5.", "3. Personeel", capitals)
    become list items and headings as they do for PDF text."""
    text = decode_utf8(path.read_bytes())
    blocks = compact_levels(lines_to_blocks(plain_lines(text), FontStats(), page=None))
    title = next((block.text for block in blocks if block.kind == "heading"), None)
    return ParsedDocument(blocks=blocks, title=title)
