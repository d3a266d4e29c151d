"""Writes the fixtures of this folder with the code of the version before schema
versioning (commit 17b93fe, whose tables were made by `create_all`). Run it from a
checkout of that commit, with a PostgreSQL server from scripts/test-postgres.sh:

    git worktree add /tmp/baseline 17b93fe
    eval "$(scripts/test-postgres.sh start)"
    PYTHONPATH=/tmp/baseline python tests/support/legacy_state/make_fixtures.py tests/support/legacy_state

It imports modules that only that version has (assistant.state as one module,
assistant.state_keys, assistant.state_jobs, api.auth), so it is not run by the tests.
"""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import psycopg
from sqlalchemy import make_url

from api import auth
from assistant.answers import Answer, Citation
from assistant.state import StateStore

# create_key's randomness, pinned so that both fixtures hold one key, API_KEY in __init__.py
# (auth.KEY_PREFIX + KEY_SECRET).
KEY_SECRET = "legacy-fixture-key-do-not-use-anywhere-else"


def fill(store: StateStore) -> None:
    """Two answers (one citing a passage), feedback with a comment on it, an admin key, a
    claimed Slack event and a finished re-indexing job."""
    citation = Citation(
        1, "reglement-1", "Arbeidsreglement", "personeel/reglement.pdf", 4, "12", "2024-01-01", "regelgeving",
        "Telewerk kan tot twee dagen per week.", 0.81,
    )  # fmt: skip
    cited = store.record_answer(
        Answer("Tot twee dagen per week [1].", False, [citation], "gesprek-1", "Hoeveel dagen telewerk?",
               "Hoeveel dagen telewerk mag ik?"),
        channel="web",
        groups=frozenset({"personeel"}),
    )  # fmt: skip
    store.record_answer(
        Answer(
            "Dat staat niet in de documenten.", True, [], None, "Wie wint de derby?", "Wie wint de derby?"
        ),
        channel="slack",
        groups=frozenset(),
    )
    assert store.record_feedback(cited, "down", "Mist de uitzondering voor stagiairs ✗", channel="web")
    with mock.patch.object(auth.secrets, "token_urlsafe", return_value=KEY_SECRET):
        auth.create_key(store.keys, "bestuur-app", groups=["bestuur"], admin=True)
    assert store.claim_once("slack-event-Ev0LEGACY")
    job = store.jobs.start(["/corpus/personeel"])
    store.jobs.finish(job.id, "succeeded", counts={"new": 3, "unchanged": 1},
                      failures=[{"source": "kapot.pdf", "reason": "versleuteld"}])  # fmt: skip
    store.close()


def main(folder: Path) -> None:
    fill(StateStore(f"sqlite:///{folder / 'state.db'}"))

    server = make_url(os.environ["KENNISBANK_TEST_DATABASE_URL"])
    libpq = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS legacy_state")
        connection.execute("CREATE DATABASE legacy_state")
    fill(StateStore(server.set(database="legacy_state").render_as_string(hide_password=False)))
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "--no-privileges", "--inserts",
         server.set(drivername="postgresql", database="legacy_state").render_as_string(hide_password=False)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    (folder / "state.postgresql.sql").write_text(dump)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
