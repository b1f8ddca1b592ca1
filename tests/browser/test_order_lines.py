"""The current order's quantity fields in Chromium (components/order_line.js): what is typed is not overwritten by
changes made elsewhere while the field has the focus, a change made elsewhere shows on leaving the field untouched,
and leaving it changed saves."""

from __future__ import annotations

import time

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from app.core import db
from app.orders import current_order
from tests.browser.conftest import DESKTOP, field, retype, sign_in, size, wait_text
from tests.conftest import identity
from tests.rows import product
from tests.ui.conftest import in_current_order


def another_tab_sets(code: str, quantity: int) -> None:
    with db.write_session() as s:
        current_order.set_quantity(s, actor=identity('customer'), product_id=product(code).id, quantity=quantity)


def shown_in(box) -> str:
    return box.get_attribute('value')


def test_a_quantity_field_keeps_what_is_typed_and_shows_changes_made_elsewhere_when_left(screen: Screen) -> None:
    size(screen, DESKTOP)
    sign_in(screen, 'customer', 'customer-demo', path='/current-order')  # the demo's HT-1003 x2
    wait_text(screen, '2 ship from stock')
    box = field(screen, 'Qty')

    box.click()  # the focus, nothing typed: a change elsewhere waits ...
    another_tab_sets('HT-1003', 4)
    wait_text(screen, '2 ship from stock, 2 go on backorder')
    assert shown_in(box) == '2'
    box.send_keys(Keys.TAB)  # ... and shows on leaving the field, not saved back over it
    WebDriverWait(screen.selenium, 5).until(lambda _d: shown_in(box) == '4')
    time.sleep(0.3)
    assert in_current_order() == {'HT-1003': 4}

    box.click()
    retype(box, '7')  # typed, not saved yet: a change elsewhere does not overwrite it
    another_tab_sets('HT-1003', 3)
    wait_text(screen, '2 ship from stock, 1 go on backorder')
    assert shown_in(box) == '7'
    screen.selenium.find_element(By.TAG_NAME, 'body').click()  # leaving the field changed saves it
    wait_text(screen, '2 ship from stock, 5 go on backorder')
    assert in_current_order() == {'HT-1003': 7}

    retype(box, 'abc', Keys.ENTER)  # refused: the field goes back to what holds
    wait_text(screen, 'Enter a whole number between 1 and 100,000.')
    WebDriverWait(screen.selenium, 5).until(lambda _d: shown_in(box) == '7')
