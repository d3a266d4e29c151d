"""`kennisbank backup DEST` and `kennisbank restore SRC`."""

import argparse
from pathlib import Path

from api.cli.common import EXIT_OK, UsageError
from assistant.backup import BackupError, backup, restore
from core.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    backup_command = commands.add_parser(
        "backup",
        help="copy the index and the local state into a folder",
        description="Back up the index and the state kept in the data dir (the SQLite state "
        "database: answers, feedback, API keys, re-indexing jobs). Embedded store: a consistent "
        "copy of its folder (stop `kennisbank serve` first). Qdrant server: a collection "
        "snapshot, downloaded. A PostgreSQL state database is not included: use pg_dump.",
    )
    backup_command.add_argument("destination", type=Path, metavar="DEST", help="a new or empty folder")
    backup_command.set_defaults(run=_backup)

    restore_command = commands.add_parser(
        "restore",
        help="replace the index and the local state with a backup",
        description="Restore a folder made by `kennisbank backup`. The current index (and, if the "
        "backup has it, the SQLite state database with the API keys) is replaced.",
    )
    restore_command.add_argument(
        "source", type=Path, metavar="SRC", help="a folder made by `kennisbank backup`"
    )
    restore_command.set_defaults(run=_restore)


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    try:
        manifest = backup(settings, args.destination)
    except BackupError as exc:
        raise UsageError(str(exc)) from exc
    print(f"backed up to {args.destination}: {manifest.summary()}")
    return EXIT_OK


def _restore(args: argparse.Namespace, settings: Settings) -> int:
    if not args.source.is_dir():
        raise UsageError(f"no such backup folder: {args.source}")
    try:
        manifest = restore(settings, args.source)
    except BackupError as exc:
        raise UsageError(str(exc)) from exc
    print(f"restored from {args.source}: {manifest.summary()}")
    return EXIT_OK
