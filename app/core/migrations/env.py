"""Alembic's environment: runs the revisions on the connection `app.core.migrations` hands over.

Both ways in give it that connection: the start (`upgrade`) and the developers' command
(`python -m app.core.migrations ...`); it never opens one of its own.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from app.core import migrations


def render_item(type_: str, obj: object, _autogen_context: object) -> str | bool:
    """Revisions use SQLAlchemy's own types (SQLModel's `AutoString` is a String, its `UTCDateTime` a DateTime
    with time zone), so they do not depend on how a later SQLModel maps `str` or `datetime`."""
    if type_ == 'type' and isinstance(obj, TypeDecorator) and type(obj).__module__.startswith('sqlmodel.'):
        return f'sa.{obj.impl_instance!r}'
    return False


connection = context.config.attributes.get('connection')
if connection is None:
    raise SystemExit('Run the migrations through app.core.migrations (upgrade, or python -m app.core.migrations).')
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite changes most columns by copying the table; elsewhere batch is plain ALTER
    include_name=migrations.include_name,
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():  # inside the caller's transaction: commits with it
    context.run_migrations()
