"""Where should the extractive answerer stop answering? Sweeps the abstention threshold
over the gold questions and prints both error rates for each value.

    .venv/bin/python bench/calibrate_abstention.py [--questions eval/questions]

Needs an index of corpus/ under KENNISBANK_DATA_DIR (default ./data: `kennisbank ingest`)
and no KENNISBANK_LLM_URL (it calibrates the extractive answerer). For every gold
question (follow-ups resolved as `ask` resolves them) it records the answerer's best
sentence score (0 when the best sentence lacks the amount or number asked for), then prints,
per threshold: the share of unanswerable and near-miss questions that would be abstained
on, and the share of answerable questions that would be wrongly abstained on.

A held-out check follows: for each gold file, the threshold is chosen on the other files
(the highest abstention with at most 5 % false abstentions, else the fewest false
abstentions) and both rates are shown on the file left out. Set the chosen value as
KENNISBANK_ANSWER_MIN_SCORE's default.
"""

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from api.composition import build_kennisbank
from assistant.answers.extractive import ExtractiveAnswerer
from assistant.evaluation import load_questions
from core.settings import Settings

THRESHOLDS = [round(0.30 + 0.02 * step, 3) for step in range(26)]
MAX_FALSE_ABSTENTIONS = 0.05


@dataclass(frozen=True)
class Scored:
    file: str
    answerable: bool
    score: float


def rates(scored: list[Scored], threshold: float) -> tuple[float, float]:
    """(abstained share of unanswerable questions, abstained share of answerable ones)."""
    unanswerable = [s.score for s in scored if not s.answerable]
    answerable = [s.score for s in scored if s.answerable]
    return (
        sum(score < threshold for score in unanswerable) / max(1, len(unanswerable)),
        sum(score < threshold for score in answerable) / max(1, len(answerable)),
    )


def choose(scored: list[Scored]) -> float:
    """The threshold with the most abstention within the false-abstention budget."""
    within = [t for t in THRESHOLDS if rates(scored, t)[1] <= MAX_FALSE_ABSTENTIONS]
    if within:
        return max(within, key=lambda t: (rates(scored, t)[0], -t))
    return min(THRESHOLDS, key=lambda t: rates(scored, t)[1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=Path, default=Path("eval/questions"))
    args = parser.parse_args()

    files = sorted(args.questions.glob("*.jsonl")) if args.questions.is_dir() else [args.questions]
    kennisbank = build_kennisbank(Settings())
    answerer = kennisbank.answerer
    if not isinstance(answerer, ExtractiveAnswerer):
        sys.exit("unset KENNISBANK_LLM_URL: this calibrates the extractive answerer")
    scored: list[Scored] = []
    try:
        for file in files:
            standalone: dict[str, str] = {}
            for question in load_questions(file):
                previous = standalone.get(question.follows) if question.follows else None
                query = standalone[question.id] = answerer.standalone_question(question.question, previous)
                if question.kind == "restricted":
                    continue
                hits = kennisbank.passages_for_answer(query, filters=question.filters)
                best = answerer.best_score(question.question, query, hits)
                scored.append(Scored(file.name, question.answerable, best))
    finally:
        kennisbank.close()

    answerable = sum(s.answerable for s in scored)
    print(f"{answerable} answerable, {len(scored) - answerable} unanswerable or near-miss questions")
    print(f"{'threshold':>9} {'abstained (unanswerable)':>25} {'false abstentions':>18}")
    for threshold in THRESHOLDS:
        abstained, false = rates(scored, threshold)
        print(f"{threshold:>9.3f} {abstained:>25.3f} {false:>18.3f}")
    print(
        f"\nheld out (threshold chosen on the other files, <= {MAX_FALSE_ABSTENTIONS:.0%} false abstentions):"
    )
    for file in files:
        rest = [s for s in scored if s.file != file.name]
        held_out = [s for s in scored if s.file == file.name]
        threshold = choose(rest)
        abstained, false = rates(held_out, threshold)
        print(f"  {file.name:<22} threshold {threshold:.2f}: abstained {abstained:.3f}, false {false:.3f}")


if __name__ == "__main__":
    main()
