"""The Dutch analyzer: which words of a question and a passage meet as one term."""

import pytest

from core.dutch.analysis import DutchAnalyzer


@pytest.fixture(scope="module")
def analyzer() -> DutchAnalyzer:
    return DutchAnalyzer()


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("vergaderingen", "vergadering"),
        ("gemeenten", "gemeente"),
        ("besluiten", "besluit"),
        ("beslissingen", "beslissing"),
        ("overeenkomsten", "overeenkomst"),
        ("afspraken", "afspraak"),
        ("Vergadering", "vergadering"),
        # Plurals the stemmer alone gets wrong ("bedragen" -> "bedraag"): data/lemmas-nl.txt
        ("bedragen", "bedrag"),
        ("werkdagen", "werkdag"),
        ("raadsleden", "raadslid"),
        ("schepenen", "schepen"),
        ("verslagen", "verslag"),
    ],
)
def test_inflected_forms_meet(analyzer: DutchAnalyzer, one: str, other: str) -> None:
    assert analyzer.terms(one) == analyzer.terms(other)
    assert analyzer.terms(one), "a content word must give a term"


def test_different_words_stay_apart(analyzer: DutchAnalyzer) -> None:
    words = ["brandkraan", "begroting", "jaarrekening", "personeel", "subsidie", "afval"]
    assert len({analyzer.terms(word)[0] for word in words}) == len(words)


@pytest.mark.parametrize(
    ("spelling", "variant"),
    [
        ("reëel", "reeel"),
        ("coördinatie", "coordinatie"),
        ("financiële", "financiele"),
        ("crèche", "creche"),
        ("e\u0308e\u0301n", "één"),  # decomposed input, as macOS writes file names
    ],
)
def test_optional_accents_do_not_matter(analyzer: DutchAnalyzer, spelling: str, variant: str) -> None:
    assert analyzer.terms(spelling) == analyzer.terms(variant)


def test_stop_words_are_dropped(analyzer: DutchAnalyzer) -> None:
    assert analyzer.terms("Wie is de voorzitter van het bestuur en wanneer?") == (
        analyzer.terms("voorzitter") + analyzer.terms("bestuur")
    )
    # "één" is the stressed spelling of the article "een": both are stop words.
    assert analyzer.terms("één een Een EEN") == []


def test_order_and_repeats_are_kept(analyzer: DutchAnalyzer) -> None:
    terms = analyzer.terms("begroting vergadering begroting")
    assert len(terms) == 3
    assert terms[0] == terms[2] != terms[1]


@pytest.mark.parametrize("text", ["", "   \n\t", "de het een", "-- ( ) ' . , €"])
def test_text_without_content_has_no_terms(analyzer: DutchAnalyzer, text: str) -> None:
    assert analyzer.terms(text) == []


def test_numbers_and_years_are_kept(analyzer: DutchAnalyzer) -> None:
    terms = analyzer.terms("In 2020 betaalde de gemeente 8800 euro, of 1,25 euro per inwoner.")
    assert {"2020", "8800", "1,25"} <= set(terms)


def test_dutch_thousands_separator_is_dropped(analyzer: DutchAnalyzer) -> None:
    assert "8800" in analyzer.terms("een bedrag van € 8.800")
    assert "1250000,50" in analyzer.terms("1.250.000,50 euro")


def test_dates_and_ranges_yield_their_years(analyzer: DutchAnalyzer) -> None:
    assert "2020" in analyzer.terms("besluit van 12.03.2020")
    assert "2020" in analyzer.terms("besluit van 12/03/2020")
    assert analyzer.terms("2020-2025") == ["2020", "2025"]  # no "20202025"


def test_apostrophe_s_plural_is_the_word(analyzer: DutchAnalyzer) -> None:
    assert analyzer.terms("afsprakennota's") == analyzer.terms("afsprakennota")
    assert analyzer.terms("nota’s") == analyzer.terms("nota")  # typographic apostrophe


def test_parenthesised_prefix_gives_both_readings(analyzer: DutchAnalyzer) -> None:
    terms = analyzer.terms("de (A)AD's van Midwest")
    assert analyzer.terms("AD")[0] in terms
    assert analyzer.terms("AAD")[0] in terms
    assert analyzer.terms("medewerker(s)")[0] == analyzer.terms("medewerkers")[0]


