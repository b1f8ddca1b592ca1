"""Issue 17's Done-when and what came with the bulk products import (app/transfer/bulk.py, imports.import_file): a
Dutch Excel file of 10,000 rows, translations and images from a ZIP, portal users, customers' selections, the
import history, and the exports of backorders and deliveries."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlmodel import select

from app.catalogue import catalogue, images, translations
from app.core import db
from app.identity import auth
from app.models import ImportRecord, PortalUser, Product, ProductImage
from app.orders import deliveries, orders
from app.transfer import exports, history
from app.transfer.imports import import_file
from tests.import_files import dutch_excel, ten_thousand
from tests.rows import count

pytestmark = pytest.mark.usefixtures('stock_invariant')


def as_bytes(admin, kind: str, fmt: str, **options) -> bytes:
    target = io.BytesIO()
    with db.read_session() as s:
        exports.write(target, exports.export(s, actor=admin, kind=kind, **options), fmt)
    return target.getvalue()


def test_done_when_ten_thousand_dutch_excel_rows_with_three_bad_ones(accounts, shop) -> None:
    bad = ten_thousand(bad=True)
    dry = import_file(accounts.admin, kind='products', content=bad, filename='artikelen.csv')
    assert [(r.row, r.column) for r in dry.refused] == [(101, 'Prijs'), (5001, 'Naam'), (10000, 'EAN')]
    assert (len(dry.new), dry.applied) == (9997, False)
    assert count(Product) == 0

    refused = import_file(accounts.admin, kind='products', content=bad, filename='artikelen.csv', apply=True)
    assert not refused.applied and count(Product) == 0

    done = import_file(
        accounts.admin, kind='products', content=ten_thousand(bad=False), filename='artikelen.csv', apply=True
    )
    assert done.applied and len(done.new) == 10_000 and not done.refused
    assert count(Product) == 10_000
    with db.read_session() as s:  # searchable at once, by the customer too
        assert [c.code for c in catalogue.search_products(s, actor=accounts.alice, query='kruiwagen 9999').items][
            :1
        ] == ['BK-09999']
        assert catalogue.search_products(s, actor=accounts.alice, query='kruiwagen').total == 10_000

    for fmt in ('csv', 'xlsx'):
        again = import_file(
            accounts.admin,
            kind='products',
            content=as_bytes(accounts.admin, 'products', fmt),
            filename=f'p.{fmt}',
        )
        assert (len(again.changed), len(again.unchanged), again.refused) == (0, 10_000, []), fmt

    with db.read_session() as s:
        first, second = s.exec(select(Product.id).where(Product.code.in_(['BK-00001', 'BK-00002']))).all()
    order = shop.place(accounts.alice, {first: 2, second: 1})
    sheet = load_workbook(io.BytesIO(as_bytes(accounts.admin, 'orders', 'xlsx'))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [(r[0], r[6], r[8]) for r in rows[1:]] == [(order.number, 'BK-00001', 2), (order.number, 'BK-00002', 1)]

    with db.read_session() as s:
        runs, total = history.history(s, actor=accounts.admin)
    assert total == 5
    assert [(r.dry_run, r.applied, r.new, r.refused) for r in runs[-3:]] == [
        (False, True, 10_000, 0),
        (False, False, 9997, 3),
        (True, False, 9997, 3),
    ]
    with db.read_session() as s:
        _entry, kept = history.report_of(s, actor=accounts.admin, record_id=runs[-1].id)
    assert [(row, column) for row, column, _why in kept.refused] == [(101, 'Prijs'), (5001, 'Naam'), (10000, 'EAN')]
    assert runs[-1].who == 'admin'


def picture(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new('RGB', (40, 30), colour).save(out, 'PNG')
    return out.getvalue()


def a_zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w') as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_translations_and_images_from_a_zip_and_the_export_re_imports_unchanged(accounts) -> None:
    content = (
        b'code;name;price;name_nl;description_de;images\n'
        b'KW-1;Wheelbarrow;10;Kruiwagen;Schubkarre, stabil;kw-front.png|kw-side.png\n'
        b'KW-2;Spade;5;Schop;;\n'
    )
    pictures = a_zip({'photos/kw-front.png': picture('red'), 'photos/kw-side.png': picture('blue')})
    preview = import_file(accounts.admin, kind='products', content=content, filename='p.csv', images=pictures)
    assert len(preview.new) == 2 and not preview.refused and count(ProductImage) == 0

    missing = import_file(accounts.admin, kind='products', content=content, filename='p.csv')
    assert [(r.row, r.column, r.reason) for r in missing.refused] == [
        (2, 'images', 'The ZIP file has no image kw-front.png.')
    ]
    broken = a_zip({'kw-front.png': b'not an image', 'kw-side.png': picture('blue')})
    refused = import_file(accounts.admin, kind='products', content=content, filename='p.csv', images=broken)
    assert refused.refused[0].reason == f'kw-front.png: {images.NOT_AN_IMAGE}'

    done = import_file(accounts.admin, kind='products', content=content, filename='p.csv', images=pictures, apply=True)
    assert done.applied and len(done.new) == 2
    with db.read_session() as s:
        wheelbarrow = s.exec(select(Product).where(Product.code == 'KW-1')).one()
        assert [i.width for i in images.list_images(s, product_id=wheelbarrow.id)] == [40, 40]
        texts = translations.product_translations(s, actor=accounts.admin, product_id=wheelbarrow.id)
        assert (texts['nl'].name, texts['de'].description) == ('Kruiwagen', 'Schubkarre, stabil')

    same = import_file(accounts.admin, kind='products', content=content, filename='p.csv', images=pictures)
    assert (len(same.unchanged), len(same.changed)) == (2, 0)  # the same images again: nothing changes
    exported = as_bytes(accounts.admin, 'products', 'csv')
    again = import_file(accounts.admin, kind='products', content=exported, filename='p.csv')
    assert (len(again.unchanged), len(again.changed), again.refused) == (2, 0, [])

    swapped = b'code;images;name_nl\nKW-1;kw-side.png;Kruiwagen groot\n'
    changed = import_file(
        accounts.admin, kind='products', content=swapped, filename='p.csv', images=pictures, apply=True
    )
    assert [(c.key, c.fields) for c in changed.changed] == [('KW-1', ('name_nl', 'images'))]
    with db.read_session() as s:
        kept = images.list_images(s, product_id=wheelbarrow.id)
        assert len(kept) == 1 and count(ProductImage) == 1
        assert translations.product_translations(s, actor=accounts.admin, product_id=wheelbarrow.id)[
            'de'
        ].description == ('Schubkarre, stabil')  # a language without its columns keeps its texts


def test_portal_users_are_imported_without_a_password_and_changed_by_user_name(accounts) -> None:
    content = (
        'Gebruikersnaam;Naam;E-mail;Taal;Actief;Klantnummer\n'
        'inkoop.alpha;Ingrid Koop;ingrid@alpha.example;nl;ja;ALPHA\n'
        'alice;Alice A.;alice@alpha.example;;;ALPHA\n'
        'nobody;No One;;;;NOPE\n'
    ).encode('cp1252')
    report = import_file(accounts.admin, kind='users', content=content, filename='u.csv', apply=True, valid_only=True)
    assert [c.key for c in report.new] == ['INKOOP.ALPHA']
    assert [(c.key, c.fields) for c in report.changed] == [('ALICE', ('full_name', 'email'))]
    assert [(r.row, r.column, r.reason) for r in report.refused] == [
        (4, 'Klantnummer', 'No customer has the code NOPE.')
    ]
    assert report.notes == [
        "1 new portal user has no password until you give it one on its customer's page (Reset password): files "
        'never carry passwords.'
    ]
    with db.read_session() as s:
        user = s.exec(select(PortalUser).where(PortalUser.username == 'inkoop.alpha')).one()
        assert (user.full_name, user.email, user.language, user.customer_id, user.active) == (
            'Ingrid Koop', 'ingrid@alpha.example', 'nl', accounts.customer_a.id, True
        )  # fmt: skip
        assert user.password_hash == ''
    for password in ('', 'anything-at-all'):
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(username='inkoop.alpha', password=password, client_address='127.0.0.1')
    exported = as_bytes(accounts.admin, 'users', 'csv')
    assert '$2b$' not in exported.decode('utf-8-sig')
    again = import_file(accounts.admin, kind='users', content=exported, filename='u.csv')
    assert (len(again.changed), len(again.new), again.refused) == (0, 0, [])


def test_an_imported_users_language_and_active_flag_go_through_the_accounts_services(accounts) -> None:
    token = auth.sign_in(username='alice', password='alice-password', client_address='127.0.0.1')
    content = (
        'Gebruikersnaam;Naam;Taal;Actief;Klantnummer\n'
        'alice;Alice A.;de;nee;ALPHA\n'
        'stil.alpha;Stil;;nee;ALPHA\n'
        'bob;Bob;xx;;BETA\n'
    ).encode('cp1252')
    report = import_file(accounts.admin, kind='users', content=content, filename='u.csv', apply=True, valid_only=True)
    assert [(c.key, c.fields) for c in report.changed] == [('ALICE', ('full_name', 'language', 'active'))]
    assert [c.key for c in report.new] == ['STIL.ALPHA']
    assert [(r.row, r.column) for r in report.refused] == [(4, 'Taal')]
    with db.read_session() as s:
        alice = s.exec(select(PortalUser).where(PortalUser.username == 'alice')).one()
        quiet = s.exec(select(PortalUser).where(PortalUser.username == 'stil.alpha')).one()
        bob = s.exec(select(PortalUser).where(PortalUser.username == 'bob')).one()
    assert (alice.full_name, alice.language, alice.active) == ('Alice A.', 'de', False)
    assert auth.resolve(token) is None  # deactivated by the import: her session ended, as on her customer's page
    assert (quiet.active, quiet.language) == (False, None)
    assert bob.language is None  # the refused row changed nothing


def test_a_customers_catalogue_and_selection_are_imported_and_exported(accounts, shop) -> None:
    shop.product('HAM')
    shop.product('SAW')
    content = b'code;name;catalogue;products\nALPHA;Alpha BV;selectie;ham|saw\nGAMMA;Gamma;selection;SAW\n'
    report = import_file(accounts.admin, kind='customers', content=content, filename='k.csv', apply=True)
    assert [(c.key, c.fields) for c in report.changed] == [('ALPHA', ('catalogue', 'products'))]
    assert [c.key for c in report.new] == ['GAMMA']
    rows = list(csv.reader(io.StringIO(as_bytes(accounts.admin, 'customers', 'csv').decode('utf-8-sig'))))
    assert [(r[0], r[8], r[9]) for r in rows[1:]] == [('ALPHA', 'selection', 'HAM|SAW'), ('BETA', 'all', ''),
                                                      ('GAMMA', 'selection', 'SAW')]  # fmt: skip
    with db.read_session() as s:
        assert catalogue.search_products(s, actor=accounts.alice, query='').total == 2
    fewer = import_file(accounts.admin, kind='customers', content=b'code;products\nALPHA;SAW\n', filename='k.csv',
                        apply=True)  # fmt: skip
    assert [(c.key, c.fields) for c in fewer.changed] == [('ALPHA', ('products',))]
    unknown = import_file(accounts.admin, kind='customers', content=b'code;products\nALPHA;NOPE\n', filename='k')
    assert unknown.refused[0].reason == 'No product has the code NOPE.'


def test_backorders_and_deliveries_exports_with_their_filters(accounts, shop) -> None:
    hammer, saw = shop.product('HAM', on_hand=5), shop.product('SAW')
    first = shop.place(accounts.alice, {hammer: 3, saw: 2})
    second = shop.place(accounts.bob, {hammer: 4})
    with db.write_session() as s:
        orders.check_order(s, actor=accounts.admin, order_id=first.id)
        deliveries.deliver_all_reserved(s, actor=accounts.admin, order_id=first.id, tracking_code='TT-1')
    backorders = list(csv.reader(io.StringIO(as_bytes(accounts.admin, 'backorders', 'csv').decode('utf-8-sig'))))
    assert backorders[0][:3] == ['order', 'placed_at', 'status']
    assert [(r[0], r[6], r[9]) for r in backorders[1:]] == [(first.number, 'SAW', '2'), (second.number, 'HAM', '2')]
    only_beta = as_bytes(accounts.admin, 'backorders', 'csv', orders=exports.OrderFilter(customer_code='BETA'))
    assert len(only_beta.decode('utf-8-sig').splitlines()) == 2
    sheet = load_workbook(io.BytesIO(as_bytes(accounts.admin, 'deliveries', 'xlsx'))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == exports.DELIVERY_HEADER
    assert [(r[2], r[3], r[6], r[8]) for r in rows[1:]] == [('TT-1', first.number, 'HAM', 3)]


def test_a_command_line_import_is_recorded_as_the_command_line(accounts) -> None:
    from app.identity.access import SYSTEM

    import_file(SYSTEM, kind='products', content=dutch_excel(['A;A;;;stuk;1;ja']), filename='a.csv',
                source='command')  # fmt: skip
    with db.read_session() as s:
        (entry,) = s.exec(select(ImportRecord)).all()
    assert entry.who.startswith('command line (') and entry.source == 'command' and entry.user_id is None
