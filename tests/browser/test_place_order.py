"""Placing an order in real Chromium: stock and backorder split, a new address, the order and backorder pages."""

from __future__ import annotations

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from sqlmodel import select

from app.catalogue import products
from app.core import db
from app.identity.access import SYSTEM
from app.models import Address, CurrentOrderLine, Order, OrderLine, OrderStatus, PortalUser, Product, ProductCreate
from app.orders.invariants import check_stock
from tests.browser.conftest import DESKTOP, PHONE, button, field, shot, sign_in, size, type_quantity, wait_text
from tests.rows import product


def add_on_product_page(screen: Screen, item: Product, quantity: int) -> None:
    screen.open(f'/products/{item.id}')
    wait_text(screen, item.barcode)
    type_quantity(screen, str(quantity))
    button(screen, 'Add to current order').click()
    wait_text(screen, f'{quantity} in order')


def test_customer_places_an_order_with_a_backorder_a_comment_and_a_new_address(screen: Screen) -> None:
    size(screen, DESKTOP)
    in_stock, scarce = product('FA-1001'), product('HT-1008')  # 340 and 4 on hand
    sign_in(screen, 'customer', 'customer-demo')
    wait_text(screen, 'Welcome')
    add_on_product_page(screen, in_stock, 2)
    add_on_product_page(screen, scarce, 7)

    screen.open('/current-order')
    wait_text(screen, '2 ship from stock')
    wait_text(screen, '4 ship from stock, 3 go on backorder')
    field(screen, 'Comment for the supplier').send_keys('Gate code 4711, please call ahead.')
    screen.selenium.find_element(By.XPATH, '//div[@role="radio"][.//*[normalize-space()="Another address…"]]').click()
    field(screen, 'Recipient / company').send_keys('Demo Retail Pop-up Store')
    field(screen, 'Street and number').send_keys('Market Square 5')
    field(screen, 'Postal code').send_keys('2011 CD')
    field(screen, 'City').send_keys('Haarlem')
    field(screen, 'Country').send_keys('Netherlands')
    screen.selenium.find_element(
        By.XPATH, '//div[@role="checkbox"][.//*[normalize-space()="Save this address in our address book"]]'
    ).click()
    button(screen, 'Place order').click()
    wait_text(screen, 'is placed')
    wait_text(screen, 'Awaiting check')
    wait_text(screen, 'Gate code 4711, please call ahead.')
    wait_text(screen, 'Market Square 5')
    shot(screen, 'order-with-backorder')

    with db.read_session() as s:
        user = s.exec(select(PortalUser).where(PortalUser.username == 'customer')).one()
        order = s.exec(select(Order).where(Order.comment == 'Gate code 4711, please call ahead.')).one()
        lines = {line.product_code: line for line in s.exec(select(OrderLine).where(OrderLine.order_id == order.id))}
        saved = s.exec(select(Address).where(Address.street == 'Market Square 5')).all()
        left = s.exec(select(CurrentOrderLine).where(CurrentOrderLine.user_id == user.id)).all()
        assert check_stock(s) == []
    assert order.status == OrderStatus.CONCEPT
    assert (order.ship_recipient, order.ship_city) == ('Demo Retail Pop-up Store', 'Haarlem')
    assert (lines['FA-1001'].allocated, lines['FA-1001'].backorder) == (2, 0)
    assert (lines['HT-1008'].allocated, lines['HT-1008'].backorder) == (4, 3)
    assert len(saved) == 1 and saved[0].customer_id == user.customer_id
    assert left == []  # the current order is empty now

    screen.open('/backorders')
    wait_text(screen, scarce.name)
    wait_text(screen, '3 waiting for stock')
    screen.open('/current-order')
    wait_text(screen, 'Your current order is empty')
    place = screen.selenium.find_elements(By.XPATH, '//button[.//span[normalize-space()="Place order"]]')
    assert not [b for b in place if b.is_displayed()]  # nothing to place


def test_a_price_raised_while_the_order_is_open_is_shown_and_placed_only_when_agreed(screen: Screen) -> None:
    screwdrivers = product('HT-1003')  # 2 in the demo customer's current order at 22.46 (Trade: 10 % off 24.95)
    sign_in(screen, 'customer', 'customer-demo', path='/current-order')
    wait_text(screen, '2 ship from stock')
    with db.write_session() as s:  # the supplier raises the price tenfold
        fields = {name: getattr(screwdrivers, name) for name in ProductCreate.model_fields}
        data = ProductCreate(**{**fields, 'price_cents': 24_950})
        products.update_product(s, actor=SYSTEM, product_id=screwdrivers.id, data=data)
    wait_text(screen, 'Prices changed since you opened this order')
    wait_text(screen, '€22.46 → €224.55 per set')  # the customer's prices, 10 % off the list price
    button(screen, 'Place order').click()  # refused: the changed line stays listed, Place asks again
    for name, which in [('price-changed-desktop', DESKTOP), ('price-changed-phone', PHONE)]:
        size(screen, which)
        screen.selenium.execute_script(
            "document.querySelector('[role=alert]').scrollIntoView({block: 'center', behavior: 'instant'})"
        )
        shot(screen, name)
        agree = screen.selenium.execute_script(
            "return [...document.querySelectorAll('button')].find(b => b.innerText.includes('Place at the new prices'))"
            '.getBoundingClientRect().right'
        )
        assert agree <= which[0]  # the button stays on screen
    with db.read_session() as s:
        assert s.exec(select(Order).where(Order.subtotal_cents == 2 * 22_455)).first() is None
    button(screen, 'Place at the new prices').click()
    wait_text(screen, 'is placed')
    with db.read_session() as s:
        order = s.exec(select(Order).where(Order.subtotal_cents == 2 * 22_455)).one()
        (line,) = s.exec(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    assert (line.product_code, line.unit_price_cents, line.list_price_cents) == ('HT-1003', 22_455, 24_950)
    assert order.total_cents == 44_910 + 9431  # with 21 % VAT
