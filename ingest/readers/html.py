"""HTML reader: the page's content as blocks, without scripts, menus and footers."""

import re
from collections.abc import Iterator
from pathlib import Path

import tinycss2
from bs4 import BeautifulSoup, Comment, Tag
from bs4.builder import ParserRejectedMarkup
from bs4.element import NavigableString, PageElement, PreformattedString
from soupsieve import SelectorSyntaxError

from ingest.model import Block, ParsedDocument, UnreadableDocument
from ingest.readers.cleanup import error_reason, normalize_whitespace
from ingest.readers.tables import looks_like_header, table_blocks

# fmt: off
# Everything that is page furniture rather than content.
_DROPPED_TAGS = (
    "script", "style", "nav", "header", "footer", "aside", "noscript", "form", "template",
    "iframe", "svg", "button",
)
_DROPPED_ROLES = "[role=navigation], [role=banner], [role=contentinfo], [role=search], [hidden]"
# Styles that keep an element's text from the reader, inline or in the page's own <style>
# sheets. A document can carry text that nobody who reads it sees, e.g. an instruction
# aimed at the language model; what the page does not show is not indexed. Rules inside
# @media and other at-rules are left alone: whether they apply depends on the screen
# (a "display: none" for print hides nothing on screen). Linked style sheets are not
# fetched (nothing is downloaded while indexing).
_HIDING_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)"
    r"|(?:opacity|font-size)\s*:\s*0*\.?0+(?:[a-z]+|%)?)\s*(?:!important\s*)?(?:;|$)",
    re.IGNORECASE,
)
# A page with thousands of rules is not a document page; the first ones are enough.
_MAX_STYLE_RULES = 500
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_PARAGRAPHS = {"p", "pre", "dt", "dd", "figcaption", "caption", "address", "summary", "legend"}
_LISTS = {"ul", "ol", "menu"}
_CONTAINERS = {
    "html", "body", "main", "article", "section", "div", "blockquote", "details", "figure",
    "dl", "center", "fieldset", "li", "td", "th",
}
# fmt: on
# A paragraph that holds one of these was never closed (<p>a<p>b<table>...), which
# html.parser nests instead of closing; it is read as a container so the parts stay apart.
_BLOCK_TAGS = sorted(_HEADINGS | _PARAGRAPHS | _LISTS | _CONTAINERS | {"table"})


def read_html(path: Path) -> ParsedDocument:
    """Blocks of an HTML page. When the page marks its content with <main>, only that
    is read. The title is the <title>, else the first <h1>. The character set comes from
    the page's own declaration (many municipal sites still serve windows-1252)."""
    try:
        soup = BeautifulSoup(path.read_bytes(), "html.parser")
    except ParserRejectedMarkup as exc:
        raise UnreadableDocument(f"HTML could not be parsed ({error_reason(exc)})") from exc
    title_tag = soup.find("title")
    title = normalize_whitespace(title_tag.get_text()) if title_tag else ""
    _drop_furniture(soup)
    root = soup.find("main") or soup.find("body") or soup
    blocks = list(_blocks(root))
    first_h1 = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None)
    return ParsedDocument(blocks=blocks, title=title or first_h1)


def _drop_furniture(soup: BeautifulSoup) -> None:
    """Remove scripts, menus, headers, footers, forms, comments and hidden parts, and
    turn <br> into a line break so words on both sides stay apart."""
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    dropped = (
        soup.find_all(_DROPPED_TAGS)
        + soup.select(_DROPPED_ROLES)
        + soup.find_all(style=_HIDING_STYLE)
        + list(_hidden_by_style_sheets(soup))
    )
    for tag in dropped:
        if not tag.decomposed:  # a <nav> inside a dropped <header> is gone already
            tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")


def _hidden_by_style_sheets(soup: BeautifulSoup) -> Iterator[Tag]:
    """Elements that a top-level rule of the page's <style> sheets hides. A selector that
    soupsieve cannot evaluate (":hover", "::before") hides nothing."""
    css = " ".join(style.get_text() for style in soup.find_all("style"))
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    top_level = [rule for rule in rules if rule.type == "qualified-rule"]  # not @media, not errors
    for rule in top_level[:_MAX_STYLE_RULES]:
        if not _HIDING_STYLE.search(tinycss2.serialize(rule.content).strip()):
            continue
        for selector in tinycss2.serialize(rule.prelude).split(","):
            try:
                yield from soup.select(selector.strip())
            except (SelectorSyntaxError, NotImplementedError):
                continue


def _blocks(element: Tag) -> Iterator[Block]:
    """Blocks of an element's children in order; loose text between block elements
    becomes a paragraph of its own."""
    inline: list[str] = []
    for child in element.children:
        if isinstance(child, Tag) and _is_block(child):
            yield from _paragraph(inline)
            inline = []
            yield from _element_blocks(child)
        else:
            inline.append(_text(child))
    yield from _paragraph(inline)


def _element_blocks(tag: Tag) -> Iterator[Block]:
    if tag.name in _HEADINGS:
        text = normalize_whitespace(tag.get_text())
        if text:
            yield Block(text, "heading", int(tag.name[1]))
    elif tag.name in _PARAGRAPHS and tag.find(_BLOCK_TAGS) is None:
        yield from _paragraph([tag.get_text()])
    elif tag.name in _LISTS:
        for item in tag.find_all("li", recursive=False):
            yield from _list_item(item)
    elif tag.name == "table":
        yield from _table(tag)
    else:
        yield from _blocks(tag)


def _list_item(item: Tag) -> Iterator[Block]:
    """A list item, then the items of any list nested in it."""
    nested = [child for child in item.children if isinstance(child, Tag) and child.name in _LISTS]
    own = "".join(_text(child) for child in item.children if not _is_list(child))
    if text := normalize_whitespace(own):
        yield Block(text, "list_item")
    for sublist in nested:
        yield from _element_blocks(sublist)


def _table(table: Tag) -> Iterator[Block]:
    """Its caption as a paragraph, then one block per row; a first row of <th> cells (or
    in <thead>) labels the others."""
    if caption := table.find("caption", recursive=False):
        yield from _paragraph([caption.get_text()])
    rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
    cells = [row.find_all(["th", "td"], recursive=False) for row in rows]
    texts = [[cell.get_text(" ") for cell in row] for row in cells]
    if not texts:
        return
    first = cells[0]
    marked = all(cell.name == "th" for cell in first) or rows[0].find_parent("thead") is not None
    yield from table_blocks(texts, has_header=marked or looks_like_header(texts))


def _paragraph(parts: list[str]) -> Iterator[Block]:
    if text := normalize_whitespace("".join(parts)):
        yield Block(text, "paragraph")


def _text(node: PageElement) -> str:
    """The text of an inline element or string; comments and doctypes have none."""
    if isinstance(node, Tag):
        return node.get_text()
    if isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
        return str(node)
    return ""


def _is_list(node: PageElement) -> bool:
    return isinstance(node, Tag) and node.name in _LISTS


def _is_block(tag: Tag) -> bool:
    return tag.name in _HEADINGS | _PARAGRAPHS | _LISTS | _CONTAINERS or tag.name == "table"
