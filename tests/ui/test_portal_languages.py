"""The portal in Dutch and German with the real catalogues: the demo's Dutch customer (customer2) and German one
(kunde) find, add and place in their language, with their money and dates; switching the language in the header
changes the page at once and is kept for the next sign-in.

Expected texts are read from the catalogues (whatever the translators wrote) and must differ from the English, so
a page that stayed English fails.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from app.core import db, i18n
from app.core.i18n import _, ngettext
from app.models import Order, PortalUser
from tests.rows import product
from tests.ui.conftest import signed_in

WAIT = 50


def said(language: str, text: str) -> str:
    with i18n.speaking(language):
        translated = _(text)
    assert translated != text, f'{text!r} is not translated to {language}'
    return translated


def menu_text(user: User, entry: str) -> str:
    (item,) = user.find(marker=f'menu-{entry}').elements
    return item.text  # (a menu line is one link)


async def place_a_hammer(user: User, language: str) -> None:
    hammer = product('HT-1001')
    await user.open(f'/products/{hammer.id}')
    user.find(marker='add-to-order').click()
    with i18n.speaking(language):
        in_order = ngettext('{n} in order', '{n} in order', 1)
    await user.should_see(in_order, retries=WAIT)  # the check mark in the reader's words
    await user.open('/current-order')
    await user.should_see(said(language, 'Place order'), retries=WAIT)
    user.find(marker='place-order').click()
    await user.should_see(marker='order-placed-confirmation', retries=WAIT)


async def test_the_dutch_customer_reads_finds_adds_and_places_in_dutch(user: User) -> None:
    await signed_in(user, 'customer2')
    for entry in ('Products', 'Orders', 'Backorders', 'Current order'):
        assert menu_text(user, entry) == said('nl', entry)
    await user.open('/products')
    assert user.client.title.startswith(said('nl', 'Products'))
    with i18n.speaking('nl'):
        money = i18n.money(123450)
    assert money == '€\u00a01.234,50'  # the Dutch way, as the pages write every amount
    await place_a_hammer(user, 'nl')
    with db.read_session() as s:
        chris = s.exec(select(PortalUser).where(PortalUser.username == 'customer2')).one()
        placed = s.exec(select(Order).where(Order.placed_by_user_id == chris.id).order_by(Order.id.desc())).first()
    assert placed is not None
    await user.open(f'/orders/{placed.number}')
    with i18n.speaking('nl'):
        await user.should_see(i18n.moment(placed.created_at), retries=WAIT)  # a Dutch date
        await user.should_see(_(placed.status.label))


async def test_the_german_customer_reads_and_places_in_german(user: User) -> None:
    await signed_in(user, 'kunde')
    assert menu_text(user, 'Current order') == said('de', 'Current order')
    await place_a_hammer(user, 'de')


async def test_switching_to_english_in_the_header_changes_the_page_and_is_kept(user: User) -> None:
    await signed_in(user, 'customer2', at='/products')
    assert menu_text(user, 'Products') == said('nl', 'Products')
    await user.should_not_see(marker='language-en')  # the language menu is made when it is first opened
    user.find(marker='language-switch').click()
    user.find(marker='language-en').click()
    await user.should_see(marker='menu-Products', retries=WAIT)
    await user.should_see('Products', retries=WAIT)  # the page drawn again in English, where the user was
    assert menu_text(user, 'Products') == 'Products'

    user.find(marker='menu-Sign out').click()
    await user.should_see(marker='language-switch', retries=WAIT)
    await signed_in(user, 'customer2')
    assert menu_text(user, 'Products') == 'Products'  # still English after signing out and in
    (switch,) = user.find(marker='language-switch').elements
    assert isinstance(switch, ui.button) and switch.text == 'EN'


async def test_quasars_own_texts_and_the_html_lang_follow_the_readers_language(
    create_user: Callable[[], User],
) -> None:
    german_user, english_user = create_user(), create_user()
    await signed_in(german_user, 'kunde')
    await signed_in(english_user, 'customer')
    german = (await german_user.http_client.get('/orders')).text
    english = (await english_user.http_client.get('/orders')).text
    assert '<html lang="de-DE"' in german and 'static/lang/de-DE.umd.prod.js' in german  # Quasar's German pack
    assert 'static/lang/de-DE.umd.prod.js' not in english and 'static/lang/en-US.umd.prod.js' in english
