"""Does a text state a key fact? Gold facts are short strings ("EUR 24.624", "70 %",
"twee dagen per week"); answers and passages write the same fact with small differences in
spacing, case, currency and digit grouping. The normalisation is deliberately small, so a
match still means the text says it:

- case and runs of whitespace are ignored;
- currency markers (€, EUR, euro) are dropped: "EUR 30", "€ 30" and "30 euro" all read "30";
- digit groups of thousands are joined: "4.200", "4 200" and "4200" all read "4200"
  ("11.30 uur" and "1,25" are untouched: only groups of exactly three digits join, with
  one separator throughout, so the table row "64.855 275.000" stays two numbers);
- "70%" and "70 %" are the same;
- the number words twee to twintig and the tens are digits: "zes jaar" and "6 jaar" read
  the same ("een" is left alone: it is mostly the article);
- a fact that starts or ends with a digit matches only whole numbers: "31" is not found in
  "2031" or "310".
"""

import re
from collections.abc import Iterable

_WHITESPACE = re.compile(r"\s+")
_CURRENCY = re.compile(r"€|\beur\b|\beuro\b")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}([. ])\d{3}(?:\1\d{3})*(?!\d)")
_PERCENT = re.compile(r" %")
_MARKER = re.compile(r"\[\d+\]")
# fmt: off
_NUMBER_WORDS = {
    "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20,
    "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80,
    "negentig": 90,
}
# fmt: on
_NUMBER_WORD = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)})\b")


def normalise(text: str) -> str:
    """`text` in the comparable form described in the module docstring."""
    text = _CURRENCY.sub(" ", _WHITESPACE.sub(" ", text.lower()))
    text = _WHITESPACE.sub(" ", text).strip()
    text = _THOUSANDS.sub(lambda match: re.sub(r"[. ]", "", match.group()), text)
    text = _NUMBER_WORD.sub(lambda match: str(_NUMBER_WORDS[match.group()]), text)
    return _PERCENT.sub("%", text)


def states(text: str, fact: str) -> bool:
    """True when `text` contains `fact`, compared after `normalise`. `[n]` citation markers
    are ignored, so "[1]" never counts as the number 1."""
    wanted = normalise(fact)
    pattern = re.escape(wanted)
    if wanted[:1].isdigit():
        pattern = r"(?<!\d)" + pattern
    if wanted[-1:].isdigit():
        pattern += r"(?!\d)"
    return re.search(pattern, normalise(_MARKER.sub(" ", text))) is not None


def states_all(text: str, facts: Iterable[str]) -> bool:
    return all(states(text, fact) for fact in facts)


def states_any(text: str, facts: Iterable[str]) -> bool:
    return any(states(text, fact) for fact in facts)
