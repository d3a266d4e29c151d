"""`kennisbank search`: passages, documents (precedent search) or documents like a
pasted paragraph."""

import argparse
import json
import sys
import textwrap
from pathlib import Path

from api.cli.common import EXIT_OK, UsageError, add_filter_arguments, caller_from, filters_from, opened, where
from assistant.search.retrieval import DocumentHit, SearchHit
from core.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    search = commands.add_parser(
        "search",
        help="search the indexed passages",
        description="Search passages with hybrid dense + sparse retrieval, best first. "
        "Precedent search: --by-document lists documents with their best passages; "
        "--example-file finds the documents that dealt with the same thing as a pasted paragraph.",
    )
    search.add_argument(
        "query", nargs="?", help="the question or keywords, e.g. 'wie onderhoudt de hydranten?'"
    )
    search.add_argument(
        "--top-k", type=int, default=5, metavar="N", help="number of passages or documents (default 5)"
    )
    search.add_argument("--by-document", action="store_true", help="group the results by document")
    search.add_argument(
        "--passages", type=int, default=3, metavar="N", help="passages shown per document (default 3)"
    )
    search.add_argument(
        "--example-file",
        type=Path,
        metavar="FILE",
        help="search by example: documents like the text in FILE ('-' reads standard input); "
        "implies --by-document",
    )
    add_filter_arguments(search)
    search.add_argument("--json", action="store_true", help="print the results as JSON")
    search.set_defaults(run=_search)


def _search(args: argparse.Namespace, settings: Settings) -> int:
    if args.top_k < 1 or args.passages < 1:
        raise UsageError("--top-k and --passages must be at least 1")
    if (args.query is None) == (args.example_file is None):
        raise UsageError("give either a QUERY or --example-file FILE")
    example = _read_example(args.example_file) if args.example_file else None
    filters, caller = filters_from(args), caller_from(args)
    with opened(settings) as kennisbank:
        if example is not None:
            documents = kennisbank.search_by_example(
                example, caller=caller, top_k=args.top_k, passages_per_document=args.passages, filters=filters
            )
        elif args.by_document:
            documents = kennisbank.search_documents(
                args.query,
                caller=caller,
                top_k=args.top_k,
                passages_per_document=args.passages,
                filters=filters,
                mode=args.mode,
            )
        else:
            hits = kennisbank.search(
                args.query, caller=caller, top_k=args.top_k, filters=filters, mode=args.mode
            )
    if example is not None or args.by_document:
        if args.json:
            print(json.dumps({"documents": [d.to_dict() for d in documents]}, indent=2, ensure_ascii=False))
        else:
            print(
                "\n\n".join(_format_document(rank, d) for rank, d in enumerate(documents, 1)) or "no results"
            )
    elif args.json:
        print(json.dumps({"results": [hit.to_dict() for hit in hits]}, indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(_format_hit(rank, hit) for rank, hit in enumerate(hits, 1)) or "no results")
    return EXIT_OK


def _read_example(path: Path) -> str:
    """The example text of --example-file; '-' is standard input."""
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read --example-file {path}: {exc}") from exc
    if not text.strip():
        raise UsageError(f"--example-file {path} is empty")
    return text


def _format_document(rank: int, document: DocumentHit) -> str:
    date = f", {document.date}" if document.date else ""
    header = (
        f"{rank}. {document.title} ({document.source}{date}) "
        f"[{document.doc_type}, {document.status}, score {document.score:.3f}]"
    )
    lines = [header]
    for passage in document.passages:
        place = ", ".join(filter(None, (f"p. {passage.page}" if passage.page else "", _article(passage))))
        text = textwrap.shorten(passage.text, width=200, placeholder=" …")
        lines.append(f"   - {place}: {text}" if place else f"   - {text}")
    return "\n".join(lines)


def _article(hit: SearchHit) -> str:
    return f"art. {hit.article}" if hit.article else ""


def _format_hit(rank: int, hit: SearchHit) -> str:
    header = f"{rank}. {where(hit)} [{hit.doc_type}, score {hit.score:.3f}]"
    heading = f"   {hit.heading}\n" if hit.heading else ""
    body = textwrap.shorten(hit.text, width=300, placeholder=" …")
    return f"{header}\n{heading}   {body}"
