"""The supplier's customers area: customers, their addresses, portal users and catalogue, through the pages."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import func, select

from app.catalogue import catalogue
from app.core import db
from app.identity import accounts, auth
from app.identity.access import SYSTEM
from app.identity.auth import Identity
from app.models import CatalogueMode, Customer, PortalUser, Product
from pages.admin.customer import catalogue as customer_catalogue
from pages.admin.customer import users as customer_users
from tests.rows import count, customer_of, product, user_named
from tests.ui.conftest import eventually, signed_in
from tests.ui.forms import fill, send


def session_of(username: str, password: str) -> str:
    return auth.sign_in(username=username, password=password, client_address='127.0.0.1')


def visible_codes(who: Identity, query: str = '') -> list[str]:
    with db.read_session() as s:
        found = catalogue.search_products(s, actor=who, query=query, page_size=100)
    return [card.code for card in found.items]


def choose(user: User, marker: str, value: str) -> None:
    (radio,) = user.find(marker=marker).elements
    assert isinstance(radio, ui.radio)
    radio.value = value  # as a click on that option does; runs the change handler


def generated_password(user: User) -> str:
    label = user.find(marker='generated-password').elements.pop()
    assert isinstance(label, ui.label)
    return label.text


async def open_customer(user: User, code: str) -> int:
    customer_id = customer_of(code).id
    await user.open(f'/admin/customers/{customer_id}')
    await user.should_see(marker='customer-heading')
    return customer_id


async def deactivate(user: User, username: str) -> None:
    """The supplier deactivates a portal user on its customer's page, confirming the question."""
    user.find(marker=f'deactivate-{username}').click()
    await user.should_see(f'Deactivate {username}?')
    user.find(marker='confirm').click()
    await user.should_see(marker=f'reactivate-{username}')


# --- the list and new customers ------------------------------------------------------------------------


