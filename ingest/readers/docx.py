"""Word (.docx) reader: headings from paragraph styles, list items, tables in place."""

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles.style import CharacterStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from ingest.model import Block, ParsedDocument, UnreadableDocument
from ingest.readers.cleanup import clean_title, error_reason, normalize_whitespace
from ingest.readers.tables import looks_like_header, table_blocks

# Word stores built-in style names in English ("heading 1"), but documents made with a
# Dutch Word or LibreOffice can carry the localised names ("Kop 1", "Titel", "Lijstalinea").
_HEADING_STYLE = re.compile(r"^(?:heading|kop)\s*(?P<level>[1-9])$", re.IGNORECASE)
_TITLE_STYLES = frozenset({"title", "titel"})
_LIST_STYLE = re.compile(r"^(?:list|lijst)", re.IGNORECASE)
# The first bytes of an old binary Word (.doc) file.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
# python-docx unpacks every part into memory. Text-only XML compresses about tenfold, so
# even a 50 MB .docx stays far below this; a package declaring more is a zip bomb.
MAX_UNPACKED_BYTES = 512 * 2**20


def read_docx(path: Path) -> ParsedDocument:
    """Blocks of a Word document in body order, tables where they stand. The title is the
    document property if it is meaningful, else the first heading. No page numbers:
    pages in Word depend on the printer, so none are claimed."""
    document = _open(path)
    _drop_hidden_text(document.element.body)
    blocks: list[Block] = []
    for item in _body_items(document.element.body, document):
        if isinstance(item, Table):
            blocks += _table_blocks(item)
        elif block := _paragraph_block(item):
            blocks.append(block)
    first_heading = next((block.text for block in blocks if block.kind == "heading"), None)
    return ParsedDocument(blocks=blocks, title=clean_title(document.core_properties.title) or first_heading)


def _open(path: Path) -> Document:
    if not zipfile.is_zipfile(path):
        with path.open("rb") as file:
            if file.read(4) == _OLE_SIGNATURE:
                raise UnreadableDocument(
                    "is an old Word 97-2003 (.doc) file named .docx; open it in Word and save it as .docx"
                )
        raise UnreadableDocument("Word file is damaged or not a .docx (it is not a zip archive)")
    try:
        with zipfile.ZipFile(path) as package:
            unpacked = sum(member.file_size for member in package.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableDocument(f"Word file is damaged or not a .docx ({error_reason(exc)})") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableDocument(
            f"Word file would unpack to {unpacked / 2**20:,.0f} MB (over {MAX_UNPACKED_BYTES >> 20} MB); "
            "it looks like a zip bomb and was not opened"
        )
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, XMLSyntaxError, zipfile.BadZipFile) as exc:
        raise UnreadableDocument(f"Word file is damaged or not a .docx ({error_reason(exc)})") from exc


def _drop_hidden_text(body: BaseOxmlElement) -> None:
    """Remove runs formatted as hidden text (w:vanish): Word neither shows nor prints
    them, so whatever they say (e.g. an instruction aimed at the language model) is not
    part of the document as its readers know it."""
    for vanish in body.xpath(".//w:r/w:rPr/w:vanish"):
        if vanish.get(qn("w:val"), "true") not in ("0", "false", "off"):
            run = vanish.getparent().getparent()
            run.getparent().remove(run)


def _body_items(container: BaseOxmlElement, document: Document) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables in body order, including those inside content controls
    (w:sdt), which templates use for fill-in fields and which python-docx skips."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)
        elif child.tag == qn("w:sdt") and (content := child.find(qn("w:sdtContent"))) is not None:
            yield from _body_items(content, document)


def _paragraph_block(paragraph: Paragraph) -> Block | None:
    text = normalize_whitespace(paragraph.text)
    if not text:
        return None
    if (level := _heading_level(paragraph)) is not None:
        return Block(text, "heading", level)
    if _is_list_paragraph(paragraph):
        return Block(text, "list_item")
    return Block(text, "paragraph")


def _heading_level(paragraph: Paragraph) -> int | None:
    """Level from the style ("Heading 2", "Kop 2", "Title" = 1), from a custom style
    based on one of those, or from an outline level set on the paragraph or its style."""
    if (level := _outline_level(paragraph._p)) is not None:
        return level
    for style in _style_chain(paragraph):
        name = (style.name or "").strip().lower()
        if name in _TITLE_STYLES:
            return 1
        if match := _HEADING_STYLE.match(name):
            return int(match.group("level"))
        if (level := _outline_level(style.element)) is not None:
            return level
    return None


def _outline_level(element: BaseOxmlElement) -> int | None:
    """Word's outline level (0 = level 1; 9 = body text) set in a paragraph or style."""
    values = element.xpath("./w:pPr/w:outlineLvl/@w:val")
    if not values or not str(values[0]).isdigit() or int(values[0]) > 8:
        return None
    return int(values[0]) + 1


def _is_list_paragraph(paragraph: Paragraph) -> bool:
    """True for bulleted or numbered paragraphs: list numbering on the paragraph or its
    style, or a list style ("List Bullet", "Lijstalinea")."""
    if paragraph._p.xpath("./w:pPr/w:numPr"):
        return True
    return any(
        _LIST_STYLE.match(style.name or "") or style.element.xpath("./w:pPr/w:numPr")
        for style in _style_chain(paragraph)
    )


def _style_chain(paragraph: Paragraph) -> Iterator[CharacterStyle]:
    """The paragraph's style and the styles it is based on, nearest first."""
    style: CharacterStyle | None = paragraph.style
    while style is not None:
        yield style
        style = style.base_style


def _table_blocks(table: Table) -> list[Block]:
    """Rows of a table; merged cells count once. The first row labels the others when
    Word marks it as a repeating header row, or when it looks like labels."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell.text)
        rows.append(cells)
    if not rows:
        return []
    marked = bool(table.rows[0]._tr.xpath("./w:trPr/w:tblHeader"))
    return table_blocks(rows, has_header=marked or looks_like_header(rows))
