"""The shared state against a real PostgreSQL server, as several API workers and the
Slack app use it in the compose stack: answers and feedback written by one process are
seen by another, a Slack event id is claimed once however many threads race for it, API
keys made or revoked by one count for the other, and one re-indexing job runs at a time
and is reported by every worker.

Runs when KENNISBANK_TEST_DATABASE_URL names a server (`.ci/run` starts one with
scripts/test-postgres.sh); each run works in a schema of its own, dropped afterwards.
"""

import os
import threading
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import make_url

from assistant.answers.model import Answer, Citation
from assistant.caller import Caller
from assistant.state.store import StateStore
from tests.support import audit_checks
from tests.support.state_checks import (
    check_a_job_without_heartbeat_is_failed_by_the_other,
    check_a_key_made_or_revoked_by_one_counts_for_the_other,
    check_one_job_runs_at_a_time_across_stores,
)

SERVER_URL = os.environ.get("KENNISBANK_TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not SERVER_URL, reason="KENNISBANK_TEST_DATABASE_URL is not set (scripts/test-postgres.sh start)"
)


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    """A URL whose connections work in a fresh schema (libpq `options` sets search_path)."""
    schema = f"kennisbank_test_{uuid.uuid4().hex[:10]}"
    libpq = make_url(SERVER_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    yield (
        make_url(SERVER_URL)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    with psycopg.connect(libpq, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture()
def workers(database_url: str) -> Iterator[tuple[StateStore, StateStore]]:
    """Two StateStores on the same database, like two API worker processes."""
    first, second = StateStore(database_url), StateStore(database_url)
    yield first, second
    first.close()
    second.close()


def an_answer(question: str, conversation_id: str) -> Answer:
    citation = Citation(
        1, "reglement-1", "Arbeidsreglement", "personeel/reglement.pdf", 4, "12", "2024-01-01", "regelgeving",
        "Telewerk kan tot twee dagen per week.", 0.81,
    )  # fmt: skip
    return Answer("Tot twee dagen per week [1].", False, [citation], conversation_id, question, question)


def test_the_server_is_postgresql(workers):
    first, _ = workers
    assert first.engine.dialect.name == "postgresql"


def test_feedback_given_through_one_worker_is_kept_with_the_answer_of_another(workers):
    first, second = workers
    conversation = uuid.uuid4().hex
    answer_id = first.record_answer(
        an_answer("Hoeveel dagen telewerk mag ik? Ça va, één vraag", conversation),
        channel="web",
        caller=Caller.member("web-user", frozenset({"personeel"})),
    )

    assert second.record_feedback(answer_id, "down", "Antwoord mist de uitzonderingen ✗", channel="slack")
    assert second.record_feedback(answer_id, "up", None, channel="web")

    down = [rated for rated in first.thumbs_down() if rated.answer_id == answer_id]
    assert len(down) == 1
    assert down[0].question == "Hoeveel dagen telewerk mag ik? Ça va, één vraag"
    assert down[0].comment == "Antwoord mist de uitzonderingen ✗"
    assert down[0].citations[0]["source"] == "personeel/reglement.pdf"
    assert down[0].groups == ["personeel"]
    assert down[0].channel == "slack"


def test_feedback_on_an_unknown_answer_is_refused(workers):
    first, _ = workers
    assert first.record_feedback(uuid.uuid4().hex, "up", None, channel="api") is False


def test_a_conversation_continues_on_another_worker(workers):
    first, second = workers
    conversation = uuid.uuid4().hex
    asker = Caller.member("web-user")
    first.record_answer(an_answer("Wie is de voorzitter?", conversation), channel="web", caller=asker)
    second.record_answer(an_answer("En sinds wanneer?", conversation), channel="web", caller=asker)

    recorded = first.conversation(conversation)
    assert recorded is not None
    assert (recorded.owner, recorded.turns, recorded.last) == ("web-user", 2, "En sinds wanneer?")


def test_an_event_is_claimed_exactly_once_by_racing_threads_of_two_workers(workers):
    keys = [f"slack-event-{uuid.uuid4().hex}" for _ in range(10)]
    wins: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(16)

    def race(store: StateStore) -> None:
        start.wait()
        for key in keys:
            if store.claim_once(key):
                with lock:
                    wins.append(key)

    threads = [threading.Thread(target=race, args=(workers[n % 2],)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(wins) == sorted(keys)


def test_api_keys_are_shared_between_workers(workers):
    check_a_key_made_or_revoked_by_one_counts_for_the_other(*workers)


def test_one_reindex_job_runs_at_a_time_and_every_worker_reports_it(workers):
    check_one_job_runs_at_a_time_across_stores(*workers)


def test_a_reindex_job_of_a_dead_worker_is_failed_by_another(workers):
    check_a_job_without_heartbeat_is_failed_by_the_other(*workers)


def test_an_answer_is_recorded_with_what_it_showed_to_whom(workers):
    audit_checks.check_an_answer_is_recorded_with_what_it_showed_to_whom(workers[0])


def test_records_past_the_retention_period_go_with_their_answers(database_url: str):
    audit_checks.check_records_past_the_retention_period_go_with_their_answers(database_url)


def test_erasing_a_person_removes_their_records_questions_and_feedback_only(workers):
    audit_checks.check_erasing_a_person_removes_their_records_questions_and_feedback_only(workers[1])
