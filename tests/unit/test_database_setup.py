"""A database that cannot be used stops the start with one clear line, and never shows its password."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.core import db

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ('url', 'says'),
    [
        ('postgresql+psycopg://shop:s3cret-pw@127.0.0.1:1/stockfront', 'Cannot use the database'),
        ('postgresql+pg8000://shop:s3cret-pw@127.0.0.1:1/stockfront', "pip install -e '.[postgres]'"),
        ('not a url', 'Cannot use the database'),
    ],
)
def test_an_unusable_database_is_named_without_its_password(data_dir: Path, url: str, says: str) -> None:
    with pytest.raises(db.DatabaseUnavailable) as refused:
        db.configure(url)
    assert says in str(refused.value)
    assert 's3cret-pw' not in str(refused.value)
    with pytest.raises(RuntimeError, match='not configured'):
        db.get_engine()  # nothing half set up is left behind


def test_the_portal_stops_with_that_line_instead_of_a_traceback(tmp_path: Path) -> None:
    env = {
        'PATH': '/usr/bin:/bin',
        'STOCKFRONT_DATA_DIR': str(tmp_path),
        'STOCKFRONT_DATABASE_URL': 'postgresql+psycopg://shop:s3cret-pw@127.0.0.1:1/stockfront',
    }
    done = subprocess.run(
        [sys.executable, 'main.py'], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1
    assert done.stderr.strip().startswith('Stockfront cannot start: Cannot use the database postgresql+psycopg://')
    assert 'Traceback' not in done.stderr and 's3cret-pw' not in done.stderr
