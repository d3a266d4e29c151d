"""Dutch text analysis for the sparse (lexical) side of search: text -> index terms.

Ingest and query run the same analyzer, so a term in a question meets the same term in a
passage. A change here changes the terms of every stored passage: re-index after one.

Hand-written rather than taken from a library because no installed tokenizer handles
Dutch spelling (accent folding, "nota's", "(A)AD's", "8.800" and "1,25", hyphenated
compounds); only the stemming comes from Snowball.
"""

import re
import unicodedata
from functools import cache, lru_cache
from importlib.resources import files

import snowballstemmer  # type: ignore[import-untyped]

from core.dutch.compounds import frequent_parts
from core.dutch.frequency import zipf

# Accents that Dutch spelling treats as optional or that vary with the writer:
# stress accents ("één", "vóór", "hè"), the trema that splits vowels ("reëel",
# "coördinatie", "financiële") and the marks of French loan words ("crèche", "reçu",
# "à"). People type these words without the marks, so both spellings must meet.
# Other marks (the ring of "å", the caron of "č", ...) stay: in Dutch text they occur
# in names, where they are part of the spelling and are typed as written.
_FOLDED_MARKS = frozenset("\u0300\u0301\u0302\u0308\u0327")  # grave acute circumflex trema cedilla


def _fold_table() -> dict[str, str]:
    """What `normalise` replaces after NFKC + lowercase: the precomposed Latin letters
    that carry only the accents above, and the characters that PDFs and word processors
    vary: typographic apostrophes, the Unicode hyphen, soft hyphens, zero-width spaces."""
    table: dict[str, str] = {}
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        decomposed = unicodedata.normalize("NFD", chr(cp))
        if len(decomposed) > 1 and set(decomposed[1:]) <= _FOLDED_MARKS:
            table[chr(cp)] = decomposed[0].lower()
    return table | {"\u2018": "'", "\u2019": "'", "\u2010": "-", "\u00ad": "", "\u200b": ""}


_FOLD = _fold_table()
# A regex over the few characters to fold rather than `str.translate`: translate looks
# up every character of the text in the table and takes about 120 µs for a passage of
# 150 words; the regex skips the plain ones in C and takes under 10 µs.
_TO_FOLD = re.compile("[" + "".join(_FOLD) + "]")

# A token: runs of letters or digits, joined by a hyphen (also one that ends a line, as
# in "gemeen-\nten" from a PDF), a parenthesis ("(A)AD", "medewerker(s)"), an
# apostrophe ("nota's", "zo'n"), or a point or comma between digits ("8.800", "1,25").
_TOKEN = re.compile(r"[^\W_]+(?:(?:-(?:[ \t]*\r?\n[ \t]*)?|[()']|(?<=\d)[.,](?=\d))[^\W_]+)*")
_PART_SPLIT = re.compile(r"-\s*|[()]")
_NUMBER = re.compile(r"[\d.,]+")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")  # Dutch "8.800" or "1.250,50"
_DECIMAL = re.compile(r"\d+,\d+")  # Dutch decimal comma: "1,25"


def normalise(text: str) -> str:
    """NFKC, lowercase, Dutch accent folding and even punctuation: the form in which
    text is tokenised and stop words are compared."""
    return _TO_FOLD.sub(lambda m: _FOLD[m.group()], unicodedata.normalize("NFKC", text).lower())


def _read_data(name: str) -> list[list[str]]:
    """Non-comment lines of a file in `assistant/data`, normalised and split on spaces."""
    text = files("core.dutch").joinpath("data", name).read_text(encoding="utf-8")
    rows = (normalise(line.partition("#")[0]).split() for line in text.splitlines())
    return [row for row in rows if row]


@cache
def _stop_words() -> frozenset[str]:
    """The Dutch stop words, read once per process."""
    return frozenset(word for row in _read_data("stopwords-nl.txt") for word in row)


@cache
def _lemmas() -> dict[str, str]:
    """Plural -> singular pairs that the stemmer misses, read once per process."""
    return {form: canonical for form, canonical in _read_data("lemmas-nl.txt")}


@cache
def _compound_tails() -> tuple[str, ...]:
    """Known last parts of compounds (data/compound-parts-nl.txt), longest first so that
    "knelpunten" is cut before "punt"."""
    return tuple(
        sorted({word for row in _read_data("compound-parts-nl.txt") for word in row}, key=len, reverse=True)
    )


MIN_COMPOUND = 8  # letters; shorter words are rarely compounds of two content words
MIN_HEAD = 4  # letters before the known last part ("brand" + "kraan", not "ka" + "plan")


def compound_parts(word: str) -> tuple[str, str] | None:
    """First and last part of a normalised compound that ends in a known part, or None.
    One cut only: deeper splits ("knel" + "punten") mostly add noise terms."""
    if len(word) < MIN_COMPOUND or not word.isalpha():
        return None
    for tail in _compound_tails():
        if len(word) - len(tail) >= MIN_HEAD and word.endswith(tail):
            return word[: -len(tail)], tail
    return None


