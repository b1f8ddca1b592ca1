"""What a newcomer saw at desktop (1280x900) and phone (390x844) size, checked on the computed layout."""

from __future__ import annotations

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from sqlmodel import select

from app.core import db
from app.models import Order, OrderLine, PortalUser
from tests.browser.conftest import DESKTOP, PHONE, shot, sign_in, size, wait_text

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
