"""Signing in and out through the pages, and the redirects for anonymous visitors."""

import pytest
from nicegui.testing import User

from tests.ui.conftest import sign_in, signed_in


@pytest.mark.parametrize('path', ['/', '/products', '/orders', '/backorders', '/current-order', '/admin'])
async def test_anonymous_visitor_is_sent_to_the_login_page(user: User, path: str) -> None:
    await user.open(path)
    await user.should_see('Sign in to the portal')


async def test_customer_signs_in_and_sees_dashboard_text_and_menu(user: User) -> None:
    await signed_in(user)
    await user.should_see('Welcome to Northwind Workshop Supply')
    for item in ['Products', 'Orders', 'Backorders', 'Current order', 'Sign out']:
        await user.should_see(marker=f'menu-{item}')
    await user.should_see('Northwind Workshop Supply')


async def test_wrong_password_and_unknown_user_get_the_same_message(user: User) -> None:
    await sign_in(user, 'customer', 'not-the-password')
    await user.should_see('Unknown user name or wrong password.')
    await user.should_not_see('Sign out')
    await sign_in(user, 'nobody-here', 'whatever-password')
    await user.should_see('Unknown user name or wrong password.')


async def test_sign_in_returns_to_the_page_that_was_asked_for(user: User) -> None:
    await sign_in(user, 'customer', 'customer-demo', path='/orders')
    await user.should_see(marker='status-filter')  # the orders page itself
    assert user.client is not None and user.client.page.path == '/orders'


async def test_sign_in_never_redirects_to_another_site(user: User) -> None:
    await sign_in(user, 'customer', 'customer-demo', path='/login?next=//evil.example/steal')
    await user.should_see('Welcome to Northwind Workshop Supply')
    assert 'evil' not in user.back_history[-1]


async def test_sign_out_ends_the_session(user: User) -> None:
    await signed_in(user)
    user.find(marker='menu-Sign out').click()
    await user.should_see('Sign in to the portal')
    await user.open('/')
    await user.should_see('Sign in to the portal')


async def test_supplier_lands_on_the_admin_area(user: User) -> None:
    await sign_in(user, 'supplier', 'supplier-demo')
    await user.should_see(marker='menu-Customers')


async def test_customer_gets_no_access_to_admin_pages(user: User) -> None:
    await signed_in(user, at='/admin')
    await user.should_see('No access')


async def test_a_busy_database_at_sign_in_says_try_again(user: User, monkeypatch) -> None:
    from app.core import db
    from app.identity import auth

    def busy(**_kwargs):
        raise db.DatabaseBusy()

    monkeypatch.setattr(auth, 'sign_in', busy)
    await sign_in(user, 'customer', 'customer-demo')
    await user.should_see('try again')
    await user.should_not_see('Sign out')
