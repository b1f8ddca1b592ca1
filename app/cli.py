"""`stockfront`: what an operator runs outside the browser.

    stockfront serve [--host H] [--port P]   run the portal (the same as `python main.py`)
    stockfront migrate                       bring the database up to this version's schema
    stockfront backup [TARGET]               copy the database and its images into a new folder while the portal runs
    stockfront restore SOURCE [--replace]    put a backup in place (refused while the portal runs)
    stockfront check                         integrity, stock invariant, image files; exit 1 on a problem
    stockfront import products|stock|customers|users|price_lists FILE [--dry-run] [--valid-only] [--images ZIP]
                                             preview a CSV or XLSX file's rows and apply them (one transaction);
                                             exit 1 when rows were refused (nothing is changed without --valid-only);
                                             recorded in the import history as `command line (os user)`
    stockfront export products|stock|customers|users|orders|backorders|deliveries|price_lists [--format csv|xlsx]
                                             [-o FILE] [--since DAY] [--until DAY] [--status S] [--customer CODE]
                                             (the filters: orders, backorders, deliveries)

Settings come from the same STOCKFRONT_* variables as the portal. Exit codes: 0 done, 1 `check` found a problem,
2 the command could not do its work (the reason is printed on standard error). A new command is a function
`_name(args) -> int` and a parser in `build_parser`, calling the same services as the pages.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import runpy
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from app import health
from app.core import backup, config, db, migrations
from app.core.errors import ValidationError
from app.core.logging import audit, configure_logging
from app.identity.access import SYSTEM
from app.models import OrderStatus
from app.transfer import exports, imports

log = logging.getLogger(__name__)


class CommandError(RuntimeError):
    """The command cannot do its work; the message says why, for the operator."""


def _settings() -> config.Settings:
    settings = config.load()
    config.set_settings(settings)
    return settings


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


def _sqlite_file(url: str) -> Path | None:
    return Path(url.removeprefix('sqlite:///')) if url.startswith('sqlite:///') else None


def _plain_engine(url: str) -> Engine:
    """An engine that creates no table and runs no migration, connected once to prove the database is there."""
    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.execute(text('SELECT 1'))
    except (ModuleNotFoundError, NoSuchModuleError, SQLAlchemyError) as error:
        reason = str(getattr(error, 'orig', None) or error).strip().splitlines()[0]
        raise CommandError(f'Cannot use the database {_shown(url)}: {reason}') from error
    return engine


# --- serve ----------------------------------------------------------------------------------------


def main_file() -> Path:
    """The portal's main.py: beside the packages in a checkout or editable install, else the installed module."""
    beside = Path(__file__).resolve().parents[1] / 'main.py'
    if beside.is_file():
        return beside
    spec = importlib.util.find_spec('main')
    if spec is None or spec.origin is None:
        raise CommandError('The portal (main.py) is not installed beside this command.')
    return Path(spec.origin)


def _serve(args: argparse.Namespace) -> int:
    if args.host:
        os.environ['STOCKFRONT_HOST'] = args.host
    if args.port:
        os.environ['STOCKFRONT_PORT'] = str(args.port)
    try:
        runpy.run_path(str(main_file()), run_name='__main__')  # main.py builds the app and serves it until stopped
    except KeyboardInterrupt:  # Ctrl-C: the server has shut down already
        return 130
    return 0


# --- migrate --------------------------------------------------------------------------------------


def _upgrade(url: str) -> tuple[list[str], str]:
    """Apply the pending revisions as the portal does at start: (the revisions that ran, the revision now).

    The one place that knows how migrations are run (app/core/migrations, Alembic).
    """
    if (path := _sqlite_file(url)) is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    _plain_engine(url).dispose()  # a database that cannot be reached is named in one line
    ran = migrations.upgrade(url)
    return ran, migrations.current_revision(url) or 'none'


def _migrate(_args: argparse.Namespace) -> int:
    settings = _settings()
    ran, now = _upgrade(settings.database_url)
    shown = _shown(settings.database_url)
    if ran:
        print(f'{shown}: ran revision {", ".join(ran)}; now at revision {now}.')
    else:
        print(f'{shown}: up to date at revision {now}.')
    return 0


