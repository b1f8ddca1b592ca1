"""Imports of products, stock and customers (app/transfer/imports.py): the preview names what a file would do and
changes nothing, applying is all or nothing (or explicitly the valid rows), every row through the admin's services."""

from __future__ import annotations

import io

import pytest
from sqlmodel import select

from app.catalogue import catalogue
from app.core import db, events
from app.core.errors import AccessDenied
from app.identity import accounts as accounts_service
from app.models import Address, Customer, Product, StockMovement
from app.transfer import bulk, exports, imports
from app.transfer import imports as transfer_imports
from app.transfer.imports import Kind, Report
from app.transfer.tables import FileRefused
from tests.import_files import dutch_excel, good_rows
from tests.rows import count

pytestmark = pytest.mark.usefixtures('stock_invariant')


def import_file(*, actor, **options) -> Report:
    """An import as the command and the admin page run it."""
    return imports.import_file(actor, **options)


def export_and_import_again(actor, kind: str) -> dict[str, tuple[bytes, Report]]:
    """`kind` exported as CSV and as Excel, each file imported and applied again at once (as a supplier brings an
    export back): per format the exported file and the report of its import."""
    again = {}
    for fmt in ('csv', 'xlsx'):
        target = io.BytesIO()
        with db.read_session() as s:
            exports.write(target, exports.export(s, actor=actor, kind=kind), fmt)
        content = target.getvalue()
        again[fmt] = content, import_file(actor=actor, kind=kind, content=content, filename=f'{kind}.{fmt}', apply=True)
    return again


def test_a_dutch_excel_file_with_three_bad_rows_is_previewed_row_by_row_and_nothing_changes(accounts) -> None:
    rows = good_rows(30)
    rows[4] = 'KW-005;Kruiwagen 5;;;stuk;twaalf;ja'  # row 6: no price
    rows[11] = 'KW-012;;;;stuk;3,00;ja'  # row 13: no name
    rows[20] = 'KW-021;Kruiwagen 21;;ABC;stuk;3,00;ja'  # row 22: a barcode with letters
    content = dutch_excel(rows)

    preview = import_file(actor=accounts.admin, kind=Kind.PRODUCTS, content=content, filename='artikelen.csv')
    assert [(r.row, r.column) for r in preview.refused] == [(6, 'Prijs'), (13, 'Naam'), (22, 'EAN')]
    assert preview.refused[0].reason == 'Enter the price as a number, for example 12.50.'
    assert preview.refused[1].reason == 'The name is required.'
    assert len(preview.new) == 27 and not preview.changed and not preview.applied
    assert count(Product) == 0

    refused = import_file(actor=accounts.admin, kind='products', content=content, filename='x.csv', apply=True)
    assert not refused.applied and len(refused.refused) == 3
    assert count(Product) == 0  # one bad row: nothing at all

    fixed = dutch_excel(good_rows(30))
    done = import_file(actor=accounts.admin, kind='products', content=fixed, filename='x.csv', apply=True)
    assert done.applied and len(done.new) == 30 and not done.refused
    assert count(Product) == 30
    with db.read_session() as s:
        hammer = s.exec(select(Product).where(Product.code == 'KW-021')).one()
        assert (hammer.name, hammer.price_cents, hammer.unit, hammer.active) == (
            'Kruiwagen 21 groß',
            2150,
            'stuk',
            True,
        )
        assert hammer.description == 'Stevig, met één wiel'
        found = catalogue.search_products(s, actor=accounts.admin, query='kruiwagen 21 groß')
        assert [card.code for card in found.items] == ['KW-021']  # searchable at once
        assert catalogue.search_products(s, actor=accounts.alice, query='kruiwagen').total == 30

    again = import_file(actor=accounts.admin, kind='products', content=fixed, filename='x.csv', apply=True)
    assert len(again.unchanged) == 30 and not again.new and not again.changed


