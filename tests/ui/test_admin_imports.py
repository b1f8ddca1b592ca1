"""The supplier's import and export page (pages/admin/imports.py): upload, preview, apply, download."""

from __future__ import annotations

import csv
import io

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User
from openpyxl import load_workbook
from sqlmodel import select

from app.core import db, i18n
from app.core.i18n import _
from app.identity import accounts
from app.models import ImportRecord, OrderLine, PortalUser, Product
from tests.conftest import identity
from tests.import_files import ten_thousand
from tests.ui.conftest import signed_in

PATH = '/admin/imports'


def products_named(prefix: str) -> list[tuple[str, int]]:
    with db.read_session() as s:
        rows = s.exec(select(Product).where(Product.code.startswith(prefix)).order_by(Product.code)).all()
        return [(p.code, p.price_cents) for p in rows]


async def upload(user: User, name: str, content: bytes) -> None:
    element = user.find(marker='import-upload').elements.pop()
    await element.handle_uploads([SmallFileUpload(name, 'text/csv', content)])  # as NiceGUI's upload route does


def table_rows(user: User, marker: str) -> list[dict]:
    (table,) = user.find(marker=marker).elements
    assert isinstance(table, ui.table)
    return table.rows


async def test_an_upload_is_previewed_and_changes_nothing_until_the_valid_rows_are_applied(user: User) -> None:
    await signed_in(user, 'supplier', at=PATH)
    await user.should_see(marker='menu-Import and export')
    content = 'Artikelnummer;Naam;Prijs\r\nIMP-1;Kruiwagen groß;12,50\r\nIMP-2;Schep;twaalf\r\nIMP-3;Hark;3\r\n'
    await upload(user, 'artikelen.csv', content.encode('cp1252'))
    await user.should_see('artikelen.csv: 2 new, 0 changed, 0 unchanged, 1 refused.')
    assert table_rows(user, 'import-refused') == [
        {'row': 3, 'column': 'Prijs', 'reason': 'Enter the price as a number, for example 12.50.'}
    ]
    assert products_named('IMP-') == []
    user.find(marker='import-apply-valid').click()
    await user.should_see(marker='import-done')
    assert products_named('IMP-') == [('IMP-1', 1250), ('IMP-3', 300)]


async def test_a_supplier_reading_german_gets_the_refused_rows_reasons_in_german(user: User) -> None:
    """The check runs in a worker thread, which does not inherit the page's language."""
    with i18n.speaking('de'):
        reason, heading = _('Enter the price as a number, for example 12.50.'), _('Import history')
    assert reason != 'Enter the price as a number, for example 12.50.'
    with db.write_session() as s:
        accounts.set_language(s, actor=identity('supplier'), language='de')
    await signed_in(user, 'supplier', at=PATH)
    await user.should_see(heading)
    await upload(user, 'artikel.csv', b'Artikelnummer;Name;Preis\nIMP-2;Schaufel;zwanzig\n')
    await user.should_see(marker='import-refused')
    assert table_rows(user, 'import-refused') == [{'row': 2, 'column': 'Preis', 'reason': reason}]


async def test_a_clean_file_applies_with_apply_and_a_broken_one_is_refused(user: User) -> None:
    await signed_in(user, 'supplier', at=PATH)
    await upload(user, 'garbage.csv', bytes(range(256)) * 4)
    await user.should_see('This is not a CSV or Excel file.')
    await upload(user, 'ok.csv', b'code,name,price\nIMP-9,Bucket,"4,00"\n')
    await user.should_see('ok.csv: 1 new, 0 changed, 0 unchanged, 0 refused.')
    user.find(marker='import-apply').click()
    await user.should_see(marker='import-done')
    assert products_named('IMP-') == [('IMP-9', 400)]


async def test_a_price_list_file_is_imported_when_price_lists_is_chosen(user: User) -> None:
    from app.models import PriceList, PriceListItem

    await signed_in(user, 'supplier', at=PATH)
    user.find(marker='import-kind').elements.pop().value = 'price_lists'
    await user.should_see('Columns: price_list, code, from_quantity, price', retries=5)
    content = 'Prijslijst;Artikelnummer;Vanaf;Prijs;Korting\r\nImporttest;FA-1001;;20,00;5\r\nImporttest;GEEN;1;1;\r\n'
    await upload(user, 'prijzen.csv', content.encode('cp1252'))
    await user.should_see('prijzen.csv: 1 new, 0 changed, 0 unchanged, 1 refused.')
    assert table_rows(user, 'import-refused') == [
        {'row': 3, 'column': 'Artikelnummer', 'reason': 'No product has the code GEEN.'}
    ]
    user.find(marker='import-apply-valid').click()
    await user.should_see(marker='import-done')
    with db.read_session() as s:
        price_list = s.exec(select(PriceList).where(PriceList.name == 'Importtest')).one()
        cents = s.exec(select(PriceListItem.price_cents).where(PriceListItem.price_list_id == price_list.id)).all()
    assert (price_list.discount_bp, cents) == (500, [2000])


