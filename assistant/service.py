"""The knowledge base as every front end sees it. `Kennisbank.ask` takes a question from a
caller through a channel, checks it, answers it with cited passages, resolves follow-ups
against the conversation and records the answer; `search*` find passages and documents
for a caller. Front ends (CLI, HTTP API, Slack) only translate to and from their
protocol. It is built in one place, `api.composition`, and passed to each of them."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.answers.model import Answer, Answerer
from assistant.caller import Caller, Channel
from assistant.conversation import ConversationStore
from assistant.search.retrieval import DocumentHit, Retriever, SearchHit, SearchMode
from assistant.state.store import StateStore
from core.dutch.invisible import remove_invisible
from core.index.filters import NO_FILTERS, SearchFilters
from core.index.store import KnowledgeStore
from core.settings import Settings


class InvalidQuestion(ValueError):
    """A question (or search text) that cannot be asked. `problem` says which rule it
    breaks, so that a front end can say it in its own words (Slack does, in Dutch)."""

    def __init__(self, problem: Literal["empty", "too_long"], what: str, length: int, limit: int) -> None:
        self.problem = problem
        self.limit = limit
        super().__init__(
            f"the {what} is empty"
            if problem == "empty"
            else f"the {what} is {length} characters long; the maximum is {limit}"
        )


def check_question(text: str, limit: int, what: str = "question") -> str:
    """`text` without the characters nobody sees (they would split its words and hide what
    it asks, as they are dropped from the documents); InvalidQuestion when it is longer
    than `limit` or has nothing to ask. The one rule for every channel."""
    if len(text) > limit:
        raise InvalidQuestion("too_long", what, len(text), limit)
    cleaned = remove_invisible(text)
    if not cleaned.strip():
        raise InvalidQuestion("empty", what, len(text), limit)
    return cleaned


@dataclass
class Kennisbank:
    """The assembled answering side: the store and embedder it reads, search, the
    answerer, the shared state and the conversations in memory."""

    settings: Settings
    store: KnowledgeStore
    embed_model: BaseEmbedding
    retriever: Retriever
    answerer: Answerer
    state: StateStore
    conversations: ConversationStore = field(default_factory=ConversationStore)

    def checked(self, text: str, what: str = "question") -> str:
        """`check_question` with this knowledge base's `max_question_chars`."""
        return check_question(text, self.settings.max_question_chars, what)

    def ask(
        self,
        question: str,
        *,
        caller: Caller,
        channel: Channel,
        conversation_id: str | None = None,
        filters: SearchFilters = NO_FILTERS,
        mode: SearchMode = "hybrid",
    ) -> Answer:
        """Answer a question with cited passages the caller may see, and record the answer
        (its `answer_id` is what feedback points at). A follow-up in the same conversation
        is resolved against what it follows. InvalidQuestion before anything is searched."""
        *_, answer = self.ask_stream(
            question,
            caller=caller,
            channel=channel,
            conversation_id=conversation_id,
            filters=filters,
            mode=mode,
        )
        assert isinstance(answer, Answer)
        return answer

    def ask_stream(
        self,
        question: str,
        *,
        caller: Caller,
        channel: Channel,
        conversation_id: str | None = None,
        filters: SearchFilters = NO_FILTERS,
        mode: SearchMode = "hybrid",
    ) -> Iterator[str | Answer]:
        """`ask`, streamed: pieces of answer text as they come, then the final, recorded
        `Answer`, which is authoritative (the post-check may have changed the text). The
        question is checked at once, before the stream starts, so that a front end can
        still refuse the request."""
        return self._answer_stream(self.checked(question), caller, channel, conversation_id, filters, mode)

    def _answer_stream(
        self,
        question: str,
        caller: Caller,
        channel: Channel,
        conversation_id: str | None,
        filters: SearchFilters,
        mode: SearchMode,
    ) -> Iterator[str | Answer]:
        conversation = self.conversations.get_or_create(
            conversation_id, caller.identity, self.state.conversation
        )
        standalone = self._standalone(question, conversation.last)
        hits = self.passages_for_answer(standalone, filters=filters, groups=caller.groups, mode=mode)
        for piece in self.answerer.stream(question, standalone, hits):
            if isinstance(piece, Answer):
                conversation.add(standalone)
                piece = replace(
                    piece, conversation_id=conversation.id, question=question, standalone_question=standalone
                )
                piece = replace(
                    piece, answer_id=self.state.record_answer(piece, channel=channel, caller=caller)
                )
            yield piece

    def _standalone(self, question: str, previous: str | None) -> str:
        """`question` resolved against the previous one, never longer than a question may
        be: of a long previous question only its start is kept (a follow-up keeps the
        subject of the first question; each further one would otherwise add its length)."""
        limit = self.settings.max_question_chars
        room = limit - len(question) - 1
        if previous and len(previous) > room:
            previous = previous[: max(room, 0)].rpartition(" ")[0] or None
        return self.answerer.standalone_question(question, previous)[:limit]

    def passages_for_answer(
        self,
        standalone: str,
        *,
        filters: SearchFilters = NO_FILTERS,
        groups: frozenset[str] = frozenset(),
        mode: SearchMode = "hybrid",
        top_k: int | None = None,
    ) -> list[SearchHit]:
        """The passages `ask` hands its answerer for a question (resolved against its
        conversation): `top_k` of them, by default `answer_passages`."""
        return self.retriever.search(
            standalone,
            top_k=top_k or self.settings.answer_passages,
            filters=filters,
            groups=groups,
            mode=mode,
            prefer_asked_facts=False,  # the answerer weighs the asked fact per sentence
        )

    def conversation_for_transcript(self, caller: Caller, questions: list[str]) -> str:
        """The conversation in which to answer the last of `questions`, for a stateless
        protocol whose every request carries the whole chat (the OpenAI one). It is keyed
        by the caller and the questions so far; the one for the earlier questions exists
        when the previous turn came through here (else, e.g. after a restart, it is
        rebuilt by resolving the earlier questions in order). The last question is
        answered in a copy keyed by all questions, so that the next turn finds it and a
        regenerated reply (the same chat sent again) starts from the same point."""
        earlier = [remove_invisible(question) for question in questions[:-1]]  # as `checked` does
        previous = self.conversations.get_or_create(_transcript_key(caller, earlier), caller.identity)
        if previous.turns != len(earlier):
            previous.last, previous.turns = None, 0
            for question in earlier:
                previous.add(self._standalone(question, previous.last))
        current = self.conversations.get_or_create(_transcript_key(caller, questions), caller.identity)
        current.last, current.turns = previous.last, previous.turns
        return current.id

    def search(
        self,
        query: str,
        *,
        caller: Caller,
        top_k: int = 5,
        filters: SearchFilters = NO_FILTERS,
        mode: SearchMode = "hybrid",
    ) -> list[SearchHit]:
        """The `top_k` passages the caller may see that best answer `query`."""
        return self.retriever.search(
            self.checked(query, "query"), top_k=top_k, filters=filters, groups=caller.groups, mode=mode
        )

    def search_documents(
        self,
        query: str,
        *,
        caller: Caller,
        top_k: int = 5,
        passages_per_document: int = 3,
        filters: SearchFilters = NO_FILTERS,
        mode: SearchMode = "hybrid",
    ) -> list[DocumentHit]:
        """Precedent search: the documents whose passages best match `query`."""
        return self.retriever.search_documents(
            self.checked(query, "query"),
            top_k=top_k,
            passages_per_document=passages_per_document,
            filters=filters,
            groups=caller.groups,
            mode=mode,
        )

    def search_by_example(
        self,
        text: str,
        *,
        caller: Caller,
        top_k: int = 5,
        passages_per_document: int = 3,
        filters: SearchFilters = NO_FILTERS,
    ) -> list[DocumentHit]:
        """The documents that dealt with the same thing as `text`, a pasted paragraph."""
        return self.retriever.search_by_example(
            self.checked(text, "text"),
            top_k=top_k,
            passages_per_document=passages_per_document,
            filters=filters,
            groups=caller.groups,
        )

    def close(self) -> None:
        """Release the store (the embedded store holds a lock on its folder until then)."""
        self.store.close()
        self.state.close()


def _transcript_key(caller: Caller, questions: list[str]) -> str:
    text = "\x1f".join([caller.identity, *questions])
    return "openai-" + hashlib.sha256(text.encode()).hexdigest()[:32]