def test_a_changed_row_names_the_fields_it_changes_and_columns_left_out_are_kept(accounts, shop) -> None:
    shop.product('HAM-1', price=1000)
    content = b'code,price,active\nham-1,"12,50",no\n'
    report = import_file(actor=accounts.admin, kind='products', content=content, filename='x.csv', apply=True)
    assert [(c.row, c.key, c.fields) for c in report.changed] == [(2, 'HAM-1', ('price', 'active'))]
    with db.read_session() as s:
        product = s.exec(select(Product).where(Product.code == 'HAM-1')).one()
        assert (product.name, product.price_cents, product.active) == ('Product HAM-1', 1250, False)


def test_apply_the_valid_rows_commits_them_and_lists_the_refused_ones(accounts) -> None:
    content = dutch_excel(['A-1;Apple;;;stuk;1,00;ja', 'B-2;Pear;;;stuk;-3;ja', 'C-3;Plum;;;stuk;2,00;nee'])
    report = import_file(
        actor=accounts.admin, kind='products', content=content, filename='x.csv', apply=True, valid_only=True
    )
    assert report.applied and [c.key for c in report.new] == ['A-1', 'C-3']
    assert [(r.row, r.column, r.reason) for r in report.refused] == [(3, 'Prijs', 'The price cannot be negative.')]
    assert count(Product) == 2


def test_duplicate_codes_in_one_file_are_refused_with_both_row_numbers(accounts) -> None:
    content = dutch_excel(['A-1;Apple;;;stuk;1,00;ja', 'B-2;Pear;;;stuk;1,00;ja', 'a-1;Apple again;;;stuk;1,00;ja'])
    report = import_file(actor=accounts.admin, kind='products', content=content, filename='x.csv')
    assert [(r.row, r.column, r.reason) for r in report.refused] == [
        (2, 'Artikelnummer', 'The code A-1 is in rows 2 and 4.'),
        (4, 'Artikelnummer', 'The code A-1 is in rows 2 and 4.'),
    ]


def test_an_import_that_dies_after_its_first_chunk_is_written_leaves_nothing_behind(accounts, monkeypatch) -> None:
    monkeypatch.setattr(bulk, 'CHUNK', 10)

    def dying(what: str, done: int, total: int) -> None:
        if what == 'Writing' and done == 10:  # ten products are in the database, in the import's transaction
            raise RuntimeError('the process dies here')

    with pytest.raises(RuntimeError):
        transfer_imports.import_file(
            accounts.admin,
            kind='products',
            content=dutch_excel(good_rows(30)),
            filename='x.csv',
            apply=True,
            progress=dying,
        )
    assert count(Product) == 0


def test_only_a_supplier_admin_imports(accounts) -> None:
    with pytest.raises(AccessDenied):
        import_file(actor=accounts.alice, kind='products', content=dutch_excel(good_rows(1)), filename='x.csv')


def test_stock_import_counts_and_receives_through_the_stock_services_serving_backorders_oldest_first(
    accounts, shop
) -> None:
    hammer, saw = shop.product('HAM', on_hand=2), shop.product('SAW')
    first = shop.place(accounts.alice, {saw: 4})
    second = shop.place(accounts.bob, {saw: 3})
    content = 'Artikelnummer\tVoorraad\tOntvangen\tOpmerking\nHAM\t7\t\ttelling\nSAW\t\t5\tlevering 12\nham\t\t\t\n'
    preview = import_file(actor=accounts.admin, kind='stock', content=content.encode(), filename='x.tsv')
    assert [(c.key, c.fields) for c in preview.changed] == [('SAW', ('received',))]
    assert [(r.row, r.column) for r in preview.refused] == [(2, 'Artikelnummer'), (4, 'Artikelnummer')]  # HAM twice

    content = b'code;on hand;received;note\nHAM;7;;telling\nSAW;;5;levering 12\nNOPE;1;;\n'
    report = import_file(actor=accounts.admin, kind='stock', content=content, filename='x.csv', apply=True)
    assert not report.applied and report.refused[0].reason == 'No product has the code NOPE.'
    report = import_file(
        actor=accounts.admin, kind='stock', content=content, filename='x.csv', apply=True, valid_only=True
    )
    assert report.applied and len(report.changed) == 2
    assert shop.stock_of(hammer) == (7, 0)
    assert shop.stock_of(saw) == (5, 5)
    assert (shop.line(first.id, saw).allocated, shop.line(second.id, saw).allocated) == (4, 1)
    with db.read_session() as s:
        kinds = s.exec(select(StockMovement.kind, StockMovement.note).where(StockMovement.product_id == saw)).all()
        assert kinds == [('receipt', 'levering 12')]

    same = import_file(actor=accounts.admin, kind='stock', content=b'code;on hand\nHAM;7\nSAW;x\n', filename='x.csv')
    assert [c.key for c in same.unchanged] == ['HAM']
    assert [(r.row, r.column) for r in same.refused] == [(3, 'on hand')]


