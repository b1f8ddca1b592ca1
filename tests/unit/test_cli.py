"""The operator's command `stockfront` (app/cli.py), run as an operator runs it: the installed console script, in its
own process, on a data folder of the test's."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import time

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import select

from app.catalogue import images, products
from app.core import db, migrations
from app.models import ProductCreate, ProductImage
from app.orders import stock
from tests.command import INSTALLED, ROOT
from tests.command import stockfront as run_stockfront
from tests.conftest import TEST_DATABASE_URL, TEST_ENV, sqlite_only


def stockfront(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """As an operator runs it: the installed console script."""
    return run_stockfront(*args, env=env, installed=True)


@pytest.fixture
def stocked(accounts) -> int:
    """A product with stock and an image: something for every check to look at."""
    from io import BytesIO

    from PIL import Image

    picture = BytesIO()
    Image.new('RGB', (20, 20), (1, 2, 3)).save(picture, 'PNG')
    with db.write_session() as s:
        product = products.create_product(
            s, actor=accounts.admin, data=ProductCreate(code='SAW-200', name='Hand saw', price_cents=2450)
        )
        stock.receive_stock(s, actor=accounts.admin, product_id=product.id, quantity=12)
        images.add_image(s, actor=accounts.admin, product_id=product.id, content=picture.getvalue())
        return product.id


def test_the_command_is_installed_and_lists_its_subcommands() -> None:
    result = stockfront('--help')
    assert result.returncode == 0, result.stderr
    for command in ('serve', 'migrate', 'backup', 'restore', 'check'):
        assert command in result.stdout


def test_check_passes_on_a_sound_portal(stocked) -> None:
    result = stockfront('check')
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'ok       stock invariant (1 products, 0 order lines)' in result.stdout
    assert 'ok       image files (2 files of 1 images)' in result.stdout
    assert result.stdout.rstrip().endswith('All checks passed.')


def test_check_reports_a_broken_stock_invariant_and_a_missing_image_file_and_exits_1(stocked, data_dir) -> None:
    with db.get_engine().begin() as conn:  # damage no service would do
        conn.execute(text('UPDATE product SET on_hand = 5 WHERE id = :id'), {'id': stocked})
    with db.read_session() as s:
        image = s.exec(select(ProductImage)).one()
    (data_dir / 'uploads' / image.thumb_filename).unlink()

    result = stockfront('check')

    assert result.returncode == 1, result.stdout + result.stderr
    assert 'PROBLEM  stock invariant' in result.stdout
    assert 'Product SAW-200: 5 on hand, but its stock movements add up to 12.' in result.stdout
    assert 'PROBLEM  image files' in result.stdout and image.thumb_filename in result.stdout
    assert result.stdout.rstrip().endswith('2 problems found.')


@sqlite_only
def test_check_finds_a_damaged_database_file(stocked, data_dir) -> None:
    db.dispose()
    database = data_dir / 'stockfront.db'
    with open(database, 'r+b') as f:  # overwrite the middle of the file: pages of the tables' b-trees
        size = database.stat().st_size
        f.seek(size // 2)
        f.write(b'\x07' * 4096)

    result = stockfront('check')

    assert result.returncode == 1, result.stdout + result.stderr
    assert 'PROBLEM' in result.stdout and 'Traceback' not in result.stderr


@sqlite_only
def test_check_without_a_database_says_so_and_creates_none(tmp_path) -> None:
    env = {**os.environ, **TEST_ENV, 'STOCKFRONT_DATA_DIR': str(tmp_path / 'empty')}
    env.pop('STOCKFRONT_DATABASE_URL', None)
    result = stockfront('check', env=env)
    assert result.returncode == 2
    assert 'No database at' in result.stderr and 'Traceback' not in result.stderr
    assert not (tmp_path / 'empty' / 'stockfront.db').exists()


def test_migrate_makes_a_new_database_and_then_finds_it_up_to_date(tmp_path) -> None:
    env = {**os.environ, **TEST_ENV, 'STOCKFRONT_DATA_DIR': str(tmp_path / 'new')}
    if TEST_DATABASE_URL:
        from tests.conftest import empty_database

        empty_database(TEST_DATABASE_URL)
        env['STOCKFRONT_DATABASE_URL'] = TEST_DATABASE_URL
    else:
        env.pop('STOCKFRONT_DATABASE_URL', None)
    head = migrations.head_revision()

    first = stockfront('migrate', env=env)
    second = stockfront('migrate', env=env)

    assert first.returncode == 0, first.stderr
    assert 'ran revision 0001' in first.stdout and first.stdout.rstrip().endswith(f'now at revision {head}.')
    assert second.returncode == 0, second.stderr
    assert second.stdout.rstrip().endswith(f'up to date at revision {head}.')
    assert stockfront('check', env=env).returncode == 0


@sqlite_only
def test_migrate_upgrades_a_database_made_before_alembic(tmp_path) -> None:
    """The operator's way to upgrade before starting: the tables as the code before Alembic made them."""
    folder = tmp_path / 'old'
    folder.mkdir()
    with sqlite3.connect(folder / 'stockfront.db') as conn:
        conn.executescript((ROOT / 'tests' / 'unit' / 'before_alembic' / 'sqlite.sql').read_text())
    env = {**os.environ, **TEST_ENV, 'STOCKFRONT_DATA_DIR': str(folder)}
    env.pop('STOCKFRONT_DATABASE_URL', None)

    result = stockfront('migrate', env=env)

    assert result.returncode == 0, result.stderr
    assert 'ran revision 0002' in result.stdout  # 0001, the baseline, is what that code made: stamped, not run
    assert result.stdout.rstrip().endswith(f'now at revision {migrations.head_revision()}.')
    assert stockfront('check', env=env).returncode == 0


