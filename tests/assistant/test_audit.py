"""The audit record of every answer (which documents it showed to whom), its export, the
retention period and erasing one person's records, on SQLite (PostgreSQL:
tests/assistant/test_state_postgres.py)."""

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.caller import Caller
from assistant.service import Kennisbank
from assistant.state.audit import AuditPolicy, NotAPerson
from assistant.state.audit_export import export_lines
from assistant.state.store import StateStore
from tests.support import audit_checks
from tests.support.audit_checks import an_answer, person, records_of
from tests.support.environment import BOARD, PUBLIC, run_cli
from tests.support.sample_corpus import CANARY

RESTRICTED_SOURCE = "bestuur/besloten-zitting-rvb.md"


@pytest.fixture()
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'state.db'}"


@pytest.fixture()
def state(url: str) -> Iterator[StateStore]:
    store = StateStore(url)
    yield store
    store.close()


def test_an_answer_is_recorded_with_what_it_showed_to_whom(state: StateStore):
    audit_checks.check_an_answer_is_recorded_with_what_it_showed_to_whom(state)


def test_records_past_the_retention_period_go_with_their_answers(url: str):
    audit_checks.check_records_past_the_retention_period_go_with_their_answers(url)


def test_erasing_a_person_removes_their_records_questions_and_feedback_only(state: StateStore):
    audit_checks.check_erasing_a_person_removes_their_records_questions_and_feedback_only(state)


def test_the_anonymous_callers_cannot_be_erased_as_one_person(state: StateStore):
    with pytest.raises(NotAPerson):
        state.audit.erase("anonymous")


def test_without_keeping_questions_the_record_says_everything_but_the_question(url: str):
    store = StateStore(url, AuditPolicy(keep_questions=False))
    try:
        asker = person()
        store.record_answer(an_answer("Een persoonlijke vraag"), channel="web", caller=asker)
        [record] = records_of(store, asker.identity)
        assert record.question is None and [d.source for d in record.documents] == [
            "bestuur/besloten.md",
            "strategie/plan.pdf",
        ]
    finally:
        store.close()


def test_the_service_records_the_restricted_document_only_for_whom_it_showed_it(indexed: Kennisbank):
    question = f"Wat werd besproken over tuchtdossier {CANARY}?"
    since = datetime.now(UTC) - timedelta(minutes=5)
    anonymous = Caller.anonymous("192.0.2.7")
    for caller in (BOARD, PUBLIC, anonymous):
        indexed.ask(question, caller=caller, channel="cli")

    records = {
        r.who: r for r in indexed.state.audit.records(since, datetime.now(UTC)) if r.question == question
    }
    board_sources = {d.source: d.groups for d in records[BOARD.identity].documents}
    assert board_sources[RESTRICTED_SOURCE] == ["bestuur"]
    for who in (PUBLIC.identity, "anonymous"):
        assert RESTRICTED_SOURCE not in {d.source for d in records[who].documents}
        assert records[who].groups == []
    assert "192.0.2.7" not in json.dumps([r.to_dict() for r in records.values()]), "no address is kept"


def test_the_csv_export_has_a_row_per_document_and_the_json_lines_one_per_answer(state: StateStore):
    asker = person()
    state.record_answer(an_answer(), channel="web", caller=asker)
    records = records_of(state, asker.identity)

    rows = list(csv.DictReader(io.StringIO("".join(export_lines(records, "csv")))))
    assert [(row["source"], row["document_groups"], row["cited"]) for row in rows] == [
        ("bestuur/besloten.md", "bestuur", "yes"),
        ("strategie/plan.pdf", "", "no"),
    ]
    assert {row["who"] for row in rows} == {asker.identity}
    [line] = "".join(export_lines(records, "jsonl")).splitlines()
    assert json.loads(line)["documents"][0]["groups"] == ["bestuur"]


@pytest.mark.slow  # runs the kennisbank command
def test_the_audit_commands_export_since_a_date_for_one_user_and_erase_them(tmp_path: Path):
    data_dir = tmp_path / "data"
    state = StateStore(f"sqlite:///{data_dir / 'state.db'}")
    one, other = person(), person()
    for caller in (one, other):
        state.record_answer(an_answer(), channel="web", caller=caller)
    state.close()
    today = datetime.now(UTC).date()

    exported = run_cli("audit", "export", "--since", str(today), "--user", one.identity, "--format", "csv",
                       data_dir=data_dir)  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert {row["who"] for row in csv.DictReader(io.StringIO(exported.stdout))} == {one.identity}
    tomorrow = run_cli("audit", "export", "--since", str(today + timedelta(days=1)), data_dir=data_dir)
    assert tomorrow.returncode == 0 and tomorrow.stdout == ""
    bad_date = run_cli("audit", "export", "--since", "gisteren", data_dir=data_dir)
    assert bad_date.returncode == 2 and "not an ISO date" in bad_date.stderr

    erased = run_cli("audit", "erase", one.identity, data_dir=data_dir)
    assert erased.returncode == 0 and "1 audit record(s), 1 answer(s)" in erased.stderr
    left = run_cli("audit", "export", "--since", str(today), data_dir=data_dir)
    assert [json.loads(line)["who"] for line in left.stdout.splitlines()] == [other.identity]
    assert run_cli("audit", "erase", "anonymous", data_dir=data_dir).returncode == 2
