"""`kennisbank eval`: the gold questions through search and ask, every metric side by side."""

import argparse
import json
from pathlib import Path

from api.cli.common import EXIT_OK, UsageError, opened
from api.composition import ANSWERERS, settings_for_answerer
from assistant.evaluation import GoldQuestion, QuestionFileError, evaluate, load_questions
from assistant.search.retrieval import SEARCH_MODES
from core.settings import Settings

# A measurement leaves no answers behind: they are recorded (as every answer is) in a
# state database that lives as long as the command.
THROWAWAY_STATE = "sqlite://"
DEFAULT_QUESTIONS = Path("eval/questions")


def register(commands: argparse._SubParsersAction) -> None:
    evaluation = commands.add_parser(
        "eval",
        help="score search and answers on the gold questions",
        description="Run the gold questions through search and ask in each retrieval mode "
        "(hybrid, dense, sparse) and print recall, MRR, page/article accuracy, passage hits, "
        "answer key-fact accuracy, citation precision, abstention, restricted-document leaks "
        "and latency side by side. Needs an index of corpus/ (kennisbank ingest). "
        "A deployment with an LLM measures its own model with --answerer llm, e.g. on the gold "
        "and the held-out set: --questions eval/questions --questions eval/questions/heldout.",
    )
    evaluation.add_argument(
        "--questions",
        type=Path,
        action="append",
        metavar="FILE",
        help="a .jsonl file or a folder of them (repeatable: one report per set; default: eval/questions/)",
    )
    evaluation.add_argument(
        "--answerer",
        choices=ANSWERERS,
        default="configured",
        help="who answers: as configured (default), extractive (no LLM even when "
        "KENNISBANK_LLM_URL is set) or llm (the model at KENNISBANK_LLM_URL; an error without it)",
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
    question_sets = [(path, _load(path)) for path in args.questions or [DEFAULT_QUESTIONS]]
    try:
        measured = settings_for_answerer(settings, args.answerer)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    measured = measured.model_copy(update={"database_url": THROWAWAY_STATE})
    with opened(measured) as kennisbank:
        reports = [
            (path, evaluate(kennisbank, questions, args.modes or SEARCH_MODES, progress=not args.json))
            for path, questions in question_sets
        ]
    if args.json:
        shown = {str(path): report.to_dict() for path, report in reports}
        print(json.dumps(shown if len(reports) > 1 else shown.popitem()[1], indent=2, ensure_ascii=False))
    else:
        titled = len(reports) > 1
        print(
            "\n\n".join(
                f"== {path}\n{report.table()}" if titled else report.table() for path, report in reports
            )
        )
    return EXIT_OK


def _load(path: Path) -> list[GoldQuestion]:
    if not path.exists():
        raise UsageError(f"no such questions file or folder: {path}")
    try:
        return load_questions(path)
    except QuestionFileError as exc:
        raise UsageError(str(exc)) from exc
