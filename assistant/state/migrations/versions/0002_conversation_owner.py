"""Each answer records who asked (the caller's identity), so that a conversation belongs
to the caller who started it; conversations are looked up by id.

Rows of before have no caller: their conversations cannot be continued (a follow-up in
one starts a new conversation), which is the safe side.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("caller", sa.String(255)))
        batch.create_index("ix_answers_conversation_id", ["conversation_id"])


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_index("ix_answers_conversation_id")
        batch.drop_column("caller")
