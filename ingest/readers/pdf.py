"""PDF reader: pypdf text page by page, headings from fonts and wording, OCR for scans."""

import io
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from itertools import chain
from pathlib import Path

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError

from ingest.model import Block, ParsedDocument, UnreadableDocument
from ingest.readers import ocr
from ingest.readers.cleanup import clean_title, error_reason, join_lines
from ingest.readers.layout import FontStats, Line, compact_levels, lines_to_blocks, plain_lines
from ingest.readers.pdf_lines import PDF_ERRORS, UnreadablePage, drop_running_lines, page_lines

# Images smaller than this (in pixels, either side) are logos or rules, not scans.
_MIN_SCAN_SIDE = 100
# Image files Tesseract reads from stdin as they are stored in the PDF.
_TESSERACT_FORMATS = frozenset({"JPEG", "PNG", "TIFF"})


def read_pdf(path: Path, ocr_language: str) -> ParsedDocument:
    """Blocks of a PDF with 1-based page numbers.

    Pages without a text layer are read with Tesseract when it is installed; otherwise,
    or when OCR fails, they are named in the warnings. A PDF that yields no text at all
    is unreadable, with the reason (and the install hint) as message.
    """
    reader = _open(path)
    warnings: list[str] = []
    pages: list[list[Line]] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            pages.append(page_lines(page))
        except UnreadablePage as exc:
            warnings.append(f"page {number} could not be read ({exc}); it was not indexed")
            pages.append([])
    scanned = [
        number
        for number, lines in enumerate(pages, start=1)
        if not _has_words(lines) and _has_scan(reader.pages[number - 1])
    ]
    if scanned:
        ocr_lines, ocr_warnings = _ocr_pages(reader, scanned, ocr_language)
        warnings += ocr_warnings
        for number, lines in ocr_lines.items():
            pages[number - 1] = lines
    pages = drop_running_lines(pages)
    stats = FontStats.from_lines(chain.from_iterable(pages))
    blocks_per_page = [lines_to_blocks(lines, stats, number) for number, lines in enumerate(pages, start=1)]
    blocks = compact_levels(_join_words_split_over_pages(blocks_per_page))
    if not blocks:
        raise UnreadableDocument("; ".join(warnings) or "PDF contains no text")
    return ParsedDocument(
        blocks=blocks,
        title=_metadata_title(reader) or _first_heading(blocks),
        page_count=len(reader.pages),
        warnings=warnings,
    )


def _open(path: Path) -> PdfReader:
    """A reader whose pages can be read, or UnreadableDocument saying why not."""
    try:
        reader = PdfReader(path)
        # Many PDFs are encrypted only to restrict printing or copying; they open with
        # an empty user password.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise UnreadableDocument("PDF is password-protected; save a copy without a password and add that")
        if len(reader.pages) == 0:
            raise UnreadableDocument("PDF has no pages")
    except DependencyError as exc:
        raise UnreadableDocument(
            "PDF is encrypted with AES, which needs the Python package 'cryptography' "
            "(pip install cryptography); or save a copy without encryption"
        ) from exc
    except PDF_ERRORS as exc:
        raise UnreadableDocument(
            f"PDF is damaged or incomplete ({error_reason(exc)}); download or export it again"
        ) from exc
    return reader


def _has_words(lines: list[Line]) -> bool:
    """False for a page whose text layer is empty or holds only a page number."""
    return any(char.isalpha() for line in lines for char in line.text)


def _has_scan(page: PageObject) -> bool:
    """True if a page without text holds an image (a scan), so OCR may find text."""
    try:
        return len(page.images) > 0
    except PDF_ERRORS:
        return False


def _ocr_pages(
    reader: PdfReader, numbers: list[int], language: str
) -> tuple[dict[int, list[Line]], list[str]]:
    """Lines read by OCR for the given pages, and warnings for pages left unread."""
    tesseract = ocr.tesseract_path()
    many = len(numbers) > 1
    no_text = f"{_page_label(numbers)} {'have' if many else 'has'} no text layer"
    not_indexed = f"{'they were' if many else 'it was'} not indexed"
    if tesseract is None:
        reason = f"tesseract is not installed ({ocr.INSTALL_HINT})"
        return {}, [f"{no_text} and {reason}; {not_indexed}"]
    try:
        language, language_warning = ocr.choose_language(tesseract, language)
    except ocr.OcrFailed as exc:
        return {}, [f"{no_text} and OCR is not possible ({exc}); {not_indexed}"]
    found, warnings = _run_ocr(reader, numbers, tesseract, language)
    return found, [language_warning, *warnings] if language_warning else warnings


