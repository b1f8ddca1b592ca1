"""Backups of the portal's data, the SQLite database together with its image files, taken while the portal runs.

A backup is one folder, `data/backups/stockfront-YYYYmmdd-HHMMSS/` unless named:

    stockfront.db   the database, copied with SQLite's online backup API (one consistent moment)
    uploads/        the image and document files that this copy refers to, and only those
    manifest.json   what is in it, each file with its size and SHA-256, written last

Why the pair is consistent without stopping the portal: an image's files are written (and fsynced) before its row
commits, are never changed in place, and are removed only after the row's delete has committed
(app/catalogue/images.py). So every file that the database copy refers to existed at the moment of the copy, and it
is copied right after it. If one is gone by then (its image was deleted in between), the database is copied again,
until a copy and its files agree. The folder is assembled under a hidden name and renamed when complete, so a
backup that has its name is whole.

Restore puts a backup in place of the configured database and upload folder, after checking every file against the
manifest and the database's integrity. It refuses while the database is open elsewhere (a running portal), and it
never deletes: what was there before is moved to `data/before-restore-YYYYmmdd-HHMMSS/`.

PostgreSQL is backed up with pg_dump (and data/uploads/ copied after it); these functions refuse other URLs.
Run as `stockfront backup [TARGET]` / `stockfront restore SOURCE` (app/cli.py), or `python -m app.core.backup`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.core import config

DATABASE_NAME = 'stockfront.db'
UPLOADS_NAME = 'uploads'
MANIFEST_NAME = 'manifest.json'
FORMAT = 1
ATTEMPTS = 5  # database copies tried before giving up on images that keep being deleted under the backup


class BackupError(RuntimeError):
    """The backup or restore could not be made; nothing usable was left half-done under the backup's name."""


@dataclass(frozen=True)
class Backup:
    folder: Path
    images: int  # image files in it
    missing: list[str]  # files its image rows name that were not in the upload folder (see `stockfront check`)


@dataclass(frozen=True)
class Restored:
    database: Path
    images: int
    set_aside: Path | None  # where the data that was replaced went


def database_file(url: str) -> Path:
    if not url.startswith('sqlite:///'):
        raise BackupError(
            'Backups with this command are for SQLite. For PostgreSQL use pg_dump '
            '(pg_dump --format=custom --file=stockfront.dump DATABASE) and copy data/uploads/ after it; '
            'restore with pg_restore and put the images back.'
        )
    return Path(url.removeprefix('sqlite:///'))


