"""Prices in imports and exports (app/transfer): a product's VAT class, minimum, pack size and backorders in the
products import and export, set through rules.set_product_terms, the product page's own service."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from app.core import db
from app.models import Product, VatClass
from tests.conftest import TEST_DATABASE_URL
from tests.unit.test_transfer_command import stockfront
from tests.unit.test_transfer_imports import export_and_import_again, import_file

pytestmark = pytest.mark.usefixtures('stock_invariant')


def dutch_excel_file(tmp_path: Path, name: str, lines: list[str]) -> Path:
    """A CSV written to disk as Dutch Excel saves it: semicolons, Windows-1252, CR LF, decimal commas."""
    path = tmp_path / name
    path.write_bytes(('\r\n'.join(lines) + '\r\n').encode('cp1252'))
    return path


def terms_of(code: str) -> tuple:
    with db.read_session() as s:
        p = s.exec(select(Product).where(Product.code == code)).one()
        return p.vat_class, p.min_quantity, p.order_multiple, p.backorders


def coffee_and_sugar(shop, *, backorders: bool | None = None) -> None:
    """KOF-1 at the reduced VAT rate, sold per 6, at least 12; SUI-2 as a new product is."""
    coffee = shop.product('KOF-1', price=1250)
    shop.product('SUI-2', price=195)
    shop.product_terms(coffee, vat_class='reduced', min_quantity=12, order_multiple=6, backorders=backorders)


def test_products_import_sets_vat_class_minimum_pack_size_and_backorders_from_a_dutch_excel_file(
    accounts, tmp_path
) -> None:
    path = dutch_excel_file(
        tmp_path,
        'artikelen.csv',
        [
            'Artikelnummer;Naam;Prijs;BTW;Minimale afname;Verpakkingseenheid;Nabestellen',
            'KOF-1;Koffie één;12,50;laag;12;6;nee',
            'SUI-2;Suiker;1,95;hoog;;;portaal',
            'TEE-3;Thee;3,00;nul;1;4;ja',
            'ZOUT-4;Zout;0,99;verlaagd;7;6;',  # row 5: the minimum is no multiple of the pack size
            'PEP-5;Peper;2,10;luxe;;;',  # row 6: no such VAT class
            'MEEL-6;Meel;2,10;;;;misschien',  # row 7: no backorders word
        ],
    )
    preview = import_file(actor=accounts.admin, kind='products', content=path.read_bytes(), filename=path.name)
    assert [(r.row, r.column) for r in preview.refused] == [
        (5, 'Minimale afname'),
        (6, 'BTW'),
        (7, 'Nabestellen'),
    ]
    assert preview.refused[0].reason == 'The minimum must be a multiple of the pack size (6): 6 or 12?'
    assert preview.refused[1].reason == 'Choose one of the offered VAT classes.'
    assert preview.refused[2].reason == "Write yes, no or portal (the portal's setting), not misschien."

    fixed = path.read_text('cp1252').replace('7;6;', '12;6;').replace('luxe', 'standaard').replace('misschien', 'ja')
    path.write_bytes(fixed.encode('cp1252'))
    report = import_file(
        actor=accounts.admin, kind='products', content=path.read_bytes(), filename=path.name, apply=True
    )
    assert report.applied and not report.refused and len(report.new) == 6
    assert terms_of('KOF-1') == (VatClass.REDUCED, 12, 6, False)
    assert terms_of('SUI-2') == (VatClass.STANDARD, 1, 1, None)
    assert terms_of('TEE-3') == (VatClass.ZERO, 4, 4, True)  # a minimum below one pack became one pack
    assert terms_of('ZOUT-4') == (VatClass.REDUCED, 12, 6, None)

    changed = dutch_excel_file(tmp_path, 'wijziging.csv', ['Artikelnummer;Verpakkingseenheid', 'KOF-1;4'])
    again = import_file(actor=accounts.admin, kind='products', content=changed.read_bytes(), filename='w.csv')
    assert [(c.key, c.fields) for c in again.changed] == [('KOF-1', ('order_multiple',))]


def test_a_products_export_with_ordering_rules_re_imports_with_nothing_changed(shop) -> None:
    coffee_and_sugar(shop, backorders=False)
    again = export_and_import_again(shop.admin, 'products')
    for fmt, (_, report) in again.items():
        assert (len(report.unchanged), len(report.changed), report.refused) == (2, 0, []), fmt
    assert terms_of('KOF-1') == (VatClass.REDUCED, 12, 6, False)
    assert b'reduced,12,6,no' in again['csv'][0]


# --- price lists --------------------------------------------------------------------------------------------------

PRICE_HEADER = 'Prijslijst;Artikelnummer;Vanaf;Prijs;Korting'


def price_list_entries() -> dict[str, tuple]:
    """Each list's discount and its (code, from quantity, cents) entries."""
    from app.models import PriceList, PriceListItem

    with db.read_session() as s:
        found = {}
        for price_list in s.exec(select(PriceList)):
            items = s.exec(
                select(Product.code, PriceListItem.min_quantity, PriceListItem.price_cents)
                .join(Product, Product.id == PriceListItem.product_id)
                .where(PriceListItem.price_list_id == price_list.id)
                .order_by(Product.code, PriceListItem.min_quantity)
            ).all()
            found[price_list.name] = (price_list.discount_bp, tuple(tuple(item) for item in items))
        return found


