"""A crash in the middle of placing an order: a separate process writes the order and is killed with SIGKILL
(as by the OOM killer or a power cut) after the order and its lines are written but before the commit.
After a restart nothing of it remains, and the database is sound."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from app.core import config, db, faults
from app.models import Order
from app.orders import invariants
from tests.rows import count
from tests.security.support import current_order_of, identity, snapshot

ROOT = Path(__file__).resolve().parents[2]

# The portal's own code, in a process of its own: place the demo customer's current order.
PLACE = textwrap.dedent(
    """
    from sqlalchemy import event
    from sqlmodel import select

    from app.core import config
    from app.orders import current_order
    from app.core import db
    from app.orders import ordering
    from app.identity.auth import Identity
    from app.models import PortalUser

    config.set_settings(config.load())
    engine = db.configure(config.get().database_url)
    # a tiny page cache, so SQLite spills the uncommitted order into the WAL file before the crash
    event.listen(engine, 'connect', lambda connection, _: connection.execute('PRAGMA cache_size=2'))
    engine.dispose()
    with db.read_session() as s:
        user = s.exec(select(PortalUser).where(PortalUser.username == 'customer')).one()
    who = Identity(user.id, user.username, user.full_name, user.role, user.customer_id, 0)
    with db.write_session() as s:
        key = current_order.get_or_create(s, actor=who).placement_key
        ordering.place_current_order(s, actor=who, placement_key=key, comment='half an order')
    print('placed: the fault hook did not fire')
    """
)


def run_placement(fault: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, 'STOCKFRONT_FAULT': fault or ''}
    return subprocess.run(
        [sys.executable, '-c', PLACE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_killed_during_placement_leaves_no_half_order_and_a_sound_database(portal: Path) -> None:
    """ASVS 2.3.3 (a business operation succeeds entirely or is rolled back) / 16.5.3: also on SIGKILL."""
    before = snapshot()
    current_before = current_order_of('customer')
    assert current_before[1], 'the demo customer has something in its current order'
    db.dispose()  # the portal "server" of this test is down while the other process runs
    wal = portal / 'stockfront.db-wal'
    wal_before = wal.stat().st_size if wal.exists() else 0

    result = run_placement(faults.CRASH_IN_PLACEMENT)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert 'placed' not in result.stdout
    assert (wal.stat().st_size if wal.exists() else 0) > wal_before, 'the half order did reach the disk (WAL)'

    db.configure(config.get().database_url)  # the restart
    assert db.integrity_check() == 'ok'
    assert snapshot() == before  # no order, no lines, stock and current order as they were
    assert current_order_of('customer') == current_before
    with db.read_session() as s:
        assert invariants.check_stock(s) == []

    # and the customer simply places it again
    result = run_placement(None)
    assert result.returncode == 0 and 'placed' in result.stdout, result.stderr
    db.dispose()
    db.configure(config.get().database_url)
    assert count(Order) == len(before['salesorder']) + 1
    assert current_order_of('customer')[1] == []
    invariants.assert_stock_ok()
    assert identity('customer')
