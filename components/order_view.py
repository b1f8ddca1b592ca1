"""How an order looks, for the customer and for the supplier: status, facts, lines, deliveries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from nicegui import ui

from app.core import i18n
from app.core.i18n import N_, _
from app.models import OrderLine, OrderStatus
from app.orders.orders import OrderSummary, OrderView, backorder_figures
from app.pricing.terms import percent
from components import prices, theme
from components.all_rows_table import all_rows_table

STATUS_COLOURS = {
    OrderStatus.CONCEPT: 'orange-8',
    OrderStatus.PROCESSING: 'blue-8',
    OrderStatus.PARTIALLY_DELIVERED: 'teal-7',
    OrderStatus.COMPLETED: 'positive',
    OrderStatus.CANCELLED: 'grey-7',
}
STATUS_ICONS = {
    OrderStatus.CONCEPT: 'hourglass_top',
    OrderStatus.PROCESSING: 'settings',
    OrderStatus.PARTIALLY_DELIVERED: 'local_shipping',
    OrderStatus.COMPLETED: 'check_circle',
    OrderStatus.CANCELLED: 'cancel',
}


def when(moment: datetime) -> str:
    """A date and time as the supplier's office reads it (UTC, the portal's clock), in the reader's locale."""
    return i18n.moment(moment)


def day(moment: datetime) -> str:
    return i18n.day(moment)


def status_badge(status: OrderStatus | str) -> ui.badge:
    status = OrderStatus(status)
    with ui.badge(color=STATUS_COLOURS[status]).props('rounded').classes('q-px-sm q-py-xs gap-1') as badge:
        ui.icon(STATUS_ICONS[status], size='14px')
        ui.label(_(status.label)).classes('text-caption')
    return badge.mark('order-status')


def status_options(*, include_all: bool = True) -> dict[str, str]:
    """The status filter's choices, in the reader's language."""
    options = {'': _('All orders'), 'open': _('Open orders')} if include_all else {}
    return options | {s.value: _(s.label) for s in OrderStatus}


def delivered_text(summary: OrderSummary) -> str:
    if summary.units_ordered == 0:
        return '—'
    return _('{delivered} of {ordered}').format(
        delivered=i18n.number(summary.units_delivered), ordered=i18n.number(summary.units_ordered)
    )


def facts(view: OrderView, currency: str, *, show_customer: bool = False) -> None:
    """Who placed it, when, the reference, the comment and where it goes."""
    order = view.order
    with ui.card().classes('w-full q-pa-md').props('flat bordered'):
        with ui.element('div').classes('w-full grid grid-cols-2 lg:grid-cols-4 gap-4'):
            if show_customer:
                theme.fact(_('Customer'), view.customer_name)
            theme.fact(_('Placed'), when(order.created_at))
            placed_by = view.placed_by or '—'
            if order.placed_by_supplier:
                if show_customer:
                    placed_by = _('{name} (supplier staff)').format(name=placed_by)
                else:
                    placed_by = _('{name} (supplier), on your behalf').format(name=placed_by)
            theme.fact(_('Placed by'), placed_by, mark='order-placed-by')
            theme.fact(_('Your reference') if not show_customer else _('Customer reference'), order.reference or '—')
            theme.fact(_('Total incl. VAT'), theme.price(order.total_cents, currency), mark='order-total-fact')
        if order.status == OrderStatus.CANCELLED:
            _cancellation(view)
        ui.separator().classes('q-my-sm')
        with ui.element('div').classes('w-full grid grid-cols-1 md:grid-cols-2 gap-4'):
            with ui.column().classes('gap-1'):
                ui.label(_('Delivery address')).classes('text-caption text-grey-7')
                for part in _address_lines(view):
                    ui.label(part).classes('text-body2')
            with ui.column().classes('gap-1'):
                ui.label(_('Comment')).classes('text-caption text-grey-7')
                ui.label(order.comment or _('No comment')).classes(
                    'text-body2 whitespace-pre-wrap' + ('' if order.comment else ' text-grey-6')
                ).mark('order-comment')


