"""An audit record per answer: when, through which channel, who, the question (unless
its text is not kept) and every document the answer showed with its access groups.
Answers are indexed by time and by who asked, for the retention period and for erasing
one person's records.

Answers of before this revision have no audit record: which documents they showed is in
their citations, but not the documents' access groups at the time.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_records",
        sa.Column("answer_id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("who", sa.String(255), nullable=False),
        sa.Column("question", sa.Text),
        sa.Column("groups", sa.Text, nullable=False),
        sa.Column("documents", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_records_created_at", "audit_records", ["created_at"])
    op.create_index("ix_audit_records_who", "audit_records", ["who"])
    with op.batch_alter_table("answers") as batch:
        batch.create_index("ix_answers_created_at", ["created_at"])
        batch.create_index("ix_answers_caller", ["caller"])


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_index("ix_answers_caller")
        batch.drop_index("ix_answers_created_at")
    op.drop_table("audit_records")
