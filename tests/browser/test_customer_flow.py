"""What a customer clicks through, in real Chromium: sign in, find, add, place, follow, sign out and back."""

from __future__ import annotations

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sqlmodel import select

from app.core import db
from app.models import CurrentOrderLine, Order, OrderLine, PortalUser
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    button,
    card_of,
    field,
    shot,
    sign_in,
    size,
    type_quantity,
    typed,
    wait_no_text,
    wait_text,
)
from tests.rows import product

HAMMER = 'Claw hammer 500 g, fibreglass handle'


def add_on_card(screen: Screen, name: str, quantity: str) -> None:
    """On the grid: the quantity typed into the product's card, then its Add."""
    card = card_of(screen, name)
    type_quantity(screen, quantity, card)
    button(screen, 'Add', within=card).click()


def test_customer_signs_in_and_sees_the_dashboard_and_menu(screen: Screen) -> None:
    size(screen, DESKTOP)
    sign_in(screen, 'customer', 'wrong-password')
    wait_text(screen, 'Unknown user name or wrong password.')
    sign_in(screen, 'customer', 'customer-demo')
    wait_text(screen, 'Welcome to Northwind Workshop Supply')
    for item in ('Dashboard', 'Products', 'Orders', 'Backorders', 'Current order', 'Sign out'):
        wait_text(screen, item)
    shot(screen, 'dashboard-desktop')

    screen.find('Sign out').click()
    wait_text(screen, 'Sign in to the portal')
    screen.selenium.back()  # the browser's back button shows no portal content again
    wait_text(screen, 'Sign in to the portal')
    wait_no_text(screen, 'Welcome to Northwind Workshop Supply')


