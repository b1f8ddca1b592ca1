"""Import and export for the supplier: upload a CSV or XLSX file (and a ZIP of images), see what it would do, apply
it; download exports; read the import history.

Every rule is the services' (app/transfer): the preview changes nothing, applying is one transaction. Both run in a
worker thread (run.io_bound), never on the event loop, reporting their progress to a bar the page draws every
quarter second; so do the exports. The portal keeps answering meanwhile.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

from nicegui import events, run, ui

from app.core import db, i18n
from app.core.i18n import N_, _
from app.identity.auth import Identity
from app.models import OrderStatus, Role
from app.transfer import exports, history, imports, tables
from app.transfer.imports import Kind, Report
from components import guard
from components.image_upload import read_at_most, titled_upload
from components.page import portal_page
from components.section import section

PATH = '/admin/imports'
ACCEPT = '.csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
ACCEPT_ZIP = '.zip,application/zip'
MAX_ZIP_BYTES = 500 * 1024 * 1024
SHOWN_ROWS = 200

KINDS = {
    Kind.PRODUCTS: N_('Products'),
    Kind.STOCK: N_('Stock'),
    Kind.CUSTOMERS: N_('Customers'),
    Kind.USERS: N_('Portal users'),
    Kind.PRICE_LISTS: N_('Price lists'),
}
COLUMNS = {
    Kind.PRODUCTS: N_(
        'Columns: code, name, description, barcode, unit, price, active, vat_class (standard, reduced or zero), '
        'min_quantity, order_multiple (the pack size), backorders (yes, no or portal), images (file names in the ZIP), '
        'category (a path such as Fasteners > Screws, several separated by |), name_nl, description_de and so on '
        '(the texts per language).'
    ),
    Kind.STOCK: N_('Columns: code and on_hand (a count) or received (a receipt), and a note.'),
    Kind.CUSTOMERS: N_(
        'Columns: code, name, language, recipient, street, postal_code, city, country, catalogue (all or selection), '
        'products (the codes of the selection).'
    ),
    Kind.USERS: N_(
        'Columns: username, full_name, email, language, active, customer (its code), role. Files never carry '
        "passwords: give new users one on their customer's page."
    ),
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
    exports.Kind.BACKORDERS: N_('Backorders, one row per order line'),
    exports.Kind.DELIVERIES: N_('Deliveries, one row per product delivered'),
    exports.Kind.PRICE_LISTS: N_('Price lists with their fixed prices and tiers'),
}
FILTERED = (exports.Kind.ORDERS, exports.Kind.BACKORDERS, exports.Kind.DELIVERIES)
MEDIA_TYPES = {
    exports.Format.CSV: 'text/csv',
    exports.Format.XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}


class Progress:
    """What the worker thread is doing, read by the page's timer (set from another thread: plain values only)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.what, self.done, self.total, self.running = '', 0, 0, False

    def __call__(self, what: str, done: int, total: int) -> None:
        with self.lock:
            self.what, self.done, self.total = what, done, total


class ImportView:
    """The kind chosen, the uploaded file (and ZIP of images) and what it would do."""

    def __init__(self, on_recorded: Callable[[], None] = lambda: None) -> None:
        self.kind = Kind.PRODUCTS
        self.content: bytes | None = None
        self.filename = ''
        self.images: bytes | None = None
        self.images_filename = ''
        self.report: Report | None = None
        self.progress = Progress()
        self.on_recorded = on_recorded
        with ui.row().classes('w-full items-center gap-3'):
            ui.toggle({kind: _(label) for kind, label in KINDS.items()}, value=self.kind).props(
                'no-caps unelevated'
            ).style('flex-wrap: wrap').mark('import-kind').on_value_change(lambda e: self.choose(e.value))
        self.hint = ui.label(_(COLUMNS[self.kind])).classes('text-body2 text-grey-7')
        ui.label(
            _(
                'Column names may be in English, Dutch or German; comma, semicolon or tab separated; '
                'prices as 12.50 or 12,50.'
            )
        ).classes('text-caption text-grey-7')
        with ui.row().classes('w-full gap-3 items-stretch wrap'):
            upload = titled_upload(
                _('Choose or drop a CSV or Excel file'),
                accept=ACCEPT,
                max_bytes=tables.MAX_BYTES,
                icon='upload_file',
                on_upload=lambda e: preview_upload(self, e),
            )
            self.zip_upload = titled_upload(
                _('Images (a ZIP file, optional)'),
                accept=ACCEPT_ZIP,
                max_bytes=MAX_ZIP_BYTES,
                icon='folder_zip',
                on_upload=lambda e: attach_images(self, e),
            )
            upload.classes('col-grow min-w-[260px]').mark('import-upload')
            self.zip_upload.classes('col-grow min-w-[260px]').mark('import-images')
        self.images_label = ui.label('').classes('text-caption text-grey-8').mark('import-images-name')
        with ui.column().classes('w-full gap-1') as self.progress_box:
            self.progress_label = ui.label('').classes('text-body2').mark('import-progress-label')
            self.bar = (
                ui.linear_progress(value=0, show_value=False, size='10px').props('rounded').mark('import-progress')
            )
        self.progress_box.set_visibility(False)
        ui.timer(0.25, self.draw_progress)
        self.result = ui.column().classes('w-full gap-2').mark('import-result')

    def draw_progress(self) -> None:
        with self.progress.lock:
            what, done, total, running = (
                self.progress.what,
                self.progress.done,
                self.progress.total,
                self.progress.running,
            )
        self.progress_box.set_visibility(running)
        if not running:
            return
        self.bar.value = done / total if total else 0
        self.progress_label.text = (
            _('{what}: {done} of {total} rows').format(what=_(what), done=i18n.number(done), total=i18n.number(total))
            if total
            else (_(what) if what else _('Reading the file'))
        )

    def choose(self, kind: str) -> None:
        self.kind = Kind(kind)
        self.hint.text = _(COLUMNS[self.kind])
        self.zip_upload.set_visibility(self.kind == Kind.PRODUCTS)
        self.forget()
        self.images, self.images_filename, self.images_label.text = None, '', ''

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
            for text in report.notes:
                ui.label(text).classes('text-body2 text-warning').mark('import-note')
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


