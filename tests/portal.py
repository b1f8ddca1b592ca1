"""A seeded demo portal for page and browser tests: seeded once per run, copied for every test."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from tests.conftest import TEST_ENV

_template: Path | None = None


def template_dir() -> Path:
    """A data folder with the demo data, created once per test run (bcrypt at test cost)."""
    global _template
    if _template is None:
        import demo
        from app.core import config, db

        directory = Path(tempfile.mkdtemp(prefix='stockfront-template-')) / 'data'
        directory.mkdir()
        saved = dict(os.environ)
        os.environ.update(TEST_ENV, STOCKFRONT_DATA_DIR=str(directory))
        os.environ.pop('STOCKFRONT_DATABASE_URL', None)
        try:
            config.set_settings(config.load())
            db.configure(config.get().database_url)
            demo.seed()
            with db.get_engine().connect() as conn:
                conn.exec_driver_sql('PRAGMA wal_checkpoint(TRUNCATE)')
            db.dispose()
            config.set_settings(None)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        _template = directory
    return _template


def fresh_portal(tmp_path: Path, monkeypatch) -> Path:
    """Copy the seeded data folder for one test and point the settings at it."""
    target = tmp_path / 'data'
    shutil.copytree(template_dir(), target)
    for key, value in TEST_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv('STOCKFRONT_DATA_DIR', str(target))
    monkeypatch.delenv('STOCKFRONT_DATABASE_URL', raising=False)
    return target
