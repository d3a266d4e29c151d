"""`kennisbank`: the command line, one module per command group. Exit codes: 0 all fine,
1 some documents failed (the rest were indexed), 2 usage or configuration error."""

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from api.access_map import AccessMapError
from api.cli import ask, audit, backups, evaluation, feedback, indexing, keys, search, servers
from api.cli.common import EXIT_USAGE, UsageError
from api.slack.access import SlackAccessError
from assistant.service import InvalidQuestion
from assistant.state.store import StateUnavailable
from core.dutch.glossary import GlossaryFileError
from core.index.backend import StoreUnavailable
from core.index.embedding import MissingExtra
from core.index.filters import InvalidFilter
from core.settings import Settings

COMMAND_GROUPS = (indexing, search, ask, evaluation, servers, feedback, audit, keys, backups)
# Errors that mean "the user can fix this": one line on stderr, exit code 2, no traceback.
USER_ERRORS = (
    UsageError,
    StoreUnavailable,
    StateUnavailable,
    MissingExtra,
    InvalidFilter,
    InvalidQuestion,
    GlossaryFileError,
    SlackAccessError,
    AccessMapError,
)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings()
        return args.run(args, settings)
    except ValidationError as exc:
        problems = "; ".join(
            # A rule over several settings (sign-in) has no one field: its message names them.
            (f"KENNISBANK_{'_'.join(map(str, e['loc'])).upper()}: " if e["loc"] else "") + e["msg"]
            for e in exc.errors()
        )
        return _fail(f"invalid configuration: {problems}")
    except USER_ERRORS as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted; rerun the same command to finish (nothing is half-indexed)")


def parser() -> argparse.ArgumentParser:
    """The `kennisbank` parser with every command group's commands."""
    root = argparse.ArgumentParser(
        prog="kennisbank",
        description="Midwest Kennisbank: index DVV Midwest's documents and search them.",
        epilog="Configuration comes from KENNISBANK_* environment variables; see docs/configuration.md.",
    )
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(commands)
    return root


def _fail(message: str) -> int:
    print(f"kennisbank: error: {message}", file=sys.stderr)
    return EXIT_USAGE
