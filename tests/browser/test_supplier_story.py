"""The whole story through both sides in real Chromium: the supplier sets up a customer and a product,
the customer orders more than is in stock, the supplier checks, delivers, receives and delivers the rest."""

from __future__ import annotations

import time
from io import BytesIO
from pathlib import Path

from nicegui.testing import Screen
from PIL import Image
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from sqlmodel import select

from app.core import db
from app.models import Customer, Order, OrderLine, OrderStatus, PortalUser, Product, ProductImage
from app.orders.invariants import check_stock
from tests.browser.conftest import DESKTOP, button, send, shot, sign_in, size, type_quantity, typed, wait_text

CODE = 'TB-0001'
NAME = 'Torque wrench 40-200 Nm'


def sign_out(screen: Screen) -> None:
    screen.open('/logout')  # a GET only shows the button: signing out is the form's POST with its token
    wait_text(screen, 'Signed in as')
    button(screen, 'Sign out').click()
    wait_text(screen, 'Sign in to the portal')


def line_cells(screen: Screen, code: str) -> dict[str, str]:
    """The order-lines table row of a product on the order page, by column heading."""
    headings = [th.text.strip() for th in screen.selenium.find_elements(By.CSS_SELECTOR, 'table thead th')]
    row = screen.selenium.find_element(By.XPATH, f'//table//tr[td[contains(normalize-space(), "({code})")]]')
    return dict(zip(headings, [td.text.strip() for td in row.find_elements(By.TAG_NAME, 'td')], strict=False))


def wait_cells(screen: Screen, code: str, **expected: str) -> None:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    def matches(_driver) -> bool:
        try:
            cells = line_cells(screen, code)
        except (NoSuchElementException, StaleElementReferenceException):
            return False
        return all(cells.get(key.replace('_', ' ').capitalize()) == value for key, value in expected.items())

    WebDriverWait(screen.selenium, 6).until(matches, message=f'line {code} never showed {expected}')


def the_order() -> tuple[Order, OrderLine]:
    with db.read_session() as s:
        line = s.exec(select(OrderLine).where(OrderLine.product_code == CODE)).one()
        return s.get(Order, line.order_id), line


def choose_file(screen: Screen, path: Path) -> None:
    """Give the image uploader a file; the page may redraw the uploader just then (a live refresh): try again."""
    for _attempt in range(5):
        try:
            screen.selenium.find_element(By.CSS_SELECTOR, 'input[type=file]').send_keys(str(path))
            return
        except StaleElementReferenceException:
            time.sleep(0.3)
    raise AssertionError('the uploader kept being redrawn')


def png(tmp_path: Path) -> Path:
    path = tmp_path / 'wrench.png'
    buffer = BytesIO()
    Image.new('RGB', (320, 240), (30, 90, 160)).save(buffer, 'PNG')
    path.write_bytes(buffer.getvalue())
    return path


