"""The products page and the current order in English, Dutch and German, at desktop and phone size: long German
words must not break a card, a button or the phone layout (checked on the computed layout; screenshots to look at).
"""

from __future__ import annotations

import pytest
from nicegui.testing import Screen

from tests.browser.conftest import DESKTOP, PHONE, shot, sign_in, size, wait_text

READERS = [('customer', 'en', 'Add'), ('customer2', 'nl', 'Toevoegen'), ('kunde', 'de', 'Hinzufügen')]

OVERFLOWING = """
return [...document.querySelectorAll('.q-page button, .q-page .q-card, .q-header button')]
  .filter(e => e.offsetParent !== null && !e.querySelector('.q-badge--floating'))  // a count badge floats on purpose
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => (e.innerText || e.className).slice(0, 60));
"""


def fits(screen: Screen, width: int) -> None:
    assert screen.selenium.execute_script('return document.documentElement.scrollWidth') <= width + 1
    header = screen.selenium.execute_script('return document.querySelector(".q-header").offsetHeight')
    assert header < 90  # one row (two make it ~120 px), whatever the length of the page title in the language
    assert screen.selenium.execute_script(OVERFLOWING) == []  # no text runs out of its button or card
    title = 'const t = document.querySelector(".sf-title"); return [t.scrollWidth, t.clientWidth, t.innerText]'
    whole, shown, text = screen.selenium.execute_script(title)
    assert whole <= shown + 1, f'the page title {text!r} is cut off'  # ("Current o…" on a phone, before)


@pytest.mark.parametrize(('username', 'language', 'add'), READERS, ids=[r[1] for r in READERS])
def test_the_products_page_and_the_current_order_fit_in_every_language(
    screen: Screen, username: str, language: str, add: str
) -> None:
    size(screen, DESKTOP)
    sign_in(screen, username, f'{username}-demo', path='/products')
    wait_text(screen, add)
    for device, window in {'desktop': DESKTOP, 'phone': PHONE}.items():
        size(screen, window)
        screen.open('/products')
        wait_text(screen, add)
        fits(screen, window[0])
        shot(screen, f'products-{language}-{device}')
        screen.open('/current-order')
        screen.wait(1)
        fits(screen, window[0])
        shot(screen, f'current-order-{language}-{device}')
