"""The tables of the state database, on one MetaData: what the code reads and writes.

The database itself is made and changed only by the migrations in
`assistant.state.migrations` (run by `assistant.state.migrate` when a StateStore opens);
a change here needs a new revision there, or PostgreSQL deployments keep the old tables.
"""

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

answers = Table(
    "answers",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),  # retention
    Column("channel", String(16), nullable=False),
    Column("conversation_id", String(64), index=True),
    # Who asked (Caller.identity); NULL in rows of before 0002. Indexed to erase one person's.
    Column("caller", String(255), index=True),
    Column("question", Text, nullable=False),
    Column("standalone_question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("abstained", Boolean, nullable=False),
    Column("citations", Text, nullable=False),  # JSON list of Citation dicts
    Column("groups", Text, nullable=False),  # JSON list: whose access the answer was made with
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(32), ForeignKey("answers.id"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("rating", String(4), nullable=False),
    Column("comment", Text),
)

claims = Table(
    "claims",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("groups", Text, nullable=False),  # JSON list of access groups
    Column("admin", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

reindex_jobs = Table(
    "reindex_jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("state", String(16), nullable=False),
    # True while the job runs, NULL after. Being unique, it lets one job run at a time
    # across workers (NULLs never collide), in SQLite, PostgreSQL and any other database.
    Column("running", Boolean, unique=True),
    Column("paths", Text, nullable=False),  # JSON list
    Column("started_at", DateTime(timezone=True), nullable=False, index=True),
    Column("heartbeat_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("counts", Text, nullable=False),  # JSON object
    Column("failures", Text, nullable=False),  # JSON list of {"source", "reason"}
    Column("error", Text),
)

audit_records = Table(
    "audit_records",
    metadata,
    Column("answer_id", String(32), primary_key=True),  # the answer's id; both go together (audit.py)
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("who", String(255), nullable=False, index=True),  # Caller.who
    Column("question", Text),  # NULL when KENNISBANK_AUDIT_QUESTIONS=false
    Column("groups", Text, nullable=False),  # JSON list: the caller's access groups
    Column("documents", Text, nullable=False),  # JSON list of AuditedDocument dicts
)
