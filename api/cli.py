"""`kennisbank`: the command line. Exit codes: 0 all fine, 1 some documents failed (the
rest were indexed), 2 usage or configuration error."""

import argparse
import json
import sys
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from assistant.answers import Citation
from assistant.embedding import MissingExtra
from assistant.evaluation import QuestionFileError, evaluate, load_questions
from assistant.filters import STATUSES, InvalidFilter, SearchFilters
from assistant.glossary import GlossaryFileError
from assistant.retrieval import SEARCH_MODES, DocumentHit, SearchHit
from assistant.service import Kennisbank, build_kennisbank
from assistant.settings import Settings
from assistant.state import StateStore, StateUnavailable
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
    except (
        UsageError,
        StoreUnavailable,
        StateUnavailable,
        MissingExtra,
        InvalidFilter,
        GlossaryFileError,
    ) as exc:
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
    ask.add_argument(
        "--conversation",
        metavar="ID",
        help="continue the conversation with this id (printed after each answer), so a "
        "follow-up such as 'En in 2021?' is understood",
    )
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
    export.set_defaults(run=_feedback_export)

    keys = commands.add_parser("keys", help="manage API keys")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True, metavar="COMMAND")
    add_key = keys_commands.add_parser(
        "add",
        help="create an API key and print it once",
        description="Create an API key, store its sha256 hash in the state database "
        "(KENNISBANK_DATABASE_URL, default SQLite in DATA_DIR) and print the key. It is shown "
        "only this once; running servers accept it from their next request on.",
    )
    add_key.add_argument("name", help="who or what uses the key, e.g. slack-bestuur")
    add_key.add_argument(
        "--group", action="append", default=[], metavar="G", help="access group G (repeatable)"
    )
    add_key.add_argument("--admin", action="store_true", help="may start re-indexing through the API")
    add_key.set_defaults(run=_keys_add)
    list_keys = keys_commands.add_parser(
        "list", help="list the keys (names, groups, admin, created; never the keys)"
    )
    list_keys.set_defaults(run=_keys_list)
    remove_key = keys_commands.add_parser(
        "remove",
        help="revoke a key",
        description="Revoke a key; running servers refuse it from their next request on.",
    )
    remove_key.add_argument("name", help="the key's name")
    remove_key.set_defaults(run=_keys_remove)

    slack = commands.add_parser(
        "slack",
        help="run the Slack app over Socket Mode",
        description="Answer Slack mentions, DMs, thread follow-ups and /kennisbank over Socket "
        "Mode (no public URL needed). Needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN. With the "
        "embedded store, this process holds the index (like `serve`).",
    )
    slack.set_defaults(run=_slack)

    backup = commands.add_parser(
        "backup",
        help="copy the index and the local state into a folder",
        description="Back up the index and the state kept in the data dir (the SQLite state "
        "database: answers, feedback, API keys, re-indexing jobs). Embedded store: a consistent "
        "copy of its folder (stop `kennisbank serve` first). Qdrant server: a collection "
        "snapshot, downloaded. A PostgreSQL state database is not included: use pg_dump.",
    )
    backup.add_argument("destination", type=Path, metavar="DEST", help="a new or empty folder")
    backup.set_defaults(run=_backup)

    restore = commands.add_parser(
        "restore",
        help="replace the index and the local state with a backup",
        description="Restore a folder made by `kennisbank backup`. The current index (and, if the "
        "backup has it, the SQLite state database with the API keys) is replaced.",
    )
    restore.add_argument("source", type=Path, metavar="SRC", help="a folder made by `kennisbank backup`")
    restore.set_defaults(run=_restore)
    return parser