def test_customer_import_creates_customers_with_an_address_and_changes_existing_ones(accounts) -> None:
    content = (
        'Klantnummer;Bedrijfsnaam;Taal;T.a.v.;Adres;Postcode;Plaats;Land\n'
        'GAMMA;Gamma BV;Nederlands;Inkoop;Dorpsstraat 1;1234 AB;Utrecht;NL\n'
        'ALPHA;Alpha BV;de;Alpha Receiving;Main Street 1;1000 AA;Rotterdam;\n'
        'DELTA;Delta;klingon;;;;;\n'
    ).encode('cp1252')
    report = import_file(actor=accounts.admin, kind='customers', content=content, filename='k.csv', apply=True)
    assert not report.applied
    assert [(r.row, r.column, r.reason) for r in report.refused] == [
        (4, 'Taal', 'Choose one of the offered languages.')
    ]
    report = import_file(
        actor=accounts.admin, kind='customers', content=content, filename='k.csv', apply=True, valid_only=True
    )
    assert [c.key for c in report.new] == ['GAMMA']
    assert [(c.key, c.fields) for c in report.changed] == [('ALPHA', ('language', 'city'))]
    with db.read_session() as s:
        gamma = s.exec(select(Customer).where(Customer.code == 'GAMMA')).one()
        assert (gamma.name, gamma.language) == ('Gamma BV', 'nl')
        (address,) = accounts_service.list_addresses(s, actor=accounts.admin, customer_id=gamma.id)
        assert (address.recipient, address.street, address.postal_code, address.city, address.country) == (
            'Inkoop', 'Dorpsstraat 1', '1234 AB', 'Utrecht', 'NL'
        )  # fmt: skip
        assert address.is_default
        alpha_addresses = s.exec(select(Address).where(Address.customer_id == accounts.customer_a.id)).all()
        assert [a.city for a in alpha_addresses] == ['Rotterdam']


@pytest.mark.parametrize('content', [b'', b'\x00\x01\x02\xff\xfe' * 100, b'KW-1;Hammer;12,50\n', b'code;name\n'])
def test_a_broken_file_is_refused_as_a_whole_and_changes_nothing(accounts, content: bytes) -> None:
    with pytest.raises(FileRefused) as refused:
        import_file(actor=accounts.admin, kind='products', content=content, filename='x.csv', apply=True)
    assert refused.value.message
    assert count(Product) == 0


def test_a_yes_or_no_column_takes_the_words_of_each_language_and_refuses_others(accounts) -> None:
    content = b'code;name;price;active\nA;A;1;nein\nB;B;1;Wahr\nC;C;1;maybe\n'
    report = import_file(actor=accounts.admin, kind='products', content=content, filename='x.csv')
    assert [c.key for c in report.new] == ['A', 'B']
    assert [(r.row, r.column, r.reason) for r in report.refused] == [
        (4, 'active', 'Write yes or no (or 1 or 0), not maybe.')
    ]


def test_a_preview_announces_nothing_to_open_pages_and_applying_announces_the_catalogue(accounts) -> None:
    heard = []
    events.subscribe(('catalogue',), heard.append)
    content = dutch_excel(good_rows(3))
    import_file(actor=accounts.admin, kind='products', content=content, filename='x.csv')
    assert heard == [] and count(Product) == 0
    assert import_file(actor=accounts.admin, kind='products', content=content, filename='x.csv', apply=True).applied
    assert heard == [('catalogue',)] and count(Product) == 3
