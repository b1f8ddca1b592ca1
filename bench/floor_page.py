"""The framework's floor beside us: the portal (main.py) with one more page, /floor, public and showing one label,
for bench/load.py to measure what NiceGUI itself costs per page opened (request, client, HTML, socket and
handshake, deletion) on the same server set-up, with none of our page code.

Run by bench/load.py: STOCKFRONT_DATA_DIR=... STOCKFRONT_PORT=... python bench/floor_page.py
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nicegui import ui  # noqa: E402 - after the portal's folder is on the path


@ui.page('/floor')
def floor() -> None:
    ui.label('floor')


if __name__ == '__main__':
    sys.argv = [str(ROOT / 'main.py')]
    runpy.run_path(str(ROOT / 'main.py'), run_name='__main__')