def test_a_database_that_cannot_be_reached_is_named_in_one_line(tmp_path) -> None:
    env = {**os.environ, **TEST_ENV, 'STOCKFRONT_DATA_DIR': str(tmp_path)}
    env['STOCKFRONT_DATABASE_URL'] = 'postgresql+psycopg://stockfront:hunter22@127.0.0.1:9/stockfront'
    for command in ('check', 'migrate'):
        result = stockfront(command, env=env)
        assert result.returncode == 2
        assert 'Cannot use the database' in result.stderr and '127.0.0.1:9' in result.stderr
        assert 'hunter22' not in result.stderr and 'Traceback' not in result.stderr


@sqlite_only
def test_backup_writes_the_database_and_its_images_into_the_folder_named(stocked, data_dir, tmp_path) -> None:
    target = tmp_path / 'nightly'
    result = stockfront('backup', str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f'Backup written to {target} (the database and 2 image files)'
    assert sorted(path.name for path in target.iterdir()) == ['manifest.json', 'stockfront.db', 'uploads']
    assert {path.name for path in (target / 'uploads').iterdir()} == {
        path.name for path in (data_dir / 'uploads').iterdir()
    }


def test_backup_of_postgresql_points_to_pg_dump(tmp_path) -> None:
    env = {**os.environ, **TEST_ENV, 'STOCKFRONT_DATA_DIR': str(tmp_path)}
    env['STOCKFRONT_DATABASE_URL'] = 'postgresql+psycopg://stockfront@db.example/stockfront'
    result = stockfront('backup', env=env)
    assert result.returncode == 2
    assert 'pg_dump' in result.stderr and 'Traceback' not in result.stderr


@sqlite_only
def test_restore_then_check_on_a_fresh_data_folder(stocked, data_dir, tmp_path) -> None:
    assert stockfront('backup', str(tmp_path / 'copy')).returncode == 0
    env = {**os.environ, 'STOCKFRONT_DATA_DIR': str(tmp_path / 'fresh')}

    restored = stockfront('restore', str(tmp_path / 'copy'), env=env)
    again = stockfront('restore', str(tmp_path / 'copy'), env=env)

    assert restored.returncode == 0, restored.stderr
    assert 'with 2 image files' in restored.stdout
    assert again.returncode == 2 and '--replace' in again.stderr
    checked = stockfront('check', env=env)
    assert checked.returncode == 0, checked.stdout
    assert 'ok       image files (2 files of 1 images)' in checked.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_runs_the_portal_until_told_to_stop(accounts, data_dir) -> None:
    port = free_port()
    env = {**os.environ, 'STOCKFRONT_LOG_FORMAT': 'json'}
    env.pop('PYTEST_CURRENT_TEST', None)  # NiceGUI would take the server for a test of its own
    server = subprocess.Popen(
        [str(INSTALLED), 'serve', '--host', '127.0.0.1', '--port', str(port)],
        cwd='/',
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = None
        for _ in range(600):  # until the server is up (or has died)
            if server.poll() is not None:
                break
            try:
                page = httpx.get(f'http://127.0.0.1:{port}/login', timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert page is not None, server.communicate(timeout=10)
        assert page.status_code == 200
        assert 'Stockfront' in page.text
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=30)
    assert server.returncode in (0, -signal.SIGTERM), err
    lines = [line for line in err.splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line the portal logged is one JSON object
    assert {'level': 'INFO', 'logger': 'stockfront', 'message': f'serving on http://127.0.0.1:{port}'}.items() <= (
        entries[0].items()
    )
    assert all({'time', 'level', 'logger', 'message'} <= set(entry) for entry in entries)


@pytest.mark.skipif(not ROOT.joinpath('main.py').is_file(), reason='a checkout')
def test_the_command_runs_the_same_main_py_as_make_run() -> None:
    from app import cli

    assert cli.main_file() == ROOT / 'main.py'
