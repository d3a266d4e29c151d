"""The one place that wires the components together from settings. Every front end (CLI,
HTTP API, Slack) gets a `Kennisbank` built here and never builds clients of its own."""

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.analysis import DutchAnalyzer
from assistant.answers import Answer, Answerer
from assistant.conversation import ConversationStore
from assistant.embedding import build_embedding
from assistant.extractive import ExtractiveAnswerer
from assistant.filters import NO_FILTERS, SearchFilters
from assistant.generative import GenerativeAnswerer, build_llm
from assistant.glossary import Glossary
from assistant.retrieval import Retriever, SearchHit, SearchMode
from assistant.settings import Settings
from assistant.sparse import SparseEncoder
from assistant.state import StateStore
from assistant.store import KnowledgeStore, open_qdrant
from ingest.pipeline import Indexer
from ingest.readers.cleanup import remove_invisible


@dataclass
class Kennisbank:
    """The assembled application: store, embedder, search, answers and ingestion."""

    settings: Settings
    store: KnowledgeStore
    embed_model: BaseEmbedding
    retriever: Retriever
    answerer: Answerer
    state: StateStore
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
        A follow-up in the same conversation is resolved against what it follows."""
        *_, answer = self.ask_stream(
            question, conversation_id=conversation_id, filters=filters, groups=groups, mode=mode
        )
        assert isinstance(answer, Answer)
        return answer

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
        # Characters nobody sees are dropped, as they are from the documents: they would
        # split the question's words and hide what it asks from its reader.
        question = remove_invisible(question)
        conversation = self.conversations.get_or_create(conversation_id, self.state.standalone_questions)
        standalone = self.answerer.standalone_question(question, conversation.last)
        hits = self.passages_for_answer(standalone, filters=filters, groups=groups, mode=mode)
        for piece in self.answerer.stream(question, standalone, hits):
            if isinstance(piece, Answer):
                conversation.standalone_questions.append(standalone)
                piece = replace(
                    piece, conversation_id=conversation.id, question=question, standalone_question=standalone
                )
            yield piece

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

    def close(self) -> None:
        """Release the store (the embedded store holds a lock on its folder until then)."""
        self.store.client.close()
        self.state.close()


def build_kennisbank(settings: Settings, embed_model: BaseEmbedding | None = None) -> Kennisbank:
    """Everything the front ends need, built from settings. `embed_model` lets tests share
    one embedder across many instances instead of loading it again."""
    embed_model = embed_model or build_embedding(settings)
    analyzer = DutchAnalyzer()
    sparse = SparseEncoder(analyzer)
    store = KnowledgeStore(
        open_qdrant(settings),
        settings.collection,
        sparse,
        payload_indexes=not settings.embedded,
        shards=settings.qdrant_shards,
        replication=settings.qdrant_replication,
    )
    retriever = Retriever(store, embed_model, sparse, Glossary.load(analyzer, settings.glossary_file))
    return Kennisbank(
        settings,
        store,
        embed_model,
        retriever,
        build_answerer(settings, analyzer, retriever.glossary),
        StateStore(settings.state_database_url),
    )


def build_answerer(settings: Settings, analyzer: DutchAnalyzer, glossary: Glossary | None) -> Answerer:
    """The LLM answerer when KENNISBANK_LLM_URL is set (falling back to the extractive one
    when the endpoint fails), else the extractive one: no LLM, no network."""
    extractive = ExtractiveAnswerer(analyzer, settings.answer_min_score, glossary)
    if not settings.llm_url:
        return extractive
    return GenerativeAnswerer(build_llm(settings), extractive)
