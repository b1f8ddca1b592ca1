"""The customer's orders: the history with filters, and one order with its lines and deliveries."""

from __future__ import annotations

import secrets

from nicegui import ui

from app.core import db, portal_settings
from app.core.i18n import N_, _
from app.identity import accounts
from app.identity.auth import Identity
from app.models import Role
from app.orders import order_again as reorder
from app.orders import order_changes, orders
from components import expected_dates, guard, live, order_view, theme
from components.batch_outcome import show_outcome
from components.frame import Frame
from components.page import portal_page
from components.pager import pager, parse_page, url_with
from components.search_field import search_field, tidy_search
from pages.order_change import OrderEditor

MAX_QUERY = 60  # the search box's length
MISSING = (N_('This order'), N_('Back to your orders'), '/orders')


@guard.customer_action
def order_again(who: Identity, number: str, key: str, currency: str) -> None:
    """The order's lines into the current order; `key` is the page's, so a double click adds them once."""
    with db.write_session() as session:
        outcome = reorder.order_again(session, actor=who, number=number, key=key)
    show_outcome(outcome, currency)


def order_again_button(number: str, key: str, currency: str, *, in_link: bool = False) -> None:
    # in the orders list dense, but in the page's text size (size=sm made it the smallest text on the page)
    button = ui.button(_('Order again'), icon='replay').props(f'outline no-caps {"dense" if in_link else ""}')
    if in_link:
        button.classes('q-px-sm')
    if in_link:  # the orders list's order is a link: the click stops at the button
        button.on('click.stop.prevent', lambda: order_again(number, f'{key}-{number}', currency))
    else:
        button.on_click(lambda: order_again(number, f'{key}-{number}', currency))
    button.mark(f'order-again-{number}')


@portal_page('/orders', role=Role.CUSTOMER, title=N_('Orders'), menu='/orders')
def orders_page(who: Identity, status: str = '', q: str = '', page: str = '1') -> None:
    options = order_view.status_options()
    status = status if status in options else ''
    query = tidy_search(q, MAX_QUERY)
    with ui.row().classes('w-full items-center gap-3 wrap'):

        def go(**changes: str) -> None:
            ui.navigate.to(url_with('/orders', {'status': status, 'q': query} | changes))

        search_field(
            query,
            placeholder=_('Order number or your reference'),
            label=_('Search orders'),
            on_search=lambda text: go(q=text),
            max_length=MAX_QUERY,
        )
        ui.select(options, value=status, label=_('Status'), on_change=lambda e: go(status=e.value or '')).props(
            'outlined dense options-dense'
        ).classes('w-52').mark('status-filter')

    @ui.refreshable
    def order_list() -> None:
        with db.read_session() as session:
            result = orders.list_orders(session, actor=who, status=status or None, search=query, page=parse_page(page))
            currency = portal_settings.currency(session)
        if not result.items:
            if query or status:
                theme.empty_state('search_off', _('No orders match'), _('Try another number, reference or status.'))
            else:
                theme.empty_state(
                    'receipt_long', _('No orders yet'), _('Orders you place from your current order show up here.')
                )
            return
        again_key = secrets.token_urlsafe(16)
        order_view.order_list(
            result.items,
            currency,
            link=lambda o: f'/orders/{o.number}',
            extra=lambda o: order_again_button(o.number, again_key, currency, in_link=True),
        )
        pager(
            '/orders',
            {'status': status, 'q': query},
            page=result.page,
            pages=result.pages,
            total=result.total,
            noun='order',
        )

    order_list()
    live.listen([('orders', who.customer_id)], order_list.refresh)


@portal_page('/orders/{number}', role=Role.CUSTOMER, title=N_('Order'), menu='/orders', missing=MISSING)
def order_page(who: Identity, frame: Frame, number: str, placed: str = '') -> None:
    with db.read_session() as session:
        view = orders.get_order(session, actor=who, number=number)
    frame.set_title(_('Order {number}').format(number=view.order.number))
    order_id = view.order.id
    again_key = secrets.token_urlsafe(16)  # Order again sends it: a double click adds once
    if placed:
        with (
            ui.card()
            .classes('w-full q-pa-md bg-green-1 text-positive')
            .props('flat bordered')
            .mark('order-placed-confirmation'),
            ui.row().classes('items-center gap-3 no-wrap'),
        ):
            ui.icon('check_circle', size='32px')
            with ui.column().classes('gap-0'):
                ui.label(_('Thank you — order {number} is placed.').format(number=view.order.number)).classes(
                    'text-subtitle1'
                )
                ui.label(_('We check it on the next working day; you can follow it here.')).classes(
                    'text-body2 text-grey-8'
                )

    changing = [False]  # the order is being changed (pages/order_change.py): live updates wait until it is saved

    def change(on: bool) -> None:
        changing[0] = on
        details.refresh()

    @ui.refreshable
    def details() -> None:
        with db.read_session() as session:
            fresh = orders.get_order(session, actor=who, number=number)
            currency = portal_settings.currency(session)
            editable = order_changes.can_change(fresh.order)
            notes = expected_dates.order_line_notes(session, who=who, lines=fresh.lines)
            addresses = accounts.list_addresses(session, actor=who, customer_id=who.customer_id) if editable else []
        with ui.row().classes('w-full items-center gap-3 wrap'):
            ui.button(icon='arrow_back', on_click=lambda: ui.navigate.to('/orders')).props('flat round dense').props(
                theme.aria_label(_('Back to orders'))
            )
            ui.label(fresh.order.number).classes('text-h5 text-weight-medium')
            order_view.status_badge(fresh.order.status)
            if editable and not changing[0]:
                ui.space()
                ui.button(_('Change order'), icon='edit', on_click=lambda: change(True)).props('outline no-caps').mark(
                    'change-order'
                )
        if editable and changing[0]:
            OrderEditor(fresh, currency, addresses, on_done=lambda: change(False))
            return
        changing[0] = False
        order_view.facts(fresh, currency)
        with ui.row().classes('w-full items-center gap-2'):
            ui.label(_('Lines')).classes('text-h6')
            ui.space()
            order_again_button(fresh.order.number, again_key, currency)
        order_view.lines_table(fresh, currency, expected=notes)
        order_view.deliveries(fresh)

    details()
    live.listen([('order', order_id)], lambda: None if changing[0] else details.refresh())
