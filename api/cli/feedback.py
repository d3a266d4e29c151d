"""`kennisbank feedback export`: thumbs-down answers as candidate gold questions: lines in the format of
`eval/questions/*.jsonl`, so a bad answer becomes a test once a person has checked it.

Feedback does not say what the right answer is, so each line is a `fact` question whose
source, page and article are those the answer cited first, and whose key fact is a
placeholder that fails the evaluation until someone fills it in. The answer that was
given and the comment go to a review list beside it.
"""

import argparse
import json
import sys
from pathlib import Path

from api.cli.common import EXIT_OK, state_only
from assistant.state.store import RatedAnswer
from core.settings import Settings

KEY_FACT_PLACEHOLDER = "TE CONTROLEREN: vul het kernfeit in"


def register(commands: argparse._SubParsersAction) -> None:
    feedback = commands.add_parser("feedback", help="work with the answers' thumbs up/down")
    feedback_commands = feedback.add_subparsers(dest="feedback_command", required=True, metavar="COMMAND")
    export = feedback_commands.add_parser(
        "export",
        help="write thumbs-down answers as candidate gold questions",
        description="Write every thumbs-down answer as a candidate gold question in the format of "
        "eval/questions/*.jsonl (source and page from the answer's first citation, a placeholder "
        "key fact to fill in), and list the answer given and the comment for review. Reads only "
        "the state database, so it works while the server runs.",
    )
    export.add_argument("--out", type=Path, metavar="FILE", help="write the .jsonl here (default: stdout)")
    export.set_defaults(run=_export)


def _export(args: argparse.Namespace, settings: Settings) -> int:
    with state_only(settings) as state:
        lines, notes = candidate_questions(state.thumbs_down())
    if args.out:
        args.out.write_text(to_jsonl(lines), encoding="utf-8")
    else:
        sys.stdout.write(to_jsonl(lines))
    print(
        f"{len(lines)} candidate question(s) written{f' to {args.out}' if args.out else ''}; "
        "fill in key_facts and check source/page before adding them to eval/questions/",
        *notes,
        sep="\n",
        file=sys.stderr,
    )
    return EXIT_OK


def candidate_questions(rated: list[RatedAnswer]) -> tuple[list[dict], list[str]]:
    """The gold-question lines (one per rated answer) and one review note per answer;
    answers that cite nothing have no source to start from and only get a note."""
    lines: list[dict] = []
    notes: list[str] = []
    seen: set[str] = set()
    for item in rated:
        if item.answer_id in seen:
            continue
        seen.add(item.answer_id)
        question_id = f"feedback-{item.answer_id[:12]}"
        first = item.citations[0] if item.citations else None
        notes.append(_note(question_id, item, has_source=first is not None))
        if first is None:
            continue
        lines.append(
            {
                "id": question_id,
                # The standalone form: a follow-up's own words need the question it followed.
                "question": item.standalone_question or item.question,
                "persona": "slack" if item.channel == "slack" else "onboarding",
                "kind": "fact",
                "answerable": True,
                "source": first["source"],
                "page": first.get("page"),
                "article": first.get("article"),
                "key_facts": [KEY_FACT_PLACEHOLDER],
                "filters": None,
                "follows": None,
            }
        )
    return lines, notes


def to_jsonl(lines: list[dict]) -> str:
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def _note(question_id: str, item: RatedAnswer, *, has_source: bool) -> str:
    given = "abstained: " if item.abstained else ""
    parts = [
        f"{question_id} ({item.channel}, {item.rated_at:%Y-%m-%d}): {item.question}",
        f"  answer given: {given}{item.answer}",
    ]
    if item.comment:
        parts.append(f"  comment: {item.comment}")
    if not has_source:
        parts.append("  no source cited: not exported; add this question by hand")
    return "\n".join(parts)
