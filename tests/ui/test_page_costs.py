"""What a page costs the server, in its structure (bench/profile_pages.py measures the time): the frame on every page
is built from few elements, reads the current order once, and makes its rarely used parts when they are opened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from app.core import db, portal_settings
from app.models import Product
from app.orders import current_order
from components import frame
from tests.conftest import identity
from tests.ui.conftest import signed_in

WAIT = 50


def counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[object]:
    calls: list[object] = []
    original: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get('actor'))
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


async def test_the_current_order_page_reads_the_current_order_once_and_its_glance_shows_it(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    await signed_in(user)
    reads = counting(monkeypatch, current_order, 'contents')
    await user.open('/current-order')
    await user.should_see(marker='place-order', retries=WAIT)
    assert len(reads) == 1  # the page's lines; the menu's glance shows the summary read with them
    summary_of = reads[0]
    with db.read_session() as session:
        summary = current_order.summary(session, actor=summary_of)
    assert summary.units == 2  # the demo's HT-1003 x2
    with user.scope(marker='current-order-summary'):
        await user.should_see('2 units')
    reads.clear()
    await user.open('/orders')  # a page that does not read the current order: the glance shows the kept summary
    with user.scope(marker='current-order-summary'):
        await user.should_see('2 units')
    assert reads == []  # (kept since the dashboard showed it at sign-in: nothing changed since)
    with db.write_session() as session:
        hammer = session.exec(select(Product).where(Product.code == 'HT-1003')).one()
        current_order.add(session, actor=summary_of, product_id=hammer.id, quantity=1)
    await user.open('/orders')  # changed: read again (by this page or by the open pages' live glances)
    with user.scope(marker='current-order-summary'):
        await user.should_see('3 units')
    assert reads


async def test_each_menu_line_is_one_link_and_sign_out_one_element(user: User) -> None:
    await signed_in(user, at='/orders')
    for label, icon, path in frame.CUSTOMER_MENU:
        (line,) = user.find(marker=f'menu-{label}').elements
        assert isinstance(line, ui.link) and line.props['href'] == path and line.props['data-icon'] == icon
        assert line.default_slot.children == [] and line.text == label
        assert ('q-item--active' in line.classes) is (path == '/orders')
    (sign_out,) = user.find(marker='menu-Sign out').elements
    assert sign_out.default_slot.children == [] and sign_out.text == 'Sign out'
    sign_out_listeners = [listener.type for listener in sign_out._event_listeners.values()]
    assert sorted(sign_out_listeners) == ['click', 'keydown.enter']


async def test_the_language_menu_and_the_save_as_a_list_dialog_are_made_when_first_opened(user: User) -> None:
    await signed_in(user, at='/current-order')
    await user.should_see(marker='place-order', retries=WAIT)
    await user.should_not_see(marker='language-de')
    await user.should_not_see(marker='order-list-name')
    user.find(marker='language-switch').click()
    await user.should_see(marker='language-de')
    user.find(marker='save-order-as-list').click()
    await user.should_see(marker='order-list-name')
    user.find(marker='save-order-as-list').click()  # opened again: the same dialog, not a second one
    assert len(user.find(marker='order-list-name').elements) == 1


async def test_the_brand_colour_and_background_come_with_the_pages_css_not_as_elements(user: User) -> None:
    with db.write_session() as session:
        portal_settings.set_brand_colour(session, actor=identity('supplier'), colour='#123456')
    await signed_in(user, at='/orders')
    head = user.client._head_html
    assert '--q-primary: #123456 !important;' in head and 'background: #fafafa !important' in head
    assert not [e for e in user.client.elements.values() if type(e).__name__ in {'Colors', 'QueryElement'}]


async def test_the_fields_of_another_address_are_made_when_it_is_first_chosen(user: User) -> None:
    await signed_in(user, at='/current-order')
    await user.should_see(marker='address-choice', retries=WAIT)
    inputs = [e for e in user.client.elements.values() if isinstance(e, ui.input)]
    assert 'Recipient / company' not in [field.label for field in inputs]
    choice = user.find(marker='address-choice').elements.pop()
    choice.value = 'new'
    await user.should_see('Recipient / company', retries=WAIT)
    (recipient,) = user.find(kind=ui.input, content='Recipient / company').elements
    choice.value = next(key for key in choice.options if key != 'new')
    await user.should_not_see('Recipient / company', retries=WAIT)
    choice.value = 'new'  # made once: what was typed stays
    assert user.find(kind=ui.input, content='Recipient / company').elements == {recipient}
