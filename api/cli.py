"""`kennisbank`: the command line. Exit codes: 0 all fine, 1 some documents failed (the
rest were indexed), 2 usage or configuration error."""

import argparse
import json
import sys
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError

from assistant.answers import Citation
from assistant.embedding import MissingExtra
from assistant.evaluation import QuestionFileError, evaluate, load_questions
from assistant.filters import SearchFilters
from assistant.retrieval import SEARCH_MODES, SearchHit
from assistant.service import Kennisbank, build_kennisbank
from assistant.settings import Settings
from assistant.store import StoreUnavailable

EXIT_OK, EXIT_DOCUMENTS_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake the user can fix; printed as one line, exit code 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings()
        return args.run(args, settings)
    except ValidationError as exc:
        problems = "; ".join(
            f"KENNISBANK_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        return _fail(f"invalid configuration: {problems}")
    except (UsageError, StoreUnavailable, MissingExtra) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted; rerun the same command to finish (nothing is half-indexed)")


def _fail(message: str) -> int:
    print(f"kennisbank: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kennisbank",
        description="Midwest Kennisbank: index DVV Midwest's documents and search them.",
        epilog="Configuration comes from KENNISBANK_* environment variables; see README.md.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

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

    search = commands.add_parser(
        "search",
        help="search the indexed passages",
        description="Search passages with hybrid dense + sparse retrieval, best first.",
    )
    search.add_argument("query", help="the question or keywords, e.g. 'wie onderhoudt de hydranten?'")
    search.add_argument("--top-k", type=int, default=5, metavar="N", help="number of passages (default 5)")
    _add_filter_arguments(search)
    search.add_argument("--json", action="store_true", help="print the results as JSON")
    search.set_defaults(run=_search)

    ask = commands.add_parser(
        "ask",
        help="answer a question with cited sources",
        description="Answer a question from the indexed documents. Each claim carries a "
        "[n] marker pointing to a numbered source; when the documents do not answer the "
        "question, the answer says so and lists the closest documents.",
    )
    ask.add_argument("question", help="the question, e.g. 'Wie onderhoudt de brandkranen?'")
    _add_filter_arguments(ask)
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")
    ask.set_defaults(run=_ask)

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

    serve = commands.add_parser(
        "serve",
        help="serve the HTTP API",
        description="Serve the HTTP API. With the embedded store, this process holds the "
        "index: stop it before running `kennisbank ingest`.",
    )
    serve.add_argument("--host", help="interface to listen on (default KENNISBANK_HOST, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default KENNISBANK_PORT, 8000)")
    serve.set_defaults(run=_serve)
    return parser


def _add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--type", dest="doc_type", metavar="T", help="only this document type, e.g. notulen")
    parser.add_argument("--year", type=int, metavar="Y", help="only documents of this year")
    parser.add_argument(
        "--group",
        action="append",
        default=[],
        metavar="G",
        help="act as a member of access group G (repeatable); default: public documents only",
    )
    parser.add_argument(
        "--mode", choices=SEARCH_MODES, default="hybrid", help="retrieval mode (default hybrid)"
    )


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    with _opened(settings, require_index=False) as kennisbank:
        report = kennisbank.indexer.ingest(args.paths, progress=not args.json)
    print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if args.json else report.summary())
    return EXIT_OK if report.ok else EXIT_DOCUMENTS_FAILED


def _search(args: argparse.Namespace, settings: Settings) -> int:
    if args.top_k < 1:
        raise UsageError("--top-k must be at least 1")
    with _opened(settings) as kennisbank:
        hits = kennisbank.retriever.search(
            args.query, top_k=args.top_k, filters=_filters(args), groups=frozenset(args.group), mode=args.mode
        )
    if args.json:
        print(json.dumps({"results": [hit.to_dict() for hit in hits]}, indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(_format_hit(rank, hit) for rank, hit in enumerate(hits, 1)) or "no results")
    return EXIT_OK


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    with _opened(settings) as kennisbank:
        answer = kennisbank.ask(
            args.question, filters=_filters(args), groups=frozenset(args.group), mode=args.mode
        )
    if args.json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        return EXIT_OK
    print(answer.answer)
    heading = "Dichtstbijzijnde documenten:" if answer.abstained else "Bronnen:"
    print(f"\n{heading}")
    for citation in answer.citations:
        print(f"[{citation.n}] {_where(citation)}")
    return EXIT_OK


def _evaluate(args: argparse.Namespace, settings: Settings) -> int:
    if not args.questions.exists():
        raise UsageError(f"no such questions file or folder: {args.questions}")
    try:
        questions = load_questions(args.questions)
    except QuestionFileError as exc:
        raise UsageError(str(exc)) from exc
    with _opened(settings) as kennisbank:
        report = evaluate(kennisbank, questions, args.modes or SEARCH_MODES, progress=not args.json)
    print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if args.json else report.table())
    return EXIT_OK


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app

    with _opened(settings, require_index=False) as kennisbank:
        uvicorn.run(create_app(kennisbank), host=args.host or settings.host, port=args.port or settings.port)
    return EXIT_OK


@contextmanager
def _opened(settings: Settings, *, require_index: bool = True) -> Iterator[Kennisbank]:
    """The knowledge base for one command, closed afterwards (which releases the
    embedded store's lock for the next process)."""
    kennisbank = build_kennisbank(settings)
    try:
        if require_index and not kennisbank.store.exists():
            raise UsageError("the index is empty; run `kennisbank ingest` first")
        yield kennisbank
    finally:
        kennisbank.close()


def _filters(args: argparse.Namespace) -> SearchFilters:
    return SearchFilters(doc_type=args.doc_type, year=args.year)


def _where(item: SearchHit | Citation) -> str:
    """'Title (source, p. 2, art. 5, 2021-06-21)': how a passage is cited in the terminal."""
    details = (
        item.source,
        f"p. {item.page}" if item.page else "",
        f"art. {item.article}" if item.article else "",
        item.date or "",
    )
    return f"{item.title} ({', '.join(part for part in details if part)})"


def _format_hit(rank: int, hit: SearchHit) -> str:
    header = f"{rank}. {_where(hit)} [{hit.doc_type}, score {hit.score:.3f}]"
    heading = f"   {hit.heading}\n" if hit.heading else ""
    body = textwrap.shorten(hit.text, width=300, placeholder=" …")
    return f"{header}\n{heading}   {body}"
