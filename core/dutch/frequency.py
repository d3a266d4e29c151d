"""How common a Dutch word is in general use: the Dutch word frequencies that `wordfreq`
ships (about 310,000 words from subtitles, Wikipedia, news and the web), on the Zipf
scale: log10 of occurrences per billion words, so 3 is about one in a million words
("stalling", "verlof"), 6 a word like "nieuwe", 0 a word it never saw ("politiezone").
"""

from functools import cache

from wordfreq import zipf_frequency


@cache
def zipf(word: str) -> float:
    """The Zipf frequency of a normalised word (0 for one never seen)."""
    return zipf_frequency(word, "nl", wordlist="large")
