revision = "abc"
down_revision = None

def upgrade():
    op.add_column("t", sa.Column("c"))

def downgrade():
    op.drop_column("t", "c")
