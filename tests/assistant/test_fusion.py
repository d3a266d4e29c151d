"""The second stage of hybrid ranking: what the wording of a question says about time,
and about the kind of fact it wants."""

from assistant.search.fusion import rerank
from assistant.search.retrieval import SearchHit, promote_asked_facts
from core.index.passage import ScoredPoint
from tests.support.passages import scored


def passage(point_id: str, day: int, score: float, heading: str = "") -> ScoredPoint:
    return scored(point_id, score, day=day, heading=heading)


# The agreement of 2019 says "tot 31 december 2024" in the question's own words; the board
# decision of 2024 that extended it says "verlengd tot 31 december 2030" and matches less.
AGREEMENT = passage("overeenkomst-2019", 20190401, 0.80)
MINUTES_2022 = passage("notulen-2022", 20221214, 0.75)
DECISION = passage("besluit-2024", 20240318, 0.60)


def order(question: str) -> list[str]:
    return [point.id for point in rerank(question, [AGREEMENT, MINUTES_2022, DECISION])]


def test_a_question_about_now_puts_the_latest_decision_before_older_ones():
    assert order("Tot wanneer loopt de samenwerking Sport Midwest nu?")[0] == "besluit-2024"
    assert order("Welke firma levert momenteel de laptops?")[0] == "besluit-2024"


def test_without_a_word_about_now_the_match_decides():
    assert order("Tot wanneer loopt de samenwerking Sport Midwest?") == [
        "overeenkomst-2019",
        "notulen-2022",
        "besluit-2024",
    ]


def test_a_question_about_the_past_gets_no_recency_lift():
    assert order("Tot wanneer liep de samenwerking vroeger, en wat is dat nu?")[0] == "overeenkomst-2019"


def test_undated_passages_keep_their_score():
    undated = scored("brochure", 0.9)
    ranked = rerank("Wat kost een laptop nu?", [undated, DECISION, AGREEMENT])
    assert ranked[0].id == "brochure" and ranked[0].score == 0.9


def test_a_year_named_in_a_heading_counts_like_the_documents_own_year():
    """Minutes of June 2023 report the figures of 2022 under "Jaarverslag 2022"."""
    report = passage("av-2023", 20230621, 0.70, heading="4. Jaarverslag 2022")
    first_year = passage("av-2019", 20191218, 0.75, heading="5. Verslag hydrantencontrole")
    ranked = rerank("Hoeveel hydranten werden er in 2022 gecontroleerd?", [first_year, report])
    assert [point.id for point in ranked] == ["av-2023", "av-2019"]
    assert [p.id for p in rerank("Hoeveel hydranten werden er gecontroleerd?", [first_year, report])] == [
        "av-2019",
        "av-2023",
    ]


def test_a_replaced_version_is_held_back_unless_the_question_looks_back():
    current = passage("regeling-2022", 20220101, 0.70)
    replaced = scored("regeling-2019", 0.80, day=20190101, status="vervangen")

    def first(question: str) -> str:
        return rerank(question, [replaced, current])[0].id

    assert first("Welke thuiswerkregeling geldt voor oudere medewerkers?") == "regeling-2022"
    assert first("Wat stond er in de oude thuiswerkregeling?") == "regeling-2019"
    assert first("Welke thuiswerkregeling gold vroeger?") == "regeling-2019"


def hit(text: str, score: float) -> SearchHit:
    return SearchHit("d", "Notulen", "n.pdf", 2, "", None, "notulen", "2021-06-21", "geldend", text, score)


def test_a_passage_with_the_asked_kind_of_fact_comes_first():
    about = hit("De kantoren op het Midwestplein worden gehuurd van de gemeente Ravelgem.", 0.80)
    amount = hit("De huur van de kantoren bedraagt 14.400 euro per jaar.", 0.75)
    ranked = promote_asked_facts("Hoeveel kost de huur van de kantoren?", [about, amount])
    assert [h.text for h in ranked] == [amount.text, about.text]
    # An open question has no asked kind of fact: the order stays.
    assert promote_asked_facts("Waarom huurt Midwest kantoren?", [about, amount]) == [about, amount]