# --- backup and restore ---------------------------------------------------------------------------


def _backup(args: argparse.Namespace) -> int:
    _settings()
    made = backup.backup(Path(args.target) if args.target else None)
    audit('backup.written', folder=str(made.folder), images=made.images, missing=len(made.missing))
    print(f'Backup written to {made.folder} (the database and {made.images} image files)')
    if made.missing:
        print(
            f'Warning: {len(made.missing)} image files the database names were missing from the upload folder '
            'already; `stockfront check` lists them.',
            file=sys.stderr,
        )
    return 0


def _restore(args: argparse.Namespace) -> int:
    _settings()
    done = backup.restore(Path(args.source), replace=args.replace)
    audit('backup.restored', source=str(Path(args.source).resolve()), images=done.images, set_aside=str(done.set_aside))
    print(f'Restored {args.source} to {done.database} with {done.images} image files.')
    if done.set_aside:
        print(f'The data it replaced is in {done.set_aside}.')
    print('Start the portal (it brings an older backup up to date), or run `stockfront check` first.')
    return 0


# --- check ----------------------------------------------------------------------------------------


def _check(_args: argparse.Namespace) -> int:
    settings = _settings()
    url = settings.database_url
    if _sqlite_file(url) and not _sqlite_file(url).is_file():
        raise CommandError(f'No database at {_sqlite_file(url)}.')
    engine = _plain_engine(url)  # a check changes nothing: no table created, no migration run
    try:
        findings = health.run_checks(engine, upload_dir=settings.upload_dir)
    finally:
        engine.dispose()
    print(f'Checking {_shown(url)}')
    print(health.report(findings))
    return 0 if all(finding.ok for finding in findings) else 1


# --- import and export ----------------------------------------------------------------------------

SHOWN_ROWS = 100  # changed rows listed by name; the counts say the rest


def _database() -> None:
    db.configure(_settings().database_url)  # brings the database up to date, as the portal does at start


def _import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as error:
        raise CommandError(f'Cannot read {path}: {error.strerror or error}') from error
    images, images_name = None, ''
    if args.images:
        if args.kind != imports.Kind.PRODUCTS:
            raise CommandError('--images goes with a products file.')
        images_path = Path(args.images)
        try:
            images, images_name = images_path.read_bytes(), images_path.name
        except OSError as error:
            raise CommandError(f'Cannot read {images_path}: {error.strerror or error}') from error
    _database()
    try:
        # one write transaction (products: checked first, without the write lock): a stopped import leaves nothing
        report = imports.import_file(
            SYSTEM,
            kind=args.kind,
            content=content,
            filename=path.name,
            apply=not args.dry_run,
            valid_only=args.valid_only,
            images=images,
            images_filename=images_name,
            source='command',
        )
    except ValidationError as error:  # the file as a whole (tables.FileRefused), or the ZIP of images
        raise CommandError(f'{path}: {error.message} Nothing was changed.') from error
    refused_rows = len({refusal.row for refusal in report.refused})
    print(
        f'{path.name}: {len(report.new)} new, {len(report.changed)} changed, {len(report.unchanged)} unchanged, '
        f'{refused_rows} refused.'
    )
    if report.ignored_columns:
        print(f'Columns not read: {", ".join(report.ignored_columns)}.')
    for note in report.notes:
        print(note)
    for change in report.changed[:SHOWN_ROWS]:
        print(f'  changed  row {change.row} {change.key}: {", ".join(change.fields)}')
    if len(report.changed) > SHOWN_ROWS:
        print(f'  ... and {len(report.changed) - SHOWN_ROWS} more changed rows')
    for refusal in report.refused:
        column = f', column {refusal.column}' if refusal.column else ''
        print(f'  refused  row {refusal.row}{column}: {refusal.reason}')
    if args.dry_run:
        print('Dry run: nothing was changed.')
    elif not report.applied:
        print('Nothing was changed: fix the refused rows, or apply only the valid rows with --valid-only.')
    else:
        audit(
            'import.applied',
            kind=args.kind,
            file=path.name,
            new=len(report.new),
            changed=len(report.changed),
            refused=refused_rows,
        )
        print('Applied, leaving out the refused rows.' if refused_rows else 'Applied.')
    return 1 if report.refused else 0


