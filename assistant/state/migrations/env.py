"""Alembic's environment for the state database. It runs only through
`assistant.state.migrate`, which hands it an open connection in a transaction that the
caller commits (with the lock that keeps racing workers apart), so it makes no engine of
its own and no alembic.ini is needed.

A new revision, after changing `assistant.state.schema`, from a Python shell, against a
database at the current head (a scratch SQLite file will do):

    from alembic import command
    from sqlalchemy import create_engine
    from assistant.state.migrate import alembic_config, upgrade_to_head
    engine = create_engine("sqlite:////tmp/scratch.db")
    upgrade_to_head(engine)
    with engine.begin() as connection:
        command.revision(alembic_config(connection), "what changes", autogenerate=True, rev_id="0002")

then read the generated file in versions/ and write its operations out as needed.
"""

from alembic import context

from assistant.state.schema import metadata

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=metadata,
    # SQLite alters a table only by copying it; batch mode writes migrations that do so
    # and that run unchanged on PostgreSQL.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
