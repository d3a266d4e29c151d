"""Compound splitting by word frequency: "thuiswerk" is "thuis" + "werk", "verlofdagen"
is "verlof" + "dagen", "kwijting" is not "kwijt" + anything.

Dutch writes compounds as one word, and people type them either way ("thuiswerken",
"thuis werken", "van thuis uit werken"). The hand list of compound endings
(`data/compound-parts-nl.txt`) covers the domain's nouns; this covers the rest of the
language with Dutch word frequencies (`core.dutch.frequency`): a word is cut where both parts are common words
and, together, far more common than the whole. This is Koehn and Knight's frequency
method ("Empirical Methods for Compound Splitting", 2003), the usual baseline for Dutch and
German decompounding; a lemmatiser or a hunspell dictionary would need affix rules to tell
a compound from a derived word, where frequency alone keeps "kwijting", "regeling" and
"vergadering" whole because no cut leaves two common words.
"""

from core.dutch.frequency import zipf

MIN_WORD = 8  # letters; shorter words are rarely compounds of two content words
MIN_HEAD = 4  # letters of the first part ("thuis", "fiets"), before a linking s
MIN_TAIL = 4  # letters of the last part: "werk", not "ing" or "en"
# Zipf frequency: rarer parts than 3 (about one in a million words) are mostly fragments
# ("aanspreek", "ting").
MIN_PART_ZIPF = 3.0
# The parts' mean Zipf frequency must exceed the whole's by this much: "samenwerking"
# (5.0) against "samen" + "werking" (5.1) is a word of its own, "thuiswerk" (2.7)
# against "thuis" + "werk" (5.6) is a compound.
SPLIT_MARGIN = 1.0


def frequent_parts(word: str) -> tuple[str, str] | None:
    """The two parts of a normalised compound by frequency (first part without its linking
    s: "beleidsdomein" -> beleid, domein), or None when no cut gives two common words
    that together are much more common than the whole."""
    if len(word) < MIN_WORD or not word.isalpha():
        return None
    best: tuple[float, str, str] | None = None
    for cut in range(MIN_HEAD, len(word) - MIN_TAIL + 1):
        head, tail = word[:cut], word[cut:]
        if zipf(head) < MIN_PART_ZIPF and head.endswith("s"):
            head = head[:-1]
        if len(head) < MIN_HEAD:
            continue
        score = (zipf(head) + zipf(tail)) / 2
        if min(zipf(head), zipf(tail)) >= MIN_PART_ZIPF and (best is None or score > best[0]):
            best = (score, head, tail)
    if best is None or best[0] < zipf(word) + SPLIT_MARGIN:
        return None
    return best[1], best[2]
