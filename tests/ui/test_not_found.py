"""A mistyped address gets the portal's own not-found page with a way back, never NiceGUI's bare 404."""

from __future__ import annotations

import pytest
from nicegui import __version__, ui
from nicegui.testing import User
from sqlmodel import col, select

from app.core import db
from app.core.errors import NotFound
from app.core.i18n import N_
from app.identity.auth import Identity
from app.models import Customer, Order, Role
from components.page import portal_page, url_id
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


# --- a page of one thing: a missing id, junk in its place, or someone else's ------------------------------------------

ONE_THING = {  # what the page names and its way back: the addresses tried (an /admin one as the supplier)
    ('This order', 'Back to your orders'): ['/orders/SO-999999'],
    ('This order', 'Back to orders'): ['/admin/orders/999999'],
    ('This product', 'Back to the products'): [
        '/products/999999',
        '/products/12abc',
        '/products/99999999999999999999999',
        '/admin/products/999999',
        '/admin/products/-3',
    ],
    ('This list', 'Back to your lists'): ['/lists/٣'],  # (an Arabic-Indic digit: not an id either)
    ('This customer', 'Back to the customers'): ['/admin/customers/999999', '/admin/customers/1e3'],
    ('This price list', 'Back to the price lists'): ['/admin/price-lists/999999'],
}


@pytest.mark.parametrize(
    ('path', 'what', 'back'), [(path, what, back) for (what, back), paths in ONE_THING.items() for path in paths]
)
async def test_a_page_of_one_thing_that_is_not_there_says_so_with_the_way_back(
    user: User, path: str, what: str, back: str
) -> None:
    await signed_in(user, 'supplier' if path.startswith('/admin/') else 'customer', at=path)
    await user.should_see(f'{what} does not exist or is not available to you.')
    await user.should_see(back)
    user.find(back).click()
    await user.should_not_see(f'{what} does not exist or is not available to you.')


async def test_someone_elses_order_and_list_look_just_like_missing_ones(user: User) -> None:
    with db.read_session() as session:
        theirs = session.exec(
            select(Order.number).join(Customer, col(Customer.id) == Order.customer_id).where(Customer.code != 'DEMO')
        ).first()
    assert theirs is not None
    await signed_in(user, at=f'/orders/{theirs}')
    await user.should_see('This order does not exist or is not available to you.')
    await user.should_not_see(theirs)


async def test_what_a_page_drew_before_it_found_its_thing_missing_is_taken_away(user: User) -> None:
    missing = (N_('This order'), N_('Back to your orders'), '/orders')

    @portal_page('/test-drawn-then-missing', role=Role.CUSTOMER, title=N_('Order'), menu='/orders', missing=missing)
    def drawn_then_missing(who: Identity) -> None:
        ui.label('Drawn before the read')
        raise NotFound('This order')

    await signed_in(user, at='/test-drawn-then-missing')
    await user.should_see('This order does not exist or is not available to you.')
    await user.should_not_see('Drawn before the read')
    await user.should_see(marker='signed-in-as')  # inside the portal's frame


@pytest.mark.parametrize(
    ('text', 'wanted'),
    [
        ('12', 12),
        (' 7 ', 7),
        ('0', 0),
        ('-3', 0),
        ('+3', 0),
        ('1e3', 0),
        ('١٢', 0),
        ('', 0),
        ('9' * 19, 0),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), 0),
    ],
)
def test_an_id_in_a_url_is_a_database_id_or_zero(text: str, wanted: int) -> None:
    assert url_id(text) == wanted
