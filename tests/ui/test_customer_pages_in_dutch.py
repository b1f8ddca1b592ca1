"""The customer's pages speak the reader's language: every text through the catalogue (menu entries and page
titles marked at import time too), plural forms by the catalogue's rule, money, numbers and dates the local way.

The Dutch catalogue here is a small one made for the test, so the test does not depend on what the real one
says (it is filled in separately); every other text falls back to its English msgid.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from nicegui.testing import User
from sqlmodel import select

from app.catalogue import catalogue
from app.core import db, i18n, portal_settings
from app.models import Customer, Order, OrderStatus, PortalUser, Product
from tests.conftest import identity_of
from tests.ui.conftest import on_card, sign_in

WAIT = 50

DUTCH = {
    'Products': 'Producten',
    'Orders': 'Bestellingen',
    'Sign out': 'Afmelden',
    'Sort by': 'Sorteren op',
    'Add': 'Toevoegen',
    'Current order': 'Huidige bestelling',
    'Awaiting check': 'Wacht op controle',
    'Placed': 'Geplaatst',
    'per {unit}': 'per {unit}',
    ('{n} product', '{n} products'): ('{n} product', '{n} producten'),
    ('{n} line', '{n} lines'): ('{n} regel', '{n} regels'),
    ('{n} unit', '{n} units'): ('{n} eenheid', '{n} eenheden'),
    ('{n} in order', '{n} in order'): ('{n} in bestelling', '{n} in bestelling'),
    'Added to your current order: {name} ({quantity} in order)': 'Toegevoegd: {name} ({quantity} in bestelling)',
    'No access': 'Geen toegang',
    'Signed in as {name}': 'Aangemeld als {name}',
    'This page': 'Deze pagina',
    '{what} does not exist or is not available to you.': '{what} bestaat niet of is niet voor jou beschikbaar.',
    'There is no page at this address.': 'Op dit adres staat geen pagina.',
}


def compiled(language: str, entries: dict) -> gettext.GNUTranslations:
    catalogue_ = Catalog(locale=language)
    for msgid, msgstr in entries.items():
        catalogue_.add(msgid, msgstr)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue_)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@pytest.fixture
def dutch_customer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo customer's portal user reads Dutch, from a Dutch catalogue with the entries above."""
    dutch = compiled('nl', DUTCH)
    monkeypatch.setattr(
        i18n, 'translations', lambda language: dutch if language == 'nl' else gettext.NullTranslations()
    )
    with db.write_session() as s:
        user = s.exec(select(PortalUser).where(PortalUser.username == 'customer')).one()
        user.language = 'nl'
        s.add(user)


def in_dutch(fn: Callable[..., str], *args: object) -> str:
    """What the page should show, written as a Dutch reader reads it."""
    with i18n.speaking('nl'):
        return fn(*args)


async def signed_in_in_dutch(user: User) -> None:
    await sign_in(user, 'customer', 'customer-demo')
    await user.should_see('Afmelden', retries=150)


async def test_the_catalogue_speaks_dutch_with_dutch_money_and_plurals(user: User, dutch_customer: None) -> None:
    with db.read_session() as s:
        bolts = s.exec(select(Product).where(Product.code == 'FA-1004')).one()
        who = identity_of(s.exec(select(PortalUser.id).where(PortalUser.username == 'customer')).one())
        card = catalogue.search_products(s, actor=who, query='FA-1004').items[0]
        currency = portal_settings.currency(s)
        total = catalogue.search_products(s, actor=who).total
    await signed_in_in_dutch(user)
    await user.open('/products')
    assert user.client.title.startswith('Producten · ')  # the page title, marked with N_ where it is written
    await user.should_see(marker='menu-Products')  # the mark stays the English name, the text is Dutch
    assert user.find(marker='menu-Products').elements.pop().text == 'Producten'  # (the menu line is one link)
    await user.should_see('Bestellingen')
    await user.should_see('Sorteren op')
    await user.should_see(f'{total} producten')  # the pager: the catalogue's plural form

    await user.open('/products?q=FA-1004')
    price = in_dutch(i18n.money, card.price_cents, currency)
    assert price.startswith('€\xa0') and ',' in price  # '€ 12,34': not the English '€12.34'
    await user.should_see(price)
    await user.should_see(f'per {card.unit}')
    on_card(user, bolts.id, typed='3')
    await user.should_see(marker=f'in-order-{bolts.id}', retries=WAIT)
    assert user.find(marker=f'in-order-{bolts.id}').elements.pop().text == '3 in bestelling'
    await user.should_see(f'Toegevoegd: {card.name} (3 in bestelling)', retries=WAIT)
    with user.scope(marker='current-order-summary'):
        await user.should_see('Huidige bestelling')
        await user.should_see('2 regels · 5 eenheden', retries=WAIT)  # the demo's 2 screwdrivers and these 3


async def test_the_order_history_shows_dutch_statuses_and_dates(user: User, dutch_customer: None) -> None:
    with db.read_session() as s:
        demo = s.exec(select(Customer).where(Customer.code == 'DEMO')).one()
        order = s.exec(
            select(Order).where(Order.customer_id == demo.id, Order.status == OrderStatus.CONCEPT).limit(1)
        ).one()
    await signed_in_in_dutch(user)
    await user.open('/orders?status=concept')
    with user.scope(marker=f'order-{order.number}'):
        await user.should_see('Wacht op controle')
        await user.should_see(in_dutch(i18n.day, order.created_at))

    await user.open(f'/orders/{order.number}')
    await user.should_see('Wacht op controle')
    await user.should_see('Geplaatst')
    placed = in_dutch(i18n.moment, order.created_at)
    assert placed != order.created_at.strftime('%d %b %Y, %H:%M')  # Dutch: no comma before the time
    await user.should_see(placed)


async def test_the_no_access_sign_out_and_not_found_pages_speak_dutch(user: User, dutch_customer: None) -> None:
    await signed_in_in_dutch(user)
    await user.open('/admin')  # the supplier's area
    await user.should_see('Geen toegang')
    await user.open('/logout')
    await user.should_see('Aangemeld als Casey Customer')
    response = await user.http_client.get('/prodcts')
    assert response.status_code == 404
    assert 'Deze pagina bestaat niet of is niet voor jou beschikbaar.' in response.text


async def test_a_visitor_on_a_mistyped_address_reads_the_browsers_language(user: User, dutch_customer: None) -> None:
    response = await user.http_client.get('/no-such-page', headers={'accept-language': 'nl-BE,nl;q=0.9,en;q=0.5'})
    assert response.status_code == 404 and 'Op dit adres staat geen pagina.' in response.text
    english = await user.http_client.get('/no-such-page')
    assert 'There is no page at this address.' in english.text
