"""The supplier's Import and export page in Chromium (issue 17): a Dutch Excel file previewed with its refused rows,
the progress bar while a large file is checked, applying the valid rows, and the history with a run's report;
screenshots at desktop and phone size in /tmp to look at."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from sqlmodel import select

from app.core import db
from app.models import ImportRecord, Product
from app.transfer import imports
from tests.browser.conftest import DESKTOP, PHONE, button, sign_in, size, wait_text

SHOTS = Path('/tmp/stockfront-transfer-shots')


def shot(screen: Screen, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f'{name}.png'
    time.sleep(0.4)
    screen.selenium.save_screenshot(str(path))
    return path


def test_a_file_is_previewed_with_progress_applied_and_found_in_the_history(screen: Screen, tmp_path, monkeypatch):
    rows = [f'IMP-{n:04d};Kruiwagen {n} groß;{n},50;ja' for n in range(1, 41)]
    rows[4], rows[11] = 'IMP-0005;Kruiwagen 5;twaalf;ja', 'IMP-0012;;3,00;ja'
    path = tmp_path / 'artikelen.csv'
    path.write_bytes(('Artikelnummer;Naam;Prijs;Actief\r\n' + '\r\n'.join(rows) + '\r\n').encode('cp1252'))

    checking = threading.Event()
    release = threading.Event()
    real = imports.import_file

    def held(who, **options):  # the first preview waits halfway, so the bar can be seen
        if not checking.is_set():
            options['progress']('Checking the rows', 20, 40)
            checking.set()
            release.wait(10)
        return real(who, **options)

    monkeypatch.setattr(imports, 'import_file', held)
    size(screen, DESKTOP)
    sign_in(screen, 'supplier', 'supplier-demo')
    wait_text(screen, 'Overview')
    screen.open('/admin/imports')
    wait_text(screen, 'Import history')
    screen.selenium.find_element(By.CSS_SELECTOR, 'input[type=file][accept*=".csv"]').send_keys(str(path))
    checking.wait(10)
    wait_text(screen, 'Checking the rows: 20 of 40 rows')
    shot(screen, 'imports-progress-desktop')
    release.set()
    wait_text(screen, 'artikelen.csv: 38 new, 0 changed, 0 unchanged, 2 refused.', timeout=10)
    shot(screen, 'imports-preview-desktop')
    size(screen, PHONE)
    shot(screen, 'imports-preview-phone')
    size(screen, DESKTOP)
    with db.read_session() as s:
        assert s.exec(select(Product).where(Product.code.startswith('IMP-'))).all() == []
    button(screen, 'Apply the valid rows').click()
    wait_text(screen, 'Imported.', timeout=10)
    with db.read_session() as s:
        assert len(s.exec(select(Product).where(Product.code.startswith('IMP-'))).all()) == 38
        records = s.exec(select(ImportRecord).order_by(ImportRecord.id)).all()
    assert [(r.dry_run, r.applied) for r in records] == [(True, False), (False, True)]
    history = screen.selenium.find_element(By.XPATH, '//*[normalize-space()="Import history"]')
    screen.selenium.execute_script('arguments[0].scrollIntoView({block: "start", behavior: "instant"})', history)
    shot(screen, 'imports-history-desktop')
    buttons = screen.selenium.find_elements(By.XPATH, '//button[.//span[normalize-space()="Report"]]')
    buttons[-1].click()  # the oldest run: the preview with its two refused rows
    wait_text(screen, 'Enter the price as a number, for example 12.50.')
    shot(screen, 'imports-report-desktop')
    size(screen, PHONE)
    shot(screen, 'imports-report-phone')
    screen.open('/admin/imports')  # on a phone from the start: the menu folded away
    wait_text(screen, 'Import history')
    shot(screen, 'imports-kinds-phone')
    history = screen.selenium.find_element(By.XPATH, '//*[normalize-space()="Import history"]')
    screen.selenium.execute_script('arguments[0].scrollIntoView({block: "start", behavior: "instant"})', history)
    shot(screen, 'imports-history-phone')
