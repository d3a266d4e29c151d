"""Text patterns that reveal the structure of Dutch (Flemish) administrative documents.

Readers use them to recognise headings and list items in formats that carry no styles
(PDF text, OCR output, plain text); the chunker uses them to find articles and agenda
items. All functions look at one line or the start of one block.
"""

import re

# Flemish decrees and agreements number articles as "Artikel 5.", "Art. 5.2", and
# articles inserted later as "Artikel 41/1" or "Artikel 5bis"; the number keeps that form.
_ARTICLE = re.compile(
    r"^(?:artikel|art\.)\s*(?P<number>\d+(?:[./]\d+)*(?:\s?(?:bis|ter|quater)|[a-z])?)"
    r"(?P<after>\s*[.:\-–—]|\s*$|\s+)",
    re.IGNORECASE,
)

# The divisions of Belgian/Flemish legislation, outermost first ("Titel 2", "Hoofdstuk III").
_DIVISIONS = ("boek", "deel", "titel", "hoofdstuk", "afdeling", "onderafdeling")
_DIVISION = re.compile(r"^(?P<word>" + "|".join(_DIVISIONS) + r")\s+(?:[IVXLC]+|\d+)\b", re.IGNORECASE)

# "3. Personeel", "3.2 Kostenverdeling": at most two digits per part, so that a year
# ("2024 Begroting") is not read as a section number.
_NUMBERED = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<title>\S.*)$")

# Board minutes announce agenda items as "Punt 3: ..." or "Agendapunt 3 - ...".
_AGENDA = re.compile(r"^(?:agenda)?punt\s+\d+[a-z]?\s*[:.\-–—]", re.IGNORECASE)

# Bullets are dropped from the text; enumerators ("1)", "a)", "(b)") and the Belgian
# legal enumerator "1°" carry meaning and are kept. "1. de begroting ..." (lower case
# after the number) is an enumeration inside a decision, not a section title. Word's
# Symbol and Wingdings bullets come out of PDFs as private-use characters (U+F0B7 ...).
# A bullet glyph may touch its text ("•het ordenen"); a dash or asterisk needs a space.
_BULLET = re.compile(r"^(?:[-–—*]\s+|[•▪◦·●○■□➢►✓\uf0a7\uf0a8\uf0b7\uf0d8\uf0fc\uf076]\s*)")
_ENUMERATOR = re.compile(r"^(?:\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})\)|\d{1,2}°|\d{1,2}\.(?=\s+[a-z]))\s*")

_PAGE_NUMBER = re.compile(
    r"^(?:[-–]\s*\d{1,3}\s*[-–]|(?:pagina|blz\.?|p\.)?\s*\d{1,3}(?:\s*(?:/|van|of)\s*\d{1,3})?)$",
    re.IGNORECASE,
)
# Table-of-contents entries end in dot leaders and a page number; they are not headings.
_TOC_ENTRY = re.compile(r"(?:\.\s?){4,}\s*\d+$|…{2,}")

_END_PUNCTUATION = (".", ",", ";", ":", "!", "?")
# "Toepassingsgebied. Het decreet bundelt": a title followed by the start of a sentence,
# the first line of an article paragraph rather than a heading.
_SENTENCE_INSIDE = re.compile(r"[.!?]\s+[A-ZÀ-Þ]")
MAX_HEADING_WORDS = 12


def article_number(text: str, *, heading: bool) -> str | None:
    """The article number a block starts with ("5", "5.2", "41/1", "5bis"), or None.

    A paragraph only counts when the number is followed by punctuation or the end of the
    line ("Artikel 5. De kosten ...", "Artikel 5 - Kosten"), so that a sentence that merely
    cites an article ("Artikel 5 van het decreet bepaalt ...") does not start a new one.
    A heading may also continue with a plain space ("Artikel 5 Kostenverdeling").
    """
    match = _ARTICLE.match(text.strip())
    if match is None:
        return None
    if not heading and not match.group("after").strip() and match.end() < len(text.strip()):
        return None
    return re.sub(r"\s+", "", match.group("number"))