def _cancellation(view: OrderView) -> None:
    """When, by whom and why a cancelled order was cancelled (its total is what is left: nothing)."""
    order = view.order
    with (
        ui.row().classes('w-full items-start gap-3 no-wrap q-pa-sm bg-grey-2 rounded-borders').mark('order-cancelled'),
    ):
        ui.icon('cancel', size='22px').classes('text-grey-7')
        with ui.column().classes('gap-0'):
            who = view.cancelled_by or _('the supplier')
            if order.cancelled_at:
                cancelled = _('Cancelled {moment} by {name}').format(moment=when(order.cancelled_at), name=who)
            else:
                cancelled = _('Cancelled by {name}').format(name=who)
            ui.label(cancelled).classes('text-body2 text-weight-medium')
            ui.label(order.cancel_reason or _('No reason was given.')).classes(
                'text-body2 whitespace-pre-wrap' + ('' if order.cancel_reason else ' text-grey-6')
            ).mark('cancel-reason')


def _address_lines(view: OrderView) -> list[str]:
    o = view.order
    city = ' '.join(part for part in (o.ship_postal_code, o.ship_city) if part)
    return [part for part in (o.ship_recipient, o.ship_street, city, o.ship_country) if part] or ['—']


LINE_COLUMNS = [
    {'name': 'product', 'label': N_('Product'), 'field': 'product', 'align': 'left'},
    {'name': 'price', 'label': N_('Price'), 'field': 'price', 'align': 'right'},
    {'name': 'vat', 'label': N_('VAT'), 'field': 'vat', 'align': 'right'},
    {'name': 'ordered', 'label': N_('Ordered'), 'field': 'ordered', 'align': 'right'},
    {'name': 'delivered', 'label': N_('Delivered'), 'field': 'delivered', 'align': 'right'},
    {'name': 'allocated', 'label': N_('Reserved'), 'field': 'allocated', 'align': 'right'},
    {'name': 'backorder', 'label': N_('On backorder'), 'field': 'backorder', 'align': 'right'},
    {'name': 'cancelled', 'label': N_('Cancelled'), 'field': 'cancelled', 'align': 'right'},
    {'name': 'total', 'label': N_('Line total'), 'field': 'total', 'align': 'right'},
]


def line_columns(*, extra: list[dict] | None = None) -> list[dict]:
    """The lines table's columns, labelled in the reader's language; `extra` columns come labelled already."""
    return [{**column, 'label': _(column['label'])} for column in LINE_COLUMNS] + (extra or [])


def line_row(line: OrderLine, currency: str) -> dict:
    price = theme.price(line.unit_price_cents, currency)
    if line.list_price_cents and line.list_price_cents != line.unit_price_cents:  # the price it was placed at
        list_price = theme.price(line.list_price_cents, currency)
        if line.discount_bp > 0:
            price = _('{price} (list price {list_price}, {discount} off)').format(
                price=price, list_price=list_price, discount=percent(line.discount_bp)
            )
        else:
            price = _('{price} (list price {list_price})').format(price=price, list_price=list_price)
    return {
        'id': line.id,
        'product': f'{line.product_name} ({line.product_code})',
        'price': price,
        'vat': percent(line.vat_rate_bp),
        'ordered': i18n.number(line.quantity),
        'delivered': i18n.number(line.delivered),
        'allocated': i18n.number(line.allocated),
        'backorder': i18n.number(backorder_figures(line).waiting),  # as the backorders page reads it
        'cancelled': i18n.number(line.cancelled) if line.cancelled else '—',
        'total': theme.price(line.total_cents, currency),
    }


# On a phone (Quasar's `sm` breakpoint, 600 px) each line is a card: the product on top, then its figures as
# label and value, instead of eight columns running off the screen. Vue's {{ }} shows the names as text.
LINE_CARD = r"""
<div class="col-12 q-pb-sm" :data-line="props.row.id">
  <q-card flat bordered class="q-pa-sm sf-line-card">
    <div class="text-body2 text-weight-medium q-mb-xs">{{ props.row.product }}</div>
    <div class="row">
      <template v-for="col in props.cols" :key="col.name">
        <div v-if="col.name !== 'product'" class="col-6 row justify-between q-pr-md text-body2">
          <span class="text-grey-7">{{ col.label }}</span><span>{{ col.value }}</span>
        </div>
      </template>
    </div>
  </q-card>
</div>
"""


