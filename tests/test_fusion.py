"""The second stage of hybrid ranking: what the wording of a question says about time."""

from assistant.fusion import rerank
from assistant.local_search import ScoredPoint


def passage(point_id: str, day: int, score: float, status: str = "geldend") -> ScoredPoint:
    return ScoredPoint(point_id, {"day": day, "year": day // 10000, "status": status}, score)


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
    undated = ScoredPoint("brochure", {"status": "geldend"}, 0.9)
    ranked = rerank("Wat kost een laptop nu?", [undated, DECISION, AGREEMENT])
    assert ranked[0].id == "brochure" and ranked[0].score == 0.9
