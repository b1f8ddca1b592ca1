"""The customer's dashboard: the supplier's own text, the menu, and the text changing while it is open."""

from __future__ import annotations

import asyncio

from nicegui import ui
from nicegui.testing import User

from app.core import db, portal_settings
from tests.ui.conftest import signed_in

WAIT = 50  # retries of 0.1 s: a page reacting to a click or an event can be slow on a busy machine


async def test_dashboard_shows_the_suppliers_text_and_the_customer_menu(user: User) -> None:
    await signed_in(user, at='/')
    with db.read_session() as s:
        text = portal_settings.dashboard_text(s)
    assert 'Orders placed before 14:00 ship the same day.' in text
    await user.should_see(marker='dashboard-text', retries=WAIT)
    await user.should_see('Orders placed before 14:00 ship the same day.', retries=WAIT)
    for item in ['Dashboard', 'Products', 'Orders', 'Backorders', 'Current order', 'Sign out']:
        await user.should_see(marker=f'menu-{item}', retries=WAIT)
    await user.should_not_see(marker='menu-Customers', retries=WAIT)  # no supplier menu for a customer
    await user.should_see('Northwind Workshop Supply', retries=WAIT)
    await user.should_see('Casey Customer', retries=WAIT)
    await user.should_see(marker='current-order-summary', retries=WAIT)


async def test_dashboard_text_is_rendered_as_sanitized_markdown(user: User) -> None:
    await signed_in(user, at='/')
    markdown = user.find(marker='dashboard-text').elements.pop()
    assert isinstance(markdown, ui.markdown)
    assert markdown.props['sanitize'] is True
    assert '<h1>Welcome to Northwind Workshop Supply</h1>' in markdown.props['innerHTML']


async def test_a_changed_dashboard_text_shows_without_a_reload(user: User) -> None:
    await signed_in(user, at='/')
    await user.should_see('Orders placed before 14:00 ship the same day.', retries=WAIT)
    with db.write_session() as s:
        portal_settings.set_value(s, key='dashboard_text', value='# Closed on Friday\n\nStocktaking all day.')
    await user.should_see('Stocktaking all day.', retries=WAIT)
    await user.should_not_see('Orders placed before 14:00 ship the same day.', retries=WAIT)
    assert user.back_history[-1] == '/'  # still the same page, no navigation happened


async def test_the_menu_leads_to_the_catalogue(user: User) -> None:
    await signed_in(user, at='/')
    user.find(marker='menu-Products').click()
    for _ in range(250):
        if user.back_history[-1] == '/products':
            break
        await asyncio.sleep(0.02)
    assert user.back_history[-1] == '/products'
    await user.should_see(marker='product-grid', retries=WAIT)
