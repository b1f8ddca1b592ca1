"""One order for the supplier: what the customer sees, plus checking, delivering and cancelling it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from app.core import db, i18n, portal_settings
from app.core.i18n import N_, _, ngettext
from app.identity.auth import Identity
from app.models import OrderLine, OrderStatus, Role
from app.orders import deliveries, orders
from app.orders.orders import OrderView
from components import guard, live, order_view
from components.confirm import confirm
from components.frame import Frame
from components.page import portal_page

LIST = '/admin/orders'


# --- what the buttons do (each click re-checks the session and role; the services check the rest) -------------
MISSING = (N_('This order'), N_('Back to orders'), LIST)


@guard.admin_action
def check(who: Identity, order_id: int, after: Callable[[], None]) -> None:
    with db.write_session() as session:
        number = orders.check_order(session, actor=who, order_id=order_id).number
    ui.notify(_('{number} is checked and now processing.').format(number=number), type='positive')
    after()


@guard.admin_action
def deliver(
    who: Identity, order_id: int, fields: dict[int, ui.number], tracking: ui.input, after: Callable[[], None]
) -> None:
    quantities = {line_id: field.value for line_id, field in fields.items()}
    with db.write_session() as session:
        deliveries.record_delivery(
            session, actor=who, order_id=order_id, quantities=quantities, tracking_code=tracking.value or ''
        )
    ui.notify(_('Delivery recorded.'), type='positive')
    after()


@guard.admin_action
def deliver_all(who: Identity, order_id: int, tracking: ui.input, after: Callable[[], None]) -> None:
    with db.write_session() as session:
        deliveries.deliver_all_reserved(session, actor=who, order_id=order_id, tracking_code=tracking.value or '')
    ui.notify(_('Everything reserved is delivered.'), type='positive')
    after()


@guard.admin_action
def cancel_line(who: Identity, order_id: int, line_id: int, reason: ui.textarea, after: Callable[[], None]) -> None:
    with db.write_session() as session:
        orders.cancel_line(session, actor=who, order_id=order_id, line_id=line_id, reason=reason.value or '')
    ui.notify(_('The rest of the line is cancelled; its reserved units are free again.'), type='positive')
    after()


@guard.admin_action
def cancel_order(who: Identity, order_id: int, reason: ui.textarea, after: Callable[[], None]) -> None:
    with db.write_session() as session:
        order = orders.cancel_order(session, actor=who, order_id=order_id, reason=reason.value or '')
        number, status = order.number, OrderStatus(order.status)
    if status == OrderStatus.CANCELLED:
        done = _('{number} is cancelled.')
    else:
        done = _('{number} is closed: what was delivered stays delivered.')
    ui.notify(done.format(number=number), type='positive')
    after()


# --- pieces of the page ---------------------------------------------------------------------------


class _Dialog:
    """The delivery dialog, its form drawn anew for each opening (what is reserved changes meanwhile)."""

    def __init__(self) -> None:
        with ui.dialog() as self.dialog, ui.card().classes('w-full max-w-lg q-pa-lg gap-3') as self.card:
            pass

    def show(self, build: Callable[[], None]) -> None:
        self.card.clear()
        with self.card:
            build()
        self.dialog.open()

    def close(self) -> None:
        self.dialog.close()


def _delivery_form(dialog: _Dialog, view: OrderView, after: Callable[[], None]) -> None:
    order_id = view.order.id
    ready = [line for line in view.lines if line.allocated > 0]
    waiting = [line for line in view.lines if line.allocated == 0 and line.backorder > 0]
    with ui.row().classes('items-center gap-3 no-wrap'):
        ui.icon('local_shipping', size='28px').classes('text-primary')
        with ui.column().classes('gap-0'):
            ui.label(_('Record a delivery')).classes('text-h6')
            ui.label(f'{view.order.number} · {view.customer_name}').classes('text-caption text-grey-7')
    ui.label(_('How many of each line leave the warehouse now: at most what is reserved for it.')).classes(
        'text-body2 text-grey-8'
    )
    fields: dict[int, ui.number] = {}
    with ui.column().classes('w-full gap-2'):
        for line in ready:
            with ui.row().classes('w-full items-center gap-3 no-wrap'):
                with ui.column().classes('col-grow gap-0 min-w-0'):
                    ui.label(line.product_name).classes('text-body1 ellipsis')
                    ui.label(
                        _('{code} · {quantity} reserved').format(
                            code=line.product_code, quantity=i18n.number(line.allocated)
                        )
                    ).classes('text-caption text-grey-7')
                fields[line.id] = (
                    ui.number(_('Deliver'), value=line.allocated, min=0, max=line.allocated, precision=0, step=1)
                    .props('outlined dense inputmode=numeric')
                    .classes('w-28')
                    .mark(f'deliver-qty-{line.id}')
                )
    if waiting:
        ui.label(
            ngettext(
                '{n} more line waits for stock and cannot ship yet.',
                '{n} more lines wait for stock and cannot ship yet.',
                len(waiting),
            )
        ).classes('text-caption text-grey-7')
    tracking = (
        ui.input(_('Tracking code (optional)'))
        .props(f'outlined dense maxlength={deliveries.MAX_TRACKING_CHARS}')
        .classes('w-full')
        .mark('tracking-code')
    )
    with ui.row().classes('w-full justify-end gap-2 wrap q-mt-sm'):
        ui.button(_('Cancel'), on_click=dialog.close).props('flat no-caps color=grey-8')
        units = sum(line.allocated for line in ready)
        ui.button(
            _('Deliver everything reserved'),
            icon='done_all',
            on_click=lambda: confirm(
                ngettext(
                    'Deliver the {n} reserved unit of {order}?',
                    'Deliver all {n} reserved units of {order}?',
                    units,
                ).format(order=view.order.number),
                _(
                    'Every reserved unit of every line leaves the warehouse now, in one delivery. '
                    'This cannot be undone.'
                ),
                yes=_('Deliver everything'),
                no=_('Back'),
                yes_icon='done_all',
                icon='local_shipping',
                mark='confirm-deliver-all',
                then=lambda: deliver_all(order_id, tracking, after),
            ),
        ).props('outline no-caps color=primary').mark('deliver-all')
        ui.button(
            _('Deliver'), icon='local_shipping', on_click=lambda: deliver(order_id, fields, tracking, after)
        ).props('unelevated no-caps color=primary').mark('deliver-confirm')


def _reason_field() -> ui.textarea:
    """Why it is cancelled: optional, and shown to the customer on the order."""
    return (
        ui.textarea(_('Reason (optional, the customer reads it)'))
        .props(f'outlined autogrow maxlength={orders.MAX_CANCEL_REASON_CHARS}')
        .classes('w-full')
        .mark('cancel-reason-input')
    )


def _notice(icon: str, colour: str, text: str, *, mark: str) -> None:
    with (
        ui.card().classes(f'w-full q-pa-md bg-{colour}-1').props('flat bordered').mark(mark),
        ui.row().classes('items-center gap-3 no-wrap'),
    ):
        ui.icon(icon, size='24px').classes(f'text-{colour}-9')
        ui.label(text).classes('text-body2 text-grey-9')


def _status_notice(view: OrderView) -> None:
    status = OrderStatus(view.order.status)
    reserved = sum(line.allocated for line in view.lines)
    waiting = sum(line.backorder for line in view.lines)
    if status == OrderStatus.CONCEPT:
        _notice(
            'hourglass_top',
            'orange',
            _('This order awaits your check. Check it to start delivering; what was in stock is already reserved.'),
            mark='notice-check',
        )
    elif status in deliveries.DELIVERABLE and reserved:
        _notice(
            'inventory_2',
            'blue',
            (
                ngettext(
                    '{n} unit is reserved and ready to deliver; {waiting} still wait for stock.',
                    '{n} units are reserved and ready to deliver; {waiting} still wait for stock.',
                    reserved,
                ).format(waiting=i18n.number(waiting))
                if waiting
                else ngettext(
                    '{n} unit is reserved and ready to deliver.',
                    '{n} units are reserved and ready to deliver.',
                    reserved,
                )
            ),
            mark='notice-ready',
        )
    elif status in deliveries.DELIVERABLE:
        _notice(
            'pending_actions',
            'orange',
            ngettext(
                'Nothing is reserved yet: {n} unit waits for stock.',
                'Nothing is reserved yet: {n} units wait for stock.',
                waiting,
            ),
            mark='notice-waiting',
        )


def _open_rest(line: OrderLine) -> str:
    parts = []
    if line.allocated:
        parts.append(_('{quantity} reserved').format(quantity=i18n.number(line.allocated)))
    if line.backorder:
        parts.append(_('{quantity} on backorder').format(quantity=i18n.number(line.backorder)))
    return ' · '.join(parts)


def _heading(view: OrderView, actions: _Actions) -> None:
    status = OrderStatus(view.order.status)
    with ui.row().classes('w-full items-center gap-3 wrap'):
        back = ui.button(icon='arrow_back', on_click=lambda: ui.navigate.to(LIST)).props('flat round dense')
        back.props['aria-label'] = _('Back to orders')
        ui.label(view.order.number).classes('text-h5 text-weight-medium')
        order_view.status_badge(status)
        if view.order.placed_by_supplier:
            ui.chip(_('Placed by supplier'), icon='support_agent').props('dense outline color=grey-8')
        ui.space()
        with ui.row().classes('items-center gap-2 wrap w-full sm:w-auto'):
            if status == OrderStatus.CONCEPT:
                ui.button(_('Check order'), icon='task_alt', on_click=actions.check_order).props(
                    'unelevated no-caps color=primary'
                ).mark('check-order')
            if status in deliveries.DELIVERABLE:
                button = (
                    ui.button(_('Record delivery'), icon='local_shipping', on_click=lambda: actions.open_delivery(view))
                    .props('unelevated no-caps color=primary')
                    .mark('record-delivery')
                )
                if not any(line.allocated for line in view.lines):
                    button.disable()
            if status.is_open:
                ui.button(_('Cancel order'), icon='block', on_click=lambda: actions.ask_cancel_order(view)).props(
                    'outline no-caps color=negative'
                ).mark('cancel-order')


def _lines(view: OrderView, currency: str, actions: _Actions) -> None:
    with ui.card().classes('w-full q-pa-md gap-3').props('flat bordered'):
        ui.label(_('Lines')).classes('text-h6')
        order_view.lines_table(view, currency)
        open_lines = [line for line in view.lines if line.allocated + line.backorder > 0]
        if not (OrderStatus(view.order.status).is_open and open_lines):
            return
        ui.separator()
        ui.label(_('Cancel what is still open of a line')).classes('text-subtitle2 text-grey-8')
        with ui.column().classes('w-full gap-1'):
            for line in open_lines:
                with ui.row().classes('w-full items-center gap-3 wrap').mark(f'open-line-{line.id}'):
                    with ui.column().classes('col-grow gap-0 min-w-[180px]'):
                        ui.label(f'{line.product_name} ({line.product_code})').classes('text-body2')
                        ui.label(_open_rest(line)).classes('text-caption text-grey-7')
                    ui.button(
                        _('Cancel rest'),
                        icon='remove_circle_outline',
                        on_click=lambda line=line: actions.ask_cancel_line(line),
                    ).props('flat dense no-caps color=negative').mark(f'cancel-line-{line.id}')


class _Actions:
    """What the order's buttons do; each redraws the order after a change."""

    def __init__(self, order_id: int, redraw: Callable[[], None]) -> None:
        self.order_id, self.redraw = order_id, redraw
        self.dialog = _Dialog()

    def after(self) -> None:
        self.dialog.close()
        self.redraw()

    def check_order(self) -> Awaitable[None]:
        return check(self.order_id, self.after)

    def open_delivery(self, view: OrderView) -> None:
        self.dialog.show(lambda: _delivery_form(self.dialog, view, self.after))

    def ask_cancel_order(self, view: OrderView) -> Awaitable[bool]:
        reason: list[ui.textarea] = []
        return confirm(
            _('Cancel {number}?').format(number=view.order.number),
            _(
                'Everything not yet delivered is cancelled. What is reserved for it becomes free again and goes '
                'to the oldest backorders first. Deliveries already made stay as they are.'
            ),
            yes=_('Cancel order'),
            no=_('Keep it'),
            yes_icon='block',
            details=lambda: reason.append(_reason_field()),
            then=lambda: cancel_order(self.order_id, reason[0], self.after),
        )

    def ask_cancel_line(self, line: OrderLine) -> Awaitable[bool]:
        reason: list[ui.textarea] = []
        return confirm(
            _('Cancel the rest of {product}?').format(product=line.product_name),
            _(
                'What is still open of {code} ({rest}) is cancelled; reserved units become free again. '
                'What was delivered stays delivered.'
            ).format(code=line.product_code, rest=_open_rest(line)),
            yes=_('Cancel line'),
            no=_('Keep it'),
            yes_icon='block',
            details=lambda: reason.append(_reason_field()),
            then=lambda: cancel_line(self.order_id, line.id, reason[0], self.after),
        )


# --- the page ------------------------------------------------------------------------------------------


@portal_page('/admin/orders/{order_id:int}', role=Role.ADMIN, title=N_('Order'), menu=LIST, missing=MISSING)
def admin_order_page(who: Identity, frame: Frame, order_id: int) -> None:
    @ui.refreshable
    def details() -> None:
        with db.read_session() as session:
            view = orders.admin_get_order(session, actor=who, order_id=order_id)
            currency = portal_settings.currency(session)
        frame.set_title(_('Order {number}').format(number=view.order.number))
        _heading(view, actions)
        _status_notice(view)
        if view.order.customer_changed_at:  # changed by its customer while it awaited the check
            _notice(
                'edit_note',
                'purple',
                _('{name} changed this order on {moment}.').format(
                    name=view.changed_by or _('The customer'), moment=order_view.when(view.order.customer_changed_at)
                ),
                mark='notice-customer-changed',
            )
        order_view.facts(view, currency, show_customer=True)
        _lines(view, currency, actions)
        with ui.card().classes('w-full q-pa-md gap-3').props('flat bordered'):
            order_view.deliveries(view)

    actions = _Actions(order_id, details.refresh)
    details()
    live.listen([('order', order_id)], details.refresh)
