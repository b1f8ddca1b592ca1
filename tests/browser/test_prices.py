"""Each customer's own prices in real Chromium, from the product page to the placed order, with VAT on the current
order, and a product sold per 6 that refuses 7 and accepts 12; screenshots at desktop and phone size (issue 14)."""

from __future__ import annotations

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlmodel import select

from app.core import db, i18n
from app.models import Customer, Order, OrderLine, PortalUser
from app.orders import current_order
from app.orders.invariants import check_stock
from components import theme
from tests.browser.conftest import DESKTOP, PHONE, button, shot, sign_in, size, type_quantity, wait_no_text, wait_text
from tests.conftest import identity_of
from tests.rows import product, user_named


def money(cents: int, language: str = 'en') -> str:
    """An amount as the browser's text has it (Selenium reads a no-break space as a space)."""
    with i18n.speaking(language):
        return theme.price(cents, 'EUR').replace('\xa0', ' ').replace('\u202f', ' ')


def language_of(username: str) -> str:
    with db.read_session() as s:
        user = s.exec(select(PortalUser).where(PortalUser.username == username)).one()
        customer = s.get(Customer, user.customer_id)
        return i18n.supported(user.language or customer.language)


def placed_line(username: str, code: str) -> tuple[Order, OrderLine]:
    with db.read_session() as s:
        user = s.exec(select(PortalUser).where(PortalUser.username == username)).one()
        order = s.exec(select(Order).where(Order.customer_id == user.customer_id).order_by(Order.id.desc())).first()
        line = s.exec(select(OrderLine).where(OrderLine.order_id == order.id, OrderLine.product_code == code)).one()
        assert check_stock(s) == []
        return order, line


def scroll_to(screen: Screen, text: str) -> None:
    """The element showing `text` in the middle of the screen (for a phone's screenshot)."""
    screen.selenium.execute_script(
        'const found = [...document.querySelectorAll("div")].find(e => e.innerText === arguments[0]);'
        'found.scrollIntoView({block: "center", behavior: "instant"});',
        text,
    )


def test_two_customers_see_their_own_prices_from_the_product_page_to_the_placed_order(screen: Screen) -> None:
    glue = product('AD-1001')  # list price 6.95; Demo Retail's Trade list: 6.20 from 6, 5.85 from 24; sold per 6
    size(screen, DESKTOP)
    sign_in(screen, 'customer', 'customer-demo')
    wait_text(screen, 'Welcome')
    screen.open('/products?q=AD')  # the grid: the Trade prices, the list prices struck through, the pack sizes
    wait_text(screen, 'Sold per 6')
    wait_text(screen, money(620))
    shot(screen, 'prices-products-desktop')
    screen.open(f'/products/{glue.id}')
    wait_text(screen, 'Price per quantity')
    wait_text(screen, money(620))
    struck = screen.selenium.find_element(By.XPATH, f'//div[contains(@class,"line-through")][.="{money(695)}"]')
    assert struck.is_displayed()
    wait_text(screen, 'Sold per 6')
    wait_text(screen, 'Prices excluding VAT (21%)')

    type_quantity(screen, '7')  # a pack and one: refused, saying what would be accepted
    button(screen, 'Add to current order').click()
    wait_text(screen, 'Sold per 6: 6 or 12?')
    type_quantity(screen, '12')
    button(screen, 'Add to current order').click()
    wait_text(screen, '12 in order')
    shot(screen, 'prices-product-desktop')
    size(screen, PHONE)
    screen.open(f'/products/{glue.id}')
    wait_text(screen, 'Price per quantity')
    scroll_to(screen, 'Price per quantity')
    shot(screen, 'prices-product-phone')

    size(screen, DESKTOP)
    screen.open('/current-order')
    wait_text(screen, 'Subtotal excl. VAT')
    wait_text(screen, 'VAT 21%')
    wait_text(screen, 'Total incl. VAT')
    with db.read_session() as s:
        summary = current_order.summary(s, actor=identity_of(user_named('customer').id))
    wait_text(screen, money(summary.subtotal_cents))
    wait_text(screen, money(summary.total_cents))
    assert summary.total_cents == summary.subtotal_cents + summary.vat_cents > summary.subtotal_cents
    wait_text(screen, f'{money(620)} per piece (list price {money(695)})')
    shot(screen, 'prices-current-order-desktop')
    size(screen, PHONE)
    screen.open('/current-order')
    wait_text(screen, 'Total incl. VAT')
    scroll_to(screen, 'Subtotal excl. VAT')
    shot(screen, 'prices-current-order-phone')
    size(screen, DESKTOP)
    button(screen, 'Place order').click()
    wait_text(screen, 'is placed')
    order, line = placed_line('customer', 'AD-1001')
    assert (line.quantity, line.unit_price_cents, line.list_price_cents) == (12, 620, 695)  # as the page showed it
    assert order.total_cents == summary.total_cents
    wait_text(screen, money(order.total_cents))

    # the other customer: list prices, no VAT (export), in its own language
    screen.open('/logout')
    button(screen, 'Sign out').click()
    wait_text(screen, 'User name')
    language = language_of('customer2')
    with db.write_session() as s:
        current_order.add(s, actor=identity_of(user_named('customer2').id), product_id=glue.id, quantity=12)
    sign_in(screen, 'customer2', 'customer2-demo', path=f'/products/{glue.id}')
    wait_text(screen, money(695, language))
    wait_no_text(screen, money(620, language))
    assert not screen.selenium.find_elements(By.XPATH, '//div[contains(@class,"line-through")]')
    screen.open('/current-order')
    wait_text(screen, 'Export outside the EU (United Kingdom)')
    wait_text(screen, money(12 * 695, language))
    shot(screen, 'prices-current-order-exempt')
    screen.selenium.execute_script(  # Place order, whatever its label in the customer's language
        "[...document.querySelectorAll('button')]"
        ".find(b => b.offsetParent !== null && b.querySelector('i')?.innerText === 'send').click()"
    )
    WebDriverWait(screen.selenium, 5).until(lambda d: '/orders/SO-' in d.current_url)
    other_order, other_line = placed_line('customer2', 'AD-1001')
    assert (other_line.unit_price_cents, other_order.vat_cents, other_order.total_cents) == (695, 0, 12 * 695)
