"""`Kennisbank` as every front end uses it: it checks the question once for all channels,
answers for the caller's access groups, and records each answer under its channel so
that feedback and follow-ups in another process find it."""

from dataclasses import replace

import pytest

from assistant.caller import Caller
from assistant.conversation import ConversationStore
from assistant.service import InvalidQuestion, Kennisbank
from tests.support.environment import BOARD, PUBLIC
from tests.support.sample_corpus import CANARY

QUESTION = "Hoeveel hydranten inspecteert De Werkplaats per jaar?"


def test_every_answer_is_recorded_under_its_channel_with_the_callers_groups(indexed: Kennisbank):
    answer = indexed.ask(QUESTION, caller=BOARD, channel="slack")
    assert answer.answer_id and answer.to_dict()["answer_id"] == answer.answer_id
    assert indexed.state.record_feedback(answer.answer_id, "down", "mist de bron", channel="slack")
    rated = next(item for item in indexed.state.thumbs_down() if item.answer_id == answer.answer_id)
    assert (rated.channel, rated.groups, rated.question) == ("slack", ["bestuur"], QUESTION)
    assert rated.answer == answer.answer


def test_the_stream_ends_with_the_recorded_answer(indexed: Kennisbank):
    *pieces, final = indexed.ask_stream(QUESTION, caller=PUBLIC, channel="web")
    assert "".join(pieces).strip() == final.answer
    assert final.answer_id and indexed.state.record_feedback(final.answer_id, "up", None, channel="web")


def test_a_follow_up_resumes_a_conversation_recorded_by_another_process(indexed: Kennisbank):
    first = indexed.ask(
        "Welke verdeelsleutel besliste de Raad van Bestuur in 2021 voor gedeeld personeel?",
        caller=PUBLIC,
        channel="api",
    )
    # Another worker: the same store and state database, no conversations in memory.
    other = replace(indexed, conversations=ConversationStore())
    follow_up = other.ask("En in 2019?", caller=PUBLIC, channel="api", conversation_id=first.conversation_id)
    assert "50 %" in follow_up.answer


@pytest.mark.parametrize("question", ["", "   ", "\u200b\u2060\ufeff", "\n\t"])
def test_a_question_with_nothing_to_ask_is_refused_and_not_recorded(indexed: Kennisbank, question: str):
    with pytest.raises(InvalidQuestion) as refused:
        indexed.ask(question, caller=PUBLIC, channel="api", conversation_id="leeg")
    assert refused.value.problem == "empty" and str(refused.value) == "the question is empty"
    assert indexed.state.conversation("leeg") is None


def test_an_overlong_question_is_refused_before_anything_is_searched(
    indexed: Kennisbank, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(indexed.retriever, "search", lambda *args, **kwargs: pytest.fail("searched"))
    limit = indexed.settings.max_question_chars
    with pytest.raises(InvalidQuestion) as refused:
        # A stream refuses at once, before the first piece: a front end can still say 422.
        indexed.ask_stream("x" * (limit + 1), caller=PUBLIC, channel="web")
    assert refused.value.problem == "too_long" and refused.value.limit == limit
    with pytest.raises(InvalidQuestion):
        indexed.search("x" * (limit + 1), caller=PUBLIC)


def test_search_shows_a_caller_only_what_its_groups_may_see(indexed: Kennisbank):
    question = f"tuchtdossier {CANARY}"
    assert all(CANARY not in hit.text for hit in indexed.search(question, caller=PUBLIC, top_k=10))
    assert any(CANARY in hit.text for hit in indexed.search(question, caller=BOARD, top_k=10))
    documents = indexed.search_documents(question, caller=Caller.member("x", frozenset({"personeel"})))
    assert all(CANARY not in passage.text for document in documents for passage in document.passages)


def test_follow_ups_do_not_grow_the_question_without_bound(indexed: Kennisbank):
    """Regression (#18, item 2): each follow-up was appended to the standalone question, so
    200 follow-ups of 1,990 characters made a question of 383,874 characters (and answers,
    latency, memory and the state database grew with it). It stays within the limit."""
    limit = indexed.settings.max_question_chars
    follow_up = "En wat met " + " ".join(["de hydranten van Ravelgem"] * 80)
    follow_up = follow_up[: limit - 10] + "?"
    first = indexed.ask("Wie inspecteert de hydranten?", caller=PUBLIC, channel="api")
    conversation_id = first.conversation_id
    for _ in range(30):
        answer = indexed.ask(follow_up, caller=PUBLIC, channel="api", conversation_id=conversation_id)
        assert answer.conversation_id == conversation_id
        assert len(answer.standalone_question) <= limit
    assert indexed.state.conversation(conversation_id).turns == 31
    # Short follow-ups, many of them: the question they lean on keeps its subject.
    conversation_id = indexed.ask(
        "Wie inspecteert de hydranten?", caller=PUBLIC, channel="api"
    ).conversation_id
    for n in range(300):
        answer = indexed.ask(
            f"En voor zone {n}?", caller=PUBLIC, channel="api", conversation_id=conversation_id
        )
        conversation_id = answer.conversation_id
    assert len(answer.standalone_question) <= limit
    assert answer.standalone_question.startswith("Wie inspecteert de hydranten?")


def test_a_conversation_of_another_caller_is_not_continued(indexed: Kennisbank):
    """Regression (#18, item 3): a caller that knew another's conversation id got its
    question back as the standalone question and appended to it."""
    board = indexed.ask("Wat besprak de Raad van Bestuur in besloten zitting?", caller=BOARD, channel="slack")
    intruder = indexed.ask(
        "En daarvoor?", caller=PUBLIC, channel="api", conversation_id=board.conversation_id
    )
    assert intruder.conversation_id != board.conversation_id
    assert intruder.standalone_question == "En daarvoor?"
    follow_up = indexed.ask(
        "En in 2019?", caller=BOARD, channel="slack", conversation_id=board.conversation_id
    )
    assert follow_up.standalone_question.startswith("Wat besprak de Raad van Bestuur")
