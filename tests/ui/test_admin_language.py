"""The supplier's staff read the admin area in the language they choose in the header, and keep it.

The German texts are read from the catalogue (whatever the translator wrote), and each must differ from the
English one, so the page really changed language.
"""

from __future__ import annotations

from nicegui.testing import User

from app.core import i18n
from app.core.i18n import _
from tests.ui.conftest import sign_in, signed_in

MENU = ['Overview', 'Orders', 'Backorders', 'Products', 'Customers', 'Dashboard text', 'Sign out']
HEADINGS = ['Awaiting your check', 'Open orders', 'Waiting for stock', 'Out of stock', 'Latest orders']


def german(texts: list[str]) -> dict[str, str]:
    with i18n.speaking('de'):
        translated = {text: _(text) for text in texts}
    assert not [text for text, german in translated.items() if german == text], 'untranslated in the catalogue'
    return translated


async def see_all(user: User, texts: list[str]) -> None:
    for text in texts:
        await user.should_see(text)


async def test_the_supplier_switches_to_german_and_it_is_remembered_after_signing_in_again(user: User) -> None:
    menu, headings = german(MENU), german(HEADINGS)
    await signed_in(user, 'supplier')
    await see_all(user, HEADINGS)

    user.find(marker='language-switch').click()
    user.find(marker='language-de').click()
    await see_all(user, list(menu.values()) + list(headings.values()))  # the page is drawn again, in German
    await user.should_not_see('Latest orders')
    await user.should_not_see('Awaiting your check')

    user.find(marker='menu-Sign out').click()  # the marks keep the English names
    await user.should_see('Sign in to the portal')  # the sign-in page follows the browser's language (English)
    await sign_in(user, 'supplier', 'supplier-demo')
    await user.should_see(headings['Latest orders'], retries=150)  # bcrypt and a redirect: slow on a busy machine
    await see_all(user, list(menu.values()) + list(headings.values()))
    await user.should_not_see('Latest orders')
