"""Browser tests: the real portal (main.py) in a thread, driven by headless Chromium through Selenium."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from nicegui.testing import Screen
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from app.core import clock, config, db, events
from tests.portal import fresh_portal

SHOTS = Path(__file__).resolve().parents[2] / 'screenshots'
DESKTOP = (1280, 900)
PHONE = (390, 844)


@pytest.fixture(autouse=True)
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every browser test starts on its own copy of the demo portal."""
    directory = fresh_portal(tmp_path, monkeypatch)
    config.set_settings(config.load())  # main.py does the same when the server starts
    db.configure(config.get().database_url)
    yield directory
    events.reset()
    clock.reset()


# where the frame stands: the menu drawer slides in or out at the breakpoint and the page moves beside it
FRAME_BOXES = (
    'const page = document.querySelector(".q-page-container");'
    'return [...document.querySelectorAll(".q-drawer, .q-header, .q-page-container")]'
    '.map(e => JSON.stringify(e.getBoundingClientRect())).join() + (page ? getComputedStyle(page).paddingLeft : "")'
)


def size(screen: Screen, which: tuple[int, int]) -> None:
    """The window at this size, once the frame has stopped moving (a click during the drawer's slide can miss)."""
    screen.selenium.set_window_size(*which)
    last = None

    def still(driver: Any) -> bool:
        nonlocal last
        now = driver.execute_script(FRAME_BOXES)
        steady, last = now == last, now
        return steady

    WebDriverWait(screen.selenium, 5, poll_frequency=0.1).until(still, message='the frame did not settle')


def sign_in(screen: Screen, username: str, password: str, *, path: str = '/login') -> None:
    screen.open(path)
    field(screen, 'User name').send_keys(username)
    field(screen, 'Password').send_keys(password)
    button(screen, 'Sign in').click()


def field(screen: Screen, label: str) -> WebElement:
    """The input inside the Quasar field whose label is `label` (marked required or not)."""
    xpath = (  # a required field's label ends in ' *'
        f'//label[.//div[contains(@class,"q-field__label") and '
        f'(normalize-space()="{label}" or normalize-space()="{label} *")]]'
        '//*[self::input or self::textarea]'
    )
    return screen.selenium.find_element(By.XPATH, xpath)


def button(screen: Screen, text: str, within: WebElement | None = None) -> WebElement:
    xpath = f'.//button[.//span[normalize-space()="{text}"]]'
    root = within if within is not None else screen.selenium
    if within is None:
        xpath = xpath[1:]
    element = root.find_element(By.XPATH, xpath)
    return WebDriverWait(screen.selenium, 4).until(expected_conditions.element_to_be_clickable(element))


def card_of(screen: Screen, product_name: str) -> WebElement:
    return screen.selenium.find_element(
        By.XPATH, f'//div[contains(@class,"q-card")][.//*[normalize-space()="{product_name}"]]'
    )


def retype(box: WebElement, *keys: str) -> None:
    """Replace what a field holds, as a user selecting all of it and typing (`keys`: text, or Keys.ENTER) does."""
    box.send_keys(Keys.CONTROL, 'a')
    box.send_keys(*keys)


def type_quantity(screen: Screen, quantity: str, within: WebElement | None = None) -> None:
    """The (first) quantity field on the page, or in a card, retyped."""
    retype((within or screen.selenium).find_element(By.CSS_SELECTOR, 'input[aria-label="Quantity"]'), quantity)


def typed(screen: Screen, label: str, *keys: str) -> None:
    """The field with this label retyped (`keys`: text, or Keys.ENTER)."""
    retype(field(screen, label), *keys)


def send(screen: Screen, fields: dict[str, str], button_text: str, expect: str) -> None:
    """Type into the fields (label: text, in that order), click the button and wait until the page shows `expect`."""
    for label, text in fields.items():
        typed(screen, label, text)
    button(screen, button_text).click()
    wait_text(screen, expect)


def _body_text(driver) -> str:
    return driver.find_element(By.TAG_NAME, 'body').text


def wait_text(screen: Screen, text: str, timeout: float = 5) -> None:
    """Wait until the visible page shows `text` (pages are replaced while navigating: retry on stale ones)."""
    wait = WebDriverWait(screen.selenium, timeout, ignored_exceptions=[StaleElementReferenceException])
    wait.until(lambda d: text in _body_text(d), message=f'{text!r} did not appear')


def wait_no_text(screen: Screen, text: str, timeout: float = 5) -> None:
    wait = WebDriverWait(screen.selenium, timeout, ignored_exceptions=[StaleElementReferenceException])
    wait.until(lambda d: text not in _body_text(d), message=f'{text!r} did not go away')


def shot(screen: Screen, name: str) -> Path:
    """A screenshot to look at (screenshots/ is git-ignored)."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f'{name}.png'
    time.sleep(0.4)  # let Quasar's transitions (floating labels, ripples) finish, as a person would see the page
    screen.selenium.save_screenshot(str(path))
    return path
