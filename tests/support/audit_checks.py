"""What the audit records promise, on any state database: run against SQLite
(tests/assistant/test_audit.py) and PostgreSQL (tests/assistant/test_state_postgres.py).
Each check works with callers of its own, so that it can share a database with others."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from assistant.answers.model import Answer, Citation
from assistant.caller import Caller
from assistant.state.audit import AuditPolicy, AuditRecord
from assistant.state.schema import answers, audit_records, feedback
from assistant.state.store import StateStore

RESTRICTED = Citation(
    1, "besloten-1", "Besloten zitting", "bestuur/besloten.md", None, None, "2022-03-14", "notulen",
    "Vertrouwelijk dossier.", 0.9, ("bestuur",),
)  # fmt: skip
PUBLIC = Citation(
    2, "plan-1", "Strategisch plan", "strategie/plan.pdf", 3, None, "2020-01-01", "plan",
    "De bijdrage is 1,25 euro per inwoner.", 0.7,
)  # fmt: skip
LONG_AGO = timedelta(days=40)


def an_answer(question: str = "Wat besliste de raad in besloten zitting?") -> Answer:
    """An answer that cites the restricted passage and also lists a public one it does not cite."""
    return Answer("De raad besprak een dossier [1].", False, [RESTRICTED, PUBLIC], None, question, question)


def person() -> Caller:
    return Caller(None, frozenset({"bestuur"}), False, f"oidc:{uuid.uuid4().hex}")


def records_of(store: StateStore, who: str) -> list[AuditRecord]:
    return store.audit.records(datetime.now(UTC) - timedelta(days=365), datetime.now(UTC), who)


def check_an_answer_is_recorded_with_what_it_showed_to_whom(store: StateStore) -> None:
    asker = person()
    answer_id = store.record_answer(an_answer(), channel="web", caller=asker)

    [record] = records_of(store, asker.identity)
    assert (record.answer_id, record.channel, record.who) == (answer_id, "web", asker.identity)
    assert record.question == "Wat besliste de raad in besloten zitting?" and record.groups == ["bestuur"]
    assert [(d.source, d.groups, d.cited) for d in record.documents] == [
        ("bestuur/besloten.md", ["bestuur"], True),
        ("strategie/plan.pdf", [], False),
    ]


def check_records_past_the_retention_period_go_with_their_answers(url: str) -> None:
    store = StateStore(url, AuditPolicy(retention_days=30))
    try:
        old, recent = person(), person()
        old_id = store.record_answer(an_answer(), channel="web", caller=old)
        store.record_feedback(old_id, "down", "te oud", channel="web")
        _backdate(store, old_id, LONG_AGO)
        assert [r.answer_id for r in records_of(store, old.identity)] == [], "never exported once expired"

        store.record_answer(an_answer(), channel="web", caller=recent)  # recording prunes as well
        with store.engine.connect() as connection:
            assert connection.execute(select(answers.c.id).where(answers.c.id == old_id)).first() is None
            assert connection.execute(select(feedback).where(feedback.c.answer_id == old_id)).first() is None
        assert len(records_of(store, recent.identity)) == 1
    finally:
        store.close()


def check_erasing_a_person_removes_their_records_questions_and_feedback_only(store: StateStore) -> None:
    leaving, staying = person(), person()
    erased_id = store.record_answer(an_answer("Mijn eigen vraag"), channel="web", caller=leaving)
    store.record_feedback(erased_id, "up", None, channel="web")
    store.record_answer(an_answer(), channel="slack", caller=leaving)
    store.record_answer(an_answer(), channel="web", caller=staying)

    erased = store.audit.erase(leaving.identity)

    assert (erased.records, erased.answers, erased.feedback) == (2, 2, 1)
    assert records_of(store, leaving.identity) == []
    assert len(records_of(store, staying.identity)) == 1
    with store.engine.connect() as connection:
        assert (
            connection.execute(select(answers.c.id).where(answers.c.caller == leaving.identity)).first()
            is None
        )


def _backdate(store: StateStore, answer_id: str, age: timedelta) -> None:
    then = datetime.now(UTC) - age
    with store.engine.begin() as connection:
        connection.execute(update(answers).where(answers.c.id == answer_id).values(created_at=then))
        connection.execute(
            update(audit_records).where(audit_records.c.answer_id == answer_id).values(created_at=then)
        )
