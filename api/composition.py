"""The composition root: the one place that builds the components from settings. Every
front end (CLI, HTTP API, Slack) gets its `Kennisbank` and `Indexer` from here and never
builds clients of its own. It is the only module besides the front ends that imports both
ingestion and the answering side."""

from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.answers.extractive import ExtractiveAnswerer
from assistant.answers.generative import GenerativeAnswerer, build_llm
from assistant.answers.meaning import SentenceMeaning
from assistant.answers.model import Answerer
from assistant.search.retrieval import Retriever
from assistant.service import Kennisbank
from assistant.state.audit import AuditPolicy
from assistant.state.store import StateStore
from core.dutch.analysis import DutchAnalyzer
from core.dutch.glossary import Glossary
from core.index.embedding import build_embedding
from core.index.engines import open_store
from core.index.sparse import SparseEncoder
from core.index.store import KnowledgeStore
from core.settings import Settings
from ingest.pipeline import Indexer


def build_kennisbank(settings: Settings, embed_model: BaseEmbedding | None = None) -> Kennisbank:
    """Everything the front ends need, built from settings. `embed_model` lets tests share
    one embedder across many instances instead of loading it again."""
    embed_model = embed_model or build_embedding(settings)
    analyzer = DutchAnalyzer()
    sparse = SparseEncoder(analyzer)
    store = open_store(settings, sparse, embed_model)
    retriever = Retriever(store, embed_model, sparse, Glossary.load(analyzer, settings.glossary_file))
    return Kennisbank(
        settings,
        store,
        embed_model,
        retriever,
        build_answerer(
            settings,
            DutchAnalyzer(frequency_compounds=True),
            retriever.glossary,
            SentenceMeaning.for_model(embed_model, retriever.query_embedding),
        ),
        build_state(settings),
    )


def build_state(settings: Settings) -> StateStore:
    """The shared state database, keeping audit records as the settings say."""
    return StateStore(
        settings.state_database_url,
        AuditPolicy(keep_questions=settings.audit_questions, retention_days=settings.audit_retention_days),
    )


def build_answerer(
    settings: Settings, analyzer: DutchAnalyzer, glossary: Glossary | None, meaning: SentenceMeaning | None
) -> Answerer:
    """The LLM answerer when KENNISBANK_LLM_URL is set (falling back to the extractive one
    when the endpoint fails), else the extractive one: no LLM, no network."""
    extractive = ExtractiveAnswerer(
        analyzer, settings.answer_min_score, glossary, meaning, sure_score=settings.answer_sure_score
    )
    if not settings.llm_url:
        return extractive
    return GenerativeAnswerer(build_llm(settings), extractive)


ANSWERERS = ("configured", "extractive", "llm")


def settings_for_answerer(settings: Settings, answerer: str) -> Settings:
    """`settings` made to answer with `answerer` (one of ANSWERERS), for measurements that
    compare them: `extractive` leaves the LLM out even when one is configured; `llm` needs
    its endpoint (ValueError without it)."""
    if answerer == "extractive":
        return settings.model_copy(update={"llm_url": ""})
    if answerer == "llm" and not settings.llm_url:
        raise ValueError("--answerer llm needs the model's endpoint in KENNISBANK_LLM_URL")
    return settings


def build_indexer(kennisbank: Kennisbank, store: KnowledgeStore | None = None) -> Indexer:
    """Ingestion into the knowledge base's store (or `store`, a guarded view of it) with
    its embedder: passages and questions are embedded by the same model."""
    return Indexer(store or kennisbank.store, kennisbank.embed_model, kennisbank.settings)