def run_file(who: Identity, view: ImportView, *, apply: bool, valid_only: bool, language: str) -> Report:
    """The import in transactions of its own (in a worker thread, which does not inherit the page's language: the
    report's reasons are written in `language`), its progress on the view's bar."""
    view.progress.running = True
    try:
        with i18n.speaking(language):
            return imports.import_file(
                who,
                kind=view.kind,
                content=view.content or b'',
                filename=view.filename,
                apply=apply,
                valid_only=valid_only,
                images=view.images,
                images_filename=view.images_filename,
                source='admin',
                progress=view.progress,
            )
    finally:
        view.progress.running = False
        view.progress('', 0, 0)


def export_file(who: Identity, kind: exports.Kind, fmt: exports.Format, wanted: exports.OrderFilter) -> bytes:
    """The export's file (in a worker thread)."""
    target = io.BytesIO()
    with db.read_session() as session:
        exports.write(target, exports.export(session, actor=who, kind=kind, orders=wanted), fmt)
    return target.getvalue()


class OrderFilterFields:
    """Which orders the orders export has: placed from and until a day, a status, a customer's code."""

    def __init__(self, kind: str = 'orders') -> None:
        prefix = '' if kind == 'orders' else f'{kind}-'  # the orders' fields keep their plain markers
        since, until = (
            (_('Delivered from'), _('Delivered until'))
            if kind == 'deliveries'
            else (_('Placed from'), _('Placed until'))
        )
        with ui.row().classes('w-full items-center gap-2'):
            self.since = ui.input(since, placeholder='2026-12-01').props('dense outlined').mark(f'{prefix}since')
            self.until = ui.input(until, placeholder='2026-12-31').props('dense outlined').mark(f'{prefix}until')
            statuses = {'': _('Any status'), **{status.value: _(status.label) for status in OrderStatus}}
            self.status = (
                ui.select(statuses, value='', label=_('Status')).props('dense outlined').mark(f'{prefix}status')
            )
            self.customer = ui.input(_('Customer code')).props('dense outlined').mark(f'{prefix}customer')

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
    view.content = await read_at_most(e.file, tables.MAX_BYTES)
    view.filename = e.file.name or 'upload.csv'
    await _preview(who, view)


async def _preview(who: Identity, view: ImportView) -> None:
    content = view.content
    try:
        report = await run.io_bound(run_file, who, view, apply=False, valid_only=False, language=i18n.current())
    except BaseException:
        view.content = None
        raise
    view.content = content
    view.show(report)
    view.on_recorded()


@guard.admin_action
async def attach_images(who: Identity, view: ImportView, e: events.UploadEventArguments) -> None:
    """The ZIP of images a products file names; a file already previewed is previewed again with it."""
    view.images = await read_at_most(e.file, MAX_ZIP_BYTES)
    view.images_filename = e.file.name or 'images.zip'
    view.images_label.text = _('Images: {file}').format(file=view.images_filename)
    if view.content is not None:
        await _preview(who, view)


@guard.admin_action
async def apply_upload(who: Identity, view: ImportView, valid_only: bool) -> None:
    if view.content is None:
        ui.notify(_('Choose a file first.'), type='warning')
        return
    view.result.clear()
    report = await run.io_bound(run_file, who, view, apply=True, valid_only=valid_only, language=i18n.current())
    view.content = None  # applied once: a second click does not receive stock twice
    view.show(report, applied=report.applied)  # the button clicked is gone: what follows is the view's
    view.on_recorded()
    if report.applied:
        with view.result:
            _notify_imported(report)


def _notify_imported(report: Report) -> None:
    ui.notify(
        _('Imported: {new} new, {changed} changed.').format(
            new=i18n.number(len(report.new)), changed=i18n.number(len(report.changed))
        ),
        type='positive',
    )


