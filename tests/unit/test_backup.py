"""Backups hold the database and its image files together, and a restore brings both back (app/core/backup.py)."""

from __future__ import annotations

import json
import sqlite3
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from app.catalogue import images, products
from app.core import backup, config, db
from app.identity.access import SYSTEM
from app.models import CustomerCreate, ProductCreate, ProductImage
from tests.conftest import TEST_DATABASE_URL


def picture(shade: int) -> bytes:
    out = BytesIO()
    Image.new('RGB', (40, 30), (shade, 80, 160)).save(out, 'PNG')
    return out.getvalue()


@pytest.fixture
def portal_with_images(accounts, data_dir: Path) -> list[ProductImage]:
    """A product with two images (four files) in the upload folder, on SQLite (PostgreSQL is backed up with pg_dump)."""
    if TEST_DATABASE_URL:
        pytest.skip('about the SQLite file')
    with db.write_session() as s:
        product = products.create_product(
            s, actor=accounts.admin, data=ProductCreate(code='HAM-500', name='Claw hammer', price_cents=1995)
        )
        return [
            images.add_image(s, actor=accounts.admin, product_id=product.id, content=picture(shade))
            for shade in (10, 200)
        ]


def files_of(image_rows: list[ProductImage]) -> set[str]:
    return {name for image in image_rows for name in (image.filename, image.thumb_filename)}


def rows_in(database: Path, query: str) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(query).fetchall()


