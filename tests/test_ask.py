"""Cited extractive answers over the shared indexed sample corpus (no LLM)."""

import json
import re
from pathlib import Path

from assistant.service import Kennisbank
from tests.conftest import run_cli
from tests.sample_corpus import CANARY

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
    answer = indexed.ask("Welke verdeelsleutel geldt vanaf 2022 voor gedeeld personeel?")
    assert not answer.abstained
    assert "70 %" in answer.answer
    assert cited_numbers(answer.answer) == {c.n for c in answer.citations} == {1}
    citation = answer.citations[0]
    assert citation.source == "vergaderingen/2021-06-21-notulen-raad-van-bestuur.md"
    assert citation.date == "2021-06-21"
    assert "70 %" in citation.text
    assert set(citation.__dataclass_fields__) == ANSWER_FIELDS


def test_answer_is_the_sentence_not_the_whole_passage(indexed: Kennisbank):
    answer = indexed.ask("Hoeveel hydranten inspecteert De Werkplaats per jaar?")
    assert "4.200" in answer.answer
    assert "brandweerzone" not in answer.answer  # the next paragraph is not part of the answer


def test_pdf_answers_cite_the_page(indexed: Kennisbank):
    answer = indexed.ask("Hoeveel euro per inwoner dragen de lokale besturen bij?")
    assert "1,25" in answer.answer
    assert answer.citations[0].page == 1
    assert answer.citations[0].source == "strategie/strategisch-plan-2020-2025.pdf"


def test_current_version_is_cited_over_the_replaced_one(indexed: Kennisbank):
    answer = indexed.ask("Hoeveel uur per week werkt het archiefteam voor Kortevoorde?")
    assert "12 uur" in answer.answer and "8 uur" not in answer.answer
    assert answer.citations[0].source == "afsprakennota/2023-01-afsprakennota-kortevoorde.md"
    assert answer.citations[0].article == "2"


def test_unanswerable_question_abstains_and_lists_the_closest_documents(indexed: Kennisbank):
    answer = indexed.ask("Hoeveel kost een parkeerkaart voor bezoekers van het zwembad?")
    assert answer.abstained
    assert answer.answer.startswith("De documenten geven geen antwoord")
    assert not cited_numbers(answer.answer)
    assert answer.citations and len({c.document_id for c in answer.citations}) == len(answer.citations)


def test_follow_up_is_resolved_from_the_conversation(indexed: Kennisbank):
    first = indexed.ask("Welke verdeelsleutel besliste de Raad van Bestuur in 2021 voor gedeeld personeel?")
    follow_up = indexed.ask("En in 2019?", conversation_id=first.conversation_id)
    assert follow_up.conversation_id == first.conversation_id
    assert "50 %" in follow_up.answer
    assert follow_up.citations[0].source == "vergaderingen/2019-03-18-notulen-raad-van-bestuur.md"
    alone = indexed.ask("En in 2019?")
    assert alone.conversation_id != first.conversation_id


def test_restricted_passages_never_reach_public_answers(indexed: Kennisbank):
    answer = indexed.ask(f"Wat besprak de Raad van Bestuur over het tuchtdossier {CANARY}?")
    assert CANARY not in answer.answer
    assert all(CANARY not in json.dumps(citation.__dict__) for citation in answer.citations)
    board = indexed.ask(
        f"Wat besprak de Raad van Bestuur over het tuchtdossier {CANARY}?", groups=frozenset({"bestuur"})
    )
    assert CANARY in board.answer


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
