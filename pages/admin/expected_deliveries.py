"""Expected deliveries for the supplier: record stock that is coming (product, quantity, expected date), receive it
when it arrives (as any receipt: open backorders first, oldest order first), move its date or close it.

Customers waiting on backorder read the dates ('expected around 12 Dec'; overdue once the date has passed).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from nicegui import ui

from app.core import db, i18n
from app.core.i18n import N_, _, ngettext
from app.identity.auth import Identity
from app.models import Role
from app.orders import expected
from app.orders.expected import ExpectedView
from components import guard, live, theme
from components.confirm import confirm
from components.form import Form, count_field
from components.form_dialog import FormDialog
from components.page import portal_page
from components.section import note, section

PATH = '/admin/expected-deliveries'


@guard.admin_action
def record_expected(who: Identity, form: Form, after: Callable[[], None] | None) -> None:
    with form.showing_errors(), db.write_session() as session:
        recorded = expected.record_expected_delivery_by_code(
            session,
            actor=who,
            code=form.text('code'),
            quantity=form.text('quantity'),
            expected_on=form.text('expected_on'),
            note=form.text('note'),
        )
        units, day = recorded.quantity, recorded.expected_on
    ui.notify(
        ngettext('{n} unit expected around {day} recorded.', '{n} units expected around {day} recorded.', units).format(
            day=i18n.day_month(day)
        ),
        type='positive',
    )
    form.empty('code', 'quantity', 'note')
    if after:
        after()


@guard.admin_action
def receive_expected(
    who: Identity, expected_delivery_id: int, quantity: ui.input, after: Callable[[], None] | None
) -> None:
    with db.write_session() as session:
        served = expected.receive_expected_delivery(
            session, actor=who, expected_delivery_id=expected_delivery_id, quantity=quantity.value
        )
    ui.notify(
        ngettext('Received; {n} unit went to backorders.', 'Received; {n} units went to backorders.', served),
        type='positive',
    )
    if after:
        after()


@guard.admin_action
def change_expected(
    who: Identity,
    expected_delivery_id: int,
    quantity: ui.input,
    expected_on: ui.input,
    after: Callable[[], None] | None,
) -> None:
    with db.write_session() as session:
        expected.change_expected_delivery(
            session,
            actor=who,
            expected_delivery_id=expected_delivery_id,
            quantity=quantity.value,
            expected_on=expected_on.value,
        )
    ui.notify(_('Expected delivery changed.'), type='positive')
    if after:
        after()


@guard.admin_action
def close_expected(who: Identity, expected_delivery_id: int, after: Callable[[], None] | None) -> None:
    with db.write_session() as session:
        expected.close_expected_delivery(session, actor=who, expected_delivery_id=expected_delivery_id)
    ui.notify(_('Expected delivery closed; customers no longer see its date.'), type='positive')
    if after:
        after()


def expected_line(code: str, coming: list[ExpectedView], *, mark: str = 'stock-expected') -> None:
    """What is expected of a product and when, with the way to this page (its code filled in): the product's admin
    page and the backorders show it."""
    with ui.row().classes('w-full items-start gap-2 no-wrap text-body2').mark(mark):
        ui.icon('local_shipping', size='18px').classes('text-grey-7')
        with ui.element('div').classes('col min-w-0'):  # the dates and the link flow as one text beside the icon
            if coming:
                dates = [
                    (_('{quantity} on {day} (overdue)') if item.overdue else _('{quantity} on {day}')).format(
                        quantity=i18n.number(item.quantity), day=i18n.day_month(item.expected_on)
                    )
                    for item in coming
                ]
                ui.label(_('Expected: {dates}').format(dates=' · '.join(dates))).classes('inline text-grey-9 q-mr-sm')
            link = f'{PATH}?{urlencode({"code": code})}'
            text = _('Expected deliveries') if coming else _('Record an expected delivery')
            ui.link(text, link).classes('inline-block').mark(f'{mark}-link')


def date_input(label: str, value: str = '') -> ui.input:
    """A date field: the browser's date picker, sending YYYY-MM-DD."""
    return ui.input(label, value=value).props('outlined dense type=date stack-label')


def _record_form(after: Callable[[], None], code: str = '') -> None:
    form = Form()
    with section(
        _('Record an expected delivery'),
        'local_shipping',
        _('Customers waiting for the product see the date on their backorders, oldest order first.'),
        mark='record-expected-card',
    ):
        with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-4 gap-3'):
            form.add(
                'code',
                ui.input(_('Product code'), value=code).props('outlined dense maxlength=40').mark('expected-product'),
                required=True,
            )
            form.add(
                'quantity',
                count_field(_('Quantity'), digits=10).mark('expected-quantity'),
                required=True,
            )
            form.add('expected_on', date_input(_('Expected on')).mark('expected-date'), required=True)
            form.add('note', ui.input(_('Note (optional)')).props('outlined dense maxlength=200').mark('expected-note'))
        with ui.row().classes('w-full justify-end'):
            ui.button(_('Record'), icon='add', on_click=lambda: record_expected(form, after)).props(
                'unelevated no-caps'
            ).mark('record-expected')


