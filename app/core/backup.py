"""A consistent copy of the SQLite database while the portal runs: python -m app.core.backup [target]"""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from app.core import config


def database_file(url: str) -> Path:
    if not url.startswith('sqlite:///'):
        raise SystemExit('Backups with this command are for SQLite; use pg_dump for PostgreSQL.')
    return Path(url.removeprefix('sqlite:///'))


def backup(target: Path | None = None) -> Path:
    """Copy the database with SQLite's online backup API (consistent even during writes)."""
    settings = config.load()
    source_path = database_file(settings.database_url)
    if not source_path.is_file():
        raise SystemExit(f'No database at {source_path}.')
    if target is None:
        stamp = datetime.now(UTC).strftime('%Y%m%d-%H%M%S')
        target = settings.data_dir / 'backups' / f'stockfront-{stamp}.db'
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        if copy.execute('PRAGMA integrity_check').fetchone()[0] != 'ok':
            raise SystemExit(f'The copy at {target} failed its integrity check.')
    finally:
        copy.close()
        source.close()
    return target


if __name__ == '__main__':
    written = backup(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(f'Backup written to {written}')
