"""The operator's command `stockfront` (app/cli.py) in a process of its own, as an operator or a nightly job runs it,
on the data folder its environment names (by default the test's: tests/conftest.py data_dir)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALLED = Path(sys.executable).parent / 'stockfront'  # the console script of the editable install


def stockfront(*args: str, env: dict[str, str] | None = None, installed: bool = False) -> subprocess.CompletedProcess:
    """`python -m app.cli` in the checkout; `installed`: the console script, run from / (not the checkout: it must
    find the project by itself)."""
    command, folder = ([str(INSTALLED)], Path('/')) if installed else ([sys.executable, '-m', 'app.cli'], ROOT)
    return subprocess.run(
        [*command, *args],
        cwd=folder,
        env=env or dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