def test_a_dutch_excel_price_list_file_names_its_bad_rows_and_changes_nothing_until_fixed(
    accounts, shop, tmp_path
) -> None:
    coffee_and_sugar(shop)
    shop.product('ZOUT-3', price=99)
    path = dutch_excel_file(
        tmp_path,
        'prijzen.csv',
        [
            PRICE_HEADER,
            'Horeca;KOF-1;12;11,50;7,5',
            'Horeca;KOF-1;24;10,95;',
            'Horeca;SUI-2;;1,80;',  # no quantity: the product's minimum, its fixed price
            'Groothandel;KOF-1;6;9,00;10',  # row 5: below coffee's minimum of 12
            'Groothandel;SUI-2;10;1,50;',
            'Groothandel;SUI-2;10;1,40;',  # row 7: a second price from 10 (overlapping tiers)
            'Groothandel;THEE-9;1;2,00;',  # row 8: no such product
            'Groothandel;ZOUT-3;1;gratis;',  # row 9: not a price
            'Webshop;;;;5',  # a list and its discount, no prices
        ],
    )
    preview = import_file(actor=accounts.admin, kind='price_lists', content=path.read_bytes(), filename=path.name)
    refused = {r.row: (r.column, r.reason) for r in preview.refused}
    assert refused[5] == ('Vanaf', 'A price from 6 is below the minimum order of 12 for this product.')
    assert refused[7] == ('Vanaf', 'Two prices from 10: each quantity can have one price.')
    assert refused[6][0] == 'Artikelnummer' and 'row 7' in refused[6][1]  # a product's rows in a list go together
    assert refused[8] == ('Artikelnummer', 'No product has the code THEE-9.')
    assert refused[9] == ('Prijs', 'Enter the price as a number, for example 12.50.')
    assert sorted(refused) == [5, 6, 7, 8, 9]
    assert [c.row for c in preview.new] == [2, 3, 4, 10] and not preview.applied
    assert price_list_entries() == {}  # the preview changed nothing

    refused_run = import_file(
        actor=accounts.admin, kind='price_lists', content=path.read_bytes(), filename=path.name, apply=True
    )
    assert not refused_run.applied and price_list_entries() == {}  # all or nothing

    lines = path.read_text('cp1252').splitlines()
    lines[4] = 'Groothandel;KOF-1;12;9,00;10'
    lines[6] = 'Groothandel;SUI-2;50;1,40;'
    lines[7] = 'Groothandel;SUI-2;1;1,60;'
    lines[8] = 'Groothandel;ZOUT-3;1;0,85;'
    path.write_bytes(('\r\n'.join(lines) + '\r\n').encode('cp1252'))
    report = import_file(
        actor=accounts.admin, kind='price_lists', content=path.read_bytes(), filename=path.name, apply=True
    )
    assert report.applied and not report.refused and len(report.new) == 9
    assert price_list_entries() == {
        'Horeca': (750, (('KOF-1', 12, 1150), ('KOF-1', 24, 1095), ('SUI-2', 1, 180))),
        'Groothandel': (1000, (('KOF-1', 12, 900), ('SUI-2', 1, 160), ('SUI-2', 10, 150), ('SUI-2', 50, 140),
                               ('ZOUT-3', 1, 85))),
        'Webshop': (500, ()),
    }  # fmt: skip

    again = import_file(
        actor=accounts.admin, kind='price_lists', content=path.read_bytes(), filename=path.name, apply=True
    )
    assert (len(again.unchanged), len(again.changed), len(again.new)) == (9, 0, 0)


