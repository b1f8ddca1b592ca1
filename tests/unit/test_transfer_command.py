"""`stockfront import` and `stockfront export` (app/cli.py), run as `python -m app.cli` in its own process on the
test's data folder (STOCKFRONT_DATA_DIR), as a nightly job would."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from app.catalogue import catalogue
from app.core import db
from app.models import Product
from tests.command import stockfront
from tests.conftest import TEST_DATABASE_URL
from tests.import_files import dutch_excel
from tests.rows import count

pytestmark = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason='the command runs on the data folder')


def dutch_excel_file(folder: Path, *, bad: bool) -> Path:
    rows = [f'KW-{n:03d};Kruiwagen {n} één wiel;{n},50;ja' for n in range(1, 41)]
    if bad:
        rows[4] = 'KW-005;Kruiwagen 5;twaalf;ja'
        rows[11] = 'KW-012;;3,00;ja'
        rows[20] = 'KW-021;Kruiwagen 21;-1,00;ja'
    path = folder / 'artikelen.csv'
    path.write_bytes(dutch_excel(rows, header='Artikelnummer;Naam;Prijs;Actief'))
    return path


def test_the_dry_run_names_the_bad_rows_and_the_real_run_of_the_fixed_file_creates_every_product(
    accounts, tmp_path
) -> None:
    bad = dutch_excel_file(tmp_path, bad=True)
    dry = stockfront('import', 'products', str(bad), '--dry-run')
    assert dry.returncode == 1, dry.stderr
    assert 'artikelen.csv: 37 new, 0 changed, 0 unchanged, 3 refused.' in dry.stdout
    assert '  refused  row 6, column Prijs: Enter the price as a number, for example 12.50.' in dry.stdout
    assert '  refused  row 13, column Naam: The name is required.' in dry.stdout
    assert '  refused  row 22, column Prijs: The price cannot be negative.' in dry.stdout
    assert dry.stdout.rstrip().endswith('Dry run: nothing was changed.')
    assert count(Product) == 0

    real = stockfront('import', 'products', str(bad))
    assert real.returncode == 1 and 'Nothing was changed' in real.stdout
    assert count(Product) == 0

    fixed = stockfront('import', 'products', str(dutch_excel_file(tmp_path, bad=False)))
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert '40 new, 0 changed, 0 unchanged, 0 refused.' in fixed.stdout and 'Applied.' in fixed.stdout
    assert count(Product) == 40
    with db.read_session() as s:
        assert catalogue.search_products(s, actor=accounts.alice, query='kruiwagen 21').items[0].code == 'KW-021'

    exported = tmp_path / 'producten.xlsx'
    done = stockfront('export', 'products', '-o', str(exported))
    assert done.returncode == 0, done.stderr
    assert load_workbook(exported).active.max_row == 41
    again = stockfront('import', 'products', str(exported), '--dry-run')
    assert again.returncode == 0 and '0 new, 0 changed, 40 unchanged, 0 refused.' in again.stdout


def test_valid_only_applies_the_valid_rows(accounts, tmp_path) -> None:
    result = stockfront('import', 'products', str(dutch_excel_file(tmp_path, bad=True)), '--valid-only')
    assert result.returncode == 1 and 'Applied, leaving out the refused rows.' in result.stdout
    assert count(Product) == 37


def test_stock_and_customers_import_and_an_orders_export_to_standard_output(accounts, shop, tmp_path) -> None:
    hammer = shop.product('HAM')
    counts = tmp_path / 'voorraad.csv'
    counts.write_text('Artikelnummer;Voorraad\nHAM;12\n', encoding='utf-8-sig')
    assert stockfront('import', 'stock', str(counts)).returncode == 0
    assert shop.stock_of(hammer) == (12, 0)

    customers = tmp_path / 'kunden.csv'
    customers.write_text('Kundennummer,Firma,Sprache\nGAMMA,Gamma GmbH,de\n', encoding='utf-8')
    result = stockfront('import', 'customers', str(customers))
    assert result.returncode == 0 and '1 new' in result.stdout

    saw = shop.product('SAW', on_hand=3)
    order = shop.place(accounts.alice, {saw: 2})
    exported = stockfront('export', 'orders', '--customer', 'alpha', '--status', 'concept')
    assert exported.returncode == 0, exported.stderr
    lines = exported.stdout.lstrip('\ufeff').splitlines()
    assert lines[0].startswith('order,placed_at,status,customer') and len(lines) == 2
    assert lines[1].startswith(f'{order.number},') and ',SAW,' in lines[1]


@pytest.mark.parametrize(
    ('content', 'message'),
    [
        (b'', 'The file is empty.'),
        (bytes(range(256)) * 4, 'This is not a CSV or Excel file.'),
        (b'KW-1;Hammer;12,50\n', 'The first row must name the columns'),
    ],
)
def test_a_broken_file_gets_a_clear_message_exit_2_and_changes_nothing(accounts, tmp_path, content, message) -> None:
    path = tmp_path / 'broken.csv'
    path.write_bytes(content)
    result = stockfront('import', 'products', str(path))
    assert result.returncode == 2
    assert result.stderr.startswith(f'stockfront import: {path}: {message}')
    assert 'Nothing was changed.' in result.stderr and 'Traceback' not in result.stderr
    assert count(Product) == 0


def test_a_missing_file_and_a_bad_filter_are_named(accounts, tmp_path) -> None:
    missing = stockfront('import', 'stock', str(tmp_path / 'nope.csv'))
    assert missing.returncode == 2 and 'Cannot read' in missing.stderr
    bad = stockfront('export', 'orders', '--since', 'yesterday')
    assert bad.returncode == 2 and 'year-month-day' in bad.stderr


def test_done_when_from_the_command_ten_thousand_rows_with_images_and_the_history(accounts, shop, tmp_path) -> None:
    import io
    import zipfile

    from PIL import Image

    from app.models import ImportRecord, ProductImage

    rows = [f'CL-{n:05d};Kruiwagen {n} één wiel;{n % 400},50;ja;' for n in range(1, 10_001)]
    rows[0] = 'CL-00001;Kruiwagen 1 één wiel;1,50;ja;kruiwagen.png'
    bad = list(rows)
    bad[41], bad[4141], bad[9999] = 'CL-00042;;1,00;ja;', 'CL-04142;Kruiwagen;1,2345;ja;', 'CL-10000;K;1;misschien;'
    header = 'Artikelnummer;Naam;Prijs;Actief;Afbeeldingen\r\n'
    bad_file, good_file = tmp_path / 'bad.csv', tmp_path / 'artikelen.csv'
    bad_file.write_bytes((header + '\r\n'.join(bad) + '\r\n').encode('cp1252'))
    good_file.write_bytes((header + '\r\n'.join(rows) + '\r\n').encode('cp1252'))
    picture = io.BytesIO()
    Image.new('RGB', (20, 20), 'green').save(picture, 'PNG')
    archive = tmp_path / 'foto.zip'
    with zipfile.ZipFile(archive, 'w') as z:
        z.writestr('kruiwagen.png', picture.getvalue())

    dry = stockfront('import', 'products', str(bad_file), '--dry-run', '--images', str(archive))
    assert dry.returncode == 1, dry.stderr
    assert '9997 new, 0 changed, 0 unchanged, 3 refused.' in dry.stdout
    refused = [line.split(',')[0].strip() for line in dry.stdout.splitlines() if line.startswith('  refused')]
    assert refused == ['refused  row 43', 'refused  row 4143', 'refused  row 10001']
    assert count(Product) == 0

    done = stockfront('import', 'products', str(good_file), '--images', str(archive))
    assert done.returncode == 0, done.stdout + done.stderr
    assert '10000 new, 0 changed, 0 unchanged, 0 refused.' in done.stdout
    with db.read_session() as s:
        assert catalogue.search_products(s, actor=accounts.alice, query='kruiwagen 9999').items[0].code == 'CL-09999'
        assert len(s.exec(select(ProductImage)).all()) == 1
        records = s.exec(select(ImportRecord).order_by(ImportRecord.id)).all()
    assert [(r.dry_run, r.applied, r.refused, r.images_filename) for r in records] == [
        (True, False, 3, 'foto.zip'),
        (False, True, 0, 'foto.zip'),
    ]
    assert all(r.who.startswith('command line (') and r.source == 'command' for r in records)

    exported = tmp_path / 'producten.csv'
    assert stockfront('export', 'products', '-o', str(exported)).returncode == 0
    again = stockfront('import', 'products', str(exported), '--dry-run')
    assert again.returncode == 0 and '0 new, 0 changed, 10000 unchanged, 0 refused.' in again.stdout

    order = shop.place(accounts.alice, {shop.product('ORD-1', on_hand=5): 2, shop.product('ORD-2'): 1})
    sheet = tmp_path / 'orders.xlsx'
    assert stockfront('export', 'orders', '-o', str(sheet)).returncode == 0
    lines = list(load_workbook(sheet).active.iter_rows(values_only=True))[1:]
    assert [(line[0], line[6]) for line in lines] == [(order.number, 'ORD-1'), (order.number, 'ORD-2')]
    for kind in ('backorders', 'deliveries'):
        assert stockfront('export', kind, '--customer', 'ALPHA').returncode == 0
