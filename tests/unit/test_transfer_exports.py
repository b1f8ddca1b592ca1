"""Exports (app/transfer/exports.py): the products export re-imports with nothing changed, stock with free and
reserved, customers and users without password hashes, one row per order line with filters, formula-like cells
escaped, rows read while they are written."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from app.catalogue import categories, translations
from app.core import db
from app.core.errors import AccessDenied, ValidationError
from app.models import OrderStatus, PortalUser, Product
from app.transfer import exports
from app.transfer.exports import OrderFilter
from tests.unit.test_transfer_imports import export_and_import_again

pytestmark = pytest.mark.usefixtures('stock_invariant')


def as_csv(admin, kind: str, **options) -> list[list[str]]:
    target = io.BytesIO()
    with db.read_session() as s:
        exports.write(target, exports.export(s, actor=admin, kind=kind, **options), 'csv')
    return list(csv.reader(io.StringIO(target.getvalue().decode('utf-8-sig'))))


def as_xlsx(admin, kind: str, **options) -> list[tuple]:
    target = io.BytesIO()
    with db.read_session() as s:
        exports.write(target, exports.export(s, actor=admin, kind=kind, **options), 'xlsx')
    return list(load_workbook(io.BytesIO(target.getvalue())).active.iter_rows(values_only=True))


def test_a_products_export_re_imports_with_nothing_changed_as_csv_and_as_xlsx(accounts, shop) -> None:
    shop.product('HAM-1', price=1250)
    shop.product('SAW-2', price=999, active=False)
    with db.write_session() as s:  # texts a spreadsheet would run as formulas, line breaks, a Dutch ß
        saw = s.exec(select(Product).where(Product.code == 'SAW-2')).one()
        saw.name, saw.description, saw.barcode = '=SUM(A1:A9)', '-fijn\nmet ß', '8712345678901'
        translations.set_product_translation(
            s, actor=accounts.admin, product_id=saw.id, language='de', name='Säge', description='fein'
        )
        tools = categories.create_category(s, actor=accounts.admin, name='Tools')
        saws = categories.create_category(s, actor=accounts.admin, name='Saws', parent_id=tools.id)
        offers = categories.create_category(s, actor=accounts.admin, name='Offers')
        categories.set_product_categories(s, actor=accounts.admin, product_id=saw.id, category_ids=[offers.id, saws.id])
    rows = as_csv(accounts.admin, 'products')
    assert rows[0] == [
        'code', 'name', 'description', 'barcode', 'unit', 'price', 'active', 'vat_class', 'min_quantity',
        'order_multiple', 'backorders', 'images', 'category', 'name_nl', 'description_nl', 'name_de', 'description_de',
    ]  # fmt: skip
    assert rows[1:] == [
        ['HAM-1', 'Product HAM-1', '', '', 'piece', '12.50', 'yes', 'standard', '1', '1', 'portal', *[''] * 6],
        [
            'SAW-2',
            "'=SUM(A1:A9)",
            "'-fijn\nmet ß",
            '8712345678901',
            'piece',
            '9.99',
            'no',
            'standard',
            '1',
            '1',
            'portal',
            '',
            'Tools > Saws | Offers',
            '',
            '',
            'Säge',
            'fein',
        ],
    ]
    for fmt, (_, report) in export_and_import_again(accounts.admin, 'products').items():
        assert (len(report.unchanged), len(report.changed), len(report.new), report.refused) == (2, 0, 0, []), fmt
    sheet = as_xlsx(accounts.admin, 'products')
    assert sheet[2][1] == "'=SUM(A1:A9)"  # text in the cell, not a formula


def test_stock_export_has_on_hand_reserved_and_free(accounts, shop) -> None:
    hammer = shop.product('HAM', on_hand=5)
    shop.place(accounts.alice, {hammer: 3})
    assert as_csv(accounts.admin, 'stock') == [
        ['code', 'name', 'unit', 'on_hand', 'reserved', 'free'],
        ['HAM', 'Product HAM', 'piece', '5', '3', '2'],
    ]


def test_customers_and_users_exports_never_have_a_password_hash(accounts) -> None:
    customers = as_csv(accounts.admin, 'customers')
    assert customers[1:] == [
        ['ALPHA', 'Alpha BV', 'en', 'Alpha Receiving', 'Main Street 1', '1000 AA', 'Amsterdam', '', 'all', ''],
        ['BETA', 'Beta Ltd', 'en', 'Beta Goods In', 'High Road 9', 'SW1 1AA', 'London', '', 'all', ''],
    ]
    users = as_csv(accounts.admin, 'users')
    assert [row[:7] for row in users] == [
        ['username', 'full_name', 'email', 'language', 'role', 'customer', 'active'],
        ['alice', '', '', '', 'customer', 'ALPHA', 'yes'],
        ['bob', '', '', '', 'customer', 'BETA', 'yes'],
        ['admin', '', '', '', 'admin', '', 'yes'],
    ]
    with db.read_session() as s:
        hashes = [user.password_hash for user in s.exec(select(PortalUser))]
    text = '\n'.join(','.join(row) for row in users + customers)
    assert not any(h in text for h in hashes) and '$2b$' not in text


def test_an_orders_export_has_one_row_per_order_line_filtered_by_day_status_and_customer(accounts, shop) -> None:
    hammer, saw = shop.product('HAM', on_hand=10, price=250), shop.product('SAW', price=1000)
    first = shop.place(accounts.alice, {hammer: 2, saw: 1})
    second = shop.place(accounts.bob, {hammer: 4})
    rows = as_csv(accounts.admin, 'orders')
    assert rows[0][:3] == ['order', 'placed_at', 'status']
    assert [(r[0], r[3], r[6], r[8], r[10], r[11], r[13], r[14]) for r in rows[1:]] == [
        (first.number, 'ALPHA', 'HAM', '2', '2', '0', '2.50', '5.00'),
        (first.number, 'ALPHA', 'SAW', '1', '0', '1', '10.00', '10.00'),
        (second.number, 'BETA', 'HAM', '4', '4', '0', '2.50', '10.00'),
    ]
    assert [r[0] for r in as_csv(accounts.admin, 'orders', orders=OrderFilter(customer_code='beta'))[1:]] == [
        second.number
    ]
    today = first.created_at.date()
    assert len(as_csv(accounts.admin, 'orders', orders=OrderFilter(since=today, until=today))) == 4
    assert len(as_csv(accounts.admin, 'orders', orders=OrderFilter(until=date(2000, 1, 1)))) == 1
    cancelled = OrderFilter(status=OrderStatus.CANCELLED)
    assert len(as_csv(accounts.admin, 'orders', orders=cancelled)) == 1
    sheet = as_xlsx(accounts.admin, 'orders')
    assert len(sheet) == 4 and sheet[1][0] == first.number and sheet[1][8] == 2


def test_rows_are_read_in_pages_while_they_are_written(accounts, shop, monkeypatch) -> None:
    monkeypatch.setattr(exports, 'PAGE', 2)
    for n in range(5):
        shop.product(f'P-{n}')
    with db.read_session() as s:
        made = exports.export(s, actor=accounts.admin, kind='stock')
        assert next(made.rows)[0] == 'P-0'  # a generator: the first row before the rest are read
        assert [row[0] for row in made.rows] == ['P-1', 'P-2', 'P-3', 'P-4']


def test_only_a_supplier_admin_exports_and_a_bad_filter_is_refused(accounts) -> None:
    with pytest.raises(AccessDenied), db.read_session() as s:
        exports.export(s, actor=accounts.alice, kind='orders')
    with pytest.raises(ValidationError, match='year-month-day'):
        exports.order_filter(since='1-12-2026')
    with pytest.raises(ValidationError, match='The status is one of'):
        exports.order_filter(status='lost')
    assert exports.order_filter(since='2026-12-01', status='Processing', customer='a') == OrderFilter(
        since=date(2026, 12, 1), status=OrderStatus.PROCESSING, customer_code='a'
    )
