"""`kennisbank ask`: a cited answer in the terminal."""

import argparse
import json

from api.cli.common import EXIT_OK, add_filter_arguments, caller_from, filters_from, opened, where
from assistant.service import check_question
from core.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    ask = commands.add_parser(
        "ask",
        help="answer a question with cited sources",
        description="Answer a question from the indexed documents. Each claim carries a "
        "[n] marker pointing to a numbered source; when the documents do not answer the "
        "question, the answer says so and lists the closest documents.",
    )
    ask.add_argument("question", help="the question, e.g. 'Wie onderhoudt de brandkranen?'")
    add_filter_arguments(ask)
    ask.add_argument(
        "--conversation",
        metavar="ID",
        help="continue the conversation with this id (printed after each answer), so a "
        "follow-up such as 'En in 2021?' is understood",
    )
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")
    ask.set_defaults(run=_ask)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    question = check_question(args.question.strip(), settings.max_question_chars)  # before the index opens
    with opened(settings) as kennisbank:
        answer = kennisbank.ask(
            question,
            caller=caller_from(args),
            channel="cli",
            conversation_id=args.conversation,
            filters=filters_from(args),
            mode=args.mode,
        )
    if args.json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        return EXIT_OK
    if answer.confidence == "possible":
        print(f"{answer.confidence_label}:")
    print(answer.answer)
    heading = "Dichtstbijzijnde documenten:" if answer.abstained else "Bronnen:"
    print(f"\n{heading}")
    for citation in answer.citations:
        print(f"[{citation.n}] {where(citation)}")
    for warning in answer.warnings:
        print(f"Let op: {warning}")
    print(f"\nGesprek: {answer.conversation_id} (vervolgvraag: --conversation {answer.conversation_id})")
    return EXIT_OK
