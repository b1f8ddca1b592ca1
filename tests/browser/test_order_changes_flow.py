"""Issue 16 in a real browser: a customer changes an order that awaits the check and sees the reservation follow;
the supplier records an expected delivery and the customer sees its date on the backorder; on a phone a message
never covers an Add button or moves it."""

from __future__ import annotations

from datetime import timedelta

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from app.core import clock, i18n
from tests.browser.conftest import DESKTOP, PHONE, button, field, shot, sign_in, size, wait_text
from tests.rows import line_of, order_with

SPANNERS = 'Combination spanner set 8–19 mm, 12 pieces'  # HT-1002: 22 on hand, 1 in the order awaiting the check
BOX = 'return arguments[0].getBoundingClientRect().toJSON()'


def editor_quantity(screen: Screen, product: str) -> WebElement:
    return screen.selenium.find_element(
        By.XPATH,
        f'//div[contains(concat(" ", normalize-space(@class), " "), " sf-order-line ")]'
        f'[.//*[contains(normalize-space(),"{product}")]]//input',
    )


def sign_out(screen: Screen) -> None:
    screen.open('/logout')
    button(screen, 'Sign out').click()
    wait_text(screen, 'Sign in to the portal')


def settled_box(screen: Screen, selector: str) -> dict | None:
    """The element's box once it has stopped moving (a message slides in)."""
    script = f'return document.querySelector({selector!r})?.getBoundingClientRect().toJSON()'
    last = None
    wait = WebDriverWait(screen.selenium, 5, poll_frequency=0.1)

    def still(driver) -> bool:
        nonlocal last
        now = driver.execute_script(script)
        steady, last = now is not None and now == last, now
        return steady

    wait.until(still, message=f'{selector} did not settle')
    return last


def overlap(a: dict, b: dict) -> bool:
    return a['left'] < b['right'] and b['left'] < a['right'] and a['top'] < b['bottom'] and b['top'] < a['bottom']


def test_change_an_awaiting_order_then_see_the_expected_date_the_supplier_set(screen: Screen) -> None:
    awaiting = order_with('PO-2026-0458')
    size(screen, DESKTOP)
    sign_in(screen, 'customer', 'customer-demo', path=f'/orders/{awaiting.number}')
    wait_text(screen, 'Awaiting check')
    button(screen, 'Change order').click()
    wait_text(screen, 'Change this order')
    quantity = editor_quantity(screen, SPANNERS)
    quantity.send_keys(Keys.CONTROL, 'a')
    quantity.send_keys('30')
    shot(screen, 'order-change-desktop')
    size(screen, PHONE)
    shot(screen, 'order-change-phone')
    assert screen.selenium.execute_script('return document.documentElement.scrollWidth') <= PHONE[0] + 1
    size(screen, DESKTOP)
    button(screen, 'Save changes').click()
    wait_text(screen, 'Your changes are saved; the reservations follow them.')
    wait_text(screen, 'Lines')
    line = line_of(awaiting.id, 'HT-1002')
    assert (line.quantity, line.allocated, line.backorder) == (30, 22, 8)  # the reservation followed
    row = screen.selenium.find_element(By.XPATH, '//tr[.//td[contains(normalize-space(),"HT-1002")]]').text
    assert '30' in row and '22' in row and '8' in row

    sign_out(screen)
    sign_in(screen, 'supplier', 'supplier-demo', path='/admin/expected-deliveries')
    wait_text(screen, 'Record an expected delivery')
    field(screen, 'Product code').send_keys('HT-1002')
    field(screen, 'Quantity').send_keys('12')
    due = clock.now().date() + timedelta(days=6)
    date = field(screen, 'Expected on')
    screen.selenium.execute_script(
        'arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event("input", {bubbles: true}))',
        date,
        due.isoformat(),
    )
    button(screen, 'Record').click()
    wait_text(screen, '12 units expected around')
    shot(screen, 'expected-deliveries-admin-desktop')

    sign_out(screen)
    sign_in(screen, 'customer', 'customer-demo', path='/backorders')
    wait_text(screen, f'Expected around {i18n.day_month(due)}')  # the spanners' 8 on backorder
    wait_text(screen, 'Overdue: was expected')  # the demo's decking screws: a date that passed without the stock
    shot(screen, 'backorders-expected-desktop')
    size(screen, PHONE)
    screen.selenium.refresh()
    wait_text(screen, f'Expected around {i18n.day_month(due)}')
    assert screen.selenium.execute_script('return document.documentElement.scrollWidth') <= PHONE[0] + 1
    shot(screen, 'backorders-expected-phone')


def test_on_a_phone_a_message_covers_no_add_button_and_moves_none(screen: Screen) -> None:
    size(screen, PHONE)
    sign_in(screen, 'customer', 'customer-demo', path='/products')
    wait_text(screen, 'Add')
    adds = screen.selenium.find_elements(By.XPATH, '//button[.//span[normalize-space()="Add"]]')
    header = screen.selenium.execute_script(BOX, screen.selenium.find_element(By.CSS_SELECTOR, '.q-header'))
    # the first card scrolled up until its Add sits right under the header: the worst place for a message
    first = adds[0]
    top = screen.selenium.execute_script(BOX, first)['top']
    screen.selenium.execute_script('window.scrollBy(0, arguments[0])', top - header['bottom'] - 4)
    before = [screen.selenium.execute_script(BOX, add) for add in adds[:4]]
    first.click()
    wait_text(screen, 'in order')
    toast = settled_box(screen, '.q-notification')
    after = [screen.selenium.execute_script(BOX, add) for add in adds[:4]]
    assert toast is not None
    visible = [box for box in after if box['bottom'] > 0 and box['top'] < PHONE[1]]
    assert visible, 'no Add button in view'
    for box in visible:
        assert not overlap(toast, box), (toast, box)
    assert [(b['top'], b['left']) for b in after] == [(b['top'], b['left']) for b in before]  # nothing moved
    shot(screen, 'message-over-header-phone')
