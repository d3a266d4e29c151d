"""The one place that wires the components together from settings. Every front end (CLI,
HTTP API, Slack) gets a `Kennisbank` built here and never builds clients of its own."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.analysis import DutchAnalyzer
from assistant.answers import Answer
from assistant.conversation import ConversationStore, standalone_question
from assistant.embedding import build_embedding
from assistant.extractive import ExtractiveAnswerer
from assistant.filters import NO_FILTERS, SearchFilters
from assistant.retrieval import Retriever, SearchMode
from assistant.settings import Settings
from assistant.sparse import SparseEncoder
from assistant.store import KnowledgeStore, open_qdrant
from ingest.pipeline import Indexer


@dataclass
class Kennisbank:
    """The assembled application: store, embedder, search, answers and ingestion."""

    settings: Settings
    store: KnowledgeStore
    embed_model: BaseEmbedding
    retriever: Retriever
    answerer: ExtractiveAnswerer
    conversations: ConversationStore = field(default_factory=ConversationStore)

    @property
    def indexer(self) -> Indexer:
        return Indexer(self.store, self.embed_model, self.settings)

    def ask(
        self,
        question: str,
        *,
        conversation_id: str | None = None,
        filters: SearchFilters = NO_FILTERS,
        groups: frozenset[str] = frozenset(),
        mode: SearchMode = "hybrid",
    ) -> Answer:
        """Answer a question with cited passages; the one method every front end calls.
        A follow-up in the same conversation is searched together with what it follows."""
        conversation = self.conversations.get_or_create(conversation_id)
        standalone = standalone_question(question, conversation.last)
        hits = self.retriever.search(
            standalone, top_k=self.settings.answer_passages, filters=filters, groups=groups, mode=mode
        )
        answer = self.answerer.answer(question, standalone, hits)
        conversation.standalone_questions.append(standalone)
        return replace(
            answer, conversation_id=conversation.id, question=question, standalone_question=standalone
        )

    def ask_stream(
        self,
        question: str,
        *,
        conversation_id: str | None = None,
        filters: SearchFilters = NO_FILTERS,
        groups: frozenset[str] = frozenset(),
        mode: SearchMode = "hybrid",
    ) -> Iterator[str | Answer]:
        """`ask`, streamed: pieces of answer text as they come, then the final `Answer`.
        The final `Answer` is authoritative (the post-check may have changed the text)."""
        answer = self.ask(
            question, conversation_id=conversation_id, filters=filters, groups=groups, mode=mode
        )
        yield from re.findall(r"\S+\s*", answer.answer)
        yield answer

    def close(self) -> None:
        """Release the store (the embedded store holds a lock on its folder until then)."""
        self.store.client.close()


def build_kennisbank(settings: Settings, embed_model: BaseEmbedding | None = None) -> Kennisbank:
    """Everything the front ends need, built from settings. `embed_model` lets tests share
    one embedder across many instances instead of loading it again."""
    embed_model = embed_model or build_embedding(settings)
    analyzer = DutchAnalyzer()
    store = KnowledgeStore(
        open_qdrant(settings),
        settings.collection,
        SparseEncoder(analyzer),
        payload_indexes=not settings.embedded,
    )
    return Kennisbank(
        settings,
        store,
        embed_model,
        Retriever(store, embed_model),
        ExtractiveAnswerer(analyzer, settings.answer_min_score),
    )
