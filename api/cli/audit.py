"""`kennisbank audit export|erase`: the audit record of every answer (which documents it
showed to whom), read from the state database, so it works while a server runs."""

import argparse
import sys
from datetime import UTC, datetime, time
from pathlib import Path

from api.cli.common import EXIT_OK, UsageError, iso_date, state_only
from assistant.state.audit import NotAPerson
from assistant.state.audit_export import EXPORT_FORMATS, export_lines
from core.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    audit = commands.add_parser("audit", help="export or erase the audit records of answers")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")
    export = audit_commands.add_parser(
        "export",
        help="write the audit records from a date on",
        description="Write the audit record of every answer from DATE (00:00 UTC) on: when, channel, "
        "who (oidc:SUBJECT, slack:USER, key:NAME, cli or anonymous), the question (unless "
        "KENNISBANK_AUDIT_QUESTIONS=false) and each document shown with its access groups and "
        "whether the answer cited it. JSON lines, or CSV with one row per document.",
    )
    export.add_argument("--since", type=iso_date, required=True, metavar="DATE", help="YYYY-MM-DD")
    export.add_argument("--user", metavar="ID", help="only this caller's records, as they name it")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="jsonl", help="default jsonl")
    export.add_argument("--out", type=Path, metavar="FILE", help="write here (default: stdout)")
    export.set_defaults(run=_export)
    erase = audit_commands.add_parser(
        "erase",
        help="delete one person's audit records, questions and feedback",
        description="Delete every audit record of ID, and the answers to the questions ID asked "
        "with their feedback (a request to erase someone's personal data).",
    )
    erase.add_argument("user", metavar="ID", help="as the records name it, e.g. slack:U012AB3CD")
    erase.set_defaults(run=_erase)


def _export(args: argparse.Namespace, settings: Settings) -> int:
    since = datetime.combine(args.since, time(), tzinfo=UTC)
    with state_only(settings) as state:
        records = state.audit.records(since, datetime.now(UTC), args.user)
    lines = export_lines(records, args.format)
    if args.out:
        with args.out.open("w", encoding="utf-8", newline="") as out:
            out.writelines(lines)
    else:
        sys.stdout.writelines(lines)
    print(f"{len(records)} audit record(s){f' written to {args.out}' if args.out else ''}", file=sys.stderr)
    return EXIT_OK


def _erase(args: argparse.Namespace, settings: Settings) -> int:
    with state_only(settings) as state:
        try:
            erased = state.audit.erase(args.user)
        except NotAPerson as exc:
            raise UsageError(str(exc)) from None
    print(
        f"erased {args.user}: {erased.records} audit record(s), {erased.answers} answer(s), "
        f"{erased.feedback} feedback",
        file=sys.stderr,
    )
    return EXIT_OK
