"""Leaving the dashboard text editor with unsaved changes makes the browser ask first; saved text leaves freely.

WebDriver answers the browser's own 'Leave site?' question by itself, so the test asks the page what a real
navigation would: whether its beforeunload handler holds the page (the event's defaultPrevented), in Chromium.
"""

from __future__ import annotations

from nicegui.testing import Screen
from selenium.webdriver.common.by import By

from tests.browser.conftest import DESKTOP, button, sign_in, size, wait_text

WOULD_ASK = """
const event = new Event('beforeunload', {cancelable: true});
window.dispatchEvent(event);
return event.defaultPrevented;
"""


def test_leaving_with_unsaved_changes_asks_first_and_saved_text_leaves_freely(screen: Screen) -> None:
    size(screen, DESKTOP)
    sign_in(screen, 'supplier', 'supplier-demo', path='/admin/dashboard-text')
    wait_text(screen, 'Saved — this is what customers see')
    assert screen.selenium.execute_script(WOULD_ASK) is False  # nothing typed: leaving asks nothing

    screen.selenium.find_element(By.CSS_SELECTOR, 'textarea').send_keys('\nClosed on 24 December.')
    wait_text(screen, 'Unsaved changes')
    screen.wait_for(lambda: screen.selenium.execute_script(WOULD_ASK) is True)  # the browser would ask first

    button(screen, 'Save').click()
    wait_text(screen, 'Saved — this is what customers see')
    screen.wait_for(lambda: screen.selenium.execute_script(WOULD_ASK) is False)
    screen.find('Overview').click()
    screen.wait_for(lambda: screen.selenium.current_url.endswith('/admin'))