def _run_ocr(
    reader: PdfReader, numbers: list[int], tesseract: str, language: str
) -> tuple[dict[int, list[Line]], list[str]]:
    """OCR of the pages, one Tesseract process per core. pypdf is not thread-safe, so
    the images are taken from the file one page at a time."""
    pdf_lock = threading.Lock()

    def page_text(number: int) -> str:
        with pdf_lock:
            images = _scan_images(reader.pages[number - 1])
        return "\n\n".join(ocr.image_text(tesseract, image, language) for image in images)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        texts = [pool.submit(page_text, number) for number in numbers]
    found: dict[int, list[Line]] = {}
    warnings: list[str] = []
    for number, future in zip(numbers, texts, strict=True):
        try:
            lines = plain_lines(future.result())
        except ocr.OcrFailed as exc:
            warnings.append(f"page {number} could not be read by OCR ({exc}); it was not indexed")
            continue
        if lines:
            found[number] = lines
        else:
            warnings.append(f"page {number} is a scan in which OCR found no text")
    return found, warnings


def _page_label(numbers: Sequence[int]) -> str:
    """ "page 3" or "pages 2-4, 7": pages named the way a reader of a warning counts them."""
    ranges: list[list[int]] = []
    for number in sorted(numbers):
        if ranges and number == ranges[-1][-1] + 1:
            ranges[-1].append(number)
        else:
            ranges.append([number])
    parts = [f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in ranges]
    return f"page {parts[0]}" if len(numbers) == 1 else f"pages {', '.join(parts)}"


def _scan_images(page: PageObject) -> list[bytes]:
    """The page's scan-sized images as image files (JPEG, PNG or TIFF bytes) for
    Tesseract to read from stdin."""
    files: list[bytes] = []
    try:
        for image_file in page.images:
            image = image_file.image
            if image is None or min(image.size) < _MIN_SCAN_SIDE:
                continue
            if image.format in _TESSERACT_FORMATS:
                files.append(image_file.data)  # as stored: no decoding and re-encoding
                continue
            if image.mode not in ("1", "L", "RGB", "RGBA", "P"):
                image = image.convert("RGB")
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            files.append(buffer.getvalue())
    # Pillow raises OSError for images it cannot decode; pypdf raises ImportError when
    # Pillow is missing.
    except (*PDF_ERRORS, OSError, ImportError) as exc:
        raise ocr.OcrFailed(f"its image could not be decoded: {error_reason(exc)}") from exc
    return files


def _join_words_split_over_pages(pages: list[list[Block]]) -> list[Block]:
    """All blocks in order, with a word hyphenated across a page break ("samen-" at the
    foot of one page, "werking" at the top of the next) joined on the first page."""
    blocks: list[Block] = []
    for page_blocks in pages:
        page_blocks = list(page_blocks)
        if blocks and page_blocks and _continues_word(blocks[-1], page_blocks[0]):
            word, _, rest = page_blocks[0].text.partition(" ")
            blocks[-1] = replace(blocks[-1], text=join_lines(blocks[-1].text, word))
            page_blocks[0] = replace(page_blocks[0], text=rest)
            if not rest:
                page_blocks.pop(0)
        blocks.extend(page_blocks)
    return blocks


def _continues_word(last: Block, first: Block) -> bool:
    return (
        last.kind in ("paragraph", "list_item")
        and first.kind == "paragraph"
        and len(last.text) > 1
        and last.text.endswith("-")
        and last.text[-2].isalpha()
        and first.text[:1].islower()
    )


def _metadata_title(reader: PdfReader) -> str | None:
    try:
        metadata = reader.metadata
        return clean_title(metadata.title) if metadata else None
    except PDF_ERRORS:
        return None


def _first_heading(blocks: Sequence[Block]) -> str | None:
    return next((block.text for block in blocks if block.kind == "heading"), None)
