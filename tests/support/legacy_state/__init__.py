"""State databases made by the version before schema versioning (commit 17b93fe, tables
made by `create_all`, no `alembic_version`), to test that opening them upgrades them
without loss: `state.db` (SQLite) and `state.postgresql.sql` (`pg_dump --no-owner
--no-privileges --inserts` of the same content in PostgreSQL). make_fixtures.py made
both, with that version's code; its docstring says how to run it again.

Each holds two answers (one citing a passage, in conversation "gesprek-1"), a thumbs-down
with a comment on the cited one, the admin key "bestuur-app" of group "bestuur" (its
plain key is API_KEY), the claimed Slack event "slack-event-Ev0LEGACY" and a succeeded
re-indexing job of "/corpus/personeel".
"""

from pathlib import Path

FOLDER = Path(__file__).parent
SQLITE = FOLDER / "state.db"
POSTGRESQL = FOLDER / "state.postgresql.sql"
API_KEY = "kb_legacy-fixture-key-do-not-use-anywhere-else"


def postgresql_script(schema: str) -> str:
    """The PostgreSQL dump as SQL that psycopg can run, its tables in `schema` instead of
    public: without psql's meta-commands (`\\restrict`), which are no SQL."""
    lines = POSTGRESQL.read_text().splitlines()
    return "\n".join(line for line in lines if not line.startswith("\\")).replace("public.", f'"{schema}".')