@lru_cache(maxsize=1 << 17)
def _word_terms(word: str, by_frequency: bool) -> tuple[str, ...]:
    """The index terms of one normalised word: its own term, then the terms of its
    compound parts when it has them (a part that is a stop word or equals the whole is
    left out); `by_frequency` also cuts compounds outside the hand list."""
    whole = _term(word)
    if whole is None:
        return ()
    lemma = _lemmas().get(word, word)  # "raadsleden" is cut as "raadslid"
    parts = compound_parts(lemma) or (_content_parts(frequent_parts(lemma)) if by_frequency else None)
    if parts is None:
        return (whole,)
    return (whole, *dict.fromkeys(term for term in map(_term, parts) if term and term != whole))


def _content_parts(parts: tuple[str, str] | None) -> tuple[str, str] | None:
    """A cut by frequency unless its first part is a stop word: "voorzien" and
    "onderscheidt" are a verb with its particle, not a compound of two content words."""
    return parts if parts and parts[0] not in _stop_words() else None


@lru_cache(maxsize=1 << 17)
def _term(word: str) -> str | None:
    """The index term of one normalised word, or None for a stop word or a lone letter.
    Words with a digit stay as they are; others get the lemma overrides and the
    Snowball Dutch stemmer.

    Cached because this is the hot path: pure-Python Snowball takes about 100 µs a word,
    and a corpus repeats the same few ten thousand words. A stemmer object keeps state
    while it works, so each miss builds its own (under 1 µs): that keeps the function
    safe to call from several threads without a lock.
    """
    if word in _stop_words() or (len(word) == 1 and not word.isdigit()):
        return None
    if not word.isalpha():
        return word
    word = _lemmas().get(word, word)
    return _ing_noun(word) or snowballstemmer.stemmer("dutch").stemWord(word)


# Snowball cuts "-ing" off every noun, which is right for "vergadering" (it meets
# "vergaderen") but makes some nouns another word: "kwijting" (discharge) becomes "kwijt"
# (lost), "vorming" (training) "vorm" (form), "woning" (house) "won" (won). When the rest
# is itself a common word, the noun keeps its own term.
ING_BASE_ZIPF = 4.0


def _ing_noun(word: str) -> str | None:
    """The singular of an -ing noun whose stem without -ing is a common word of its own
    (`ING_BASE_ZIPF`), as its own term; None for any other word."""
    singular = word[:-2] if word.endswith("ingen") else word
    if len(singular) > 6 and singular.endswith("ing") and zipf(singular[:-3]) >= ING_BASE_ZIPF:
        return singular
    return None


def _number_forms(part: str) -> list[str]:
    """Tokens for a part with points or commas between digits: a Dutch thousands number
    as plain digits ("8.800" -> "8800"), a decimal as one token ("1,25"), anything else
    (section "2.1", date "12.03.2020") as its pieces plus the whole."""
    if _THOUSANDS.fullmatch(part):
        return [part.replace(".", "")]
    if _DECIMAL.fullmatch(part):
        return [part]
    return [*re.split(r"[.,]", part), part]


def _surface_forms(token: str) -> list[str]:
    """Split one matched token into the words to index, in reading order.

    A final "'s" (plural or genitive: "afsprakennota's", "AD's") is dropped; other
    apostrophes separate ("zo'n" -> "zo", "n"). Hyphens and parentheses give the parts
    and then the joined form, so both "wijk werken" and "wijkwerken" find "wijk-werken",
    and "(A)AD" finds "AD" and "AAD". Number ranges ("2020-2025") get no joined form.
    """
    if token.endswith("'s"):
        token = token[:-2]
    forms: list[str] = []
    for chunk in token.split("'"):
        parts = [part for part in _PART_SPLIT.split(chunk) if part]
        for part in parts:
            forms.extend(_number_forms(part) if ("." in part or "," in part) else [part])
        if len(parts) > 1 and not all(_NUMBER.fullmatch(part) for part in parts):
            forms.append("".join(parts))
    return forms


class DutchAnalyzer:
    """Turns Dutch text into index terms: normalised, stop words removed, stemmed.

    Holds no state but one choice: the stop words, overrides and term cache are
    process-wide, so it is cheap to construct and safe to share between threads.
    """

    def __init__(self, frequency_compounds: bool = False) -> None:
        """`frequency_compounds` also cuts compounds by word frequency
        (`core.dutch.compounds`: "thuiswerk" -> thuis, werk). The answerer reads with it:
        within six passages, a word of the question meeting a part of a compound is what
        tells the sentence that answers. Search does not: over the whole index the extra
        part terms outweigh what they find (with them: PolicyQA hybrid R@1 0.916 -> 0.906,
        sparse 0.856 -> 0.840; gold hybrid 0.817 -> 0.812)."""
        self.frequency_compounds = frequency_compounds

    def terms(self, text: str) -> list[str]:
        """The index terms of `text` in reading order, repeats kept (the caller counts
        them). Words with a digit are kept verbatim ("2020", "1,25", "covid19"); single
        letters and stop words are dropped; other words are stemmed, so inflected forms
        meet ("vergaderingen" and "vergadering" give one term); a compound is followed by
        the terms of its parts ("knelpuntennota" -> knelpuntennota, knelpunt, nota), cut
        at a known domain ending (`compound_parts`) or, with `frequency_compounds`, by
        word frequency ("thuiswerk" -> thuiswerk, thuis, werk)."""
        words: list[str] = []
        for token in _TOKEN.findall(normalise(text)):
            if token.isalnum():
                words.append(token)
            else:
                words.extend(_surface_forms(token))
        return [term for word in words for term in _word_terms(word, self.frequency_compounds)]
