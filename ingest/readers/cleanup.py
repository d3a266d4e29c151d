"""Clean-up of extracted text shared by the readers: whitespace, ligatures, words broken
at line ends, and document titles."""

import re

from core.dutch.invisible import remove_invisible

# \s also covers non-breaking and typographic spaces; line breaks inside one paragraph
# (a soft break in Word, a newline in HTML source) become spaces too.
_SPACES = re.compile(r"\s+")
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st"})

# After "aan-" at a line end, a next line starting with a conjunction ("aan- en afvoer",
# "in- of uitvoer") shows the Dutch elision hyphen (weglatingsstreepje): it stays.
_ELISION_FOLLOWERS = frozenset({"en", "of", "tot", "noch", "als"})
_VOWELS = frozenset("aeiouy")

# fmt: off
_PLACEHOLDER_TITLES = frozenset({
    "untitled", "naamloos", "document", "(anonymous)", "anonymous", "(unspecified)",
    "unspecified", "titel", "title", "presentatie", "powerpoint-presentatie",
})
# fmt: on
_WORD_EXPORT_PREFIX = re.compile(r"^microsoft (?:word|powerpoint) - ", re.IGNORECASE)
_FILE_NAME = re.compile(r"\.(?:docx?|pdf|pptx?|odt|rtf|txt|html?)$", re.IGNORECASE)


def normalize_whitespace(text: str) -> str:
    """One line of text: runs of whitespace (justified text, tabs, non-breaking spaces,
    line breaks) collapsed to one space, invisible characters and soft hyphens removed,
    typographic ligatures spelled out, no surrounding space."""
    text = _SPACES.sub(" ", remove_invisible(text).translate(_LIGATURES)).strip()
    # A soft hyphen at the line end marks a word broken there: keep it as a hyphen so
    # that join_lines can repair the word.
    if text.endswith("\u00ad"):
        text = text.rstrip("\u00ad") + "-"
    return text.replace("\u00ad", "")


def join_lines(first: str, second: str) -> str:
    """Join two consecutive lines of one paragraph, repairing a word hyphenated at the
    line end ("samen-" + "werking" -> "samenwerking").

    Dutch also writes real hyphens that can fall at a line end; they are kept:
    before a capital or digit ("West-" + "Vlaanderen"), after an abbreviation
    ("ICT-" + "medewerker"), between two vowels ("zee-" + "egel": Dutch hyphenates
    a vowel clash), and before a conjunction ("aan-" + "en afvoer").
    """
    if not first:
        return second
    if not second:
        return first
    if not (first.endswith("-") and len(first) > 1 and first[-2].isalpha()):
        return f"{first} {second}"
    if second.split()[0].rstrip(",.;:") in _ELISION_FOLLOWERS:
        return f"{first} {second}"
    head = first[:-1]
    keep_hyphen = (
        not second[0].islower()
        or _is_abbreviation(head.split()[-1])
        or (head[-1].lower() in _VOWELS and second[0].lower() in _VOWELS)
    )
    return f"{first}{second}" if keep_hyphen else f"{head}{second}"


def _is_abbreviation(word: str) -> bool:
    """True for "ICT", "BTW", "2025": words after which Dutch always writes the hyphen."""
    return sum(char.isupper() for char in word) >= 2 or any(char.isdigit() for char in word)


def clean_title(raw: str | None) -> str | None:
    """A title from document metadata if it says something, else None.

    Word processors fill the title with placeholders ("Untitled", "Microsoft Word -
    nota.docx") or the file name; those are not titles a user would recognise.
    """
    if raw is None:
        return None
    title = normalize_whitespace(_WORD_EXPORT_PREFIX.sub("", normalize_whitespace(raw)))
    if (
        not any(char.isalpha() for char in title)
        or title.lower() in _PLACEHOLDER_TITLES
        or _FILE_NAME.search(title)
    ):
        return None
    return title


def error_reason(exc: BaseException) -> str:
    """A library error as one short line for a user-facing message."""
    return normalize_whitespace(str(exc)).strip("\"'") or type(exc).__name__