def point_settings_at(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings for another data folder (a fresh machine), with the current engine let go."""
    db.dispose()
    monkeypatch.setenv('STOCKFRONT_DATA_DIR', str(folder))
    config.set_settings(config.load())


def test_a_backup_is_one_folder_with_the_database_the_image_files_and_a_manifest(
    portal_with_images, accounts, data_dir
):
    from app.identity import accounts as accounts_service

    with db.write_session() as s:
        accounts_service.create_customer(s, actor=SYSTEM, data=CustomerCreate(name='Gamma GmbH', code='GAMMA'))
    (config.get().upload_dir / 'left-over-from-a-crash.jpg').write_bytes(b'no row refers to this')

    made = backup.backup(data_dir / 'copy')

    assert made.folder == data_dir / 'copy' and made.images == 4 and made.missing == []
    assert made.folder.stat().st_mode & 0o777 == 0o700  # password hashes and sessions are in it
    database = made.folder / 'stockfront.db'
    assert rows_in(database, 'PRAGMA integrity_check') == [('ok',)]
    assert {row[0] for row in rows_in(database, 'SELECT name FROM customer')} == {'Alpha BV', 'Beta Ltd', 'Gamma GmbH'}
    copied = {path.name for path in (made.folder / 'uploads').iterdir()}
    assert copied == files_of(portal_with_images)  # the left-over file is not part of the portal's data
    for name in copied:
        assert (made.folder / 'uploads' / name).read_bytes() == (config.get().upload_dir / name).read_bytes()
    manifest = json.loads((made.folder / 'manifest.json').read_text())
    assert set(manifest['files']) == copied
    assert [path.name for path in data_dir.iterdir() if path.name.startswith('.')] == []  # no partial folder left


def test_without_a_target_the_backup_goes_to_a_new_folder_under_backups(portal_with_images, data_dir):
    made = backup.backup()
    assert made.folder.parent == data_dir / 'backups'
    assert made.folder.name.startswith('stockfront-') and (made.folder / 'stockfront.db').stat().st_size > 0


def test_a_backup_never_writes_into_a_folder_that_holds_something(portal_with_images, data_dir):
    (data_dir / 'taken').mkdir()
    (data_dir / 'taken' / 'notes.txt').write_text('mine')
    with pytest.raises(backup.BackupError, match='already exists'):
        backup.backup(data_dir / 'taken')
    assert [path.name for path in (data_dir / 'taken').iterdir()] == ['notes.txt']


def test_an_image_deleted_between_the_database_copy_and_the_file_copy_gives_a_backup_without_it(
    portal_with_images, accounts, data_dir, monkeypatch
):
    """The race the design guards against: the database copy names an image whose files are gone a moment later."""
    doomed, kept = portal_with_images
    copy_database = backup._copy_database
    copies = []

    def copy_then_delete(source: Path, target: Path) -> None:
        copy_database(source, target)
        copies.append(target)
        if len(copies) == 1:  # the image is deleted right after the first copy, before its files are copied
            with db.write_session() as s:
                images.delete_image(s, actor=accounts.admin, image_id=doomed.id)
            assert not (config.get().upload_dir / doomed.filename).exists()

    monkeypatch.setattr(backup, '_copy_database', copy_then_delete)
    made = backup.backup(data_dir / 'copy')

    assert len(copies) == 2  # the database was copied again
    assert rows_in(made.folder / 'stockfront.db', 'SELECT id FROM productimage') == [(kept.id,)]
    assert {path.name for path in (made.folder / 'uploads').iterdir()} == files_of([kept])
    assert made.missing == []


def test_image_files_missing_from_the_live_data_are_reported_not_retried_forever(portal_with_images, data_dir):
    (config.get().upload_dir / portal_with_images[0].thumb_filename).unlink()
    made = backup.backup(data_dir / 'copy')
    assert made.missing == [portal_with_images[0].thumb_filename]
    assert json.loads((made.folder / 'manifest.json').read_text())['missing'] == made.missing
    assert made.images == 3


def test_a_restore_into_a_fresh_data_folder_brings_back_the_rows_and_the_image_files(
    portal_with_images, data_dir, tmp_path, monkeypatch
):
    made = backup.backup(tmp_path / 'backup')
    originals = {name: (config.get().upload_dir / name).read_bytes() for name in files_of(portal_with_images)}

    fresh = tmp_path / 'fresh'
    point_settings_at(fresh, monkeypatch)
    done = backup.restore(made.folder)

    assert done.images == 4 and done.set_aside is None
    db.configure(config.get().database_url)
    with db.read_session() as s:
        restored = s.exec(select(ProductImage)).all()
        assert files_of(restored) == set(originals)
        for image in restored:
            for thumb in (False, True):
                path, _ = images.image_path(s, image_id=image.id, thumb=thumb)
                assert path.parent == fresh / 'uploads'
                assert path.read_bytes() == originals[path.name]
    assert db.integrity_check() == 'ok'


def test_a_restore_does_not_overwrite_a_database_unless_told_to(portal_with_images, data_dir, tmp_path):
    made = backup.backup(tmp_path / 'backup')
    db.dispose()
    with pytest.raises(backup.BackupError, match='--replace'):
        backup.restore(made.folder)


def test_a_restore_is_refused_while_the_database_is_in_use(portal_with_images, data_dir, tmp_path):
    made = backup.backup(tmp_path / 'backup')
    with db.read_session() as s:  # the engine keeps its connection open, as a running portal does
        s.exec(select(ProductImage.id)).all()
    before = (data_dir / 'stockfront.db').read_bytes()

    with pytest.raises(backup.BackupError, match='in use'):
        backup.restore(made.folder, replace=True)

    assert (data_dir / 'stockfront.db').read_bytes() == before
    with db.read_session() as s:
        assert len(s.exec(select(ProductImage)).all()) == 2


def test_a_restore_with_replace_moves_the_current_data_aside(portal_with_images, accounts, data_dir, tmp_path):
    made = backup.backup(tmp_path / 'backup')
    with db.write_session() as s:  # a change after the backup, lost by the restore but kept aside
        later = images.add_image(
            s, actor=accounts.admin, product_id=portal_with_images[0].product_id, content=picture(99)
        )
    db.dispose()

    done = backup.restore(made.folder, replace=True)

    assert done.set_aside is not None and done.set_aside.parent == data_dir
    assert (done.set_aside / 'uploads' / later.filename).is_file()
    assert later.id in {row[0] for row in rows_in(done.set_aside / 'stockfront.db', 'SELECT id FROM productimage')}
    assert {row[0] for row in rows_in(data_dir / 'stockfront.db', 'SELECT id FROM productimage')} == {
        image.id for image in portal_with_images
    }
    assert {path.name for path in (data_dir / 'uploads').iterdir()} == files_of(portal_with_images)


def test_a_damaged_backup_is_refused_before_anything_is_touched(portal_with_images, data_dir, tmp_path, monkeypatch):
    made = backup.backup(tmp_path / 'backup')
    victim = made.folder / 'uploads' / portal_with_images[1].filename
    victim.write_bytes(victim.read_bytes()[:-1] + b'x')
    fresh = tmp_path / 'fresh'
    point_settings_at(fresh, monkeypatch)

    with pytest.raises(backup.BackupError, match='damaged'):
        backup.restore(made.folder)
    assert not (fresh / 'stockfront.db').exists() and not (fresh / 'uploads').exists()


def test_the_backup_command_sends_postgresql_users_to_pg_dump() -> None:
    with pytest.raises(backup.BackupError, match='pg_dump'):
        backup.database_file('postgresql+psycopg://stockfront@db.example/stockfront')
