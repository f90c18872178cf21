"""The district's digital coaches as the server last gave them (GET /api/v1/coaches, kept by
the sync worker; kiosk.store.coaches): coach sign-in reads them here, no longer from the
content pack.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "coaches",
        sa.Column("code", sa.String(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        # None for a code the device learnt of only as revoked.
        sa.Column("pin_hash", sa.Text(), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("coaches")
