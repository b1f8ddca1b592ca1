"""The stock import in bulk (app/transfer/stock_bulk.py), the search index written in bulk (bulk._SearchIndexInBulk),
the category column of the products import and export, and the check of a large file in a process of its own
(app/transfer/checking.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import select

from app.catalogue import catalogue, categories
from app.core import db, i18n
from app.core.migrations import search_index
from app.models import Product, ProductCategory, StockMovement
from app.orders import stock
from app.transfer import bulk, checking, imports
from app.transfer.tables import FileRefused
from tests.conftest import sqlite_only
from tests.import_files import dutch_excel, good_rows
from tests.unit.test_transfer_imports import import_file

pytestmark = pytest.mark.usefixtures('stock_invariant')


def movements(product_id: int) -> list[tuple[str, int, int, str]]:
    with db.read_session() as s:
        return [
            (m.kind, m.change, m.on_hand_after, m.note)
            for m in s.exec(
                select(StockMovement).where(StockMovement.product_id == product_id).order_by(StockMovement.id)
            )
        ]


def test_a_count_below_what_is_reserved_takes_reservations_back_from_the_newest_order_as_the_admins_count_does(
    accounts, shop
) -> None:
    nail, twin = shop.product('NAIL', on_hand=10), shop.product('TWIN', on_hand=10)
    older, newer = shop.place(accounts.alice, {nail: 4, twin: 4}), shop.place(accounts.bob, {nail: 5, twin: 5})
    report = import_file(
        actor=accounts.admin, kind='stock', content=b'code;counted;note\nNAIL;6;telling\n', filename='s.csv', apply=True
    )
    assert report.applied and [(c.key, c.fields) for c in report.changed] == [('NAIL', ('on_hand',))]
    with db.write_session() as s:  # the admin's own count of the twin, for comparison
        stock.count_stock(s, actor=accounts.admin, product_id=twin, counted=6, note='telling')
    for product in (nail, twin):
        assert shop.stock_of(product) == (6, 6)
        assert (shop.line(older.id, product).allocated, shop.line(older.id, product).backorder) == (4, 0)
        assert (shop.line(newer.id, product).allocated, shop.line(newer.id, product).backorder) == (2, 3)
    assert movements(nail)[-1] == movements(twin)[-1] == ('count', -4, 6, 'telling')


def test_receipts_of_many_products_record_one_movement_each_and_only_backorders_get_served(accounts, shop) -> None:
    codes = [f'ST-{n:03d}' for n in range(30)]
    ids = [shop.product(code, on_hand=n) for n, code in enumerate(codes)]
    waiting = shop.place(accounts.alice, {ids[0]: 3})  # nothing on hand: all three on backorder
    content = ('code;received\n' + ''.join(f'{code};5\n' for code in codes)).encode()
    preview = import_file(actor=accounts.admin, kind='stock', content=content, filename='s.csv')
    assert len(preview.changed) == 30 and shop.stock_of(ids[0]) == (0, 0)
    report = import_file(actor=accounts.admin, kind='stock', content=content, filename='s.csv', apply=True)
    assert report.applied
    assert [shop.stock_of(pid) for pid in ids[:3]] == [(5, 3), (6, 0), (7, 0)]
    assert (shop.line(waiting.id, ids[0]).allocated, shop.line(waiting.id, ids[0]).backorder) == (3, 0)
    assert movements(ids[2])[-1] == ('receipt', 5, 7, '')
    with db.read_session() as s:
        assert (
            s.exec(
                select(StockMovement.user_id)
                .where(StockMovement.product_id == ids[2])
                .order_by(StockMovement.id.desc())
            ).first()
            == accounts.admin.user_id
        )


def test_a_stock_file_refuses_rows_by_the_stock_services_rules_and_changes_nothing(accounts, shop) -> None:
    nail = shop.product('NAIL', on_hand=4)
    content = b'code;counted;received\nNAIL;-1;\nNAIL2;3;\nNAIL;;0\n'
    report = import_file(actor=accounts.admin, kind='stock', content=content, filename='s.csv', apply=True)
    assert not report.applied
    assert [(r.row, r.column) for r in report.refused] == [(2, 'code'), (3, 'code'), (4, 'code')]  # NAIL twice
    single = b'code;counted;received\nNAIL;-1;\n'
    refused = import_file(actor=accounts.admin, kind='stock', content=single, filename='s.csv', apply=True).refused
    assert [(r.column, r.reason) for r in refused] == [
        ('counted', 'Enter the counted quantity as a whole number of at least 0.')
    ]
    receipt = b'code;received\nNAIL;0\n'
    refused = import_file(actor=accounts.admin, kind='stock', content=receipt, filename='s.csv', apply=True).refused
    assert [(r.column, r.reason) for r in refused] == [('received', 'Enter a whole number between 1 and 1,000,000.')]
    assert shop.stock_of(nail) == (4, 0) and movements(nail) == [('receipt', 4, 4, 'initial stock')]


def fts_triggers() -> list[str]:
    with db.read_session() as s:
        return sorted(
            ' '.join(sql.split())
            for (sql,) in s.exec(
                text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'product_fts_%'")
            )
        )


@sqlite_only
def test_many_products_written_with_the_search_index_in_bulk_are_found_and_the_triggers_are_back(
    accounts, monkeypatch
) -> None:
    assert fts_triggers() == sorted(' '.join(sql.split()) for sql in search_index.PRODUCT_TRIGGERS_0010)
    monkeypatch.setattr(bulk, 'INDEX_IN_BULK_FROM', 5)
    written = []
    real_start = bulk._SearchIndexInBulk.start
    monkeypatch.setattr(
        bulk._SearchIndexInBulk, 'start', classmethod(lambda cls, s, p: written.append(1) or real_start(s, p))
    )
    import_file(actor=accounts.admin, kind='products', content=dutch_excel(good_rows(12)), filename='p.csv', apply=True)
    renamed = [row.replace('Kruiwagen', 'Steekwagen', 1) for row in good_rows(6)] + good_rows(12)[6:]
    import_file(actor=accounts.admin, kind='products', content=dutch_excel(renamed), filename='p.csv', apply=True)
    assert written == [1, 1]
    with db.read_session() as s:

        def codes(query: str) -> list[str]:
            return sorted(p.code for p in catalogue.search_products(s, actor=accounts.alice, query=query).items)

        assert codes('steekwagen') == [f'KW-{n:03d}' for n in range(1, 7)]
        assert codes('kruiwagen') == [f'KW-{n:03d}' for n in range(7, 13)]  # the old names are out of the index
        assert codes('kw011') == ['KW-011']  # the code without its dash, as the triggers index it
    assert fts_triggers() == sorted(' '.join(sql.split()) for sql in search_index.PRODUCT_TRIGGERS_0010)
    with db.write_session() as s:  # and the triggers work again for a product the admin renames
        product = s.exec(select(Product).where(Product.code == 'KW-012')).one()
        product.name = 'Handkar'
        s.add(product)
    with db.read_session() as s:
        assert [p.code for p in catalogue.search_products(s, actor=accounts.alice, query='handkar').items] == ['KW-012']


def test_the_category_column_puts_a_product_in_categories_by_their_paths_and_refuses_unknown_ones(accounts) -> None:
    with db.write_session() as s:
        fasteners = categories.create_category(s, actor=accounts.admin, name='Fasteners')
        screws = categories.create_category(s, actor=accounts.admin, name='Screws', parent_id=fasteners.id)
        tools = categories.create_category(s, actor=accounts.admin, name='Tools')
    content = (
        'code;name;price;categorie\n'
        'A-1;Screw;1,00;Fasteners > Screws | Tools\n'
        'A-2;Bolt;1,00;fasteners › SCREWS\n'
        'A-3;Nut;1,00;Fasteners > Nuts\n'
        'A-4;Tape;1,00;\n'
    ).encode()
    refused = import_file(actor=accounts.admin, kind='products', content=content, filename='p.csv', apply=True)
    assert not refused.applied
    assert [(r.row, r.column, r.reason) for r in refused.refused] == [
        (4, 'categorie', 'There is no category Fasteners > Nuts.')
    ]
    fixed = content.replace(b'Fasteners > Nuts', b'Fasteners')
    assert import_file(actor=accounts.admin, kind='products', content=fixed, filename='p.csv', apply=True).applied

    def placed() -> dict[str, set[int]]:
        with db.read_session() as s:
            rows = s.exec(
                select(Product.code, ProductCategory.category_id).join(
                    ProductCategory, ProductCategory.product_id == Product.id
                )
            ).all()
        found: dict[str, set[int]] = {}
        for code, category_id in rows:
            found.setdefault(code, set()).add(category_id)
        return found

    assert placed() == {'A-1': {screws.id, tools.id}, 'A-2': {screws.id}, 'A-3': {fasteners.id}}
    again = import_file(
        actor=accounts.admin, kind='products', content=b'code;category\nA-1;Tools\nA-2;Fasteners>Screws\nA-4;\n',
        filename='p.csv', apply=True,
    )  # fmt: skip
    assert [(c.key, c.fields) for c in again.changed] == [('A-1', ('category',))]
    assert [c.key for c in again.unchanged] == ['A-2', 'A-4']  # an empty cell keeps what the product has
    assert placed()['A-1'] == {tools.id}


def test_a_large_file_is_checked_in_a_process_of_its_own_with_the_same_report_and_progress(
    accounts, shop, monkeypatch
) -> None:
    shop.product('NAIL', on_hand=4)
    content = b'code;counted\nNAIL;9\nNOPE;1\n'
    in_process = imports.check_rows(kind='stock', content=content, filename='s.csv')
    seen = []
    child = checking.check(
        kind='stock', content=content, filename='s.csv', images=None, progress=lambda *a: seen.append(a)
    )
    assert child is not None and child[1] == in_process[1] and child[0].headers == in_process[0].headers
    assert seen[-1] == ('Checking the rows', 2, 2)
    assert checking.check(kind='stock', content=b'\x00\x01', filename='s.csv', images=None, progress=None) is None
    monkeypatch.setattr(checking, 'IN_PROCESS_BYTES', 0)  # every file goes to the child: the page's import as well
    report = imports.import_file(accounts.admin, kind='stock', content=content, filename='s.csv', apply=True)
    assert [r.row for r in report.refused] == [3] and not report.applied
    with pytest.raises(FileRefused):  # a file the child could not read is refused as before, by the caller
        imports.import_file(accounts.admin, kind='products', content=b'\x00\x01', filename='s.csv')


def test_the_refused_rows_reasons_are_in_the_importers_language_also_from_the_process_of_its_own(
    accounts, shop, monkeypatch
) -> None:
    shop.product('NAIL', on_hand=4)
    content = b'code;counted\nNAIL;9\nNOPE;1\n'
    english = imports.import_file(accounts.admin, kind='stock', content=content, filename='s.csv')
    with i18n.speaking('de'):
        in_process = imports.import_file(accounts.admin, kind='stock', content=content, filename='s.csv')
        monkeypatch.setattr(checking, 'IN_PROCESS_BYTES', 0)
        in_child = imports.import_file(accounts.admin, kind='stock', content=content, filename='s.csv')
    assert [r.row for r in in_child.refused] == [r.row for r in english.refused] == [3]
    assert in_child.refused[0].reason == in_process.refused[0].reason != english.refused[0].reason


def test_stock_counted_meanwhile_is_read_again_under_the_lock_before_the_receipt_is_added(accounts, shop) -> None:
    nail = shop.product('NAIL', on_hand=2)

    def meanwhile(what: str, done: int, total: int) -> None:
        if what == 'Checking the rows' and done == total == 1 and shop.stock_of(nail)[0] == 2:
            with db.write_session() as s:  # the admin counts while the file is checked (no lock held yet)
                stock.count_stock(s, actor=accounts.admin, product_id=nail, counted=10)

    report = imports.import_file(
        accounts.admin, kind='stock', content=b'code;received\nNAIL;5\n', filename='s.csv', apply=True,
        progress=meanwhile,
    )  # fmt: skip
    assert report.applied and shop.stock_of(nail) == (15, 0)
    assert movements(nail)[-2:] == [('count', 8, 10, ''), ('receipt', 5, 15, '')]


@sqlite_only
def test_an_import_that_dies_with_the_triggers_dropped_leaves_neither_products_nor_a_changed_index(
    accounts, monkeypatch
) -> None:
    monkeypatch.setattr(bulk, 'INDEX_IN_BULK_FROM', 5)
    monkeypatch.setattr(bulk, 'CHUNK', 10)

    def dying(what: str, done: int, total: int) -> None:
        if what == 'Writing' and done == 10:  # the triggers are dropped and ten products written, in the transaction
            raise RuntimeError('the process dies here')

    with pytest.raises(RuntimeError):
        imports.import_file(
            accounts.admin, kind='products', content=dutch_excel(good_rows(30)), filename='p.csv', apply=True,
            progress=dying,
        )  # fmt: skip
    assert fts_triggers() == sorted(' '.join(sql.split()) for sql in search_index.PRODUCT_TRIGGERS_0010)
    with db.read_session() as s:
        assert s.exec(select(Product)).first() is None
        assert s.exec(text("SELECT count(*) FROM product_fts WHERE product_fts MATCH 'kruiwagen'")).one()[0] == 0
