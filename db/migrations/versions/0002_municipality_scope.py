"""municipality scope: annual budgets belong to one municipality; the exchange base for merges

A file holds its own plans and those received from other municipalities.  Budget codes are a
shared catalogue, but an annual budget (with its ceilings and amendments, and through its plan
every allocation) is one municipality's: ``annual_budget.year`` is now unique per municipality.
Existing budgets become the home municipality's.  ``exchange_base`` remembers, per municipality,
what was last exchanged so a merge can tell a conflict from a one-sided change.

Revision ID: 0002_municipality_scope
Revises: 0001 (0001_initial_schema.py)
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002_municipality_scope'
down_revision: str | None = '0001'  # the revision id inside 0001_initial_schema.py
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('annual_budget', schema=None) as batch_op:
        batch_op.add_column(sa.Column('municipality_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint('uq_annual_budget_year', type_='unique')
        batch_op.create_foreign_key(batch_op.f('fk_annual_budget_municipality_id_municipality'), 'municipality',
                                    ['municipality_id'], ['id'], ondelete='CASCADE')
        batch_op.create_unique_constraint(batch_op.f('uq_annual_budget_municipality_id_year'),
                                          ['municipality_id', 'year'])
    op.execute("UPDATE annual_budget SET municipality_id = "
               "(SELECT id FROM municipality WHERE is_home ORDER BY id LIMIT 1)")
    op.create_table('exchange_base',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('entity_uuid', sa.String(length=36), nullable=False),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'],
                            name=op.f('fk_exchange_base_municipality_id_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_base'))
    )
    op.create_index('ix_exchange_base_entity', 'exchange_base', ['entity_uuid', 'municipality_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_exchange_base_entity', table_name='exchange_base')
    op.drop_table('exchange_base')
    # Budgets received from other municipalities cannot live under a file-wide unique year.
    op.execute("DELETE FROM annual_budget WHERE municipality_id IS NOT NULL AND municipality_id NOT IN "
               "(SELECT id FROM municipality WHERE is_home)")
    with op.batch_alter_table('annual_budget', schema=None) as batch_op:
        batch_op.drop_constraint('uq_annual_budget_municipality_id_year', type_='unique')
        batch_op.drop_constraint('fk_annual_budget_municipality_id_municipality', type_='foreignkey')
        batch_op.create_unique_constraint('uq_annual_budget_year', ['year'])
        batch_op.drop_column('municipality_id')
