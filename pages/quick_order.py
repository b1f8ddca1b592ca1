"""Quick order: codes with quantities typed line by line, pasted from a spreadsheet or read from a file, previewed
line by line, and the valid lines put in the current order at once (app/orders/quick_order.py)."""

from __future__ import annotations

import secrets

from nicegui import events, run, ui

from app.core import db, i18n, portal_settings
from app.core.i18n import N_, _, ngettext
from app.identity.auth import Identity
from app.models import Role
from app.orders import quick_order
from app.orders.quick_order import Preview, PreviewLine, Status
from app.transfer import tables
from components import guard, theme
from components.form import count_field
from components.image_upload import read_at_most, titled_upload
from components.page import portal_page

STATUS_LABELS = {
    Status.FOUND: N_('Found'),
    Status.ADJUSTED: N_('Quantity changed'),
    Status.UNKNOWN: N_('Unknown code'),
    Status.NOT_IN_CATALOGUE: N_('Not in your catalogue'),
    Status.AMBIGUOUS: N_('Unclear code'),
    Status.BELOW_MINIMUM: N_('Below the minimum'),
    Status.BAD_QUANTITY: N_('Check the quantity'),
    Status.REFUSED: N_('Not possible'),
}
STATUS_COLOURS = {Status.FOUND: 'positive', Status.ADJUSTED: 'orange-9'}  # the others: negative
ACCEPT = '.csv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
STATUS_CELL = """
<q-td :props="props">
  <q-badge :color="props.row.colour" :label="props.value" class="text-weight-medium" />
  <div v-if="props.row.note" class="text-caption text-grey-8 q-mt-xs" style="white-space: normal">
    {{ props.row.note }}
  </div>
</q-td>
"""
PRODUCT_CELL = """
<q-td :props="props">
  <div class="text-weight-medium" style="white-space: normal">{{ props.row.name }}</div>
  <div class="text-caption text-grey-7">{{ props.value }}</div>
</q-td>
"""

PREVIEW_CARD = """
<div class="col-12 q-pb-sm">
  <q-card flat bordered class="q-pa-sm">
    <div class="row items-center no-wrap q-gutter-x-sm">
      <q-badge :color="props.row.colour" :label="props.row.status" class="text-weight-medium" />
      <span class="text-caption text-grey-7 ellipsis">{{ props.row.number }} · {{ props.row.typed }}</span>
    </div>
    <div v-if="props.row.name" class="text-body2 text-weight-medium q-mt-xs">{{ props.row.name }}</div>
    <div v-if="props.row.code" class="text-caption text-grey-7">{{ props.row.code }}</div>
    <div v-if="props.row.note" class="text-caption text-grey-8 q-mt-xs">{{ props.row.note }}</div>
    <div v-if="props.row.quantity" class="row justify-between text-body2 q-mt-xs">
      <span>{{ props.row.quantity }} × {{ props.row.price }}</span>
      <span class="text-weight-medium">{{ props.row.total }}</span>
    </div>
    <div v-if="props.row.stock" class="text-caption text-positive">{{ props.row.stock }}</div>
  </q-card>
</div>
"""
UPLOAD_CSS = '.sf-line-upload .q-uploader__list { display: none; }'  # one file at a time: its name is no news


def new_key() -> str:
    return secrets.token_urlsafe(16)


@guard.customer_action
async def preview_lines(who: Identity, view: QuickOrderView) -> None:
    text = view.box.value or ''

    def read() -> Preview:
        with db.read_session() as session, i18n.speaking(who.language):
            return quick_order.preview(session, actor=who, text=text)

    view.show(await run.io_bound(read) if text.strip() else None)


@guard.customer_action
async def add_valid_lines(who: Identity, view: QuickOrderView) -> None:
    text, key = view.box.value or '', view.key

    def write() -> tuple[quick_order.Added, Preview]:
        with db.write_session() as session, i18n.speaking(who.language):
            return quick_order.add_valid_lines(session, actor=who, text=text, key=key)

    view.add_button.props('loading')
    try:
        added, shown = await run.io_bound(write)
    finally:
        view.add_button.props(remove='loading')
    if added.repeated:
        ui.notify(_('These lines are in your current order already.'), type='info')
        return
    view.key = new_key()  # the next lines are another batch
    view.box.value = shown.problem_text()  # (its change previews what is left)
    if added.lines:
        ui.notify(
            ngettext('{n} line added to your current order', '{n} lines added to your current order', added.lines),
            type='positive',
        )
    else:
        ui.notify(_('No line could be added: fix the lines in the box first.'), type='warning')


