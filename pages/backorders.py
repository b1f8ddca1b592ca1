"""The customer's backorders: what is still waiting for stock, and what is reserved for them since."""

from __future__ import annotations

from nicegui import ui

from app.core import db, i18n
from app.core.i18n import N_, _, ngettext
from app.identity.auth import Identity
from app.models import Role
from app.orders import expected, orders
from components import live, order_view, theme
from components.expected_dates import expectation_label
from components.page import portal_page


def _progress(line: orders.BackorderLine) -> None:
    with ui.column().classes('gap-1 w-full'):
        with ui.row().classes('items-center gap-2 wrap'):
            if line.allocated:
                ui.badge(ngettext('{n} reserved', '{n} reserved', line.allocated), color='positive').props(
                    'rounded'
                ).mark(f'reserved-{line.order_number}-{line.product_code}')
            if line.backorder:
                ui.badge(
                    ngettext('{n} waiting for stock', '{n} waiting for stock', line.backorder), color='orange-8'
                ).props('rounded')
        ui.linear_progress(value=line.allocated / line.outstanding, show_value=False, color='positive').props(
            'rounded track-color=orange-2 size=8px'
        ).classes('w-full max-w-xs')


@portal_page('/backorders', role=Role.CUSTOMER, title=N_('Backorders'), menu='/backorders')
def backorders_page(who: Identity) -> None:
    theme.explain(
        _(
            'Products you ordered that were not in stock. Stock that arrives is reserved for the oldest orders '
            'first and ships with the next delivery.'
        )
    )

    @ui.refreshable
    def backorder_list() -> None:
        with db.read_session() as session:
            lines = orders.list_backorders(session, actor=who)
            dates = expected.customer_expectations(session, actor=who, product_ids={line.product_id for line in lines})
        if not lines:
            theme.empty_state(
                'task_alt',
                _('No backorders'),
                _('Everything you ordered was in stock or has been delivered.'),
            )
            return
        with ui.column().classes('w-full gap-2'):
            for line in lines:
                with (
                    ui.card()
                    .classes('w-full q-pa-md')
                    .props('flat bordered')
                    .mark(f'backorder-{line.order_number}-{line.product_code}'),
                    ui.element('div').classes('w-full grid grid-cols-2 md:grid-cols-6 gap-3 items-center'),
                ):
                    with ui.column().classes('gap-0 col-span-2'):
                        ui.label(line.product_name).classes('text-subtitle1 text-weight-medium')
                        ui.label(line.product_code).classes('text-caption text-grey-7')
                    with ui.column().classes('gap-0'):
                        ui.label(_('Order')).classes('text-caption text-grey-7')
                        ui.link(line.order_number, f'/orders/{line.order_number}').classes('text-body2')
                        ui.label(order_view.day(line.order_date)).classes('text-caption text-grey-7')
                    theme.fact(_('Ordered'), i18n.number(line.quantity), classes='text-body1')
                    # orders.backorder_figures, as the order page: what still waits, not what is reserved since
                    theme.fact(
                        _('On backorder'),
                        i18n.number(line.backorder),
                        classes='text-body1 text-weight-bold',
                        mark=f'waiting-{line.order_number}-{line.product_code}',
                    )
                    _progress(line)
                    if line.backorder:
                        with ui.element('div').classes('col-span-2 md:col-span-6'):
                            expectation_label(
                                dates.lines.get(line.line_id), mark=f'expected-{line.order_number}-{line.product_code}'
                            )

    backorder_list()
    live.listen([('orders', who.customer_id)], backorder_list.refresh)
