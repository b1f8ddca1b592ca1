"""Issue 16 as `customer` does it in Chromium: paste five lines (one unknown code, one hidden product) and add the
three valid ones; order a past order again; save the current order as a list and add the list back. Screenshots
of the quick order with its preview and of a list page at 1280x900 and 390x844 go to /tmp/stockfront-quick-order."""

from __future__ import annotations

import time
from pathlib import Path

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from sqlmodel import col, select

from app.catalogue import products
from app.core import db
from app.identity.access import SYSTEM
from app.models import Customer, Order, OrderLine, Product, ProductCreate
from app.orders import current_order
from app.orders.invariants import check_stock
from tests.browser.conftest import DESKTOP, PHONE, button, field, sign_in, size, wait_text
from tests.security.support import identity

SHOTS = Path('/tmp/stockfront-quick-order')
PASTE = 'HT-1004\t3\nNOPE-404\t1\nSG-1002\t2\nAD-1001\t7\nfa1005\t20'  # as copied from five Excel rows


def shot(screen: Screen, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    time.sleep(0.5)  # Quasar's transitions
    screen.selenium.save_screenshot(str(SHOTS / f'{name}.png'))


def lines_now() -> dict[str, int]:
    with db.read_session() as s:
        return {line.code: line.quantity for line in current_order.lines(s, actor=identity('customer'))}


def wait_for(condition, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, 'the current order did not change as expected'
        time.sleep(0.1)


def test_quick_order_order_again_and_a_saved_list(screen: Screen) -> None:
    item = db.read_session
    with item() as s:
        hidden = s.exec(select(Product).where(Product.code == 'SG-1002')).one()
        customer = s.exec(select(Customer).where(Customer.code == 'DEMO')).one()
        past = s.exec(select(Order).where(Order.customer_id == customer.id).order_by(col(Order.id))).first()
        ordered = {
            line.product_code: line.quantity for line in s.exec(select(OrderLine).where(OrderLine.order_id == past.id))
        }
    with db.write_session() as s:  # the supplier takes SG-1002 out of the catalogue; the buyer starts afresh
        fields = {name: getattr(hidden, name) for name in ProductCreate.model_fields}
        products.update_product(
            s, actor=SYSTEM, product_id=hidden.id, data=ProductCreate(**{**fields, 'active': False})
        )
        current_order.clear(s, actor=identity('customer'))

    size(screen, DESKTOP)
    sign_in(screen, 'customer', 'customer-demo')
    wait_text(screen, 'Welcome')
    screen.selenium.find_element(By.XPATH, '//*[normalize-space()="Quick order"]').click()  # from the menu
    wait_text(screen, 'Order by product code')
    box = field(screen, 'Lines to order')
    box.click()
    screen.selenium.execute_script("document.execCommand('insertText', false, arguments[0])", PASTE)  # a paste
    wait_text(screen, '3 lines to add · 2 lines to fix')
    for text in ['Unknown code', 'Not in your catalogue', 'Sold per 6: 7 became 12.', 'Ships from stock']:
        wait_text(screen, text)
    assert hidden.name not in screen.selenium.find_element(By.TAG_NAME, 'body').text
    shot(screen, 'quick-order-preview-desktop')
    size(screen, PHONE)
    screen.selenium.execute_script("document.querySelector('.sf-preview').scrollIntoView()")
    shot(screen, 'quick-order-preview-phone')
    size(screen, DESKTOP)
    button(screen, 'Add the 3 valid lines').click()
    wait_text(screen, '3 lines added to your current order')
    assert lines_now() == {'HT-1004': 3, 'AD-1001': 12, 'FA-1005': 20}
    wait_for(lambda: box.get_attribute('value') == 'NOPE-404\t1\nSG-1002\t2')  # the two to fix stay in the box

    screen.open(f'/orders/{past.number}')
    wait_text(screen, past.number)
    button(screen, 'Order again').click()
    expected = {'HT-1004': 3, 'AD-1001': 12, 'FA-1005': 20}
    for code, quantity in ordered.items():
        expected[code] = expected.get(code, 0) + quantity
    wait_for(lambda: lines_now() == expected)

    screen.open('/current-order')
    button(screen, 'Save this order as a list').click()
    field(screen, 'Name of the list').send_keys('Friday order')
    button(screen, 'Save as a list').click()
    wait_text(screen, 'excluding VAT at today’s prices')
    shot(screen, 'saved-list-desktop')
    size(screen, PHONE)
    shot(screen, 'saved-list-phone')
    size(screen, DESKTOP)
    with db.write_session() as s:
        current_order.clear(s, actor=identity('customer'))
    button(screen, f'Add all {len(expected)} to the current order').click()
    wait_for(lambda: lines_now() == expected)
    assert check_stock_ok()


def check_stock_ok() -> bool:
    with db.read_session() as s:
        return check_stock(s) == []
