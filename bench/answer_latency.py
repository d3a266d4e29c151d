"""How long does an answer take, and how much of it is the answerer? Asks every gold
question once (hybrid, public caller) after a warm-up and prints p50/p95 of the whole
`ask` call and of the answerer alone (on the same passages).

    .venv/bin/python bench/answer_latency.py [--questions eval/questions]

Needs an index of corpus/ under KENNISBANK_DATA_DIR. Measures whatever answerer the
settings select (extractive unless KENNISBANK_LLM_URL is set). Run it on an idle machine:
other processes on the same cores inflate every number.
"""

import argparse
import time
from pathlib import Path

from api.composition import build_kennisbank
from assistant.caller import Caller
from assistant.evaluation import load_questions
from assistant.evaluation.metrics import percentile
from core.settings import Settings

PUBLIC = Caller.member("bench")  # every question is asked as a public caller

WARM_UP = 5


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=Path, default=Path("eval/questions"))
    args = parser.parse_args()
    questions = [q for q in load_questions(args.questions) if not q.follows]

    kennisbank = build_kennisbank(Settings())
    ask_ms: list[float] = []
    answerer_ms: list[float] = []
    try:
        for question in questions[:WARM_UP]:
            kennisbank.ask(question.question, filters=question.filters, caller=PUBLIC, channel="eval")
        for question in questions:
            started = time.perf_counter()
            kennisbank.ask(question.question, filters=question.filters, caller=PUBLIC, channel="eval")
            ask_ms.append((time.perf_counter() - started) * 1000)
            hits = kennisbank.passages_for_answer(question.question, filters=question.filters)
            started = time.perf_counter()
            kennisbank.answerer.answer(question.question, question.question, hits)
            answerer_ms.append((time.perf_counter() - started) * 1000)
    finally:
        kennisbank.close()
    print(f"{len(questions)} questions (follow-ups left out), {type(kennisbank.answerer).__name__}")
    print(f"{'':<22}{'p50 (ms)':>10}{'p95 (ms)':>10}")
    for label, values in (("ask (search + answer)", ask_ms), ("answerer alone", answerer_ms)):
        print(f"{label:<22}{percentile(values, 50):>10.1f}{percentile(values, 95):>10.1f}")


if __name__ == "__main__":
    main()