@guard.admin_action
async def show_record(who: Identity, record_id: int, dialog: ui.dialog, body: ui.column) -> None:
    """An import's report, read from the history."""
    with db.read_session() as session:
        found = history.report_of(session, actor=who, record_id=record_id)
    if found is None:
        ui.notify(_('This import is no longer in the history.'), type='warning')
        return
    entry, kept = found
    body.clear()
    with body:
        ui.label(f'{entry.filename} · {i18n.moment(entry.created_at)} · {entry.who}').classes(
            'text-subtitle1 text-weight-medium'
        )
        ui.label(_counts(entry)).classes('text-body2')
        if kept.refused:
            _table(
                [(_('Row'), 'row'), (_('Column'), 'column'), (_('Reason'), 'reason')],
                [{'row': r, 'column': c, 'reason': why} for r, c, why in kept.refused[:SHOWN_ROWS]],
                mark='record-refused',
            )
        if kept.changed:
            _table(
                [(_('Row'), 'row'), (_('Code'), 'key'), (_('Changes'), 'fields')],
                [{'row': r, 'key': k, 'fields': f} for r, k, f in kept.changed[:SHOWN_ROWS]],
                mark='record-changed',
            )
        if not kept.refused and not kept.changed:
            ui.label(_('No refused or changed rows.')).classes('text-grey-7')
    dialog.open()


def _counts(entry: object) -> str:
    return _('{new} new, {changed} changed, {unchanged} unchanged, {refused} refused').format(
        new=i18n.number(entry.new),
        changed=i18n.number(entry.changed),
        unchanged=i18n.number(entry.unchanged),
        refused=i18n.number(entry.refused),
    )


def history_section(who: Identity) -> Callable[[], None]:
    """The import history, newest first; a run's report in a dialog. Returns the redraw."""
    with ui.dialog() as dialog, ui.card().classes('w-full max-w-3xl'):
        body = ui.column().classes('w-full gap-2').mark('record-report')
        ui.button(_('Close'), on_click=dialog.close).props('flat no-caps')

    @ui.refreshable
    def runs() -> None:
        with db.read_session() as session:
            entries, _total = history.history(session, actor=who)
        if not entries:
            ui.label(_('No imports yet.')).classes('text-grey-7')
            return
        with ui.list().props('separator dense').classes('w-full').mark('import-history'):
            for entry in entries:
                with ui.item().classes('w-full'), ui.row().classes('w-full items-center gap-x-4 gap-y-1 wrap'):
                    ui.icon('check_circle' if entry.applied else 'visibility' if entry.dry_run else 'block').classes(
                        'text-positive' if entry.applied else 'text-grey-7' if entry.dry_run else 'text-negative'
                    )
                    with ui.column().classes('gap-0 col-grow min-w-[200px]'):
                        ui.label(f'{entry.filename}').classes('text-weight-medium ellipsis')
                        ui.label(
                            _('{kind} · {when} · {who}').format(
                                kind=_(KINDS.get(Kind(entry.kind), entry.kind)),
                                when=i18n.moment(entry.created_at),
                                who=entry.who,
                            )
                        ).classes('text-caption text-grey-7')
                    state = _('Applied') if entry.applied else _('Preview') if entry.dry_run else _('Not applied')
                    ui.badge(state, color='positive' if entry.applied else 'grey-7').props('outline')
                    ui.label(_counts(entry)).classes('text-body2')
                    ui.button(
                        _('Report'), icon='list_alt', on_click=lambda rid=entry.id: show_record(rid, dialog, body)
                    ).props('flat dense no-caps').mark(f'record-{entry.id}')

    runs()
    return runs.refresh


@guard.admin_action
async def download_export(who: Identity, kind: str, fmt: str, filters: OrderFilterFields | None) -> None:
    kind, fmt = exports.Kind(kind), exports.Format(fmt)
    wanted = filters.chosen() if filters is not None else exports.OrderFilter()
    content = await run.io_bound(export_file, who, kind, fmt, wanted)
    ui.download.content(content, f'{kind.value}.{fmt.value}', MEDIA_TYPES[fmt])


@portal_page(PATH, role=Role.ADMIN, title=N_('Import and export'), menu=PATH)
def imports_page(who: Identity) -> None:
    redraw: list[Callable[[], None]] = []
    with section(_('Import'), 'upload_file', _('Nothing changes until you apply what the preview shows.')):
        ImportView(on_recorded=lambda: [draw() for draw in redraw])
    with section(_('Import history'), 'history', _('Every preview and import, from here and from the command line')):
        redraw.append(history_section(who))
    with section(_('Export'), 'download', _('CSV opens in any spreadsheet; Excel keeps numbers as numbers.')):
        for kind, label in EXPORTS.items():
            with ui.row().classes('w-full items-center gap-2'):
                ui.label(_(label)).classes('col-grow')
                buttons = ui.row().classes('gap-1')
            filters = OrderFilterFields(kind.value) if kind in FILTERED else None
            with buttons:
                for fmt, text in ((exports.Format.CSV, 'CSV'), (exports.Format.XLSX, 'Excel')):
                    ui.button(
                        text, icon='download', on_click=lambda k=kind, f=fmt, o=filters: download_export(k, f, o)
                    ).props('flat no-caps').mark(f'export-{kind.value}-{fmt.value}')