def _add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--type", dest="doc_type", metavar="T", help="only this document type, e.g. notulen")
    parser.add_argument("--year", type=int, metavar="Y", help="only documents of this year")
    parser.add_argument(
        "--from",
        dest="date_from",
        type=_iso_date,
        metavar="DATE",
        help="only documents dated on or after DATE",
    )
    parser.add_argument(
        "--to", dest="date_to", type=_iso_date, metavar="DATE", help="only documents dated on or before DATE"
    )
    parser.add_argument("--status", choices=STATUSES, help="only documents with this status")
    parser.add_argument("--domain", dest="beleidsdomein", metavar="D", help="only this beleidsdomein")
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
    if args.top_k < 1 or args.passages < 1:
        raise UsageError("--top-k and --passages must be at least 1")
    if (args.query is None) == (args.example_file is None):
        raise UsageError("give either a QUERY or --example-file FILE")
    example = _read_example(args.example_file) if args.example_file else None
    filters, groups = _filters(args), frozenset(args.group)
    with _opened(settings) as kennisbank:
        retriever = kennisbank.retriever
        if example is not None:
            documents = retriever.search_by_example(
                example, top_k=args.top_k, passages_per_document=args.passages, filters=filters, groups=groups
            )
        elif args.by_document:
            documents = retriever.search_documents(
                args.query,
                top_k=args.top_k,
                passages_per_document=args.passages,
                filters=filters,
                groups=groups,
                mode=args.mode,
            )
        else:
            hits = retriever.search(
                args.query, top_k=args.top_k, filters=filters, groups=groups, mode=args.mode
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


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    question = args.question.strip()
    if not question:
        raise UsageError("the question is empty")
    if len(question) > settings.max_question_chars:
        raise UsageError(f"the question is longer than {settings.max_question_chars} characters")
    groups = frozenset(args.group)
    with _opened(settings) as kennisbank:
        answer = kennisbank.ask(
            question, conversation_id=args.conversation, filters=_filters(args), groups=groups, mode=args.mode
        )
        kennisbank.state.record_answer(answer, channel="cli", groups=groups)  # lets --conversation resume it
    if args.json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        return EXIT_OK
    print(answer.answer)
    heading = "Dichtstbijzijnde documenten:" if answer.abstained else "Bronnen:"
    print(f"\n{heading}")
    for citation in answer.citations:
        print(f"[{citation.n}] {_where(citation)}")
    for warning in answer.warnings:
        print(f"Let op: {warning}")
    print(f"\nGesprek: {answer.conversation_id} (vervolgvraag: --conversation {answer.conversation_id})")
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
    from api.slack_access import SlackAccessError

    with _opened(settings, require_index=False) as kennisbank:
        try:
            app = create_app(kennisbank)
        except SlackAccessError as exc:
            raise UsageError(str(exc)) from exc
        uvicorn.run(app, host=args.host or settings.host, port=args.port or settings.port)
    return EXIT_OK


def _feedback_export(args: argparse.Namespace, settings: Settings) -> int:
    from api.feedback_export import candidate_questions, to_jsonl

    with _state(settings) as state:
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


def _keys_add(args: argparse.Namespace, settings: Settings) -> int:
    from api.auth import KeyNameError, create_key

    with _state(settings) as state:
        try:
            key = create_key(state.keys, args.name, groups=args.group, admin=args.admin)
        except KeyNameError as exc:
            raise UsageError(str(exc)) from exc
    print(key)
    print(f"key {args.name!r} added; it is not shown again", file=sys.stderr)
    return EXIT_OK


def _keys_list(args: argparse.Namespace, settings: Settings) -> int:
    with _state(settings) as state:
        keys = state.keys.all()
    for key in keys:
        groups = ", ".join(sorted(key.groups)) or "-"
        admin = "\tadmin" if key.admin else ""
        print(f"{key.name}\tgroups: {groups}{admin}\tcreated: {key.created_at:%Y-%m-%d %H:%M} UTC")
    if not keys:
        print("no API keys yet; create one with `kennisbank keys add NAME`", file=sys.stderr)
    return EXIT_OK


def _keys_remove(args: argparse.Namespace, settings: Settings) -> int:
    with _state(settings) as state:
        if not state.keys.remove(args.name):
            raise UsageError(f"no key named {args.name!r}")
    print(f"key {args.name!r} removed", file=sys.stderr)
    return EXIT_OK


def _slack(args: argparse.Namespace, settings: Settings) -> int:
    import logging

    from slack_sdk.errors import SlackApiError

    from api.slack_access import SlackAccessError
    from api.slack_app import SlackNotConfigured, check_socket_mode_settings, socket_mode_handler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        check_socket_mode_settings(settings)
    except SlackNotConfigured as exc:
        raise UsageError(str(exc)) from exc
    with _opened(settings) as kennisbank:
        try:
            handler = socket_mode_handler(kennisbank)
        except SlackAccessError as exc:
            raise UsageError(str(exc)) from exc
        try:
            handler.app.client.auth_test()  # a wrong bot token fails here, not at the first question
            handler.start()
        except SlackApiError as exc:
            reason = exc.response.get("error") or f"HTTP {exc.response.status_code}"
            raise UsageError(f"Slack refused the token: {reason}") from exc
        except OSError as exc:
            raise UsageError(f"cannot reach Slack at {settings.slack_api_url}: {exc}") from exc
        except KeyboardInterrupt:
            pass
        finally:
            handler.close()
    return EXIT_OK


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.backup import BackupError, backup

    try:
        manifest = backup(settings, args.destination)
    except BackupError as exc:
        raise UsageError(str(exc)) from exc
    print(f"backed up to {args.destination}: {manifest.summary()}")
    return EXIT_OK


def _restore(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.backup import BackupError, restore

    if not args.source.is_dir():
        raise UsageError(f"no such backup folder: {args.source}")
    try:
        manifest = restore(settings, args.source)
    except BackupError as exc:
        raise UsageError(str(exc)) from exc
    print(f"restored from {args.source}: {manifest.summary()}")
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


@contextmanager
def _state(settings: Settings) -> Iterator[StateStore]:
    """The state database alone (not the index): works while a server holds the embedded store."""
    state = StateStore(settings.state_database_url)
    try:
        yield state
    finally:
        state.close()


def _filters(args: argparse.Namespace) -> SearchFilters:
    return SearchFilters(
        doc_type=args.doc_type,
        year=args.year,
        date_from=args.date_from,
        date_to=args.date_to,
        status=args.status,
        beleidsdomein=args.beleidsdomein,
    )


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None


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
