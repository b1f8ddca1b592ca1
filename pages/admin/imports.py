"""Import and export for the supplier: upload a CSV or XLSX file, see what it would do, apply it; download exports.

Every rule is the services' (app/transfer): the preview is the import run and rolled back, applying is one
transaction. Both run in a worker thread (run.io_bound), never on the event loop; so do the exports.
"""

from __future__ import annotations

import io

from nicegui import events, run, ui

from app.core import db, i18n
from app.core.i18n import N_, _
from app.identity.auth import Identity
from app.models import OrderStatus, Role
from app.transfer import exports, imports, tables
from app.transfer.imports import Kind, Report
from components import guard
from components.image_upload import read_at_most
from components.page import portal_page
from components.section import section

PATH = '/admin/imports'
ACCEPT = '.csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
SHOWN_ROWS = 200

KINDS = {
    Kind.PRODUCTS: N_('Products'),
    Kind.STOCK: N_('Stock'),
    Kind.CUSTOMERS: N_('Customers'),
    Kind.PRICE_LISTS: N_('Price lists'),
}
COLUMNS = {
    Kind.PRODUCTS: N_(
        'Columns: code, name, description, barcode, unit, price, active, vat_class (standard, reduced or zero), '
        'min_quantity, order_multiple (the pack size), backorders (yes, no or portal).'
    ),
    Kind.STOCK: N_('Columns: code and on_hand (a count) or received (a receipt), and a note.'),
    Kind.CUSTOMERS: N_('Columns: code, name, language, recipient, street, postal_code, city, country.'),
    Kind.PRICE_LISTS: N_(
        "Columns: price_list, code, from_quantity, price and the list's discount. A product's rows in a list are "
        'all its prices there: they replace what it had.'
    ),
}
EXPORTS = {
    exports.Kind.PRODUCTS: N_('Products'),
    exports.Kind.STOCK: N_('Stock with reserved and free'),
    exports.Kind.CUSTOMERS: N_('Customers with their address'),
    exports.Kind.USERS: N_('Portal users'),
    exports.Kind.ORDERS: N_('Orders, one row per line'),
    exports.Kind.PRICE_LISTS: N_('Price lists with their fixed prices and tiers'),
}
MEDIA_TYPES = {
    exports.Format.CSV: 'text/csv',
    exports.Format.XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}


class ImportView:
    """The kind chosen, the uploaded file and what it would do."""

    def __init__(self) -> None:
        self.kind = Kind.PRODUCTS
        self.content: bytes | None = None
        self.filename = ''
        self.report: Report | None = None
        with ui.row().classes('w-full items-center gap-3'):
            ui.toggle({kind: _(label) for kind, label in KINDS.items()}, value=self.kind).props(
                'no-caps unelevated'
            ).mark('import-kind').on_value_change(lambda e: self.choose(e.value))
            self.hint = ui.label(_(COLUMNS[self.kind])).classes('text-body2 text-grey-7')
        ui.label(
            _(
                'Column names may be in English, Dutch or German; comma, semicolon or tab separated; '
                'prices as 12.50 or 12,50.'
            )
        ).classes('text-caption text-grey-7')
        ui.upload(
            auto_upload=True,
            max_file_size=tables.MAX_BYTES,
            label=_('Choose or drop a CSV or Excel file'),
            on_upload=lambda e: preview_upload(self, e),
            on_rejected=lambda: ui.notify(_('This file is too large.'), type='negative'),
        ).props(f'accept="{ACCEPT}" flat bordered color=primary').classes('w-full').mark('import-upload')
        self.result = ui.column().classes('w-full gap-2').mark('import-result')

    def choose(self, kind: str) -> None:
        self.kind = Kind(kind)
        self.hint.text = _(COLUMNS[self.kind])
        self.forget()

    def forget(self) -> None:
        self.content, self.filename, self.report = None, '', None
        self.result.clear()

    def show(self, report: Report, *, applied: bool = False) -> None:
        self.report = report
        self.result.clear()
        refused_rows = len({refusal.row for refusal in report.refused})
        with self.result:
            ui.label(
                _('{file}: {new} new, {changed} changed, {unchanged} unchanged, {refused} refused.').format(
                    file=self.filename,
                    new=i18n.number(len(report.new)),
                    changed=i18n.number(len(report.changed)),
                    unchanged=i18n.number(len(report.unchanged)),
                    refused=i18n.number(refused_rows),
                )
            ).classes('text-body1 text-weight-medium').mark('import-counts')
            if report.ignored_columns:
                ui.label(_('Columns not read: {columns}').format(columns=', '.join(report.ignored_columns)))
            if report.refused:
                _table(
                    [(_('Row'), 'row'), (_('Column'), 'column'), (_('Reason'), 'reason')],
                    [{'row': r.row, 'column': r.column, 'reason': r.reason} for r in report.refused[:SHOWN_ROWS]],
                    mark='import-refused',
                )
            if report.changed:
                _table(
                    [(_('Row'), 'row'), (_('Code'), 'key'), (_('Changes'), 'fields')],
                    [{'row': c.row, 'key': c.key, 'fields': ', '.join(c.fields)} for c in report.changed[:SHOWN_ROWS]],
                    mark='import-changed',
                )
            if applied:
                ui.label(_('Imported.')).classes('text-positive text-weight-medium').mark('import-done')
                return
            changes = bool(report.new or report.changed)
            with ui.row().classes('gap-2'):
                if not report.refused:
                    ui.button(_('Apply'), icon='check', on_click=lambda: apply_upload(self, False)).props(
                        'unelevated no-caps'
                    ).mark('import-apply').set_enabled(changes)
                elif changes:
                    ui.label(_('Nothing is changed while rows are refused, unless you apply only the valid rows.'))
                    ui.button(_('Apply the valid rows'), icon='rule', on_click=lambda: apply_upload(self, True)).props(
                        'outline no-caps'
                    ).mark('import-apply-valid')


