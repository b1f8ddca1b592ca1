"""Backup and restore: the documented command (`stockfront backup TARGET`, which `make backup` runs) copies the live
database and its image files while customers keep placing orders and the supplier keeps adding and deleting images;
`stockfront restore` puts the copy into a fresh data folder, which then serves every restored image with the bytes
it had, passes `stockfront check` (integrity, stock invariant, image files) and holds only whole orders."""

from __future__ import annotations

import os
import threading
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import col, func, select

from app.catalogue import images
from app.core import config, db
from app.identity import auth
from app.models import Order, OrderLine, Product, ProductDocument, ProductImage
from app.orders import current_order, invariants, ordering
from tests.command import stockfront
from tests.rows import count
from tests.security.support import identity


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


def picture(shade: int) -> bytes:
    out = BytesIO()
    Image.new('RGB', (64, 48), (shade % 256, 120, 40)).save(out, 'PNG')
    return out.getvalue()


def keep_changing_images(
    stop: threading.Event, written: dict[str, bytes], changes: list[int], errors: list[BaseException]
) -> None:
    """The supplier adding an image and deleting its oldest own one, again and again: files come and go."""
    supplier = identity('supplier')
    upload_dir = config.get().upload_dir
    mine: list[int] = []
    try:
        with db.read_session() as s:
            product_id = s.exec(select(Product.id).where(Product.code == 'FA-1001')).one()
        while not stop.is_set() and len(changes) < 300:
            with db.write_session() as s:
                image = images.add_image(s, actor=supplier, product_id=product_id, content=picture(len(changes)))
            for name in (image.filename, image.thumb_filename):
                written[name] = (upload_dir / name).read_bytes()
            mine.append(image.id)
            if len(mine) > 3:
                with db.write_session() as s:
                    images.delete_image(s, actor=supplier, image_id=mine.pop(0))
            changes.append(image.id)
    except BaseException as error:
        errors.append(error)


def test_backup_while_orders_are_placed_and_images_change_restores_into_a_sound_fresh_instance(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A consistent copy of a live WAL database and its files (ASVS 5.0 has no backup requirement; ASVS 4.0 8.1.5
    asked for tested restores), restored into a fresh instance."""
    before = count(Order)
    live_uploads = config.get().upload_dir
    stop, placed, changes, written, errors = threading.Event(), [], [], {}, []
    workers = [
        threading.Thread(target=keep_ordering, args=(name, stop, placed, errors)) for name in ('customer', 'customer2')
    ]
    workers.append(threading.Thread(target=keep_changing_images, args=(stop, written, changes, errors)))
    for worker in workers:
        worker.start()
    try:
        while (len(placed) < 4 or len(changes) < 2) and not errors:  # placements and image changes are under way
            threading.Event().wait(0.01)
        target = tmp_path / 'backups' / 'nightly'
        started, changes_started = len(placed), len(changes)
        result = stockfront('backup', str(target))
        during, changes_during = len(placed), len(changes)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
    assert errors == []
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f'Backup written to {target} (the database and ')
    assert during > started, 'orders were placed while the backup ran'
    assert changes_during > changes_started, 'images were added and deleted while the backup ran'
    live_total = count(Order)
    assert live_total == before + len(placed)

    # restore: a fresh instance whose data folder gets only what the backup holds
    fresh = tmp_path / 'restored'
    fresh_env = {**os.environ, 'STOCKFRONT_DATA_DIR': str(fresh)}
    restored_run = stockfront('restore', str(target), env=fresh_env)
    assert restored_run.returncode == 0, restored_run.stderr
    checked = stockfront('check', env=fresh_env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert 'ok       image files' in checked.stdout and 'ok       stock invariant' in checked.stdout

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
        image_rows = s.exec(select(ProductImage)).all()
        documents = {document.filename for document in s.exec(select(ProductDocument)).all()}  # the demo's data sheets
        served = {}
        for image in image_rows:  # what the media route serves for each restored image row
            for thumb in (False, True):
                path, _product_id = images.image_path(s, image_id=image.id, thumb=thumb)
                served[path.name] = path.read_bytes()
    assert started <= restored - before <= during  # a moment while the backup ran, never a torn one
    assert without_lines == 0
    assert len(image_rows) >= 60  # the demo's pictures, and the supplier's latest ones
    for name, content in served.items():  # the same bytes as in the live portal when they were written
        assert content == written.get(name) or content == (live_uploads / name).read_bytes(), name
    assert documents and all((fresh / 'uploads' / name).is_file() for name in documents)
    # and no file without its row
    assert {path.name for path in (fresh / 'uploads').iterdir()} == set(served) | documents
    assert auth.resolve(auth.sign_in(username='customer', password='customer-demo', client_address='x')) is not None
