"""`kennisbank keys add|list|remove`: API keys in the state database (works while a
server runs: it does not open the index)."""

import argparse
import sys

from api.cli.common import EXIT_OK, UsageError, state_only
from api.http.auth import KeyNameError, create_key
from core.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
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
    add_key.set_defaults(run=_add)
    list_keys = keys_commands.add_parser(
        "list", help="list the keys (names, groups, admin, created; never the keys)"
    )
    list_keys.set_defaults(run=_list)
    remove_key = keys_commands.add_parser(
        "remove",
        help="revoke a key",
        description="Revoke a key; running servers refuse it from their next request on.",
    )
    remove_key.add_argument("name", help="the key's name")
    remove_key.set_defaults(run=_remove)


def _add(args: argparse.Namespace, settings: Settings) -> int:
    with state_only(settings) as state:
        try:
            key = create_key(state.keys, args.name, groups=args.group, admin=args.admin)
        except KeyNameError as exc:
            raise UsageError(str(exc)) from exc
    print(key)
    print(f"key {args.name!r} added; it is not shown again", file=sys.stderr)
    return EXIT_OK


def _list(args: argparse.Namespace, settings: Settings) -> int:
    with state_only(settings) as state:
        keys = state.keys.all()
    for key in keys:
        groups = ", ".join(sorted(key.groups)) or "-"
        admin = "\tadmin" if key.admin else ""
        print(f"{key.name}\tgroups: {groups}{admin}\tcreated: {key.created_at:%Y-%m-%d %H:%M} UTC")
    if not keys:
        print("no API keys yet; create one with `kennisbank keys add NAME`", file=sys.stderr)
    return EXIT_OK


def _remove(args: argparse.Namespace, settings: Settings) -> int:
    with state_only(settings) as state:
        if not state.keys.remove(args.name):
            raise UsageError(f"no key named {args.name!r}")
    print(f"key {args.name!r} removed", file=sys.stderr)
    return EXIT_OK
