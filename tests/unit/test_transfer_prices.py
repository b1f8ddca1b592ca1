"""Prices in imports and exports (app/transfer): a product's VAT class, minimum, pack size and backorders in the
products import and export, set through rules.set_product_terms, the product page's own service."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlmodel import select

from app.core import db
from app.models import Product, VatClass
from app.transfer import exports
from tests.unit.test_transfer_imports import import_file

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


def test_a_products_export_with_ordering_rules_re_imports_with_nothing_changed(accounts, shop, tmp_path) -> None:
    from app.pricing import rules

    coffee = shop.product('KOF-1', price=1250)
    shop.product('SUI-2', price=195)
    with db.write_session() as s:
        rules.set_product_terms(
            s, actor=accounts.admin, product_id=coffee, vat_class='reduced', min_quantity=12, order_multiple=6,
            backorders=False,
        )  # fmt: skip
    for fmt in ('csv', 'xlsx'):
        path = tmp_path / f'products.{fmt}'
        with db.read_session() as s, path.open('wb') as target:
            exports.write(target, exports.export(s, actor=accounts.admin, kind='products'), fmt)
        report = import_file(
            actor=accounts.admin, kind='products', content=path.read_bytes(), filename=path.name, apply=True
        )
        assert (len(report.unchanged), len(report.changed), report.refused) == (2, 0, []), fmt
    assert terms_of('KOF-1') == (VatClass.REDUCED, 12, 6, False)
    assert b'reduced,12,6,no' in io.BytesIO((tmp_path / 'products.csv').read_bytes()).getvalue()