async def test_an_export_downloads_the_file(user: User) -> None:
    await signed_in(user, 'supplier', at=PATH)
    user.find(marker='export-products-csv').click()
    response = await user.download.next(timeout=10)
    text = response.content.decode('utf-8-sig')
    assert text.startswith(
        'code,name,description,barcode,unit,price,active,vat_class,min_quantity,order_multiple,backorders,images,'
    )
    with db.read_session() as s:
        codes = sorted(s.exec(select(Product.code)).all())
    assert sorted(row[0] for row in list(csv.reader(io.StringIO(text)))[1:]) == codes


async def test_the_orders_export_takes_its_filters_and_names_a_bad_day(user: User) -> None:
    await signed_in(user, 'supplier', at=PATH)
    user.find(marker='since').type('gisteren')
    user.find(marker='export-orders-csv').click()
    await user.should_see('Write the day as year-month-day, for example 2026-12-01.')
    user.find(marker='since').clear()
    user.find(marker='customer').type('no-such-customer')
    user.find(marker='export-orders-xlsx').click()
    response = await user.download.next(timeout=10)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:4] == ['order', 'placed_at', 'status', 'customer']
    assert sheet.max_row == 1  # no customer has that code: the header only


async def test_done_when_from_the_admin_area_ten_thousand_rows_previewed_fixed_applied_and_in_the_history(
    user: User,
) -> None:
    from app.catalogue import catalogue
    from tests.conftest import identity_of

    await signed_in(user, 'supplier', at=PATH)
    await upload(user, 'artikelen.csv', ten_thousand(bad=True))
    await user.should_see('artikelen.csv: 9,997 new, 0 changed, 0 unchanged, 3 refused.', retries=50)
    assert [(r['row'], r['column']) for r in table_rows(user, 'import-refused')] == [
        (101, 'Prijs'),
        (5001, 'Naam'),
        (10000, 'EAN'),
    ]
    assert products_named('BK-') == []
    await upload(user, 'artikelen.csv', ten_thousand(bad=False))
    await user.should_see('artikelen.csv: 10,000 new, 0 changed, 0 unchanged, 0 refused.', retries=50)
    user.find(marker='import-apply').click()
    await user.should_see(marker='import-done', retries=100)
    assert len(products_named('BK-')) == 10_000
    with db.read_session() as s:
        customer = s.exec(select(PortalUser).where(PortalUser.username == 'customer')).one()
        found = catalogue.search_products(s, actor=identity_of(customer.id), query='kruiwagen 9876')
        assert found.items[0].code == 'BK-09876'
    history = user.find(marker='import-history').elements.pop()
    assert history.visible
    user.find(marker='record-' + str(latest_record_id(dry_run=True))).click()
    await user.should_see(marker='record-refused')
    assert [r['row'] for r in table_rows(user, 'record-refused')] == [101, 5001, 10000]

    user.find(marker='export-products-csv').click()
    exported = (await user.download.next(timeout=30)).content
    await upload(user, 'export.csv', exported)
    await user.should_see('0 changed', retries=50)
    user.find(marker='export-orders-xlsx').click()
    sheet = load_workbook(io.BytesIO((await user.download.next(timeout=30)).content)).active
    with db.read_session() as s:
        lines = s.exec(select(OrderLine)).all()
    assert sheet.max_row == len(lines) + 1  # one row per order line of the demo's orders


def latest_record_id(*, dry_run: bool) -> int:
    with db.read_session() as s:
        return s.exec(select(ImportRecord.id).where(ImportRecord.dry_run == dry_run, ImportRecord.refused == 3)).first()


async def test_the_progress_bar_shows_while_an_import_runs(user: User, monkeypatch) -> None:
    from pages.admin import imports as page

    seen: list[tuple[bool, str]] = []
    real = page.imports.import_file

    def slow(who, **options):
        options['progress']('Checking the rows', 5, 10)
        seen.append((options['progress'].running, options['progress'].what))
        return real(who, **options)

    monkeypatch.setattr(page.imports, 'import_file', slow)
    await signed_in(user, 'supplier', at=PATH)
    await upload(user, 'ok.csv', b'code,name,price\nIMP-7,Bucket,4\n')
    await user.should_see('ok.csv: 1 new', retries=20)
    assert seen == [(True, 'Checking the rows')]  # the page's bar reads it (seen drawn: tests/browser)