def test_a_price_list_export_re_imports_with_nothing_changed_and_a_change_is_named(accounts, shop, tmp_path) -> None:
    coffee_and_sugar(shop)
    path = dutch_excel_file(
        tmp_path,
        'prijzen.csv',
        [PRICE_HEADER, 'Horeca;KOF-1;12;11,50;12,5', 'Horeca;KOF-1;24;10,95;', 'Leeg;;;;0'],
    )
    import_file(actor=accounts.admin, kind='price_lists', content=path.read_bytes(), filename=path.name, apply=True)
    again = export_and_import_again(accounts.admin, 'price_lists')
    for fmt, (_, report) in again.items():
        assert (len(report.unchanged), len(report.changed), len(report.new), report.refused) == (3, 0, 0, []), fmt
    assert again['csv'][0].decode('utf-8-sig').splitlines() == [
        'price_list,code,from_quantity,price,discount',
        'Horeca,KOF-1,12,11.50,12.5',
        'Horeca,KOF-1,24,10.95,12.5',
        'Leeg,,,,0',
    ]

    changed = dutch_excel_file(tmp_path, 'nieuw.csv', [PRICE_HEADER, 'Horeca;KOF-1;12;11,00;15'])
    report = import_file(actor=accounts.admin, kind='price_lists', content=changed.read_bytes(), filename='n.csv')
    assert [(c.row, c.key, c.fields) for c in report.changed] == [
        (2, 'Horeca / KOF-1', ('discount', 'from_quantity', 'price'))
    ]


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason='the command runs on the data folder')
def test_the_command_imports_and_exports_price_lists(accounts, shop, tmp_path) -> None:
    coffee_and_sugar(shop)
    path = dutch_excel_file(tmp_path, 'prijzen.csv', [PRICE_HEADER, 'Horeca;KOF-1;12;11,50;5', 'Horeca;KOF-1;13;1;'])
    dry = stockfront('import', 'price_lists', str(path), '--dry-run')
    assert dry.returncode == 1, dry.stderr
    assert '  refused  row 3, column Vanaf: This product is sold per 6: a price from 12 or 18?' in dry.stdout
    assert price_list_entries() == {}
    path.write_bytes(path.read_bytes().replace(b';13;1;', b';18;11,00;'))
    done = stockfront('import', 'price_lists', str(path))
    assert done.returncode == 0 and 'prijzen.csv: 2 new, 0 changed, 0 unchanged, 0 refused.' in done.stdout
    exported = tmp_path / 'lists.xlsx'
    assert stockfront('export', 'price_lists', '-o', str(exported)).returncode == 0
    again = stockfront('import', 'price_lists', str(exported))
    assert 'lists.xlsx: 0 new, 0 changed, 2 unchanged, 0 refused.' in again.stdout
