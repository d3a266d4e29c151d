"""What the commands share: exit codes, the one-line usage error, opening the knowledge
base (or only the state database) for one command, and the filter options."""

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from api.composition import build_kennisbank, build_state
from assistant.answers.model import Citation
from assistant.caller import Caller
from assistant.search.retrieval import SEARCH_MODES, SearchHit
from assistant.service import Kennisbank
from assistant.state.store import StateStore
from core.index.filters import SearchFilters
from core.index.passage import DocumentStatus
from core.settings import Settings

EXIT_OK, EXIT_DOCUMENTS_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake the user can fix; printed as one line, exit code 2."""


@contextmanager
def opened(settings: Settings, *, require_index: bool = True) -> Iterator[Kennisbank]:
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
def state_only(settings: Settings) -> Iterator[StateStore]:
    """The state database alone (not the index): works while a server holds the embedded store."""
    state = build_state(settings)
    try:
        yield state
    finally:
        state.close()


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """--type, --year, --from, --to, --status, --domain, --group and --mode."""
    parser.add_argument("--type", dest="doc_type", metavar="T", help="only this document type, e.g. notulen")
    parser.add_argument("--year", type=int, metavar="Y", help="only documents of this year")
    parser.add_argument(
        "--from",
        dest="date_from",
        type=iso_date,
        metavar="DATE",
        help="only documents dated on or after DATE",
    )
    parser.add_argument(
        "--to", dest="date_to", type=iso_date, metavar="DATE", help="only documents dated on or before DATE"
    )
    parser.add_argument("--status", choices=list(DocumentStatus), help="only documents with this status")
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


def filters_from(args: argparse.Namespace) -> SearchFilters:
    return SearchFilters(
        doc_type=args.doc_type,
        year=args.year,
        date_from=args.date_from,
        date_to=args.date_to,
        status=args.status,
        beleidsdomein=args.beleidsdomein,
    )


def caller_from(args: argparse.Namespace) -> Caller:
    """The person at the terminal, with the access groups of --group."""
    return Caller.member("cli", frozenset(args.group))


def where(item: SearchHit | Citation) -> str:
    """'Title (source, p. 2, art. 5, 2021-06-21)': how a passage is cited in the terminal."""
    details = (
        item.source,
        f"p. {item.page}" if item.page else "",
        f"art. {item.article}" if item.article else "",
        item.date or "",
    )
    return f"{item.title} ({', '.join(part for part in details if part)})"


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None