def heading_rank(line: str) -> int | None:
    """Relative heading level of a line that is a heading by its wording alone, else None.

    Lower ranks enclose higher ones: capitals and legislative divisions (1-6) enclose
    articles (7), which enclose agenda items and numbered sections (8 and deeper).
    """
    if is_toc_entry(line) or len(line.split()) > MAX_HEADING_WORDS:
        return None
    if (division := _DIVISION.match(line)) is not None:
        rank = _DIVISIONS.index(division.group("word").lower()) + 1
        return rank if _is_caption(line[division.end() :]) else None
    if (article := _ARTICLE.match(line)) is not None:
        return 7 if _is_caption(line[article.end() :]) else None
    if (agenda := _AGENDA.match(line)) is not None:
        return 8 if _is_caption(line[agenda.end() :]) else None
    if (depth := numbered_section_depth(line)) is not None:
        return 7 + depth
    return 1 if is_all_caps_title(line) else None


def has_heading_label(line: str) -> bool:
    """True if a line opens with its own heading label ("Artikel 6", "Hoofdstuk 2",
    "Punt 4:", "3.2"), so it cannot be the second line of the heading above it."""
    labels = (_DIVISION, _ARTICLE, _AGENDA)
    return any(label.match(line) for label in labels) or numbered_section_depth(line) is not None


def starts_agenda_item(text: str) -> bool:
    """True if a block opens an agenda item of board minutes ("Punt 3: ...", or a short
    numbered title such as "1. Goedkeuring notulen")."""
    return bool(_AGENDA.match(text)) or numbered_section_depth(text) is not None


def numbered_section_depth(line: str) -> int | None:
    """Depth of a short numbered title ("3. Personeel" -> 1, "3.2 Kosten" -> 2), else None.

    Only short lines that start with a capital and end without punctuation count: a
    numbered sentence ("1. De raad keurt ... goed.") is body text.
    """
    match = _NUMBERED.match(line)
    if match is None or not is_title_like(match.group("title")):
        return None
    if not match.group("title")[0].isupper():
        return None
    return match.group("number").count(".") + 1


def is_all_caps_title(line: str) -> bool:
    """True for a short line in capitals ("BESLUIT", "REGIONALE SAMENWERKING")."""
    letters = [char for char in line if char.isalpha()]
    return len(letters) >= 5 and all(char.isupper() for char in letters) and _is_short(line)


def list_item_text(line: str) -> str | None:
    """The text of a list item without its bullet (enumerators are kept), or None when the
    line does not start a list item."""
    bullet = _BULLET.match(line)
    if bullet is not None:
        return line[bullet.end() :].strip() or None
    if _ENUMERATOR.match(line):
        return line.strip()
    return None


def is_page_number(line: str) -> bool:
    """True for page furniture such as "3", "- 3 -", "Pagina 3 van 12", "3/12"."""
    return bool(_PAGE_NUMBER.match(line.strip()))


def is_toc_entry(line: str) -> bool:
    """True for a table-of-contents line ("2. Personeel ........ 7")."""
    return bool(_TOC_ENTRY.search(line))


def starts_new_block(line: str) -> bool:
    """True if a line always begins a new block, even without spacing above it: list
    items, articles and agenda items."""
    return (
        list_item_text(line) is not None
        or article_number(line, heading=False) is not None
        or bool(_AGENDA.match(line))
    )


def _is_short(line: str) -> bool:
    return len(line.split()) <= MAX_HEADING_WORDS and not is_toc_entry(line)


def is_title_like(line: str) -> bool:
    """True for a short line without end punctuation or a sentence inside: the shape of
    a heading."""
    return (
        _is_short(line) and not line.rstrip().endswith(_END_PUNCTUATION) and not _SENTENCE_INSIDE.search(line)
    )


def _is_caption(rest: str) -> bool:
    """True if what follows "Artikel 5" / "Hoofdstuk 2" / "Punt 3:" is nothing or a title
    ("Kostenverdeling"); a line wrapped from a sentence ("van het decreet bepaalt dat")
    continues in lower case."""
    caption = rest.strip().lstrip(".:-–—").strip()
    return not caption or (is_title_like(caption) and not caption[0].islower())
