"""Everything on backorder, per product: what is needed, what stock there is, and which orders wait, oldest first."""

from __future__ import annotations

from nicegui import ui

from app.core import db, i18n
from app.core.i18n import N_, _, ngettext
from app.identity.auth import Identity
from app.models import Role
from app.orders import expected, orders
from app.orders.expected import ExpectedView
from components import live, theme
from components.page import portal_page
from pages.admin.expected_deliveries import expected_line

HEADINGS = (N_('Order'), N_('Customer'), N_('Ordered'), N_('Waiting'), N_('Reserved'))


def _figure(label: str, value: str, *, tone: str = 'text-grey-9', mark: str = '') -> None:
    theme.fact(label, value, classes=f'text-subtitle1 text-weight-medium {tone}', mark=mark)


def _product(item: orders.ProductBackorder, coming: list[ExpectedView]) -> None:
    with ui.card().classes('w-full q-pa-md gap-3').props('flat bordered').mark(f'backorder-{item.product_code}'):
        with ui.row().classes('w-full items-start gap-3 wrap'):
            with ui.column().classes('gap-0 col-grow min-w-[200px]'):
                ui.link(item.product_name, f'/admin/products/{item.product_id}').classes(
                    'text-subtitle1 text-weight-bold text-grey-9 no-underline'
                ).mark(f'backorder-product-{item.product_code}')
                ui.label(item.product_code).classes('text-caption text-grey-7')
            ui.badge(_('Oldest order {date}').format(date=i18n.day(item.oldest_order_date)), color='grey-7').props(
                'outline rounded'
            ).classes('q-px-sm q-py-xs')
        with ui.element('div').classes('w-full grid grid-cols-2 sm:grid-cols-4 gap-3'):
            _figure(
                _('Waiting for stock'),
                i18n.number(item.needed),
                tone='text-orange-9' if item.needed else 'text-grey-9',
                mark=f'needed-{item.product_code}',
            )
            _figure(
                _('Reserved for these'), i18n.number(item.allocated), tone='text-positive' if item.allocated else ''
            )
            _figure(_('On hand'), i18n.number(item.on_hand))
            _figure(_('Free'), i18n.number(item.free))
        expected_line(item.product_code, coming, mark=f'backorder-expected-{item.product_code}')
        ui.separator()
        with ui.column().classes('w-full gap-0'):
            with ui.element('div').classes('w-full gt-xs grid grid-cols-6 gap-2 q-pb-xs'):
                for heading in HEADINGS:
                    ui.label(_(heading)).classes(
                        'text-caption text-grey-7' + (' col-span-2' if heading == 'Customer' else '')
                    )
            for line in item.lines:
                with (
                    ui.element('div')
                    .classes('w-full grid grid-cols-2 sm:grid-cols-6 gap-x-2 gap-y-0 q-py-xs items-center')
                    .mark(f'backorder-line-{line.order_number}-{line.product_code}')
                ):
                    with ui.column().classes('gap-0'):
                        ui.link(line.order_number, f'/admin/orders/{line.order_id}').classes(
                            'text-body2 text-weight-medium'
                        )
                        ui.label(i18n.day(line.order_date)).classes('text-caption text-grey-7')
                    ui.label(line.customer_name).classes('text-body2 sm:col-span-2 ellipsis')
                    ui.label(_('{quantity} ordered').format(quantity=i18n.number(line.quantity))).classes(
                        'text-body2 text-grey-8'
                    )
                    ui.label(_('{quantity} waiting').format(quantity=i18n.number(line.backorder))).classes(
                        'text-body2 ' + ('text-orange-9 text-weight-medium' if line.backorder else 'text-grey-7')
                    )
                    ui.label(_('{quantity} reserved').format(quantity=i18n.number(line.allocated))).classes(
                        'text-body2 ' + ('text-positive' if line.allocated else 'text-grey-7')
                    )


@portal_page('/admin/backorders', role=Role.ADMIN, title=N_('Backorders'), menu='/admin/backorders')
def admin_backorders_page(who: Identity) -> None:
    theme.explain(
        _(
            'Order lines that could not be served from stock, per product, the product with the oldest waiting '
            'order first. Received stock is reserved for them automatically, oldest order first.'
        )
    )

    @ui.refreshable
    def backorder_list() -> None:
        with db.read_session() as session:
            per_product = orders.admin_backorders(session, actor=who)
            coming: dict[int, list[ExpectedView]] = {}
            for delivery in expected.open_expected_deliveries(session, actor=who) if per_product else []:
                coming.setdefault(delivery.product_id, []).append(delivery)
        if not per_product:
            theme.empty_state('task_alt', _('No backorders'), _('Every open order line is reserved or delivered.'))
            return
        waiting = sum(item.needed for item in per_product)
        ui.label(
            _('{products} · {units}').format(
                products=ngettext('{n} product', '{n} products', len(per_product)),
                units=ngettext('{n} unit waiting for stock', '{n} units waiting for stock', waiting),
            )
        ).classes('text-subtitle2 text-grey-8').mark('backorder-summary')
        with ui.column().classes('w-full gap-3'):
            for item in per_product:
                _product(item, coming.get(item.product_id, []))

    backorder_list()
    live.listen([('admin_orders',), ('expected',)], backorder_list.refresh)