async def test_list_searches_and_opens_a_customer(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin/customers')
    await user.should_see('Demo Retail')
    await user.should_see('Other Wholesale')
    await user.should_see('Selection')
    user.find(marker='customer-search').type('other').trigger('keydown.enter')
    await user.should_not_see('Demo Retail')
    assert user.back_history[-1] == '/admin/customers?q=other'
    user.find(marker='customer-OTHER').click()
    await user.should_see(marker='customer-heading')
    await user.should_see('customer2')


async def test_a_search_without_results_says_so(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin/customers?q=nothing-like-this')
    await user.should_see("No customers match 'nothing-like-this'")


async def test_supplier_creates_a_customer_with_an_address_and_a_user_who_can_sign_in(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin/customers')
    user.find(marker='new-customer').click()
    await user.should_see(marker='create-customer')
    await send(
        user, {'customer-name': 'Acme Tools', 'customer-code': 'acme-01'}, 'create-customer', marker='customer-heading'
    )
    acme = customer_of('ACME-01')  # codes are stored upper-case
    assert acme.name == 'Acme Tools'
    assert user.back_history[-1] == f'/admin/customers/{acme.id}'

    user.find(marker='add-address').click()
    await send(
        user,
        {
            'address-label': 'Depot',
            'address-recipient': 'Acme Goods In',
            'address-street': 'Canal Street 5',
            'address-postal_code': '2000 AB',
            'address-city': 'Haarlem',
        },
        'save-address',
        'Address saved',
    )
    await user.should_see('Acme Goods In, Canal Street 5, 2000 AB Haarlem')
    with db.read_session() as s:
        (address,) = accounts.list_addresses(s, actor=SYSTEM, customer_id=acme.id)
    assert address.is_default and address.label == 'Depot'
    await user.should_see(marker=f'default-{address.id}')

    user.find(marker='new-user').click()
    await send(
        user, {'new-username': 'acme.buyer', 'new-full-name': 'Alex Acme'}, 'create-user', marker='generated-password'
    )
    password = generated_password(user)
    assert len(password) >= 12
    user.find(marker='password-done').click()
    await user.should_not_see(marker='generated-password')  # shown once, then gone
    await user.should_see(marker='user-acme.buyer')

    created = user_named('acme.buyer')
    assert created.customer_id == acme.id and created.full_name == 'Alex Acme' and created.active
    who = auth.resolve(session_of('acme.buyer', password))
    assert who is not None and who.customer_id == acme.id

    await user.open('/admin/customers?q=acme')
    await user.should_see('1 user')


async def test_a_typed_password_works_and_is_not_shown_again(user: User) -> None:
    await signed_in(user, 'supplier')
    await open_customer(user, 'DEMO')
    user.find(marker='new-user').click()
    fill(user, 'new-username', 'demo.second')
    choose(user, 'new-password-mode', 'type')
    await send(user, {'new-password': 'a-typed-password'}, 'create-user', 'Portal user demo.second created')
    await user.should_not_see(marker='generated-password')
    assert auth.resolve(session_of('demo.second', 'a-typed-password')) is not None


async def test_a_taken_user_name_or_short_password_creates_nobody(user: User) -> None:
    await signed_in(user, 'supplier')
    await open_customer(user, 'DEMO')
    user.find(marker='new-user').click()
    await send(user, {'new-username': 'customer2'}, 'create-user', 'The user name customer2 is already taken.')
    assert user_named('customer2').customer_id == customer_of('OTHER').id  # untouched

    fill(user, 'new-username', 'demo.third')
    choose(user, 'new-password-mode', 'type')
    await send(user, {'new-password': 'short'}, 'create-user', 'The password must be at least 8 characters long.')
    with db.read_session() as s:
        assert s.exec(select(PortalUser).where(PortalUser.username == 'demo.third')).first() is None


async def test_duplicate_customer_code_or_empty_name_gives_a_message_and_creates_nothing(user: User) -> None:
    await signed_in(user, 'supplier')
    before = count(Customer)
    await user.open('/admin/customers/new')
    await send(
        user,
        {'customer-name': 'Second Demo', 'customer-code': 'demo'},
        'create-customer',
        'Customer code DEMO is already in use.',
    )
    assert count(Customer) == before

    await send(
        user,
        {'customer-name': '   ', 'customer-code': ''},
        'create-customer',
        'Please fill in the fields marked in red.',
    )
    for marker in ('customer-name', 'customer-code'):  # every empty required field at once, at the field
        assert user.find(marker=marker).elements.pop().error == 'Required'
    assert count(Customer) == before
    assert user.back_history[-1] == '/admin/customers/new'


async def test_required_fields_are_marked(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin/customers/new')
    name = user.find(marker='customer-name').elements.pop()
    assert name.props['label'].endswith(' *') and name.props['aria-required'] == 'true'
    language = user.find(marker='customer-language').elements.pop()
    assert 'aria-required' not in language.props


async def test_editing_a_customer_keeps_its_catalogue_and_refuses_a_taken_code(user: User) -> None:
    await signed_in(user, 'supplier')
    other = await open_customer(user, 'OTHER')
    await send(user, {'customer-name': 'Other Wholesale Group'}, 'save-customer', 'Customer details saved')
    saved = customer_of('OTHER')
    assert saved.name == 'Other Wholesale Group'
    assert saved.catalogue_mode == CatalogueMode.SELECTION  # not reset by saving the details
    await send(user, {'customer-code': 'DEMO'}, 'save-customer', 'Customer code DEMO is already in use.')
    with db.read_session() as s:
        assert s.get(Customer, other).code == 'OTHER'


# --- addresses ---------------------------------------------------------------------------------------------


async def test_addresses_edit_make_default_and_delete_with_confirmation(user: User) -> None:
    await signed_in(user, 'supplier')
    demo = await open_customer(user, 'DEMO')
    with db.read_session() as s:
        main, warehouse = accounts.list_addresses(s, actor=SYSTEM, customer_id=demo)
    assert main.is_default and not warehouse.is_default

    user.find(marker=f'make-default-{warehouse.id}').click()
    await user.should_see(marker=f'default-{warehouse.id}')
    with db.read_session() as s:
        assert [a.id for a in accounts.list_addresses(s, actor=SYSTEM, customer_id=demo) if a.is_default] == [
            warehouse.id
        ]

    user.find(marker=f'edit-address-{main.id}').click()
    await send(user, {'address-city': ''}, 'save-address', 'Please fill in the fields marked in red.')
    assert user.find(marker='address-city').elements.pop().error == 'Required'
    await send(user, {'address-city': 'Rotterdam'}, 'save-address', 'Address saved')
    with db.read_session() as s:
        assert accounts.get_address(s, actor=SYSTEM, address_id=main.id).city == 'Rotterdam'

    user.find(marker=f'delete-address-{main.id}').click()
    await user.should_see('Delete this address?')
    user.find(marker='confirm-cancel').click()
    with db.read_session() as s:
        assert len(accounts.list_addresses(s, actor=SYSTEM, customer_id=demo)) == 2
    user.find(marker=f'delete-address-{main.id}').click()
    user.find(marker='confirm').click()
    await user.should_see('Address deleted')
    with db.read_session() as s:
        assert [a.id for a in accounts.list_addresses(s, actor=SYSTEM, customer_id=demo)] == [warehouse.id]


# --- portal users --------------------------------------------------------------------------------------------


async def test_reset_password_shows_the_new_one_once_and_ends_old_sessions(user: User) -> None:
    old_session = session_of('customer2', 'customer2-demo')
    await signed_in(user, 'supplier')
    await open_customer(user, 'OTHER')
    user.find(marker='reset-customer2').click()
    user.find(marker='set-password').click()
    await user.should_see(marker='generated-password')
    password = generated_password(user)
    user.find(marker='password-done').click()
    await user.should_not_see(marker='generated-password')

    assert auth.resolve(old_session) is None
    with pytest.raises(auth.SignInRefused):
        session_of('customer2', 'customer2-demo')
    assert auth.resolve(session_of('customer2', password)) is not None
    await user.open(user.back_history[-1])  # opened again, the page has no trace of the password
    await user.should_see(marker='reset-customer2')
    await user.should_not_see(marker='generated-password')


async def test_reset_password_to_a_typed_one(user: User) -> None:
    await signed_in(user, 'supplier')
    await open_customer(user, 'OTHER')
    user.find(marker='reset-customer2').click()
    choose(user, 'reset-password-mode', 'type')
    await send(user, {'reset-password': 'a-new-typed-password'}, 'set-password', 'Password of customer2 changed')
    assert auth.resolve(session_of('customer2', 'a-new-typed-password')) is not None


async def test_deactivating_a_user_ends_its_session_at_once_and_reactivating_lets_it_back(user: User) -> None:
    token = session_of('customer2', 'customer2-demo')
    assert auth.resolve(token) is not None
    await signed_in(user, 'supplier')
    await open_customer(user, 'OTHER')
    await deactivate(user, 'customer2')
    assert not user_named('customer2').active
    assert auth.resolve(token) is None
    with pytest.raises(auth.SignInRefused):
        session_of('customer2', 'customer2-demo')

    user.find(marker='reactivate-customer2').click()
    await user.should_see(marker='deactivate-customer2')
    assert auth.resolve(session_of('customer2', 'customer2-demo')) is not None


# --- catalogue -------------------------------------------------------------------------------------------------


def tick(user: User, marker: str, codes: list[str]) -> None:
    table = user.find(marker=marker).elements.pop()
    assert isinstance(table, ui.table)
    table.selected = [row for row in table.rows if row['code'] in codes]
    assert len(table.selected) == len(codes)


async def test_switching_to_a_selection_adding_and_removing_changes_what_the_customer_sees(user: User) -> None:
    customer = auth.resolve(session_of('customer', 'customer-demo'))
    assert customer is not None and len(visible_codes(customer)) == 60
    await signed_in(user, 'supplier')
    demo = await open_customer(user, 'DEMO')

    choose(user, 'catalogue-mode', 'selection')
    await user.should_see('until you add products below, Demo Retail sees no products at all')  # asks first
    assert customer_of('DEMO').catalogue_mode == CatalogueMode.ALL
    user.find(marker='confirm-selection').click()
    await user.should_see('Nothing chosen yet')
    assert customer_of('DEMO').catalogue_mode == CatalogueMode.SELECTION
    assert visible_codes(customer) == []

    user.find(marker='product-search').type('FA-1001').trigger('keydown.enter')
    await user.should_see(marker='add-all-results')
    tick(user, 'picker-table', ['FA-1001'])
    user.find(marker='add-selected').click()
    await user.should_see('1 product added to the selection')
    assert visible_codes(customer) == ['FA-1001']
    await user.should_see(marker='chosen-table')

    tick(user, 'chosen-table', ['FA-1001'])
    user.find(marker='remove-selected').click()
    await user.should_see('Remove 1 product?')
    user.find(marker='confirm').click()
    await user.should_see('1 product removed from the selection')
    assert visible_codes(customer) == []
    with db.read_session() as s:
        assert catalogue.selection_ids(s, actor=SYSTEM, customer_id=demo) == set()

    choose(user, 'catalogue-mode', 'all')
    await user.should_see('This customer now sees every active product')
    assert len(visible_codes(customer)) == 60


async def test_not_confirming_a_selection_keeps_every_product_visible(user: User) -> None:
    customer = auth.resolve(session_of('customer', 'customer-demo'))
    await signed_in(user, 'supplier')
    await open_customer(user, 'DEMO')
    choose(user, 'catalogue-mode', 'selection')
    await user.should_see('Show Demo Retail only a selection?')
    user.find(marker='confirm-selection-cancel').click()
    await user.should_not_see(marker='confirm-selection')
    (radio,) = user.find(marker='catalogue-mode').elements
    await eventually(lambda: radio.value == CatalogueMode.ALL.value)  # the radio shows what is stored again
    assert customer_of('DEMO').catalogue_mode == CatalogueMode.ALL
    assert len(visible_codes(customer)) == 60


async def test_add_all_results_of_a_search(user: User) -> None:
    customer2 = auth.resolve(session_of('customer2', 'customer2-demo'))
    assert customer2 is not None
    assert not [code for code in visible_codes(customer2) if code.startswith('SG-')]
    await signed_in(user, 'supplier')
    await open_customer(user, 'OTHER')
    user.find(marker='product-search').type('SG').trigger('keydown.enter')
    await user.should_see(marker='add-all-results')
    user.find(marker='add-all-results').click()
    await user.should_see('Add all')
    user.find(marker='confirm').click()
    await user.should_see('added to the selection')
    sg = [code for code in visible_codes(customer2, 'SG') if code.startswith('SG-')]
    with db.read_session() as s:
        expected = s.exec(select(func.count()).where(Product.code.like('SG-%'), Product.active)).one()
    assert sg and len(sg) == expected


async def test_nothing_ticked_gives_a_hint_and_changes_nothing(user: User) -> None:
    await signed_in(user, 'supplier')
    other = await open_customer(user, 'OTHER')
    with db.read_session() as s:
        before = catalogue.selection_ids(s, actor=SYSTEM, customer_id=other)
    user.find(marker='add-selected').click()
    await user.should_see('Tick the products to add first.')
    user.find(marker='remove-selected').click()
    await user.should_see('Tick the products to remove first.')
    with db.read_session() as s:
        assert catalogue.selection_ids(s, actor=SYSTEM, customer_id=other) == before


# --- who may -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize('path', ['/admin/customers/99999', '/admin/customers/abc', '/admin/customers/-1'])
async def test_an_unknown_customer_is_not_found(user: User, path: str) -> None:
    await signed_in(user, 'supplier', at=path)
    await user.should_see(marker='not-found')
    await user.should_see('This customer does not exist or is not available to you.')


@pytest.mark.parametrize('path', ['/admin/customers', '/admin/customers/new', '/admin/customers/1'])
async def test_a_customer_gets_no_access(user: User, path: str) -> None:
    await signed_in(user, at=path)
    await user.should_see('No access')
    await user.should_not_see('Demo Retail')


async def test_admin_handlers_called_by_a_signed_in_customer_change_nothing(user: User) -> None:
    await signed_in(user, at='/')
    other, demo = customer_of('OTHER').id, customer_of('DEMO').id
    customer2 = user_named('customer2')
    with user.client:
        await customer_users.set_user_active(customer2.id, False, lambda: None)
        await customer_catalogue.set_mode(demo, 'selection', lambda: None)
        await customer_catalogue.add_products(other, [product('SG-1001').id], lambda: None)
        await customer_catalogue.add_search_results(other, 'SG', lambda: None)
    await user.should_see('You do not have access to this.')
    assert user_named('customer2').active
    assert customer_of('DEMO').catalogue_mode == CatalogueMode.ALL
    with db.read_session() as s:
        assert product('SG-1001').id not in catalogue.selection_ids(s, actor=SYSTEM, customer_id=other)