def _table(columns: list[tuple[str, str]], rows: list[dict], *, mark: str) -> None:
    ui.table(
        columns=[{'name': key, 'label': label, 'field': key, 'align': 'left'} for label, key in columns],
        rows=rows,
        row_key='row',
    ).props('flat bordered dense').classes('w-full').mark(mark)


def run_file(who: Identity, kind: Kind, content: bytes, filename: str, *, apply: bool, valid_only: bool) -> Report:
    """The import in a write transaction of its own (in a worker thread)."""
    with db.write_session() as session:
        return imports.run_import(
            session, actor=who, kind=kind, content=content, filename=filename, apply=apply, valid_only=valid_only
        )


def export_file(who: Identity, kind: exports.Kind, fmt: exports.Format, wanted: exports.OrderFilter) -> bytes:
    """The export's file (in a worker thread)."""
    target = io.BytesIO()
    with db.read_session() as session:
        exports.write(target, exports.export(session, actor=who, kind=kind, orders=wanted), fmt)
    return target.getvalue()


class OrderFilterFields:
    """Which orders the orders export has: placed from and until a day, a status, a customer's code."""

    def __init__(self) -> None:
        with ui.row().classes('w-full items-center gap-2'):
            self.since = ui.input(_('Placed from'), placeholder='2026-12-01').props('dense outlined').mark('since')
            self.until = ui.input(_('Placed until'), placeholder='2026-12-31').props('dense outlined').mark('until')
            statuses = {'': _('Any status'), **{status.value: _(status.label) for status in OrderStatus}}
            self.status = ui.select(statuses, value='', label=_('Status')).props('dense outlined').mark('status')
            self.customer = ui.input(_('Customer code')).props('dense outlined').mark('customer')

    def chosen(self) -> exports.OrderFilter:
        return exports.order_filter(
            since=self.since.value or '',
            until=self.until.value or '',
            status=self.status.value or '',
            customer=self.customer.value or '',
        )


@guard.admin_action
async def preview_upload(who: Identity, view: ImportView, e: events.UploadEventArguments) -> None:
    view.forget()
    content = await read_at_most(e.file, tables.MAX_BYTES)
    filename = e.file.name or 'upload.csv'
    report = await run.io_bound(run_file, who, view.kind, content, filename, apply=False, valid_only=False)
    view.content, view.filename = content, filename
    view.show(report)


@guard.admin_action
async def apply_upload(who: Identity, view: ImportView, valid_only: bool) -> None:
    if view.content is None:
        ui.notify(_('Choose a file first.'), type='warning')
        return
    content, view.content = view.content, None  # applied once: a second click does not receive stock twice
    report = await run.io_bound(run_file, who, view.kind, content, view.filename, apply=True, valid_only=valid_only)
    view.show(report, applied=report.applied)
    if report.applied:
        ui.notify(
            _('Imported: {new} new, {changed} changed.').format(
                new=i18n.number(len(report.new)), changed=i18n.number(len(report.changed))
            ),
            type='positive',
        )


@guard.admin_action
async def download_export(who: Identity, kind: str, fmt: str, filters: OrderFilterFields | None) -> None:
    kind, fmt = exports.Kind(kind), exports.Format(fmt)
    wanted = filters.chosen() if filters is not None else exports.OrderFilter()
    content = await run.io_bound(export_file, who, kind, fmt, wanted)
    ui.download.content(content, f'{kind.value}.{fmt.value}', MEDIA_TYPES[fmt])


@portal_page(PATH, role=Role.ADMIN, title=N_('Import and export'), menu=PATH)
def imports_page(who: Identity) -> None:
    with section(_('Import'), 'upload_file', _('Nothing changes until you apply what the preview shows.')):
        ImportView()
    with section(_('Export'), 'download', _('CSV opens in any spreadsheet; Excel keeps numbers as numbers.')):
        for kind, label in EXPORTS.items():
            with ui.row().classes('w-full items-center gap-2'):
                ui.label(_(label)).classes('col-grow')
                buttons = ui.row().classes('gap-1')
            filters = OrderFilterFields() if kind == exports.Kind.ORDERS else None
            with buttons:
                for fmt, text in ((exports.Format.CSV, 'CSV'), (exports.Format.XLSX, 'Excel')):
                    ui.button(
                        text, icon='download', on_click=lambda k=kind, f=fmt, o=filters: download_export(k, f, o)
                    ).props('flat no-caps').mark(f'export-{kind.value}-{fmt.value}')
