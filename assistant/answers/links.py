"""Links and images out of answer text.

An answer cites its sources by number; the front ends link those sources themselves. A
URL in the answer text has no use and one danger: a document can tell a language model to
write an image or link whose address carries data to another site (`![](https://x/?q=...)`),
which a chat client that renders Markdown loads by itself, and which Slack unfurls. So
Markdown images are removed, Markdown links keep only their text, and every URL (with a
scheme, protocol-relative, or a host name followed by a path) is removed. A bare host name
such as "www.midwest.be" stays: documents name websites as facts, and a name carries no data.
"""

import re
from collections.abc import Iterable, Iterator

LINKS_REMOVED = "Een link of afbeelding is uit het antwoord weggelaten: antwoorden linken niet naar buiten."

_IMAGE = re.compile(r"[ \t]*!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
# An address (also an autolink "<https://...>") ends before whitespace, brackets and
# quotes, and not on the punctuation of the sentence around it. The space before it goes
# with it ("zie https://x/a." -> "zie.").
_URL = re.compile(
    r"[ \t]*<?(?:(?:\b[a-z][a-z0-9+.-]*:)?//|\b(?=[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/))"
    r"[^\s<>()\[\]{}\"']*[^\s<>()\[\]{}\"'.,;:!?]>?",
    re.IGNORECASE,
)
# The end of streamed text that may still change as more arrives: the word still arriving,
# or, when it ends a Markdown link or image, that whole link ("[text](https://...").
_UNFINISHED = re.compile(r"!?\[[^\]\n]*(?:\](?:\([^)\n]*\)?)?)?\S*\Z|\S*\Z")


def remove_links(text: str) -> str:
    """`text` without Markdown images, link targets and URLs; everything else unchanged."""
    text = _LINK.sub(r"\1", _IMAGE.sub("", text))
    return _URL.sub("", text)


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
