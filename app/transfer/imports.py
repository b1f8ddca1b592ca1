"""Imports: what a file of products, stock, customers, portal users or price lists would do (the preview) and
doing it.

Every row goes through the same rules as the admin forms (app.catalogue.products, app.orders.stock,
app.identity.accounts, app.catalogue.catalogue, app.pricing): one set of rules, not two.

Products and stock (the large files) go the bulk way (app/transfer/bulk.py, stock_bulk.py): the rows are checked
in memory against what the database has, read once, with the forms' and the stock services' pure checks, so a
preview takes no write lock at all (a large file is checked in a process of its own, app/transfer/checking.py), and
applying writes in a few statements in one transaction. The other kinds run row by row through the services
(customer_rows.py, user_rows.py, price_list_rows.py), inside a savepoint per row (a refused row leaves nothing
behind) and a savepoint for the whole, rolled back for a preview.
With one refused row nothing at all is kept unless the supplier chose `valid_only` ("apply the valid rows").
Either way the database is never half-imported, also when the process is killed midway: an applied import is one
transaction. `import_file` is what the admin page and the command call: it runs the import in transactions of its
own, reports progress, and writes the import history (app/transfer/history.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from sqlmodel import Session

from app.core import db, portal_settings
from app.core.errors import Message, NotFound, ValidationError
from app.core.i18n import N_, ngettext
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.transfer import bulk, checking, history, stock_bulk, tables
from app.transfer.customer_rows import CUSTOMER_COLUMNS, customer_row
from app.transfer.import_report import Change, Kind, Outcome, Refusal, Report
from app.transfer.price_list_rows import PRICE_LIST_COLUMNS, run_price_lists
from app.transfer.product_columns import PRODUCT_COLUMNS, STOCK_COLUMNS
from app.transfer.tables import Row, Table, repeated_code
from app.transfer.user_rows import USER_COLUMNS, user_row

RowHandler = Callable[[Session, Identity, Row, Table], Outcome]


Progress = bulk.Progress


def columns_of(session: Session, kind: Kind) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The fields a kind of file is read into (field -> the column names it is known by) and those required."""
    columns, required, _handler = _KINDS[kind]
    if kind == Kind.PRODUCTS:  # the translations' columns, for each language besides the default one
        columns = {**columns, **bulk.translation_columns(portal_settings.default_language(session))}
    return columns, required


def import_file(
    actor: Identity,
    /,
    *,
    kind: Kind | str,
    content: bytes,
    filename: str,
    apply: bool = False,
    valid_only: bool = False,
    images: bytes | None = None,
    images_filename: str = '',
    source: str = 'admin',
    progress: Progress | None = None,
) -> Report:
    """The import as the admin page and the command run it, in transactions of its own, recorded in the import
    history. Products and stock are checked in a read-only session (no write lock; the images decoded there too),
    a large file in a process of its own (checking.py: the portal's event loop keeps the GIL), and written in one
    short write transaction, checked again there only when its products changed meanwhile; the other kinds run in
    one write transaction."""
    ensure_admin(actor)
    kind = Kind(kind)
    started = time.perf_counter()
    if progress:
        progress(N_('Reading the file'), 0, 0)

    def recorded(session: Session, report: Report) -> Report:
        entry = history.record(
            session,
            actor=actor,
            report=report,
            filename=filename,
            images_filename=images_filename,
            source=source,
            dry_run=not apply,
            seconds=time.perf_counter() - started,
        )
        report.record_id = entry.id
        return report

    if kind not in BULK_KINDS:
        with db.write_session() as session:
            table = _read(session, kind, content, filename)
            report = _run_in_savepoint(
                session, actor, kind, table, apply=apply, valid_only=valid_only, progress=progress
            )
            return recorded(session, report)
    checked = None
    if len(content) >= checking.IN_PROCESS_BYTES:  # a large file: checked in a process of its own
        checked = checking.check(kind=kind, content=content, filename=filename, images=images, progress=progress)
    if checked is None:
        checked = check_rows(kind=kind, content=content, filename=filename, images=images, progress=progress)
    table, planned = checked
    report = _bulk_report(kind, planned, table)
    if not apply or (report.refused and not valid_only):
        with db.write_session() as session:
            return recorded(session, report)
    with db.write_session() as session:  # the one transaction: a stopped import leaves nothing behind
        unchanged = (bulk.unchanged_since if kind == Kind.PRODUCTS else stock_bulk.unchanged_since)(session, planned)
        if not unchanged:  # changed meanwhile: checked again, under the lock
            zip_files = _zip_files(kind, images)
            table = table if table.rows else _read(session, kind, content, filename)  # checked in another process
            planned = _plan(session, kind, table, zip_files, None)
            report = _bulk_report(kind, planned, table)
        if not report.refused or valid_only:
            _write(session, kind, actor, planned, progress)
            report.applied = True
        return recorded(session, report)


BULK_KINDS = (Kind.PRODUCTS, Kind.STOCK)  # checked in memory and written in few statements


def check_rows(
    *, kind: Kind | str, content: bytes, filename: str, images: bytes | None = None, progress: Progress | None = None
) -> tuple[Table, bulk.Planned | stock_bulk.StockPlan]:
    """Read a products or stock file and check its rows in a read session (no write lock); nothing is written."""
    kind = Kind(kind)
    zip_files = _zip_files(kind, images)
    with db.read_session() as session:
        table = _read(session, kind, content, filename)
        return table, _plan(session, kind, table, zip_files, progress)


