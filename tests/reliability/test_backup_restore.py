"""Backup and restore: the documented command (`make backup`, i.e. `python -m app.core.backup TARGET`) copies the
live database while customers keep placing orders; the copy, restored into a fresh data folder, passes the
integrity check and the stock invariant and holds only whole orders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from app.core import config, db
from app.identity import auth
from app.models import Order, OrderLine, Product
from app.orders import current_order, invariants, ordering
from tests.security.support import identity

ROOT = Path(__file__).resolve().parents[2]


def orders_count() -> int:
    with db.read_session() as s:
        return s.exec(select(func.count()).select_from(Order)).one()


def keep_ordering(username: str, stop: threading.Event, placed: list[str], errors: list[BaseException]) -> None:
    """A customer placing small orders one after the other until told to stop."""
    who = identity(username)
    try:
        while not stop.is_set() and len(placed) < 400:
            with db.write_session() as s:
                product_id = s.exec(select(Product.id).where(Product.code == 'HT-1001')).one()
                current_order.add(s, actor=who, product_id=product_id, quantity=1)
                key = current_order.get_or_create(s, actor=who).placement_key
                placed.append(ordering.place_current_order(s, actor=who, placement_key=key).number)
    except BaseException as error:  # reported by the test
        errors.append(error)


def test_backup_while_orders_are_placed_restores_into_a_sound_fresh_instance(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A consistent copy of a live WAL database (ASVS 5.0 has no backup requirement; ASVS 4.0 8.1.5 asked for
    tested restores), restored into a fresh instance."""
    before = orders_count()
    stop, placed, errors = threading.Event(), [], []
    workers = [
        threading.Thread(target=keep_ordering, args=(name, stop, placed, errors)) for name in ('customer', 'customer2')
    ]
    for worker in workers:
        worker.start()
    try:
        while len(placed) < 4 and not errors:  # placements are under way
            threading.Event().wait(0.01)
        target = tmp_path / 'backups' / 'stockfront-backup.db'
        started = len(placed)
        result = subprocess.run(
            [sys.executable, '-m', 'app.core.backup', str(target)],
            cwd=ROOT,
            env=dict(os.environ),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        during = len(placed)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
    assert errors == []
    assert result.returncode == 0, result.stderr
    assert f'Backup written to {target}' in result.stdout
    assert during > started, 'orders were placed while the backup ran'
    live_total = orders_count()
    assert live_total == before + len(placed)

    # restore: a fresh instance whose data folder holds only the copy
    fresh = tmp_path / 'restored'
    fresh.mkdir()
    shutil.copy(target, fresh / 'stockfront.db')
    db.dispose()
    monkeypatch.setenv('STOCKFRONT_DATA_DIR', str(fresh))
    config.set_settings(config.load())
    db.configure(config.get().database_url)
    assert db.integrity_check() == 'ok'
    with db.read_session() as s:
        assert invariants.check_stock(s) == []
        restored = s.exec(select(func.count()).select_from(Order)).one()
        without_lines = s.exec(
            select(func.count()).select_from(Order).where(~col(Order.id).in_(select(OrderLine.order_id)))
        ).one()
    assert started <= restored - before <= during  # a moment while the backup ran, never a torn one
    assert without_lines == 0
    assert auth.resolve(auth.sign_in(username='customer', password='customer-demo', client_address='x')) is not None
