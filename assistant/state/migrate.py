"""Brings the state database to the newest schema revision (Alembic, the scripts in
`assistant.state.migrations`), each time a StateStore opens it.

A database made before the schema was versioned (its tables made by `create_all`, no
`alembic_version` table) holds exactly the schema of the first revision: it is stamped
at that revision, its rows untouched, and upgraded from there like any other.

API workers start together against one PostgreSQL database, so the check, the stamp
and the upgrade run in one transaction under a transaction-level advisory lock: the
first worker migrates, the others wait for its commit and then find nothing to do. In
SQLite the same transaction is opened with BEGIN IMMEDIATE, which takes the file's
write lock; it also makes the DDL part of the transaction, so a failed upgrade is
rolled back there too. Within one process, threads take turns: Alembic keeps the
running migration in module globals (`alembic.context`, `alembic.op`).
"""

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")
FIRST_REVISION = "0001"
# What the versions before versioning made with `create_all`: the schema of FIRST_REVISION.
UNVERSIONED_TABLES = frozenset({"answers", "feedback", "claims", "api_keys", "reindex_jobs"})
# Any fixed number will do, as long as nothing else in the database uses it as an advisory lock.
LOCK_KEY = 7_304_918_265_001
_one_thread_at_a_time = threading.Lock()


class SchemaError(RuntimeError):
    """The database's schema is not one these migrations know; the message says why."""


def upgrade_to_head(engine: Engine) -> None:
    """Stamp a database of before versioning, then upgrade it to the newest revision;
    SchemaError when its tables or its revision are not ours."""
    with _one_thread_at_a_time, engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        config = alembic_config(connection)
        try:
            if _unversioned(connection):
                command.stamp(config, FIRST_REVISION)
            command.upgrade(config, "head")
        except CommandError as exc:  # e.g. a revision written by a newer version of the code
            raise SchemaError(str(exc)) from None


def alembic_config(connection: Connection) -> Config:
    """The Alembic configuration that runs the migrations over `connection` (see
    migrations/env.py), in its transaction."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _unversioned(connection: Connection) -> bool:
    """True for a database whose tables were made before versioning; SchemaError when it
    has only some of them, made by a version older than the first revision."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables or not tables & UNVERSIONED_TABLES:
        return False
    if missing := sorted(UNVERSIONED_TABLES - tables):
        # Made by a version older still, before API keys and re-indexing jobs were kept here.
        raise SchemaError(
            f"it has tables from before schema versioning but not {', '.join(missing)}; open it once "
            "with the last version before schema versioning, which adds them"
        )
    return True
