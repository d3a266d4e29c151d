"""The state database's schema is versioned: opening a StateStore brings any database to
the newest revision, a new one as well as one made by the version before versioning,
whose answers, feedback, keys, claims and jobs stay as they were (fixtures in
tests/support/legacy_state). On PostgreSQL, several workers may start at once.

The PostgreSQL tests run when KENNISBANK_TEST_DATABASE_URL names a server; each works in
a schema of its own, dropped afterwards, like tests/assistant/test_state_postgres.py.
"""

import multiprocessing
import os
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, make_url, select

from api.http.auth import caller_with_key
from assistant.state.migrate import alembic_config
from assistant.state.schema import answers, metadata
from assistant.state.store import StateStore, StateUnavailable
from tests.support import legacy_state
from tests.support.state_checks import (
    check_a_key_made_or_revoked_by_one_counts_for_the_other,
    check_one_job_runs_at_a_time_across_stores,
)

SERVER_URL = os.environ.get("KENNISBANK_TEST_DATABASE_URL", "")
needs_postgresql = pytest.mark.skipif(
    not SERVER_URL, reason="KENNISBANK_TEST_DATABASE_URL is not set (scripts/test-postgres.sh start)"
)


def at_head(store: StateStore) -> bool:
    """Whether the database has every table and is at the newest revision."""
    with store.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        head = ScriptDirectory.from_config(alembic_config(connection)).get_current_head()
        tables = set(inspect(connection).get_table_names())
    return current == head and set(metadata.tables) <= tables


def check_the_previous_versions_state_is_kept(store: StateStore) -> None:
    """What the fixtures hold is still there and still works: the answers with their
    citations, the feedback, the key, the claim and the job; new rows can be added."""
    [rated] = store.thumbs_down()
    assert (
        rated.question == "Hoeveel dagen telewerk?"
        and rated.comment == "Mist de uitzondering voor stagiairs ✗"
    )
    assert rated.citations[0]["source"] == "personeel/reglement.pdf" and rated.groups == ["personeel"]
    # Answers of before 0002 do not say who asked: their conversation is no one's to continue.
    recorded = store.conversation("gesprek-1")
    assert recorded is not None and (recorded.owner, recorded.turns) == (None, 1)
    assert recorded.last == "Hoeveel dagen telewerk mag ik?"
    with store.engine.connect() as connection:
        abstained = connection.execute(select(answers.c.question).where(answers.c.abstained)).scalars().all()
    assert abstained == ["Wie wint de derby?"]

    caller = caller_with_key(store.keys, legacy_state.API_KEY)
    assert caller is not None and caller.name == "bestuur-app"
    assert caller.groups == {"bestuur"} and caller.admin

    assert store.claim_once("slack-event-Ev0LEGACY") is False

    job = store.jobs.latest()
    assert job is not None and job.state == "succeeded" and job.paths == ["/corpus/personeel"]
    assert job.counts == {"new": 3, "unchanged": 1}
    assert job.failures == [{"source": "kapot.pdf", "reason": "versleuteld"}]

    # New rows next to the old ones: new feedback gets an id after the old one's (on
    # PostgreSQL, its sequence came along) and a new job can run.
    assert store.record_feedback(rated.answer_id, "up", None, channel="api")
    assert len(store.thumbs_down()) == 1
    following = store.jobs.start(["/corpus"])
    store.jobs.finish(following.id, "succeeded")
    assert store.claim_once(f"slack-event-{uuid.uuid4().hex}")


def check_an_upgraded_database(url: str) -> None:
    """Open a fixture's database at `url` as the first worker after the upgrade, then as
    a second one: both see the old state, and work together as on a new database."""
    first = StateStore(url)
    try:
        assert at_head(first)
        check_the_previous_versions_state_is_kept(first)
        second = StateStore(url)
        try:
            assert at_head(second)
            check_a_key_made_or_revoked_by_one_counts_for_the_other(first, second)
            check_one_job_runs_at_a_time_across_stores(first, second)
        finally:
            second.close()
    finally:
        first.close()