def _zip_files(kind: Kind, images: bytes | None) -> dict[str, bytes]:
    """The images of a products file (name -> content); the other kinds name none."""
    return bulk.read_zip(images) if kind == Kind.PRODUCTS else {}


def _plan(
    session: Session, kind: Kind, table: Table, zip_files: Mapping[str, bytes], progress: Progress | None
) -> bulk.Planned | stock_bulk.StockPlan:
    if kind == Kind.PRODUCTS:
        return bulk.plan(session, table, zip_files=zip_files, progress=progress)
    return stock_bulk.plan(session, table, progress=progress)


def _write(session: Session, kind: Kind, actor: Identity, planned: object, progress: Progress | None) -> None:
    if kind == Kind.PRODUCTS:
        bulk.write(session, actor=actor, planned=planned, progress=progress)
    else:
        stock_bulk.write(session, actor=actor, planned=planned, progress=progress)


def _read(session: Session, kind: Kind, content: bytes, filename: str) -> Table:
    columns, required = columns_of(session, kind)
    return tables.read_table(content, filename, columns=columns, required=required)


def _bulk_report(kind: Kind, planned: bulk.Planned | stock_bulk.StockPlan, table: Table) -> Report:
    report = Report(kind=kind, ignored_columns=table.ignored)
    lists = {'new': report.new, 'changed': report.changed, 'unchanged': report.unchanged}
    for number, outcome, code, fields in planned.outcomes:
        lists[outcome].append(Change(number, code, fields))
    report.refused = [Refusal(number, column, reason) for number, column, reason in sorted(planned.refused)]
    return report


def _run_in_savepoint(
    session: Session,
    actor: Identity,
    kind: Kind,
    table: Table,
    *,
    apply: bool,
    valid_only: bool,
    progress: Progress | None = None,
) -> Report:
    report = Report(kind=kind, ignored_columns=table.ignored)
    announced = set(session.info.get('pending_events', ()))
    everything = session.begin_nested()
    if kind == Kind.PRICE_LISTS:
        run_price_lists(session, actor, table, report)
    else:
        _run_rows(session, actor, table, _KINDS[kind][2], report, progress)
    if not apply or (report.refused and not valid_only):
        everything.rollback()
        session.info['pending_events'] = announced  # what was rolled back is announced to no page
    else:
        everything.commit()
        report.applied = True
    if kind == Kind.USERS:
        without = session.info.pop('users_without_password', 0)
        if without:
            report.notes.append(ngettext(
                "{n} new portal user has no password until you give it one on its customer's page (Reset password): "
                'files never carry passwords.',
                "{n} new portal users have no password until you give them one on their customer's page (Reset "
                'password): files never carry passwords.',
                without,
            ))  # fmt: skip
    return report


def _run_rows(
    session: Session, actor: Identity, table: Table, handler: RowHandler, report: Report, progress: Progress | None
) -> None:
    key_field = 'username' if report.kind == Kind.USERS else 'code'
    duplicates = table.repeated(key_field)
    for index, row in enumerate(table.rows):
        if progress and index % 200 == 0:
            progress(N_('Checking the rows'), index, len(table.rows))
        key = row.values.get(key_field, '').upper()
        if row.number in duplicates:
            if key_field == 'username':
                first, second = duplicates[row.number]
                reason = Message(
                    'The user name {username} is in rows {first} and {second}.',
                    username=key.lower(),
                    first=first,
                    second=second,
                ).message
            else:
                reason = repeated_code(key, duplicates[row.number])
            report.refused.append(Refusal(row.number, table.headers[key_field], reason))
            continue
        savepoint = session.begin_nested()
        try:
            outcome, fields = handler(session, actor, row, table)
            savepoint.commit()
        except bulk.Refused as refused:
            savepoint.rollback()
            report.refused.append(Refusal(row.number, refused.column, refused.reason))
            continue
        except (ValidationError, NotFound) as error:
            savepoint.rollback()
            column = _column_of(getattr(error, 'field', None), table)
            report.refused.append(Refusal(row.number, column, error.message))
            continue
        {'new': report.new, 'changed': report.changed, 'unchanged': report.unchanged}[outcome].append(
            Change(row.number, key, fields)
        )


# A service's field name -> the import's column
_FIELD_COLUMNS = {
    'price_cents': 'price', 'counted': 'on_hand', 'quantity': 'received', 'catalogue_mode': 'catalogue',
    'customer_id': 'customer',
}  # fmt: skip


def _column_of(service_field: str | None, table: Table) -> str:
    name = _FIELD_COLUMNS.get(service_field or '', service_field or '')
    return table.headers.get(name, '')


_KINDS: dict[Kind, tuple[dict[str, tuple[str, ...]], tuple[str, ...], RowHandler | None]] = {
    Kind.PRODUCTS: (PRODUCT_COLUMNS, ('code',), None),  # the bulk way: app/transfer/bulk.py
    Kind.STOCK: (STOCK_COLUMNS, ('code',), None),  # the bulk way: app/transfer/stock_bulk.py
    Kind.CUSTOMERS: (CUSTOMER_COLUMNS, ('code',), customer_row),
    Kind.USERS: (USER_COLUMNS, ('username',), user_row),
    Kind.PRICE_LISTS: (PRICE_LIST_COLUMNS, ('price_list',), None),
}
