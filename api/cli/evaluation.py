"""`kennisbank eval`: the gold questions through search and ask, every metric side by side."""

import argparse
import json
from pathlib import Path

from api.cli.common import EXIT_OK, UsageError, opened
from assistant.evaluation import QuestionFileError, evaluate, load_questions
from assistant.search.retrieval import SEARCH_MODES
from core.settings import Settings

# A measurement leaves no answers behind: they are recorded (as every answer is) in a
# state database that lives as long as the command.
THROWAWAY_STATE = "sqlite://"


def register(commands: argparse._SubParsersAction) -> None:
    evaluation = commands.add_parser(
        "eval",
        help="score search and answers on the gold questions",
        description="Run the gold questions through search and ask in each retrieval mode "
        "(hybrid, dense, sparse) and print recall, MRR, page/article accuracy, passage hits, "
        "answer key-fact accuracy, citation precision, abstention, restricted-document leaks "
        "and latency side by side. Needs an index of corpus/ (kennisbank ingest).",
    )
    evaluation.add_argument(
        "--questions",
        type=Path,
        default=Path("eval/questions"),
        metavar="FILE",
        help="a .jsonl file or a folder of them (default: eval/questions/)",
    )
    evaluation.add_argument(
        "--mode",
        action="append",
        choices=SEARCH_MODES,
        dest="modes",
        help="only this retrieval mode (repeatable; default: all three)",
    )
    evaluation.add_argument("--json", action="store_true", help="print the full report as JSON")
    evaluation.set_defaults(run=_evaluate)


def _evaluate(args: argparse.Namespace, settings: Settings) -> int:
    if not args.questions.exists():
        raise UsageError(f"no such questions file or folder: {args.questions}")
    try:
        questions = load_questions(args.questions)
    except QuestionFileError as exc:
        raise UsageError(str(exc)) from exc
    with opened(settings.model_copy(update={"database_url": THROWAWAY_STATE})) as kennisbank:
        report = evaluate(kennisbank, questions, args.modes or SEARCH_MODES, progress=not args.json)
    print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if args.json else report.table())
    return EXIT_OK
