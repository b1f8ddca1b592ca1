from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from nicegui import ui
from nicegui.testing import User

from app.core import clock, db, events, i18n
from app.models import Product
from app.orders import current_order
from components.catalogue_card import CatalogueCard
from tests.conftest import identity
from tests.portal import fresh_portal
from tests.rows import product


@pytest.fixture(autouse=True)
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every page test starts on its own copy of the demo portal."""
    directory = fresh_portal(tmp_path, monkeypatch)
    yield directory
    events.reset()
    clock.reset()


def in_current_order(username: str = 'customer') -> dict[str, int]:
    """The user's current order in the database: product code -> quantity."""
    with db.read_session() as s:
        return {line.code: line.quantity for line in current_order.lines(s, actor=identity(username))}


async def sign_in(user: User, username: str, password: str, *, path: str = '/login') -> None:
    await user.open(path)
    user.find('User name').type(username)
    user.find('Password').type(password)
    user.find(kind=ui.button, content='Sign in').click()


async def signed_in(user: User, username: str = 'customer', *, at: str | None = None) -> User:
    """`user` signed in through the form as the demo's `username` (password `<username>-demo`), then, with `at`,
    on that page, opened as a person opens it."""
    await sign_in(user, username, f'{username}-demo')
    # bcrypt and a redirect: slow on a busy machine; the frame's mark, as the user may read another language
    await user.should_see(marker='signed-in-as', retries=150)
    if at is not None:
        await user.open(at)
    return user


def read_in(language: str, text: Callable[[], str]) -> str:
    """What `text()` gives a reader of `language`: how a page shows it to them (the demo's `customer2` reads Dutch,
    `kunde` German), whatever the catalogues say."""
    with i18n.speaking(language):
        return text()


async def eventually(condition: Callable[[], bool]) -> None:
    """Wait (at most 5 s) for what a click, a live update or another tab started to show, as should_see does."""
    for _ in range(250):
        if condition():
            return
        await asyncio.sleep(0.02)
    assert condition()


def catalogue_card(user: User, product_id: int, *, row: bool = False) -> CatalogueCard:
    """A product's card in the catalogue grid (or its row in the list view): what it shows is in its props."""
    found = user.find(marker=f'{"row" if row else "product"}-{product_id}').elements
    assert len(found) == 1, found
    card = found.pop()
    assert isinstance(card, CatalogueCard)
    return card


def on_card(user: User, product_id: int, event: str = 'add', typed: str | None = None, *, row: bool = False) -> None:
    """What the browser sends when the customer presses Add (or Enter in the quantity field: the same), the bookmark
    ('save') or a step ('step-up', 'step-down'): the card's event with what the quantity field holds, `typed` or,
    without it, what the server last put there."""
    card = catalogue_card(user, product_id, row=row)
    args: dict[str, object] = {'do': event, 'quantity': card.props['value'] if typed is None else typed}
    if event.startswith('step'):
        args['do'], args['direction'] = 'step', 1 if event == 'step-up' else -1
    user.find(marker=f'{"row" if row else "product"}-{product_id}').trigger('act', args)


async def on_products(user: User, code: str, *, username: str = 'customer') -> Product:
    """Signed in, on the products page searching for `code`, its card shown; returns the product."""
    found = product(code)
    await signed_in(user, username, at=f'/products?q={code}')
    await user.should_see(marker=f'product-{found.id}', retries=100)
    return found
