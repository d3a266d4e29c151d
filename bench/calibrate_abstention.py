"""Where should the extractive answerer stop answering? Sweeps the abstention threshold
over the gold questions and prints both error rates for each value.

    .venv/bin/python bench/calibrate_abstention.py [--questions eval/questions]

Needs an index of corpus/ under KENNISBANK_DATA_DIR (default ./data: `kennisbank ingest`).
For every gold question (follow-ups resolved as `ask` resolves them) it records the score
of the best sentence, then prints, per threshold: the share of unanswerable and near-miss
questions that would be abstained on, and the share of answerable questions that would
be wrongly abstained on. Set the chosen value as KENNISBANK_ANSWER_MIN_SCORE's default.
"""

import argparse
from pathlib import Path

from assistant.conversation import standalone_question
from assistant.evaluation import load_questions
from assistant.service import build_kennisbank
from assistant.settings import Settings

THRESHOLDS = [round(0.30 + 0.025 * step, 3) for step in range(17)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=Path, default=Path("eval/questions"))
    args = parser.parse_args()

    questions = load_questions(args.questions)
    kennisbank = build_kennisbank(Settings())
    answerable: list[float] = []
    unanswerable: list[float] = []
    standalone: dict[str, str] = {}
    try:
        for question in questions:
            previous = standalone.get(question.follows) if question.follows else None
            query = standalone[question.id] = standalone_question(question.question, previous)
            hits = kennisbank.retriever.search(
                query, top_k=kennisbank.settings.answer_passages, filters=question.filters
            )
            ranked = kennisbank.answerer.rank_sentences(question.question, query, hits)
            best = ranked[0][0] if ranked else 0.0
            if question.answerable:
                answerable.append(best)
            elif question.kind != "restricted":
                unanswerable.append(best)
    finally:
        kennisbank.close()

    print(f"{len(answerable)} answerable, {len(unanswerable)} unanswerable or near-miss questions")
    print(f"{'threshold':>9} {'abstained (unanswerable)':>25} {'false abstentions':>18}")
    for threshold in THRESHOLDS:
        abstained = sum(score < threshold for score in unanswerable) / len(unanswerable)
        false = sum(score < threshold for score in answerable) / len(answerable)
        print(f"{threshold:>9.3f} {abstained:>25.3f} {false:>18.3f}")


if __name__ == "__main__":
    main()
