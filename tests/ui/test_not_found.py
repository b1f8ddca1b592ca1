"""A mistyped address gets the portal's own not-found page with a way back, never NiceGUI's bare 404."""

from __future__ import annotations

from nicegui import __version__
from nicegui.testing import User

from tests.ui.conftest import signed_in


async def test_a_customer_on_a_mistyped_address_sees_the_portal_not_found_page_with_the_menu(user: User) -> None:
    await signed_in(user)
    response = await user.http_client.get('/prodcts')
    assert response.status_code == 404
    assert 'HTTPException' not in response.text
    for text in ['This page does not exist or is not available to you.', 'Back to the dashboard', 'Current order']:
        assert text in response.text  # inside the portal's frame, with its menu and a way back


async def test_the_supplier_on_a_mistyped_address_gets_back_to_the_overview(user: User) -> None:
    await signed_in(user, 'supplier')
    response = await user.http_client.get('/admin/ordres')
    assert response.status_code == 404
    for text in ['This page does not exist or is not available to you.', 'Back to the overview', 'Dashboard text']:
        assert text in response.text


async def test_a_visitor_on_a_mistyped_address_is_offered_the_sign_in(user: User) -> None:
    response = await user.http_client.get('/no-such-page')
    assert response.status_code == 404 and 'HTTPException' not in response.text
    assert 'There is no page at this address.' in response.text and 'Go to sign in' in response.text
    assert 'Current order' not in response.text


async def test_an_http_route_without_the_thing_still_answers_plainly(user: User) -> None:
    await signed_in(user)
    response = await user.http_client.get(f'/_nicegui/{__version__}/libraries/no-such-library')
    assert response.status_code == 404
    assert response.json() == {'detail': 'library "no-such-library" not found'}