def _export(args: argparse.Namespace) -> int:
    output = Path(args.output) if args.output and args.output != '-' else None
    fmt = args.format or ('xlsx' if output and output.suffix.lower() == '.xlsx' else 'csv')
    try:
        wanted = exports.order_filter(since=args.since, until=args.until, status=args.status, customer=args.customer)
    except ValidationError as error:
        raise CommandError(error.message) from error
    _database()

    def write(target: IO[bytes]) -> None:
        with db.read_session() as session:  # one snapshot, read while it is written
            exports.write(target, exports.export(session, actor=SYSTEM, kind=args.kind, orders=wanted), fmt)

    if output is None:
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return 0
    partial = output.with_name(f'.{output.name}.partial')  # a stopped export leaves no half file under the name
    try:
        with partial.open('wb') as target:
            write(target)
        partial.replace(output)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CommandError(f'Cannot write {output}: {error.strerror or error}') from error
    audit('export.written', kind=args.kind, file=str(output), format=fmt)
    print(f'Wrote {output}', file=sys.stderr)
    return 0


# --- the command ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='stockfront', description="Stockfront's operator commands (settings from the STOCKFRONT_* variables)."
    )
    commands = parser.add_subparsers(dest='command', required=True, metavar='COMMAND')

    serve = commands.add_parser('serve', help='run the portal (like python main.py)')
    serve.add_argument('--host', help='listen on this address (default: STOCKFRONT_HOST)')
    serve.add_argument('--port', type=int, help='listen on this port (default: STOCKFRONT_PORT)')
    serve.set_defaults(run=_serve)

    commands.add_parser('migrate', help="bring the database up to this version's schema").set_defaults(run=_migrate)

    make = commands.add_parser('backup', help='copy the database and its image files into a new folder')
    make.add_argument('target', nargs='?', help='the folder to create (default: data/backups/stockfront-STAMP)')
    make.set_defaults(run=_backup)

    restore = commands.add_parser('restore', help='put a backup folder in place of the database and images')
    restore.add_argument('source', help='a folder made by `stockfront backup`')
    restore.add_argument(
        '--replace', action='store_true', help='replace an existing database (it is moved aside, never deleted)'
    )
    restore.set_defaults(run=_restore)

    commands.add_parser('check', help='integrity, stock invariant and image files; exit 1 on a problem').set_defaults(
        run=_check
    )

    load = commands.add_parser(
        'import', help='preview and apply a CSV or XLSX file of products, stock, customers, users or price lists'
    )
    load.add_argument('kind', choices=[kind.value for kind in imports.Kind])
    load.add_argument('file', help='a .csv (comma, semicolon or tab separated) or .xlsx file with a header row')
    load.add_argument('--dry-run', action='store_true', help='say what the file would do and change nothing')
    load.add_argument('--valid-only', action='store_true', help='apply the valid rows even when others are refused')
    load.add_argument('--images', metavar='ZIP', help='products: a ZIP of the image files the images column names')
    load.set_defaults(run=_import)

    out = commands.add_parser(
        'export', help='write products, stock, customers, users, orders, backorders, deliveries or price lists'
    )
    out.add_argument('kind', choices=[kind.value for kind in exports.Kind])
    out.add_argument('--format', choices=[fmt.value for fmt in exports.Format], help='default: from -o, else csv')
    out.add_argument('-o', '--output', help='the file to write (default: standard output)')
    out.add_argument('--since', default='', help='orders placed on or after this day (2026-12-01)')
    out.add_argument('--until', default='', help='orders placed on or before this day')
    out.add_argument('--status', default='', help='orders with this status (' + ', '.join(OrderStatus) + ')')
    out.add_argument('--customer', default='', help='orders of the customer with this code')
    out.set_defaults(run=_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        configure_logging()
        return args.run(args)
    except (
        CommandError,
        config.ConfigError,
        backup.BackupError,
        db.DatabaseUnavailable,
        migrations.SchemaError,
    ) as error:
        print(f'stockfront {args.command}: {error}', file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main())
