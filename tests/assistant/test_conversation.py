import pytest

from assistant.conversation import ConversationStore, standalone_question
from assistant.question import is_followup
from assistant.state.store import RecordedConversation


@pytest.mark.parametrize(
    "question",
    [
        "En voor Kortevoorde?",
        "En in 2021?",
        "Wat met Zandeveld?",
        "Krijg je daar een vergoeding voor?",
        "Hoeveel daarvan zijn gerealiseerd?",
    ],
)
def test_follow_ups_are_recognised(question: str):
    assert is_followup(question)


@pytest.mark.parametrize(
    "question",
    [
        "Wie is de voorzitter van Midwest?",
        "Hoeveel hydranten worden jaarlijks gecontroleerd in de regio?",
        "Welke verdeelsleutel geldt voor gedeeld personeel sinds 2022?",
    ],
)
def test_standalone_questions_are_left_alone(question: str):
    assert not is_followup(question)
    assert standalone_question(question, "Wat doet het archiefteam?") == question


def test_a_new_year_replaces_the_old_one():
    resolved = standalone_question(
        "En in 2019?", "Welke verdeelsleutel besliste de Raad van Bestuur in 2021?"
    )
    assert "2019" in resolved and "2021" not in resolved and "verdeelsleutel" in resolved


def test_a_year_or_a_look_back_replaces_the_time_words_of_the_earlier_question():
    first_year = "Hoeveel hydranten werden er in het eerste jaar van de regionale controle gecontroleerd?"
    resolved = standalone_question("En in 2022?", first_year)
    assert "2022" in resolved and "eerste jaar" not in resolved and "hydranten" in resolved

    resolved = standalone_question("En daarvoor?", "Welke firma levert momenteel onze laptops?")
    assert "momenteel" not in resolved and "laptops" in resolved and "daarvoor" in resolved

    # A follow-up about another place keeps asking about now.
    resolved = standalone_question("En voor Kortevoorde?", "Wat kost het archiefteam nu?")
    assert "archiefteam nu?" in resolved and "Kortevoorde" in resolved


def test_a_new_name_replaces_the_old_one():
    resolved = standalone_question(
        "En voor Kortevoorde?", "Hoeveel uren werkt het archiefteam voor Ravelgem?"
    )
    assert "Kortevoorde" in resolved and "Ravelgem" not in resolved and "archiefteam" in resolved


def test_first_question_of_a_conversation_stands_alone():
    assert standalone_question("En in 2019?", None) == "En in 2019?"


def test_store_keeps_conversations_and_forgets_the_oldest():
    store = ConversationStore(capacity=2)
    first = store.get_or_create(None, "web-1")
    first.add("vraag")
    assert store.get_or_create(first.id, "web-1").last == "vraag"
    store.get_or_create(None, "web-1")
    store.get_or_create(None, "web-1")
    assert store.get_or_create(first.id, "web-1").last is None  # evicted: a new, empty conversation


def test_conversation_unknown_here_is_resumed_from_what_another_process_recorded():
    recorded = {"gesprek-1": RecordedConversation("web-1", 1, "Welke verdeelsleutel gold in 2021?")}
    store = ConversationStore()
    resumed = store.get_or_create("gesprek-1", "web-1", recorded.get)
    assert resumed.id == "gesprek-1" and resumed.last == "Welke verdeelsleutel gold in 2021?"
    unknown = store.get_or_create("gesprek-2", "web-1", recorded.get)
    assert unknown.id == "gesprek-2" and unknown.last is None


def test_a_conversation_is_continued_only_by_the_caller_who_started_it():
    """Regression (#18, item 3): any caller who knew a conversation id (a Slack DM of a
    board member, another client's) got its question back as the standalone question and
    steered its next follow-up. Another caller now gets a new conversation of its own."""
    recorded = {"slack:D0BESTUUR": RecordedConversation("slack:U0BESTUUR", 3, "Wat besliste het bestuur?")}
    store = ConversationStore()
    intruder = store.get_or_create("slack:D0BESTUUR", "ip:10.0.0.9", recorded.get)
    assert intruder.id != "slack:D0BESTUUR" and intruder.last is None
    started = store.get_or_create(None, "key:a")
    started.add("Wie is de voorzitter?")
    other = store.get_or_create(started.id, "key:b")
    assert other.id != started.id and other.last is None
    assert store.get_or_create(started.id, "key:a").last == "Wie is de voorzitter?"
    legacy = {"oud": RecordedConversation(None, 1, "Vraag van voor de upgrade")}
    assert store.get_or_create("oud", "key:a", legacy.get).last is None