def lines_table(
    view: OrderView, currency: str, *, extra: list[dict] | None = None, expected: dict[int, str] | None = None
) -> ui.table:
    """The order's lines: per line ordered, delivered, reserved and on backorder; cards on a phone. `expected`:
    when a line's backorder is expected (order line id -> text), in a column of its own when there is any."""
    if expected:
        extra = [*(extra or []), {'name': 'expected', 'label': _('Expected'), 'field': 'expected', 'align': 'left'}]
    table = all_rows_table(
        line_columns(extra=extra),
        [
            line_row(line, currency) | ({'expected': expected.get(line.id, '')} if expected else {})
            for line in view.lines
        ],
        props='bordered wrap-cells :grid="Quasar.Screen.lt.sm"',
        mark='order-lines',
    )
    table.add_slot('item', LINE_CARD)
    with ui.row().classes('w-full justify-end q-pr-sm'):
        prices.totals_view(view.totals, currency)  # of what is not cancelled, at the prices and rates placed with
    return table


def deliveries(view: OrderView, *, on_empty: str | None = None) -> None:
    """The order's deliveries; `on_empty` (translated) when there are none, else 'Nothing has been delivered yet.'"""
    ui.label(_('Deliveries')).classes('text-h6')
    if not view.deliveries:
        ui.label(_('Nothing has been delivered yet.') if on_empty is None else on_empty).classes(
            'text-body2 text-grey-7'
        ).mark('no-deliveries')
        return
    with ui.column().classes('w-full gap-3'):
        for delivery in view.deliveries:
            with ui.card().classes('w-full q-pa-md').props('flat bordered').mark(f'delivery-{delivery.id}'):
                with ui.row().classes('w-full items-center gap-3 wrap'):
                    ui.icon('local_shipping', size='22px').classes('text-primary')
                    ui.label(when(delivery.created_at)).classes('text-subtitle2')
                    ui.space()
                    if delivery.tracking_code:
                        ui.label(_('Tracking code: {code}').format(code=delivery.tracking_code)).classes(
                            'text-body2 text-grey-8'
                        )
                for item in delivery.lines:
                    ui.label(
                        _('{quantity} × {name} ({code})').format(
                            quantity=i18n.number(item.quantity), name=item.product_name, code=item.product_code
                        )
                    ).classes('text-body2')


def order_list(
    items: list[OrderSummary],
    currency: str,
    *,
    link: Callable[[OrderSummary], str],
    show_customer: bool = False,
    extra: Callable[[OrderSummary], None] | None = None,
) -> None:
    """Orders as rows on a desktop and as stacked cards on a phone, each opening the order; `extra` draws more under
    an order's total (a button: its clicks must stop there, not open the order)."""
    with ui.column().classes('w-full gap-2'):
        for summary in items:
            with (
                ui.link(target=link(summary))
                .classes('no-underline text-inherit w-full')
                .mark(f'order-{summary.number}'),
                ui.card().classes('w-full q-pa-md cursor-pointer hover:shadow-3').props('flat bordered'),
                ui.element('div').classes('w-full grid grid-cols-2 md:grid-cols-6 gap-2 items-center'),
            ):
                with ui.column().classes('gap-0 col-span-2 md:col-span-2'):
                    ui.label(summary.number).classes('text-subtitle1 text-weight-bold text-primary')
                    sub = summary.customer_name if show_customer else (summary.reference or _('No reference'))
                    ui.label(sub).classes('text-body2 text-grey-8 ellipsis')
                with ui.column().classes('gap-0'):
                    ui.label(_('Date')).classes('text-caption text-grey-7')
                    ui.label(day(summary.created_at)).classes('text-body2')
                with ui.column().classes('gap-1 items-start'):
                    status_badge(summary.status)
                    if summary.placed_by_supplier:
                        ui.label(_('Placed by supplier')).classes('text-caption text-grey-7').mark('placed-by-supplier')
                    if show_customer and summary.customer_changed_at:  # the supplier sees the customer's change
                        ui.label(
                            _('Changed by the customer {moment}').format(moment=when(summary.customer_changed_at))
                        ).classes('text-caption text-orange-9').mark(f'changed-by-customer-{summary.number}')
                with ui.column().classes('gap-0'):
                    ui.label(_('Delivered')).classes('text-caption text-grey-7')
                    ui.label(delivered_text(summary)).classes('text-body2')
                with ui.column().classes('gap-0 items-end'):
                    ui.label(_('Total')).classes('text-caption text-grey-7')
                    ui.label(theme.price(summary.total_cents, currency)).classes('text-subtitle1 text-weight-medium')
                    if extra is not None:
                        extra(summary)
