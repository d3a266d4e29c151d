"""Follow-up questions: "En voor Kortevoorde?" only makes sense after the question it
follows. Without an LLM, a follow-up is recognised by its form (`question.is_followup`)
and searched together with the question it leans on."""

import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.question import YEAR, asks_about_the_past, is_followup, without_time_words

# What a follow-up typically swaps: a year ("En in 2019?") or a name ("En voor Kortevoorde?").
_NAME = re.compile(r"(?<!^)(?<![.?!] )\b[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?\b")


def standalone_question(question: str, previous: str | None) -> str:
    """The question to search with: the follow-up joined to the (already standalone)
    question it follows, so the topic of the earlier one is searched too. A year or name
    in the follow-up replaces the years or names of the earlier question ("... in 2021?"
    then "En in 2019?" searches for 2019 only), and so do its words for a time ("in het
    eerste jaar", "momenteel") when the follow-up names a year or asks about the past."""
    if not previous or not is_followup(question):
        return question
    for pattern in (YEAR, _NAME):
        if pattern.search(question):
            previous = pattern.sub(" ", previous)
    if YEAR.search(question) or asks_about_the_past(question):
        previous = without_time_words(previous)
    return " ".join(f"{previous} {question}".split())


@dataclass
class Conversation:
    """What a conversation needs to resolve its next question."""

    id: str
    standalone_questions: list[str] = field(default_factory=list)

    @property
    def last(self) -> str | None:
        return self.standalone_questions[-1] if self.standalone_questions else None


class ConversationStore:
    """Recent conversations in memory, the oldest dropped beyond `capacity`."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._conversations: OrderedDict[str, Conversation] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_create(
        self, conversation_id: str | None, restore: Callable[[str], list[str]] | None = None
    ) -> Conversation:
        """The conversation with that id; one not in memory is resumed from `restore`
        (the standalone questions another process recorded for it) or started empty.
        No id: a new conversation with a new id."""
        with self._lock:
            if conversation_id and conversation_id in self._conversations:
                self._conversations.move_to_end(conversation_id)
                return self._conversations[conversation_id]
        history = restore(conversation_id) if conversation_id and restore else []
        started = Conversation(conversation_id or uuid.uuid4().hex, history)
        with self._lock:
            conversation = self._conversations.setdefault(started.id, started)
            while len(self._conversations) > self.capacity:
                self._conversations.popitem(last=False)
            return conversation
