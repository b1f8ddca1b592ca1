"""A seeded demo portal for page and browser tests: seeded once per run, copied for every test."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import TEST_ENV, made_data_folder

_template: Path | None = None


def template_dir() -> Path:
    """A data folder with the demo data, created once per test run (bcrypt at test cost)."""
    global _template
    if _template is None:
        import demo

        _template = made_data_folder('stockfront-template-', demo.seed)
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
