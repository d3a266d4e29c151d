"""`kennisbank ingest`: index documents."""

import argparse
import json
from pathlib import Path

from api.cli.common import EXIT_DOCUMENTS_FAILED, EXIT_OK, UsageError, opened
from api.composition import build_indexer
from core.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    ingest = commands.add_parser(
        "ingest",
        help="index documents (only new and changed files are processed)",
        description="Index PDF, DOCX, Markdown, HTML and text files. Unchanged files cost "
        "nothing; changed files are replaced; files deleted from a folder are removed "
        "from the index. Exit code 1 if some files could not be read (the rest are indexed).",
    )
    ingest.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path("corpus")],
        metavar="PATH",
        help="folders or files to index (default: corpus/)",
    )
    ingest.add_argument("--json", action="store_true", help="print the summary as JSON")
    ingest.set_defaults(run=_ingest)


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    with opened(settings, require_index=False) as kennisbank:
        report = build_indexer(kennisbank).ingest(args.paths, progress=not args.json)
    print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if args.json else report.summary())
    return EXIT_OK if report.ok else EXIT_DOCUMENTS_FAILED