def test_hyphenated_word_gives_parts_and_joined_form(analyzer: DutchAnalyzer) -> None:
    assert analyzer.terms("wijk-werken") == (
        analyzer.terms("wijk") + analyzer.terms("werken") + analyzer.terms("wijkwerken")
    )
    assert set(analyzer.terms("OCMW-raad")) >= {"ocmw", *analyzer.terms("raad")}


def test_word_broken_over_a_pdf_line_is_found(analyzer: DutchAnalyzer) -> None:
    assert analyzer.terms("gemeenten")[0] in analyzer.terms("de gemeen-\nten")
    assert analyzer.terms("gemeen\u00adten") == analyzer.terms("gemeenten")  # soft hyphen


@pytest.mark.parametrize(
    ("compound", "part"),
    [
        ("knelpuntennota", "nota"),
        ("knelpuntennota", "knelpunten"),
        ("afsprakennota", "afspraken"),
        ("personeelsinzet", "personeel"),
        ("personeelsinzet", "inzet"),
        ("bestuursorganen", "bestuur"),
        ("bestuursorganen", "organen"),
        ("pensioenpijler", "pensioen"),
        ("brandkranen", "brandkraan"),
        ("brandkraan", "kraan"),
    ],
)
def test_compounds_meet_their_parts(analyzer: DutchAnalyzer, compound: str, part: str) -> None:
    """A question with the part finds the compound, and one with the compound finds the
    part: both sides are analysed alike."""
    assert analyzer.terms(part)[0] in analyzer.terms(compound)


def test_the_compound_itself_comes_first(analyzer: DutchAnalyzer) -> None:
    assert analyzer.terms("knelpuntennota")[0] == analyzer.terms("knelpuntennota's")[0] == "knelpuntennota"


@pytest.mark.parametrize("word", ["netwerk", "regeling", "vergadering", "gemeente", "notaris"])
def test_ordinary_words_are_not_cut(analyzer: DutchAnalyzer, word: str) -> None:
    assert len(analyzer.terms(word)) == 1


@pytest.mark.parametrize(
    ("compound", "part"),
    [
        # Compounds outside the domain's hand list, cut by word frequency (#15)
        ("thuiswerk", "thuis"),
        ("thuiswerk", "werk"),
        ("verlofdagen", "verlof"),
        ("maaltijdcheque", "cheque"),
        ("dienstvoertuigen", "voertuig"),
        ("jaarrekening", "rekening"),
    ],
)
def test_common_compounds_meet_their_parts_when_read_by_frequency(compound: str, part: str) -> None:
    """People type "thuis werken" for "thuiswerk" and "verlof" for "verlofdagen"; the
    answerer reads them as one (search does not, see `DutchAnalyzer`)."""
    reader = DutchAnalyzer(frequency_compounds=True)
    assert reader.terms(part)[0] in reader.terms(compound)
    assert reader.terms(part)[0] not in DutchAnalyzer().terms(compound)


@pytest.mark.parametrize("word", ["kwijting", "voorzien", "onderscheidt", "toestellen"])
def test_words_that_only_look_like_compounds_are_not_cut_into_two_content_words(word: str) -> None:
    """A derived word ("kwijting") or a verb with its particle ("voorzien": voor + zien) is
    not two nouns: cutting it would let "zien" or "tellen" find it."""
    terms = DutchAnalyzer(frequency_compounds=True).terms(word)
    assert len(terms) <= 2
    assert not {"zien", "tel", "scheidt"} & set(terms)


@pytest.mark.parametrize(
    ("noun", "other_word"),
    [("kwijting", "kwijt"), ("kwijtingen", "kwijt"), ("vorming", "vorm"), ("woning", "won")],
)
def test_an_ing_noun_does_not_become_another_common_word(
    analyzer: DutchAnalyzer, noun: str, other_word: str
) -> None:
    """Regression (#15): "Waar kan ik mijn fiets kwijt?" was answered with "de Algemene
    Vergadering verleent kwijting": the stemmer made both "kwijt"."""
    assert not set(analyzer.terms(noun)) & set(analyzer.terms(other_word))


def test_an_ing_noun_still_meets_its_plural(analyzer: DutchAnalyzer) -> None:
    assert analyzer.terms("kwijtingen") == analyzer.terms("kwijting")