@guard.customer_action
def suggest_codes(who: Identity, view: QuickOrderView) -> None:
    with db.read_session() as session:
        view.suggest(quick_order.suggest_codes(session, actor=who, typed=view.code.value or ''))


@guard.customer_action
async def upload_file(who: Identity, view: QuickOrderView, e: events.UploadEventArguments) -> None:
    content = await read_at_most(e.file, tables.MAX_BYTES)
    text = await run.io_bound(quick_order.file_text, content, e.file.name or 'upload.csv')
    view.upload.reset()
    view.box.value = text  # its change previews it


@portal_page('/quick-order', role=Role.CUSTOMER, title=N_('Quick order'), menu='/quick-order')
def quick_order_page(who: Identity) -> None:
    with db.read_session() as session:
        currency = portal_settings.currency(session)
    QuickOrderView(currency)


class QuickOrderView:
    """The line entry, the box, the file upload and the preview of what the box would add."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.key = new_key()  # Add sends it: a double click adds once
        self.suggestions: list[tuple[str, str]] = []
        with ui.card().classes('w-full q-pa-lg gap-3'):
            with ui.row().classes('w-full items-center justify-between gap-2 wrap'):
                ui.label(_('Order by product code')).classes('text-h6')
                ui.link(_('Go to your current order'), '/current-order').classes('text-body2')
            theme.explain(
                _(
                    'Type a code and a quantity (Enter moves on), or paste lines from Excel or a text file: code and '
                    'quantity separated by a tab, semicolon, comma or spaces. Nothing is added before you check the '
                    'preview.'
                )
            )
            with ui.row().classes('w-full items-start gap-2 no-wrap'):
                with ui.column().classes('col gap-1 min-w-0'):
                    self.code = (
                        ui.input(_('Product code'), autocomplete=[])
                        .props('outlined dense debounce=250 autocapitalize=characters spellcheck=false')
                        .classes('w-full')
                        .mark('entry-code')
                    )
                    self.suggestion_row = ui.row().classes('w-full gap-1 wrap').mark('code-suggestions')
                self.quantity = count_field(_('Qty'), digits=9).classes('w-24 flex-none').mark('entry-quantity')
                ui.button(icon='playlist_add', on_click=self.enter_line).props('unelevated dense').props(
                    theme.aria_label(_('Add the line to the box'))
                ).classes('q-mt-xs').mark('entry-add')
            self.code.on_value_change(lambda: suggest_codes(self))
            self.code.on('keydown.enter', self.code_entered)
            self.quantity.on('keydown.enter', self.enter_line)
            self.box = (
                ui.textarea(
                    _('Lines to order'),
                    placeholder=_('For example:') + '\nAD-1001\t12\nFA-1005;20\nHT-1004 3',
                )
                .props('outlined debounce=500 spellcheck=false input-style="min-height: 10rem; font-family: monospace"')
                .classes('w-full')
                .mark('quick-order-box')
            )
            self.box.on_value_change(lambda: preview_lines(self))
            with ui.row().classes('w-full items-center gap-2 wrap'):
                self.upload = titled_upload(
                    _('Or choose a CSV or Excel file'),
                    accept=ACCEPT,
                    max_bytes=tables.MAX_BYTES,
                    icon='upload_file',
                    on_upload=lambda e: upload_file(self, e),
                )
                self.upload.classes('col-grow min-w-[240px] sf-line-upload').mark('quick-order-upload')
                ui.add_css(UPLOAD_CSS)
                ui.button(_('Empty the box'), icon='clear_all', on_click=self.empty).props('flat no-caps').mark(
                    'quick-order-clear'
                )
        with (
            ui.card()
            .classes('w-full q-pa-lg gap-3')
            .classes('sf-preview')
            .mark('quick-order-preview') as self.preview_card
        ):
            with ui.row().classes('w-full items-center justify-between gap-3 wrap'):
                with ui.column().classes('gap-0'):
                    ui.label(_('Preview')).classes('text-h6')
                    self.summary = ui.label().classes('text-body2 text-grey-8').mark('preview-summary')
                self.add_button = (
                    ui.button(icon='add_shopping_cart', on_click=lambda: add_valid_lines(self))
                    .props('unelevated size=md no-caps')
                    .mark('add-valid-lines')
                )
            self.table = (
                ui.table(columns=self._columns(), rows=[], row_key='number', pagination=50)
                .props('flat bordered dense wrap-cells :grid="Quasar.Screen.lt.sm"')
                .classes('w-full')
                .mark('preview-table')
            )
            self.table.add_slot('body-cell-status', STATUS_CELL)
            self.table.add_slot('body-cell-code', PRODUCT_CELL)
            self.table.add_slot('item', PREVIEW_CARD)  # a phone: a card per line
        self.show(None)

    def _columns(self) -> list[dict]:
        left = {'align': 'left'}
        return [
            {'name': 'number', 'label': _('Line'), 'field': 'number', **left},
            {'name': 'typed', 'label': _('You typed'), 'field': 'typed', **left},
            {'name': 'status', 'label': _('Status'), 'field': 'status', **left},
            {'name': 'code', 'label': _('Product'), 'field': 'code', **left},
            {'name': 'quantity', 'label': _('Quantity'), 'field': 'quantity', 'align': 'right'},
            {'name': 'stock', 'label': _('Stock'), 'field': 'stock', **left},
            {'name': 'price', 'label': _('Price'), 'field': 'price', 'align': 'right'},
            {'name': 'total', 'label': _('Total'), 'field': 'total', 'align': 'right'},
        ]

    def show(self, shown: Preview | None) -> None:
        self.preview_card.set_visibility(shown is not None and bool(shown.lines))
        if shown is None or not shown.lines:
            self.table.rows = []
            self.table.update()
            return
        valid, problems = len(shown.valid), len(shown.problems)
        parts = [ngettext('{n} line to add', '{n} lines to add', valid)]
        if problems:
            parts.append(ngettext('{n} line to fix', '{n} lines to fix', problems))
        if valid:
            parts.append(_('{total} excluding VAT').format(total=theme.price(shown.total_cents, self.currency)))
        self.summary.text = ' · '.join(parts)
        # with none valid, no count: 'Add the 0 valid lines' reads like a mistake
        self.add_button.text = (
            ngettext('Add the valid line', 'Add the {n} valid lines', valid) if valid else _('Add the valid lines')
        )
        self.add_button.set_enabled(bool(valid))
        self.table.rows = [self._row(line) for line in shown.lines]
        self.table.update()

    def _row(self, line: PreviewLine) -> dict:
        judged = line.judged if line.valid else None
        row = {
            'number': line.typed.number,
            'typed': ' '.join(part for part in (line.typed.code, line.typed.quantity) if part),
            'status': _(STATUS_LABELS[line.status]),
            'colour': STATUS_COLOURS.get(line.status, 'negative'),
            'note': line.note.message if line.note else '',
            'code': judged.code if judged else '',
            'name': judged.name if judged else '',
            'quantity': i18n.number(judged.quantity) if judged else '',
            'stock': '',
            'price': theme.price(judged.unit_price_cents, self.currency) if judged else '',
            'total': theme.price(judged.line_total_cents, self.currency) if judged else '',
        }
        if judged:
            if judged.to_backorder == 0:
                row['stock'] = _('Ships from stock')
            elif judged.ships_now == 0:
                row['stock'] = _('Goes on backorder')
            else:
                row['stock'] = _('{ships} from stock, {later} on backorder').format(
                    ships=i18n.number(judged.ships_now), later=i18n.number(judged.to_backorder)
                )
        return row

    def suggest(self, found: list[tuple[str, str]]) -> None:
        self.suggestions = found
        self.code.set_autocomplete([code for code, _name in found])
        self.suggestion_row.clear()
        typed = quick_order.code_key(self.code.value or '')
        if not typed or any(quick_order.code_key(code) == typed for code, _name in found[:1]):
            return
        with self.suggestion_row:
            for code, name in found[:5]:
                ui.chip(f'{code} · {name}', on_click=lambda c=code: self.choose(c)).props(
                    'dense clickable outline color=primary'
                ).classes('text-caption')

    def choose(self, code: str) -> None:
        self.code.value = code
        self.suggestion_row.clear()
        self.quantity.run_method('focus')

    def code_entered(self) -> None:
        """Enter in the code field: complete it to the first suggestion when it is not a code yet, then the quantity."""
        typed = quick_order.code_key(self.code.value or '')
        if typed and self.suggestions and all(quick_order.code_key(code) != typed for code, _n in self.suggestions):
            self.code.value = self.suggestions[0][0]
        self.suggestion_row.clear()
        self.quantity.run_method('focus')

    def enter_line(self) -> None:
        """Enter in the quantity field: the line goes in the box, and the code field is ready for the next one."""
        code, quantity = ' '.join((self.code.value or '').split()), ' '.join((self.quantity.value or '').split())
        if not code:
            self.code.run_method('focus')
            return
        lines = (self.box.value or '').rstrip('\n')
        self.box.value = (lines + '\n' if lines else '') + f'{code}\t{quantity}'.rstrip('\t')
        self.code.value, self.quantity.value = '', ''
        self.suggestion_row.clear()
        self.code.run_method('focus')

    def empty(self) -> None:
        self.box.value = ''
