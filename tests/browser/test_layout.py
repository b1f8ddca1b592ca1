"""What a newcomer saw at desktop (1280x900) and phone (390x844) size, checked on the computed layout."""

from __future__ import annotations

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from sqlmodel import select

from app.core import db
from app.models import Order, OrderLine, PortalUser, Product
from tests.browser.conftest import DESKTOP, PHONE, button, shot, sign_in, size, wait_text

WIDEST_ON_PAGE = (
    'return Math.max(...[...document.querySelectorAll(".q-page *")].map(e => e.getBoundingClientRect().right))'
)


def order_with_most_lines(username: str) -> str:
    with db.read_session() as s:
        user = s.exec(select(PortalUser).where(PortalUser.username == username)).one()
        orders = s.exec(select(Order).where(Order.customer_id == user.customer_id)).all()
        counts = {o.number: len(s.exec(select(OrderLine).where(OrderLine.order_id == o.id)).all()) for o in orders}
    return max(counts, key=counts.__getitem__)


def test_order_lines_are_cards_on_a_phone_and_a_table_on_a_desktop(screen: Screen) -> None:
    number = order_with_most_lines('customer')
    size(screen, PHONE)
    sign_in(screen, 'customer', 'customer-demo', path=f'/orders/{number}')
    wait_text(screen, 'Deliveries')
    wait_text(screen, 'Line total')
    cards = screen.selenium.execute_script(
        'return [...document.querySelectorAll(".sf-line-card")].map(c => c.getBoundingClientRect().toJSON())'
    )
    assert cards, 'no line cards on a phone'
    assert not screen.selenium.find_elements(By.CSS_SELECTOR, '.q-table thead')
    for box in cards:
        assert box['left'] >= 0 and box['right'] <= PHONE[0]  # each line fits the screen
    assert screen.selenium.execute_script(WIDEST_ON_PAGE) <= PHONE[0]
    assert screen.selenium.execute_script('return document.documentElement.scrollWidth') <= PHONE[0] + 1
    screen.selenium.execute_script('document.querySelector(".sf-line-card").scrollIntoView()')
    shot(screen, 'order-lines-phone')

    size(screen, DESKTOP)
    screen.selenium.refresh()
    wait_text(screen, 'Deliveries')
    headers = screen.selenium.execute_script(
        'return [...document.querySelectorAll(".q-table thead th")].map(h => h.innerText.trim())'
    )
    assert 'On backorder' in headers and 'Line total' in headers  # the full table at desktop size
    assert not screen.selenium.find_elements(By.CSS_SELECTOR, '.sf-line-card')
    shot(screen, 'order-lines-desktop')


def boxes(screen: Screen, mark: str) -> list[dict]:
    """The boxes of the children of the element marked `mark`, as the browser laid them out."""
    return screen.selenium.execute_script(
        f'return [...document.querySelector(".{mark}")?.children ?? []].map(e => e.getBoundingClientRect().toJSON())'
    )


def side_by_side(first: dict, second: dict) -> bool:
    return first['right'] <= second['left'] and abs(first['top'] - second['top']) < 2


def test_the_product_page_is_two_columns_on_a_desktop_and_one_on_a_phone(screen: Screen) -> None:
    with db.read_session() as s:
        hammer = s.exec(select(Product).where(Product.code == 'HT-1001')).one()
    size(screen, DESKTOP)
    sign_in(screen, 'customer', 'customer-demo', path=f'/products/{hammer.id}')
    wait_text(screen, 'Add to current order')
    pictures, facts = boxes(screen, 'sf-product-layout')
    assert side_by_side(pictures, facts)  # at 1280 px: pictures left, name, price and Add right
    add = screen.selenium.execute_script(
        'return [...document.querySelectorAll("button")].find(b => b.innerText.includes("Add to current order"))'
        '.getBoundingClientRect().bottom'
    )
    assert add <= DESKTOP[1] - 100  # Add is in view without scrolling
    shot(screen, 'product-desktop')

    size(screen, PHONE)
    screen.selenium.refresh()
    wait_text(screen, 'Add to current order')
    pictures, facts = boxes(screen, 'sf-product-layout')
    assert facts['top'] >= pictures['bottom'] and facts['right'] <= PHONE[0]  # stacked on a phone
    shot(screen, 'product-phone')


def test_the_current_orders_details_are_two_columns_on_a_desktop_and_one_on_a_phone(screen: Screen) -> None:
    size(screen, DESKTOP)
    sign_in(screen, 'customer', 'customer-demo', path='/current-order')
    wait_text(screen, 'Delivery address')
    notes, address = boxes(screen, 'sf-details-layout')
    assert side_by_side(notes, address)
    screen.selenium.execute_script('document.querySelector(".sf-details-layout").scrollIntoView()')
    shot(screen, 'current-order-details-desktop')

    size(screen, PHONE)
    screen.selenium.refresh()
    wait_text(screen, 'Delivery address')
    notes, address = boxes(screen, 'sf-details-layout')
    assert address['top'] >= notes['bottom'] and address['right'] <= PHONE[0]


def test_on_a_phone_messages_show_under_the_header_not_over_the_buttons(screen: Screen) -> None:
    size(screen, PHONE)
    sign_in(screen, 'customer', 'customer-demo', path='/products?q=hammer')
    wait_text(screen, 'Add')
    button(screen, 'Add').click()
    wait_text(screen, 'in order')
    toast = screen.selenium.execute_script(
        'return document.querySelector(".q-notification")?.getBoundingClientRect().toJSON()'
    )
    assert toast is not None and toast['top'] < 140  # under the header, away from the cards' Add buttons
    shot(screen, 'message-phone')