@pytest.mark.parametrize("where", ["memory", "file"])
def test_a_new_database_gets_every_table_at_the_newest_revision(where: str, tmp_path: Path):
    store = StateStore("sqlite://" if where == "memory" else f"sqlite:///{tmp_path / 'state.db'}")
    try:
        assert at_head(store)
        assert store.claim_once("event") and not store.claim_once("event")
    finally:
        store.close()


def test_the_sqlite_database_of_the_previous_version_is_upgraded_without_loss(tmp_path: Path):
    database = tmp_path / "state.db"
    shutil.copyfile(legacy_state.SQLITE, database)

    check_an_upgraded_database(f"sqlite:///{database}")


def test_opening_an_upgraded_database_again_changes_nothing(tmp_path: Path):
    database = tmp_path / "state.db"
    shutil.copyfile(legacy_state.SQLITE, database)
    StateStore(f"sqlite:///{database}").close()
    before = _contents(database)

    StateStore(f"sqlite:///{database}").close()

    assert _contents(database) == before


def test_a_database_with_only_some_of_the_old_tables_is_refused_with_what_is_missing(tmp_path: Path):
    database = tmp_path / "state.db"
    with closing(sqlite3.connect(database)) as connection:
        connection.execute("CREATE TABLE answers (id VARCHAR(32) PRIMARY KEY)")  # an older version's

    with pytest.raises(StateUnavailable, match="not api_keys, claims, feedback, reindex_jobs"):
        StateStore(f"sqlite:///{database}")


@pytest.mark.slow
def test_worker_processes_opening_a_new_sqlite_file_at_once_all_succeed(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'state.db'}"
    assert _open_in_processes_at_once(url, 3) == ["opened"] * 3
    store = StateStore(url)
    try:
        assert at_head(store)
    finally:
        store.close()


@pytest.fixture()
def fresh_schema() -> Iterator[tuple[str, str]]:
    """A new schema and a URL whose connections work in it (libpq `options` sets
    search_path); dropped afterwards."""
    schema = f"kennisbank_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_libpq(), autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    yield (
        schema,
        make_url(SERVER_URL)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False),
    )
    with psycopg.connect(_libpq(), autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@needs_postgresql
def test_the_postgresql_database_of_the_previous_version_is_upgraded_without_loss(fresh_schema):
    schema, url = fresh_schema
    with psycopg.connect(_libpq()) as connection:
        connection.execute(legacy_state.postgresql_script(schema))

    check_an_upgraded_database(url)


@pytest.mark.slow
@needs_postgresql
def test_worker_processes_starting_at_once_on_a_new_postgresql_database_all_succeed(fresh_schema):
    _, url = fresh_schema
    assert _open_in_processes_at_once(url, 3) == ["opened"] * 3
    store = StateStore(url)
    try:
        assert at_head(store)
    finally:
        store.close()


def _open_in_processes_at_once(url: str, count: int) -> list[str]:
    """Open a StateStore on `url` in `count` new processes released together, like API
    workers starting; what each says: "opened" or why it could not."""
    spawn = multiprocessing.get_context("spawn")
    barrier, outcomes = spawn.Barrier(count), spawn.Queue()
    workers = [
        spawn.Process(target=_open_when_all_are_ready, args=(url, barrier, outcomes)) for _ in range(count)
    ]
    for worker in workers:
        worker.start()
    said = [outcomes.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    return said


def _open_when_all_are_ready(
    url: str, barrier: threading.Barrier, outcomes: "multiprocessing.Queue[str]"
) -> None:
    barrier.wait(timeout=60)
    try:
        StateStore(url).close()
    except StateUnavailable as exc:
        outcomes.put(str(exc))
    else:
        outcomes.put("opened")


def _contents(database: Path) -> list[str]:
    """The schema and every row of an SQLite file, as SQL."""
    with closing(sqlite3.connect(database)) as connection:
        return list(connection.iterdump())


def _libpq() -> str:
    return make_url(SERVER_URL).set(drivername="postgresql").render_as_string(hide_password=False)
