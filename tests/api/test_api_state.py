"""The shared state store (answers, feedback, once-only keys, API keys, re-indexing
jobs) and the export of thumbs-down answers as candidate gold questions."""

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.cli.feedback import KEY_FACT_PLACEHOLDER
from assistant.answers.model import Answer, Citation
from assistant.caller import Caller
from assistant.evaluation import load_questions
from assistant.service import Kennisbank
from assistant.state.store import StateStore
from tests.support.api import app_for
from tests.support.environment import run_cli
from tests.support.state_checks import (
    check_a_job_without_heartbeat_is_failed_by_the_other,
    check_a_key_made_or_revoked_by_one_counts_for_the_other,
    check_one_job_runs_at_a_time_across_stores,
)

CITATION = Citation(
    n=1,
    document_id="welkom-1234abcd",
    title="Welkom bij DVV Midwest",
    source="onthaal/welkom.txt",
    page=None,
    article=None,
    date=None,
    doc_type="onthaalbrochure",
    text="Thuiswerk is mogelijk tot twee dagen per week.",
    score=0.8,
)


def _answer(question: str = "Hoeveel dagen thuiswerk?", citations: list[Citation] | None = None) -> Answer:
    cited = [CITATION] if citations is None else citations
    return Answer("Tot twee dagen per week [1].", False, cited, "gesprek-1", question, question)


@pytest.fixture()
def state(tmp_path: Path):
    store = StateStore(f"sqlite:///{tmp_path / 'nested' / 'state.db'}")
    yield store
    store.close()


def test_feedback_is_kept_with_the_question_answer_and_citations(state: StateStore):
    answer_id = state.record_answer(
        _answer(), channel="web", caller=Caller.member("web-user", frozenset({"bestuur"}))
    )
    assert state.record_feedback(answer_id, "down", "klopt niet", channel="web")
    assert state.record_feedback(answer_id, "up", None, channel="slack")
    [rated] = state.thumbs_down()
    assert (rated.answer_id, rated.rating, rated.comment) == (answer_id, "down", "klopt niet")
    assert rated.question == "Hoeveel dagen thuiswerk?" and rated.answer == "Tot twee dagen per week [1]."
    assert rated.citations[0]["source"] == "onthaal/welkom.txt" and rated.groups == ["bestuur"]


def test_feedback_on_an_unknown_answer_is_refused(state: StateStore):
    assert state.record_feedback("onbekend", "up", None, channel="web") is False
    assert state.thumbs_down() == []


def test_state_survives_a_restart(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'state.db'}"
    first = StateStore(url)
    answer_id = first.record_answer(_answer(), channel="api", caller=Caller.member("api-user"))
    assert first.claim_once("slack-event:Ev1")
    first.close()
    second = StateStore(url)
    assert second.record_feedback(answer_id, "down", None, channel="api")
    assert second.claim_once("slack-event:Ev1") is False
    second.close()


@pytest.fixture()
def two_workers(tmp_path: Path):
    """Two StateStores on one SQLite file, like `kennisbank serve` and `kennisbank keys`."""
    url = f"sqlite:///{tmp_path / 'state.db'}"
    first, second = StateStore(url), StateStore(url)
    yield first, second
    first.close()
    second.close()


def test_api_keys_are_shared_through_the_database(two_workers):
    check_a_key_made_or_revoked_by_one_counts_for_the_other(*two_workers)


def test_one_reindex_job_runs_at_a_time_and_every_worker_reports_it(two_workers):
    check_one_job_runs_at_a_time_across_stores(*two_workers)


def test_a_reindex_job_of_a_dead_process_is_failed(two_workers):
    check_a_job_without_heartbeat_is_failed_by_the_other(*two_workers)


def test_claim_once_is_true_exactly_once_across_threads(state: StateStore):
    results: list[bool] = []
    lock = threading.Lock()

    def claim() -> None:
        outcome = state.claim_once("slack-event:Ev123")
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
    assert state.claim_once("slack-event:Ev124") is True


def test_answers_recorded_from_many_threads_all_get_feedback(state: StateStore):
    ids: list[str] = []

    def record() -> None:
        for _ in range(10):
            ids.append(state.record_answer(_answer(), channel="api", caller=Caller.member("api-user")))

    threads = [threading.Thread(target=record) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 40
    assert all(state.record_feedback(answer_id, "down", None, channel="api") for answer_id in ids)
    assert len(state.thumbs_down()) == 40


@pytest.mark.slow
def test_feedback_export_writes_candidate_gold_questions_that_load(indexed: Kennisbank, tmp_path: Path):
    """Bad answers given over the API come out of `kennisbank feedback export` as lines
    that `load_questions` accepts, with the source the answer cited."""
    app, variant = app_for(indexed, database_url=f"sqlite:///{tmp_path / 'state.db'}")
    variant.state = StateStore(variant.settings.database_url)  # this test's own database
    client = TestClient(app)
    down = client.post("/api/ask", json={"question": "Wie inspecteert de hydranten?"}).json()
    up = client.post("/api/ask", json={"question": "Hoeveel dagen thuiswerk?"}).json()
    client.post("/api/feedback", json={"answer_id": down["answer_id"], "rating": "down", "comment": "vaag"})
    client.post("/api/feedback", json={"answer_id": down["answer_id"], "rating": "down"})
    client.post("/api/feedback", json={"answer_id": up["answer_id"], "rating": "up"})
    variant.state.close()

    out = tmp_path / "kandidaten.jsonl"
    result = run_cli(
        "feedback",
        "export",
        "--out",
        str(out),
        data_dir=tmp_path,
        env={"KENNISBANK_DATABASE_URL": variant.settings.database_url},
    )
    assert result.returncode == 0, result.stderr
    assert "1 candidate question(s) written" in result.stderr and "comment: vaag" in result.stderr
    [question] = load_questions(out)
    assert question.question == "Wie inspecteert de hydranten?"
    assert question.source == down["citations"][0]["source"] and question.answerable
    assert question.key_facts == (KEY_FACT_PLACEHOLDER,)


@pytest.mark.slow
def test_feedback_export_without_feedback_writes_nothing(tmp_path: Path):
    result = run_cli("feedback", "export", data_dir=tmp_path)
    assert result.returncode == 0 and result.stdout == ""
    assert "0 candidate question(s) written" in result.stderr
