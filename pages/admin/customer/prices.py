"""A customer's prices and terms, on its page: its price list, its own extra discount, VAT exemption and minimum
order value (app/pricing decides what they make of each price)."""

from __future__ import annotations

from nicegui import ui

from app.core import db, money
from app.core.i18n import N_, _
from app.identity.auth import Identity
from app.pricing import prices, terms
from components import guard, theme
from components.form import Form, amount, choice_field, money_field, percent_field
from components.section import section

NO_LIST = 0  # the select's value for 'list prices'


@guard.admin_action
def save_customer_terms(who: Identity, customer_id: int, form: Form) -> None:
    with form.showing_errors():
        chosen = form.fields['price_list'].value
        minimum = form.text('minimum_order').strip()
        with db.write_session() as session:
            prices.set_customer_terms(
                session,
                actor=who,
                customer_id=customer_id,
                price_list_id=None if chosen in (None, NO_LIST, '') else int(chosen),
                discount_bp=terms.parse_percent(form.text('discount'), label=N_("The customer's discount")),
                vat_exempt_reason=form.text('vat_exempt_reason'),
                minimum_order_cents=money.parse_price(minimum, field='minimum_order') if minimum else None,
            )
    ui.notify(_('Prices and terms saved'), type='positive')


def prices_section(who: Identity, customer_id: int, currency: str) -> None:
    with db.read_session() as session:
        now = prices.customer_terms(session, actor=who, customer_id=customer_id)
        lists = prices.list_price_lists(session, actor=who)
    form = Form()
    portal_minimum = (
        theme.price(now.portal_minimum_order_cents, currency) if now.portal_minimum_order_cents else _('none')
    )
    with section(
        _('Prices and terms'), 'sell', _('What this customer pays; placed orders keep their prices.'), mark='terms-card'
    ):
        with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-2 gap-3'):
            lists_shown = {NO_LIST: _('None: list prices')} | {listed.id: listed.name for listed in lists}
            form.add(
                'price_list',
                choice_field(lists_shown, now.price_list_id or NO_LIST, _('Price list')).mark('customer-price-list'),
            )
            discount = percent_field(_('Own extra discount (%)'), now.discount_bp)
            form.add('discount', discount.mark('customer-discount'))
            minimum = amount(now.minimum_order_cents) if now.minimum_order_cents is not None else ''
            form.add(
                'minimum_order',
                money_field(
                    _("Minimum order value, excl. VAT (empty: the portal's, {minimum})").format(minimum=portal_minimum),
                    minimum,
                    currency,
                ).mark('customer-minimum-order'),
            )
            form.add(
                'vat_exempt_reason',
                ui.input(_('VAT exempt because (empty: VAT is charged)'), value=now.vat_exempt_reason)
                .props('outlined dense maxlength=200')
                .mark('customer-vat-exempt'),
            )
        ui.label(
            _('The own discount comes off every price the customer gets, fixed prices and tiers included.')
        ).classes('text-caption text-grey-7')
        with ui.row().classes('w-full justify-end'):
            ui.button(
                _('Save prices and terms'), icon='save', on_click=lambda: save_customer_terms(customer_id, form)
            ).props('unelevated no-caps').mark('save-customer-terms')
