"""The supplier's import and export page (pages/admin/imports.py): upload, preview, apply, download."""

from __future__ import annotations

import csv
import io

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User
from openpyxl import load_workbook
from sqlmodel import select

from app.core import db
from app.models import Product
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
    await signed_in(user, 'supplier', 'supplier-demo')
    await user.open(PATH)
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


async def test_a_clean_file_applies_with_apply_and_a_broken_one_is_refused(user: User) -> None:
    await signed_in(user, 'supplier', 'supplier-demo')
    await user.open(PATH)
    await upload(user, 'garbage.csv', bytes(range(256)) * 4)
    await user.should_see('This is not a CSV or Excel file.')
    await upload(user, 'ok.csv', b'code,name,price\nIMP-9,Bucket,"4,00"\n')
    await user.should_see('ok.csv: 1 new, 0 changed, 0 unchanged, 0 refused.')
    user.find(marker='import-apply').click()
    await user.should_see(marker='import-done')
    assert products_named('IMP-') == [('IMP-9', 400)]


async def test_a_price_list_file_is_imported_when_price_lists_is_chosen(user: User) -> None:
    from app.models import PriceList, PriceListItem

    await signed_in(user, 'supplier', 'supplier-demo')
    await user.open(PATH)
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
    await signed_in(user, 'supplier', 'supplier-demo')
    await user.open(PATH)
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
    await signed_in(user, 'supplier', 'supplier-demo')
    await user.open(PATH)
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
