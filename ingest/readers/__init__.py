"""Readers turn a file into a `ParsedDocument`: one module per format, chosen by suffix.

Every problem with the file itself surfaces as `UnreadableDocument` with a one-line
reason the user can act on; the caller prefixes the file name. File-size limits are the
caller's business.
"""

from collections.abc import Callable
from pathlib import Path

from ingest.model import ParsedDocument, UnreadableDocument
from ingest.readers.docx import read_docx
from ingest.readers.html import read_html
from ingest.readers.markdown import read_markdown
from ingest.readers.pdf import read_pdf
from ingest.readers.text import read_text

_TEXT_READERS: dict[str, Callable[[Path], ParsedDocument]] = {
    ".docx": read_docx,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".txt": read_text,
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".pdf", *_TEXT_READERS})

__all__ = ["SUPPORTED_SUFFIXES", "read_document"]


def read_document(path: Path, *, ocr_language: str = "nld") -> ParsedDocument:
    """Read a supported file into blocks, or raise UnreadableDocument saying why not.

    `ocr_language` is the Tesseract language for scanned PDF pages. A document that
    reads without error but holds no text at all is unreadable too: indexing it would
    silently make its content unfindable.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(
            f"unsupported file type '{suffix or '(no extension)'}'; "
            f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}"
        )
    try:
        if path.stat().st_size == 0:
            raise UnreadableDocument("file is empty (0 bytes)")
        reader = _TEXT_READERS.get(suffix)
        document = reader(path) if reader else read_pdf(path, ocr_language)
    except OSError as exc:
        raise UnreadableDocument(f"file cannot be read ({exc.strerror or exc})") from exc
    if not document.blocks:
        raise UnreadableDocument("file contains no text")
    return document
