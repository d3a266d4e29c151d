"""Search latency over the gold questions, per retrieval mode, and where the time goes.

    KENNISBANK_DATA_DIR=... .venv/bin/python bench/search_latency.py [--questions PATH]

Needs an index of corpus/ (`kennisbank ingest`). Each mode runs every gold question
twice through `Retriever.search` (top 10, as a public caller with the question's
filters): "cold" with an empty query-embedding cache (every question embedded), then
"repeat" (the same questions again, as when `ask` follows `search` or a chat resends).
Then the hybrid path is timed piece by piece: query embedding, dense side, sparse side.
"""

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from api.composition import build_kennisbank
from assistant.evaluation import load_questions
from assistant.evaluation.metrics import percentile
from assistant.search.retrieval import SEARCH_MODES
from core.index.filters import build_filter
from core.settings import Settings


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return 1000 * (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=Path, default=Path("eval/questions"))
    args = parser.parse_args()
    questions = load_questions(args.questions)
    kennisbank = build_kennisbank(Settings())
    try:
        retriever = kennisbank.retriever
        retriever.search("opwarmen", top_k=1)  # loads the in-memory mirror once
        print(f"{len(questions)} questions, {kennisbank.store.count()} passages")
        print(f"{'mode':<8} {'cold p50':>9} {'cold p95':>9} {'repeat p50':>11} {'repeat p95':>11}   (ms)")
        for mode in SEARCH_MODES:
            retriever.forget_query_embeddings()
            runs = [
                [
                    timed(
                        lambda q=q, m=mode: retriever.search(q.question, top_k=10, filters=q.filters, mode=m)
                    )
                    for q in questions
                ]
                for _ in ("cold", "repeat")
            ]
            print(
                f"{mode:<8} {percentile(runs[0], 50):>9.1f} {percentile(runs[0], 95):>9.1f} "
                f"{percentile(runs[1], 50):>11.1f} {percentile(runs[1], 95):>11.1f}"
            )
        parts: dict[str, list[float]] = {"query embedding": [], "dense side": [], "sparse side": []}
        for q in questions:
            flt = build_filter(q.filters, frozenset())
            vector = retriever.embed_model.get_query_embedding(q.question)
            sparse = retriever.sparse_query(q.question)
            parts["query embedding"].append(
                timed(lambda q=q: retriever.embed_model.get_query_embedding(q.question))
            )
            parts["dense side"].append(timed(lambda v=vector, f=flt: retriever.store.search_dense(v, f, 40)))
            parts["sparse side"].append(
                timed(lambda s=sparse, f=flt: retriever.store.search_sparse(*s, f, 40))
            )
        for name, values in parts.items():
            print(f"  {name:<16} p50 {percentile(values, 50):6.1f}  p95 {percentile(values, 95):6.1f} ms")
    finally:
        kennisbank.close()


if __name__ == "__main__":
    main()