def _stamp() -> str:
    return datetime.now(UTC).strftime('%Y%m%d-%H%M%S')


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open('rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def _safe_name(name: str) -> bool:
    """A plain file name inside the upload folder (names are generated; anything else is not ours)."""
    return bool(name) and name == Path(name).name and not name.startswith('.') and '\\' not in name


def _copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup: one consistent moment of the live database, writers carry on meanwhile."""
    target.unlink(missing_ok=True)
    live = sqlite3.connect(source)
    copy = sqlite3.connect(target)
    try:
        live.backup(copy)
    finally:
        copy.close()
        live.close()


def _check_database(path: Path) -> list[str]:
    """The image and document files the database refers to; BackupError when it fails SQLite's integrity check."""
    connection = sqlite3.connect(path)
    try:
        verdict = connection.execute('PRAGMA integrity_check').fetchone()[0]
        if verdict != 'ok':
            raise BackupError(f'The database copy at {path} failed its integrity check: {verdict}')
        names = [
            name for row in connection.execute('SELECT filename, thumb_filename FROM productimage') for name in row
        ]
        names += [row[0] for row in connection.execute('SELECT filename FROM productdocument')]  # PDFs (documents.py)
    finally:
        connection.close()
    unsafe = [name for name in names if not _safe_name(name)]
    if unsafe:
        raise BackupError(f'Image rows name files outside the upload folder: {unsafe[:5]}')
    return names


def backup(target: Path | None = None) -> Backup:
    """Copy the database and the image files it refers to into one new folder (see the module's docstring)."""
    settings = config.get()
    source = database_file(settings.database_url)
    if not source.is_file():
        raise BackupError(f'No database at {source}.')
    folder = (target or settings.data_dir / 'backups' / f'stockfront-{_stamp()}').resolve()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(f'{folder} already exists; a backup goes into a new folder.')
    partial = folder.parent / f'.{folder.name}.partial'
    shutil.rmtree(partial, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial.mkdir(mode=0o700)  # the database holds password hashes and sessions: for the operator's eyes only
    (partial / UPLOADS_NAME).mkdir()
    try:
        names, missing = _copy_consistently(source, settings.upload_dir, partial)
        manifest = {
            'format': FORMAT,
            'created': datetime.now(UTC).isoformat(timespec='seconds'),
            'database': {'name': DATABASE_NAME, 'sha256': _sha256(partial / DATABASE_NAME)},
            'files': {
                name: {
                    'size': (partial / UPLOADS_NAME / name).stat().st_size,
                    'sha256': _sha256(partial / UPLOADS_NAME / name),
                }
                for name in sorted(names)
            },
            'missing': missing,  # image files the database refers to that were missing in the live data already
        }
        (partial / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1) + '\n')
        if folder.exists():
            folder.rmdir()  # the empty folder named as the target
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Backup(folder=folder, images=len(names), missing=missing)


def _copy_consistently(source: Path, uploads: Path, partial: Path) -> tuple[set[str], list[str]]:
    """The database copy and the files it refers to, in `partial`: (names copied, names missing in the live data).

    A file that vanished after the database copy belongs to an image deleted meanwhile: the database is copied again.
    A file still missing after the next copy was already missing in the live data; that is reported, not retried.
    """
    copied: set[str] = set()  # a name is never reused for other bytes, so a file copied once stays right
    gone: set[str] = set()
    for _attempt in range(ATTEMPTS):
        _copy_database(source, partial / DATABASE_NAME)
        wanted = set(_check_database(partial / DATABASE_NAME))
        vanished = set()
        for name in sorted(wanted - copied):
            try:
                shutil.copyfile(uploads / name, partial / UPLOADS_NAME / name)
                copied.add(name)
            except FileNotFoundError:
                vanished.add(name)
        if not vanished or vanished <= gone:
            for name in copied - wanted:  # copied for an earlier database copy, deleted since
                (partial / UPLOADS_NAME / name).unlink()
                copied.discard(name)
            return copied, sorted(vanished)
        gone = vanished
    raise BackupError(f'Images kept being deleted while the backup ran ({ATTEMPTS} database copies); try again.')


# --- restore --------------------------------------------------------------------------------------


def _read_manifest(source: Path) -> dict:
    path = source / MANIFEST_NAME
    if not path.is_file():
        raise BackupError(f'{source} is not a Stockfront backup (no {MANIFEST_NAME}).')
    try:
        manifest = json.loads(path.read_text())
    except ValueError as error:
        raise BackupError(f'{path} cannot be read: {error}') from error
    if manifest.get('format') != FORMAT:
        raise BackupError(
            f'{source} was made in backup format {manifest.get("format")!r}; this version reads {FORMAT}.'
        )
    return manifest


def _intact(folder: Path, name: str, facts: dict) -> bool:
    path = folder / name
    return (
        _safe_name(name)
        and path.is_file()
        and path.stat().st_size == facts['size']
        and _sha256(path) == facts['sha256']
    )


def verify(source: Path) -> dict:
    """Check a backup folder against its manifest (every file there, same size and SHA-256); the manifest."""
    manifest = _read_manifest(source)
    database = source / DATABASE_NAME
    if not database.is_file() or _sha256(database) != manifest['database']['sha256']:
        raise BackupError(f'The database in {source} is missing or damaged (it differs from the manifest).')
    damaged = [name for name, facts in manifest['files'].items() if not _intact(source / UPLOADS_NAME, name, facts)]
    if damaged:
        raise BackupError(f'Image files in {source} are missing or damaged: {damaged[:5]}')
    return manifest


def _refuse_if_in_use(database: Path) -> sqlite3.Connection:
    """A connection that holds the database exclusively; BackupError while another connection has it open.

    Leaving WAL mode needs every other connection closed, and a running portal keeps its connections open, so a
    refused change of journal mode means the database is in use. The exclusive lock is kept until the swap is done.
    """
    connection = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        connection.execute('PRAGMA journal_mode=DELETE')
        connection.execute('PRAGMA locking_mode=EXCLUSIVE')
        connection.execute('BEGIN EXCLUSIVE')
    except sqlite3.OperationalError as error:
        connection.close()
        raise BackupError(
            f'The database {database} is in use (is the portal running?). Stop the portal, then restore.'
        ) from error
    return connection


def restore(source: Path, *, replace: bool = False) -> Restored:
    """Put the backup in `source` in place of the configured database and upload folder.

    Without `replace` only into a data folder that has no database yet; with it, the current database and uploads
    are moved to data/before-restore-STAMP/ first (and never while the database is in use).
    """
    settings = config.get()
    database = database_file(settings.database_url).resolve()
    uploads = settings.upload_dir.resolve()
    source = source.resolve()
    manifest = verify(source)

    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(f'.{database.name}.restoring')
    incoming_uploads = uploads.with_name(f'.{uploads.name}.restoring')
    incoming.unlink(missing_ok=True)  # left by a restore that was interrupted
    shutil.rmtree(incoming_uploads, ignore_errors=True)
    try:
        shutil.copyfile(source / DATABASE_NAME, incoming)
        _check_database(incoming)
        incoming_uploads.mkdir(parents=True)
        for name in manifest['files']:
            shutil.copyfile(source / UPLOADS_NAME / name, incoming_uploads / name)
        set_aside = _swap_in(database, uploads, incoming, incoming_uploads, settings.data_dir, replace=replace)
    finally:
        incoming.unlink(missing_ok=True)
        shutil.rmtree(incoming_uploads, ignore_errors=True)
    return Restored(database=database, images=len(manifest['files']), set_aside=set_aside)


def _swap_in(
    database: Path, uploads: Path, incoming: Path, incoming_uploads: Path, data_dir: Path, *, replace: bool
) -> Path | None:
    existing = database.exists()
    if existing and not replace:
        raise BackupError(
            f'There is a database at {database} already. Stop the portal and restore with --replace: '
            f'the current database and images are then moved to {data_dir}/before-restore-.../, not deleted.'
        )
    holder = _refuse_if_in_use(database) if existing else None
    set_aside = None
    try:
        # journal mode DELETE (above) left no -wal or -shm beside it; the lock is held until the new one is in place
        old = [database.with_name(database.name + ending) for ending in ('', '-wal', '-shm', '-journal')]
        old = [path for path in old if path.exists()] + ([uploads] if uploads.exists() else [])
        if old:
            set_aside = data_dir / f'before-restore-{_stamp()}'
            set_aside.mkdir(parents=True)
        if uploads.exists():
            shutil.move(uploads, set_aside / uploads.name)
        os.replace(incoming_uploads, uploads)
        for path in old:
            if path != uploads:
                shutil.move(path, set_aside / path.name)
        os.replace(incoming, database)
    finally:
        if holder is not None:
            holder.close()
    return set_aside


if __name__ == '__main__':  # kept for `make backup` of earlier versions: same as `stockfront backup [TARGET]`
    try:
        made = backup(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    except BackupError as failure:
        sys.exit(f'Backup failed: {failure}')
    print(f'Backup written to {made.folder} (the database and {made.images} image files)')
    if made.missing:
        print(f'Warning: {len(made.missing)} image files were missing from the upload folder already', file=sys.stderr)
