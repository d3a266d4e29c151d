"""Characters nobody sees, removed from document text and from questions alike."""

import re

# Characters that take no room on the page: zero-width spaces and joiners, the byte-order
# mark, direction marks and overrides, invisible operators, variation selectors, Unicode
# "tag" characters (invisible copies of ASCII), and control codes that broken font
# encodings leave behind. A reader sees none of them, so they must not split a word into
# terms search cannot find, nor smuggle text (an instruction spelled in tag characters)
# past the reader to a language model.
_INVISIBLE = re.compile(
    "[\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufe00-\ufe0f\ufeff"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]"
)

def remove_invisible(text: str) -> str:
    """`text` without the characters a reader cannot see (see `_INVISIBLE`); for
    extracted text and for questions alike."""
    return _INVISIBLE.sub("", text)