def _dialog_receive(item: ExpectedView, after: Callable[[], None]) -> None:
    dialog = FormDialog('move_to_inbox', _('Receive {product}').format(product=item.product_name))
    with dialog.card:
        ui.label(_('Received units go to open backorders first, oldest order first; the rest is free stock.')).classes(
            'text-body2 text-grey-8'
        )
        quantity = count_field(_('Received'), item.quantity, digits=10).mark('receive-expected-quantity')
    dialog.buttons(
        _('Receive stock'),
        icon='move_to_inbox',
        on_click=lambda: receive_expected(item.id, quantity, _closing(dialog, after)),
        mark='receive-expected-confirm',
    )
    dialog.open()


def _dialog_change(item: ExpectedView, after: Callable[[], None]) -> None:
    dialog = FormDialog(
        'edit_calendar', _('Change the expected delivery of {product}').format(product=item.product_name)
    )
    with dialog.card:
        quantity = count_field(_('Still expected'), item.quantity, digits=10).mark('change-expected-quantity')
        when = date_input(_('Expected on'), item.expected_on.isoformat()).mark('change-expected-date')
    dialog.buttons(
        _('Save'),
        icon='save',
        on_click=lambda: change_expected(item.id, quantity, when, _closing(dialog, after)),
        mark='change-expected-confirm',
    )
    dialog.open()


def _closing(dialog: FormDialog, after: Callable[[], None]) -> Callable[[], None]:
    """What a dialog's button does once its service call went through: close the dialog, then `after`."""

    def done() -> None:
        dialog.close()
        after()

    return done


def _row(item: ExpectedView, after: Callable[[], None]) -> None:
    with (
        ui.card().classes('w-full q-pa-md').props('flat bordered').mark(f'expected-row-{item.product_code}'),
        ui.row().classes('w-full items-center gap-4 wrap'),
    ):
        with ui.column().classes('gap-0 col-grow min-w-[200px]'):
            ui.link(item.product_name, f'/admin/products/{item.product_id}').classes('text-subtitle1')
            ui.label(item.product_code + (f' · {item.note}' if item.note else '')).classes('text-caption text-grey-7')
        with ui.column().classes('gap-0'):
            ui.label(_('Expected on')).classes('text-caption text-grey-7')
            with ui.row().classes('items-center gap-2 no-wrap'):
                ui.label(i18n.day(item.expected_on)).classes('text-body1 text-weight-medium')
                if item.overdue:
                    ui.badge(_('Overdue'), color='negative').props('rounded').mark(f'overdue-{item.id}')
        theme.fact(_('Still expected'), i18n.number(item.quantity))
        theme.fact(
            _('For backorders'),
            i18n.number(item.for_backorders),
            classes='text-body1',
            mark=f'for-backorders-{item.id}',
        )
        with ui.row().classes('items-center gap-1 no-wrap'):
            ui.button(_('Receive'), icon='move_to_inbox', on_click=lambda: _dialog_receive(item, after)).props(
                'unelevated dense no-caps'
            ).mark(f'receive-expected-{item.id}')
            ui.button(icon='edit_calendar', on_click=lambda: _dialog_change(item, after)).props(
                'flat round dense color=grey-8'
            ).props(theme.aria_label(_('Change date or quantity'))).mark(f'change-expected-{item.id}')
            ui.button(
                icon='close',
                on_click=lambda: confirm(
                    _('Close the expected delivery of {product}?').format(product=item.product_name),
                    _('Customers no longer see its date; what was received stays received.'),
                    yes=_('Close it'),
                    no=_('Keep it'),
                    then=lambda: close_expected(item.id, after),
                    mark='confirm-close-expected',
                ),
            ).props('flat round dense color=grey-8').props(theme.aria_label(_('Close'))).mark(
                f'close-expected-{item.id}'
            )


@portal_page(PATH, role=Role.ADMIN, title=N_('Expected deliveries'), menu=PATH)
def expected_deliveries_page(who: Identity, code: str = '') -> None:
    """`code`: a product's code to fill in (the link from the product's admin page)."""

    @ui.refreshable
    def listed() -> None:
        with db.read_session() as session:
            items = expected.open_expected_deliveries(session, actor=who)
        with section(_('Coming in'), 'event', _('Earliest date first.'), mark='expected-list'):
            if not items:
                note(_('No expected deliveries: record one above when a supplier confirms a delivery date.'))
                return
            for item in items:
                _row(item, listed.refresh)

    _record_form(lambda: listed.refresh(), code[:40])
    listed()
    live.listen([('expected',)], listed.refresh)
