"""The supplier's start page: the work waiting (orders to check, open orders, backorders, stock), the latest orders."""

from __future__ import annotations

from nicegui import ui

from app.core import db, i18n, portal_settings
from app.core.i18n import N_, _, ngettext
from app.identity.auth import Identity
from app.models import Role
from app.orders import orders, overview
from components import live, order_view, theme
from components.page import portal_page

LATEST = 10


def _count_card(*, icon: str, colour: str, title: str, count: int, detail: str, target: str | None, mark: str) -> None:
    card = ui.card().classes('w-full q-pa-md gap-2 h-full').props('flat bordered')
    if target:
        card.classes('cursor-pointer hover:shadow-3').on('click', lambda: ui.navigate.to(target))
        card.props['aria-label'] = title
    with card.mark(mark):
        with ui.row().classes('w-full items-center no-wrap gap-3'):
            with ui.element('div').classes(f'rounded-borders q-pa-sm bg-{colour}-1 text-{colour}-9'):
                ui.icon(icon, size='26px')
            ui.label(title).classes('text-subtitle2 text-grey-8 leading-tight')
        ui.label(i18n.number(count)).classes('text-h4 text-weight-bold text-grey-9').mark(f'{mark}-count')
        ui.label(detail).classes('text-caption text-grey-7')


# the cards of the work waiting: icon, colour, title, where a click leads, mark
CARDS = (
    ('hourglass_top', 'orange', N_('Awaiting your check'), '/admin/orders?status=concept', 'card-awaiting-check'),
    ('receipt_long', 'blue', N_('Open orders'), '/admin/orders?status=open', 'card-open-orders'),
    ('pending_actions', 'deep-orange', N_('Waiting for stock'), '/admin/backorders', 'card-backorders'),
    ('inventory', 'red', N_('Out of stock'), '/admin/products', 'card-stock'),
)


def _cards(numbers: overview.Overview, currency: str) -> None:
    figures = (  # each card's count and the line under it, in the order of CARDS
        (
            numbers.awaiting_check,
            _('{value} excl. VAT, to check before they are picked').format(
                value=theme.price(numbers.awaiting_check_cents, currency)
            )
            if numbers.awaiting_check
            else _('Nothing to check'),
        ),
        (
            numbers.open_orders,
            _('{value} excl. VAT, not yet completed or cancelled').format(
                value=theme.price(numbers.open_orders_cents, currency)
            ),
        ),
        (
            numbers.backorder_lines,
            ngettext(
                'Order line on backorder, for {products}',
                'Order lines on backorder, for {products}',
                numbers.backorder_lines,
            ).format(products=ngettext('{n} product', '{n} products', numbers.backorder_products)),
        ),
        (
            numbers.out_of_stock,
            _('Active products without free stock; {low} more with {limit} or fewer').format(
                low=i18n.number(numbers.low_stock), limit=i18n.number(overview.LOW_STOCK)
            ),
        ),
    )
    with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-2 lg:grid-cols-4 gap-4'):
        for (icon, colour, title, target, mark), (count, detail) in zip(CARDS, figures, strict=True):
            _count_card(icon=icon, colour=colour, title=_(title), count=count, detail=detail, target=target, mark=mark)


@portal_page('/admin', role=Role.ADMIN, title=N_('Overview'), menu='/admin')
def overview_page(who: Identity) -> None:

    @ui.refreshable
    def content() -> None:
        with db.read_session() as session:
            numbers = overview.admin_overview(session, actor=who)
            latest = orders.admin_list_orders(session, actor=who, page=1, page_size=LATEST)
            currency = portal_settings.currency(session)
        _cards(numbers, currency)
        with ui.card().classes('w-full q-pa-md gap-3').props('flat bordered'):
            with ui.row().classes('w-full items-center gap-3 wrap'):
                ui.icon('schedule', size='22px').classes('text-primary')
                ui.label(_('Latest orders')).classes('text-h6')
                ui.space()
                ui.button(
                    _('New order for a customer'), icon='add', on_click=lambda: ui.navigate.to('/admin/orders/new')
                ).props('flat no-caps color=primary')
                ui.button(
                    _('All orders'), icon='arrow_forward', on_click=lambda: ui.navigate.to('/admin/orders')
                ).props('flat no-caps color=primary')
            if not latest.items:
                theme.empty_state('receipt_long', _('No orders yet'), _('Orders your customers place show up here.'))
            else:
                order_view.order_list(
                    latest.items, currency, link=lambda o: f'/admin/orders/{o.id}', show_customer=True
                )

    content()
    live.listen([('admin_orders',)], content.refresh)
