"""A customer in real Chromium: searches "hamer" and gets the hammers as close matches, opens the hammer and downloads
its data sheet (the file that arrives and the response's headers checked); screenshots of the close matches and of
product pages with documents, accessories and in-stock alternatives, on a desktop and a phone."""

from __future__ import annotations

import time
from pathlib import Path

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sqlmodel import select

from app.catalogue import documents
from app.core import db
from app.identity.access import SYSTEM
from app.models import ProductDocument
from tests.browser.conftest import DESKTOP, PHONE, shot, sign_in, size, wait_text
from tests.rows import product


def test_find_hamer_and_download_the_hammers_data_sheet(screen: Screen, tmp_path: Path) -> None:
    size(screen, DESKTOP)
    sign_in(screen, 'customer', 'customer-demo')
    wait_text(screen, 'Demo Retail', timeout=10)
    screen.open('/products')
    wait_text(screen, 'Sort by')
    search = screen.selenium.find_element(By.CSS_SELECTOR, 'input[placeholder^="Search by name"]')
    search.send_keys('hamer', Keys.ENTER)
    wait_text(screen, "No exact match for 'hamer'. Showing close matches: hammer")
    wait_text(screen, 'Claw hammer 500 g, fibreglass handle')

    screen.selenium.find_element(By.LINK_TEXT, 'Claw hammer 500 g, fibreglass handle').click()
    wait_text(screen, 'Documents')
    folder = tmp_path / 'downloads'
    folder.mkdir()
    screen.selenium.execute_cdp_cmd('Browser.setDownloadBehavior', {'behavior': 'allow', 'downloadPath': str(folder)})
    screen.selenium.find_element(By.PARTIAL_LINK_TEXT, 'Data sheet HT-1001 claw hammer').click()
    arrived = folder / 'Data sheet HT-1001 claw hammer.pdf'
    for _ in range(100):
        if arrived.exists():
            break
        time.sleep(0.1)
    with db.read_session() as s:
        sheet = s.exec(select(ProductDocument.id).where(ProductDocument.product_id == product('HT-1001').id)).one()
        stored, _title = documents.document_file(s, actor=SYSTEM, document_id=sheet)
    assert arrived.read_bytes() == stored.read_bytes()
    assert arrived.read_bytes().startswith(b'%PDF-')

    headers = screen.selenium.execute_async_script(
        'const done = arguments[arguments.length - 1];'
        'fetch(arguments[0]).then(r => done([r.status, r.headers.get("content-type"),'
        ' r.headers.get("content-disposition"), r.headers.get("x-content-type-options")]));',
        f'/media/documents/{sheet}',
    )
    assert headers == [
        200,
        'application/pdf',
        'attachment; filename="Data sheet HT-1001 claw hammer.pdf"; '
        "filename*=UTF-8''Data%20sheet%20HT-1001%20claw%20hammer.pdf",
        'nosniff',
    ]


def test_screenshots_of_close_matches_documents_and_alternatives(screen: Screen) -> None:
    sign_in(screen, 'customer', 'customer-demo')
    wait_text(screen, 'Demo Retail', timeout=10)
    for name, which in [('desktop', DESKTOP), ('phone', PHONE)]:
        size(screen, which)
        screen.open('/products?q=hamer')
        wait_text(screen, "No exact match for 'hamer'")
        shot(screen, f'catalogue-find-close-matches-{name}')
        screen.open(f'/products/{product("HT-1001").id}')
        wait_text(screen, 'Data sheet HT-1001 claw hammer')
        wait_text(screen, 'Accessories')
        shot(screen, f'catalogue-find-product-documents-{name}')
        screen.selenium.execute_script('window.scrollTo(0, document.body.scrollHeight)')
        shot(screen, f'catalogue-find-product-documents-{name}-end')
        screen.open(f'/products/{product("FA-1003").id}')
        wait_text(screen, 'In stock instead:')
        shot(screen, f'catalogue-find-out-of-stock-{name}')
        screen.selenium.execute_script('window.scrollTo(0, document.body.scrollHeight)')
        shot(screen, f'catalogue-find-out-of-stock-{name}-end')