def test_supplier_and_customer_walk_the_whole_story(screen: Screen, tmp_path: Path) -> None:
    size(screen, DESKTOP)
    # --- the supplier sets up a customer with an address and a portal user
    sign_in(screen, 'supplier', 'supplier-demo')
    wait_text(screen, 'Awaiting check')
    screen.open('/admin/customers/new')
    send(screen, {'Name': 'Toolbox Trading', 'Customer code': 'TOOLBOX'}, 'Create customer', 'Delivery addresses')
    button(screen, 'Add address').click()
    send(
        screen,
        {
            'Recipient / company': 'Toolbox Trading Goods In',
            'Street and number': 'Canal Road 7',
            'Postal code': '3011 AA',
            'City': 'Rotterdam',
        },
        'Save address',
        'Canal Road 7',
    )
    button(screen, 'New user').click()
    typed(screen, 'User name', 'toolbox')
    screen.selenium.find_element(By.XPATH, '//div[@role="radio"][.//*[normalize-space()="Type a password"]]').click()
    send(screen, {'Password': 'toolbox-secret-1'}, 'Create user', 'toolbox')
    shot(screen, 'admin-customer')

    # --- and a product with 5 in stock and an image
    screen.open('/admin/products/new')
    send(screen, {'Product code': CODE, 'Name': NAME, 'Price': '89.50'}, 'Create product', 'Receive stock')
    choose_file(screen, png(tmp_path))
    send(screen, {'Quantity': '5'}, 'Receive stock', 'Received 5 units')
    with db.read_session() as s:
        product = s.exec(select(Product).where(Product.code == CODE)).one()
        images = s.exec(select(ProductImage).where(ProductImage.product_id == product.id)).all()
        customer = s.exec(select(Customer).where(Customer.code == 'TOOLBOX')).one()
        user = s.exec(select(PortalUser).where(PortalUser.username == 'toolbox')).one()
    assert (product.on_hand, product.price_cents, len(images)) == (5, 8950, 1)
    assert user.customer_id == customer.id
    shot(screen, 'admin-product')
    sign_out(screen)

    # --- the customer finds it and orders 8: 5 reserved, 3 on backorder
    sign_in(screen, 'toolbox', 'toolbox-secret-1', path=f'/products?q={CODE}')
    wait_text(screen, NAME)
    screen.open(f'/products/{product.id}')
    wait_text(screen, 'Only 5 left')
    type_quantity(screen, '8')
    button(screen, 'Add to current order').click()
    wait_text(screen, '8 in order')
    screen.open('/current-order')
    wait_text(screen, '5 ship from stock, 3 go on backorder')
    button(screen, 'Place order').click()
    wait_text(screen, 'is placed')
    order, _ = the_order()
    wait_cells(screen, CODE, ordered='8', reserved='5', on_backorder='3', delivered='0')
    sign_out(screen)

    # --- the supplier checks the order and delivers 5 with a tracking code
    sign_in(screen, 'supplier', 'supplier-demo')
    wait_text(screen, 'Awaiting check')
    screen.open(f'/admin/orders/{order.id}')
    wait_text(screen, 'Toolbox Trading')
    button(screen, 'Check order').click()
    wait_text(screen, 'Processing')
    button(screen, 'Record delivery').click()
    send(screen, {'Tracking code (optional)': 'TRACK-5-OF-8'}, 'Deliver', 'Tracking code: TRACK-5-OF-8')
    shot(screen, 'admin-order-delivered')
    sign_out(screen)

    # --- the customer sees 5 delivered and 3 on backorder
    sign_in(screen, 'toolbox', 'toolbox-secret-1', path=f'/orders/{order.number}')
    wait_cells(screen, CODE, delivered='5', on_backorder='3', reserved='0')
    wait_text(screen, 'Tracking code: TRACK-5-OF-8')
    screen.open('/backorders')
    wait_text(screen, '3 waiting for stock')
    sign_out(screen)

    # --- the supplier receives 10 more: the backorder is served first
    sign_in(screen, 'supplier', 'supplier-demo', path=f'/admin/products/{product.id}')
    wait_text(screen, 'Receive stock')
    send(screen, {'Quantity': '10'}, 'Receive stock', 'Received 10 units')
    sign_out(screen)

    # --- the customer's backorder shows 3 reserved
    sign_in(screen, 'toolbox', 'toolbox-secret-1', path='/backorders')
    wait_text(screen, '3 reserved')
    shot(screen, 'customer-backorder-reserved')
    sign_out(screen)

    # --- the supplier delivers the rest
    sign_in(screen, 'supplier', 'supplier-demo', path=f'/admin/orders/{order.id}')
    wait_text(screen, 'Toolbox Trading')
    button(screen, 'Record delivery').click()
    button(screen, 'Deliver').click()
    wait_text(screen, 'Completed')
    sign_out(screen)

    # --- the customer sees the order completed and no backorder
    sign_in(screen, 'toolbox', 'toolbox-secret-1', path=f'/orders/{order.number}')
    wait_text(screen, 'Completed')
    wait_cells(screen, CODE, delivered='8', on_backorder='0', reserved='0')
    screen.open('/backorders')
    wait_text(screen, 'No backorders')

    order, line = the_order()
    with db.read_session() as s:
        product = s.get(Product, product.id)
        assert check_stock(s) == []
    assert order.status == OrderStatus.COMPLETED
    assert (line.delivered, line.allocated, line.backorder) == (8, 0, 0)
    assert (product.on_hand, product.allocated) == (7, 0)
