"""The backup command copies a live database consistently."""

from __future__ import annotations

import sqlite3

import pytest

from app.core import backup, db
from app.identity.access import SYSTEM
from app.models import CustomerCreate
from tests.conftest import sqlite_only


@sqlite_only  # PostgreSQL is backed up with pg_dump (the last test)
def test_backup_copies_the_database_with_its_rows(accounts, data_dir):
    from app.identity import accounts as accounts_service

    with db.write_session() as s:
        accounts_service.create_customer(s, actor=SYSTEM, data=CustomerCreate(name='Gamma GmbH', code='GAMMA'))
    target = backup.backup(data_dir / 'copy.db')
    with sqlite3.connect(target) as copy:
        names = {row[0] for row in copy.execute('SELECT name FROM customer')}
        assert copy.execute('PRAGMA integrity_check').fetchone()[0] == 'ok'
    assert names == {'Alpha BV', 'Beta Ltd', 'Gamma GmbH'}


@sqlite_only
def test_backup_without_a_target_goes_to_the_backups_folder(accounts, data_dir):
    target = backup.backup()
    assert target.parent == data_dir / 'backups'
    assert target.stat().st_size > 0


def test_the_backup_command_sends_postgresql_users_to_pg_dump() -> None:
    with pytest.raises(SystemExit, match='pg_dump'):
        backup.database_file('postgresql+psycopg://stockfront@db.example/stockfront')
