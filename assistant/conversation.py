"""Follow-up questions: "En voor Kortevoorde?" only makes sense after the question it
follows. Without an LLM, a follow-up is recognised by its form (`question.is_followup`)
and searched together with the question it leans on."""

import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

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


class Recorded(Protocol):
    """What the state database tells of a conversation another process answered in."""

    owner: str | None
    turns: int
    last: str


@dataclass
class Conversation:
    """What a conversation needs to resolve its next question: whose it is (a caller's
    identity), how many questions it has had and the latest one, made standalone. Only
    the latest is kept: a follow-up leans on it alone, so a long conversation takes no more
    room than a short one."""

    id: str
    owner: str
    last: str | None = None
    turns: int = 0

    def add(self, standalone: str) -> None:
        self.last = standalone
        self.turns += 1


class ConversationStore:
    """Recent conversations in memory, the oldest dropped beyond `capacity`."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._conversations: OrderedDict[str, Conversation] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_create(
        self,
        conversation_id: str | None,
        owner: str,
        restore: Callable[[str], Recorded | None] | None = None,
    ) -> Conversation:
        """The conversation with that id, when it belongs to `owner`; one not in memory is
        resumed from `restore` (what another process recorded of it). A conversation of
        another caller is never continued: `owner` gets a new one with a new id, so no
        caller can read or steer someone else's follow-ups. No id: a new conversation."""
        with self._lock:
            known = self._conversations.get(conversation_id) if conversation_id else None
            if known is not None and known.owner == owner:
                self._conversations.move_to_end(known.id)
                return known
        recorded = restore(conversation_id) if conversation_id and known is None and restore else None
        if conversation_id is None or known is not None:
            started = Conversation(uuid.uuid4().hex, owner)
        elif recorded is None:
            started = Conversation(conversation_id, owner)
        elif recorded.owner == owner:
            started = Conversation(conversation_id, owner, recorded.last, recorded.turns)
        else:
            started = Conversation(uuid.uuid4().hex, owner)
        with self._lock:
            conversation = self._conversations.setdefault(started.id, started)
            if conversation.owner != owner:  # another caller started this id meanwhile
                conversation = Conversation(uuid.uuid4().hex, owner)
                self._conversations[conversation.id] = conversation
            while len(self._conversations) > self.capacity:
                self._conversations.popitem(last=False)
            return conversation