def test_customer_adds_from_the_grid_places_the_order_and_keeps_a_new_one_after_signing_out(screen: Screen) -> None:
    size(screen, DESKTOP)
    hammer = product('HT-1001')
    sign_in(screen, 'customer', 'customer-demo', path='/products')
    search = screen.selenium.find_element(By.CSS_SELECTOR, 'input[aria-label="Search products"]')
    search.send_keys('hammer', Keys.ENTER)
    wait_text(screen, HAMMER)
    add_on_card(screen, HAMMER, '3')
    wait_text(screen, '3 in order')  # the green check mark, without a reload
    shot(screen, 'products-after-add')

    screen.open('/current-order')
    wait_text(screen, HAMMER)
    field(screen, 'Your reference (purchase order number)').send_keys('PO-BROWSER-1')
    field(screen, 'Comment for the supplier').send_keys('Ring the bell <b>twice</b>')
    shot(screen, 'current-order')
    button(screen, 'Place order').click()
    wait_text(screen, 'is placed')
    shot(screen, 'order-placed')

    with db.read_session() as s:
        order = s.exec(select(Order).where(Order.reference == 'PO-BROWSER-1')).one()
        lines = s.exec(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    assert order.comment == 'Ring the bell <b>twice</b>'
    assert [(line.product_id, line.quantity) for line in lines if line.product_id == hammer.id] == [(hammer.id, 3)]
    screen.should_contain('Ring the bell <b>twice</b>')  # shown as text, not as markup
    assert screen.selenium.find_elements(By.XPATH, '//b[normalize-space()="twice"]') == []

    # a new current order survives signing out and in
    screen.open(f'/products/{hammer.id}')
    wait_text(screen, hammer.code)
    button(screen, 'Add to current order').click()
    wait_text(screen, '1 in order')
    screen.find('Sign out').click()
    wait_text(screen, 'Sign in to the portal')
    sign_in(screen, 'customer', 'customer-demo', path='/current-order')
    wait_text(screen, HAMMER)
    with db.read_session() as s:
        user = s.exec(select(PortalUser).where(PortalUser.username == 'customer')).one()
        kept = s.exec(select(CurrentOrderLine).where(CurrentOrderLine.user_id == user.id)).all()
    assert {(line.product_id, line.quantity) for line in kept} >= {(hammer.id, 1)}


def test_check_marks_follow_the_current_order_across_pages_tabs_and_sign_ins(screen: Screen) -> None:
    size(screen, DESKTOP)
    hammer = product('HT-1001')
    sign_in(screen, 'customer', 'customer-demo', path='/products?q=claw')  # part of the name
    wait_text(screen, HAMMER)
    add_on_card(screen, HAMMER, '2')
    wait_text(screen, '2 in order')
    wait_text(screen, '2 lines · 4 units')  # the bottom-left summary (the demo order holds 2 screwdriver sets)

    first = screen.selenium.current_window_handle
    screen.selenium.switch_to.new_window('tab')  # a second tab of the same user, on the grid by code
    screen.selenium.get(f'http://localhost:{Screen.PORT}/products?q={hammer.code}')
    wait_text(screen, '2 in order')
    second = screen.selenium.current_window_handle

    screen.selenium.switch_to.window(first)
    screen.open(f'/products/{hammer.id}')
    wait_text(screen, '2 in order')
    button(screen, 'Add to current order').click()
    wait_text(screen, '3 in order')

    screen.selenium.switch_to.window(second)
    wait_text(screen, '3 in order')  # without a reload
    screen.selenium.close()
    screen.selenium.switch_to.window(first)

    screen.open('/logout')  # a GET only shows the button: signing out is the form's POST with its token
    wait_text(screen, 'Signed in as')
    button(screen, 'Sign out').click()
    wait_text(screen, 'Sign in to the portal')
    sign_in(screen, 'customer', 'customer-demo', path=f'/products/{hammer.id}')
    wait_text(screen, '3 in order')  # the current order outlived the session


def test_the_catalogue_works_on_a_phone(screen: Screen) -> None:
    size(screen, PHONE)
    sign_in(screen, 'customer', 'customer-demo', path='/products')
    wait_text(screen, 'Add')
    cards = screen.selenium.find_elements(By.CSS_SELECTOR, '.q-card')
    widths = {round(card.size['width']) for card in cards[:4] if card.size['width'] > 200}
    assert widths and max(widths) <= PHONE[0]  # one column, nothing wider than the screen
    page_width = screen.selenium.execute_script('return document.documentElement.scrollWidth')
    assert page_width <= PHONE[0] + 1
    shot(screen, 'products-phone')


def test_the_current_order_works_on_a_phone(screen: Screen) -> None:
    size(screen, PHONE)
    screwdrivers = product('HT-1003')  # in the demo customer's current order, 2 of them
    sign_in(screen, 'customer', 'customer-demo', path='/current-order')
    wait_text(screen, '2 ship from stock')
    typed(screen, 'Qty', '5', Keys.ENTER)
    wait_text(screen, '2 ship from stock, 3 go on backorder')
    widest = screen.selenium.execute_script(
        "return Math.max(...[...document.querySelectorAll('.sf-order-line *')]"
        '.map(e => e.getBoundingClientRect().right))'
    )
    assert widest <= PHONE[0]  # the longer text wraps instead of running off the screen
    shot(screen, 'current-order-phone')
    screen.selenium.find_element(By.CSS_SELECTOR, 'button[aria-label="Remove line"]').click()
    wait_text(screen, 'Line removed')
    undo_right = screen.selenium.execute_script(
        "return [...document.querySelectorAll('button')].find(b => b.innerText.includes('Undo'))"
        '.getBoundingClientRect().right'
    )
    assert undo_right <= PHONE[0]  # Undo stays on screen beside a long product name
    button(screen, 'Undo').click()
    wait_text(screen, '2 ship from stock, 3 go on backorder')
    with db.read_session() as s:
        line = s.exec(select(CurrentOrderLine).where(CurrentOrderLine.product_id == screwdrivers.id)).one()
    assert line.quantity == 5
