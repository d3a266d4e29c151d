"""BM25-style sparse vectors for Qdrant's sparse index.

The collection's sparse vector uses `Modifier.IDF`, so Qdrant supplies the inverse
document frequency from the stored points and keeps it current as passages come and go.
We supply the rest of BM25: the saturated, length-normalised term frequency of each term
in a passage, and a plain 1.0 for each term of a query. Qdrant's score is then
sum(IDF * query weight * passage weight), which is BM25.

Hand-written rather than fastembed's "Qdrant/bm25": that one downloads its model files at
run time (no network here) and tokenises with rules that do not know Dutch spelling.
"""

import zlib
from collections import Counter

from core.dutch.analysis import DutchAnalyzer

BatchSparse = tuple[list[list[int]], list[list[float]]]


def term_id(term: str) -> int:
    """The sparse-vector index of a term: CRC-32 of its UTF-8 bytes.

    A hash rather than a vocabulary, so ingest and query workers need no shared state and
    the id of a term never changes; CRC-32 rather than `hash()`, which is salted per
    process. It fits Qdrant's unsigned 32-bit indices and is fast C code in the standard
    library. Collisions are rare (about n**2 / 2**33 pairs among n distinct terms: some 30
    in a vocabulary of half a million) and nearly harmless: two terms, almost always rare
    ones, share a document frequency and match each other.
    """
    return zlib.crc32(term.encode("utf-8"))


class SparseEncoder:
    """Encodes passages and queries for Qdrant's sparse index, Dutch-aware.

    `encode_documents` and `encode_queries` have llama-index's `SparseEncoderCallable`
    shape (a batch of texts -> indices per text, values per text), so they are passed as
    `sparse_doc_fn` and `sparse_query_fn` to `QdrantVectorStore`. Thread-safe.
    """

    def __init__(
        self,
        analyzer: DutchAnalyzer | None = None,
        *,
        k1: float = 1.2,
        b: float = 0.75,
        avg_doc_len: float = 120.0,
    ) -> None:
        """`k1` sets how fast repeats of a term stop adding weight, `b` how much a long
        passage is discounted, and `avg_doc_len` is the average passage length in terms
        (after stop words) against which that discount is measured."""
        if k1 < 0 or not 0 <= b <= 1 or avg_doc_len <= 0:
            raise ValueError(f"need k1 >= 0, 0 <= b <= 1, avg_doc_len > 0: {k1=} {b=} {avg_doc_len=}")
        self.analyzer = analyzer or DutchAnalyzer()
        self.k1 = k1
        self.b = b
        self.avg_doc_len = avg_doc_len

    def encode_documents(self, texts: list[str]) -> BatchSparse:
        """One sparse vector per passage: for each term, BM25's term-frequency part
        tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avg_doc_len)).

        Repeats of a term add less and less (never more than k1 + 1), and the same count
        weighs less in a longer passage. Indices are sorted and unique; a passage without
        terms gets an empty vector.
        """
        k1_plus_1 = self.k1 + 1
        all_indices: list[list[int]] = []
        all_values: list[list[float]] = []
        for text in texts:
            terms = self.analyzer.terms(text)
            counts = Counter(map(term_id, terms))
            norm = self.k1 * (1 - self.b + self.b * len(terms) / self.avg_doc_len)
            indices = sorted(counts)
            all_indices.append(indices)
            all_values.append([counts[i] * k1_plus_1 / (counts[i] + norm) for i in indices])
        return all_indices, all_values

    def encode_queries(self, texts: list[str]) -> BatchSparse:
        """One sparse vector per query: weight 1.0 for each distinct term, since Qdrant
        multiplies by the IDF and a term typed twice is no more important. Indices are
        sorted and unique; a query without terms gets an empty vector."""
        all_indices = [sorted(set(map(term_id, self.analyzer.terms(text)))) for text in texts]
        return all_indices, [[1.0] * len(indices) for indices in all_indices]

    def encode_query_terms(
        self, terms: list[str], extra_terms: list[str], extra_weight: float
    ) -> tuple[list[int], list[float]]:
        """One query vector from analysed terms at 1.0 and `extra_terms` (a glossary's
        expansions) at `extra_weight`; a term in both keeps 1.0."""
        weights = dict.fromkeys(map(term_id, extra_terms), extra_weight) | dict.fromkeys(
            map(term_id, terms), 1.0
        )
        indices = sorted(weights)
        return indices, [weights[index] for index in indices]
