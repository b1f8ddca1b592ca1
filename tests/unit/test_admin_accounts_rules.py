"""The supplier's rules for customers, addresses, portal users, selections and the dashboard text."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from app.catalogue import catalogue
from app.core import db, events, portal_settings
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.identity import accounts as account_service
from app.identity import auth
from app.models import (
    Address,
    AddressCreate,
    CatalogueMode,
    Customer,
    CustomerCreate,
    PortalUser,
    PortalUserCreate,
    Role,
)


def count(model) -> int:
    with db.read_session() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def new_customer(actor, **fields) -> Customer:
    data = CustomerCreate.model_construct(**{'name': 'Gamma GmbH', 'code': 'GAMMA', 'language': 'de', **fields})
    with db.write_session() as s:
        return account_service.create_customer(s, actor=actor, data=data)


def address(**fields) -> AddressCreate:
    base = {'recipient': 'Goods In', 'street': 'Quay 1', 'postal_code': '1234', 'city': 'Delft'}
    return AddressCreate.model_construct(**{**base, **fields})


# --- customers ------------------------------------------------------------------------------------------


def test_a_new_customer_is_cleaned_up_and_its_code_stored_upper_case(accounts):
    customer = new_customer(accounts.admin, name='  Gamma   GmbH ', code='gamma-1')
    assert (customer.name, customer.code, customer.language) == ('Gamma GmbH', 'GAMMA-1', 'de')
    assert customer.catalogue_mode == CatalogueMode.ALL


@pytest.mark.parametrize(
    ('fields', 'field', 'message'),
    [
        ({'code': 'alpha'}, 'code', 'Customer code ALPHA is already in use.'),
        ({'name': '   '}, 'name', 'The name is required.'),
        ({'name': 'x' * 121}, 'name', 'The name can be at most 120 characters.'),
        ({'code': ''}, 'code', 'The customer code is required.'),
        ({'code': 'A B'}, 'code', 'The customer code may use letters, digits, dot, dash and underscore.'),
        ({'language': 'xx'}, 'language', 'Choose one of the offered languages.'),
    ],
)
def test_bad_customer_input_gets_a_clear_message_and_creates_nothing(accounts, fields, field, message):
    before = count(Customer)
    with pytest.raises(ValidationError) as caught:
        new_customer(accounts.admin, **fields)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert count(Customer) == before


def test_updating_a_customer_refuses_anothers_code_but_keeps_its_own(accounts):
    a = accounts.customer_a.id
    with pytest.raises(ValidationError, match='BETA is already in use'), db.write_session() as s:
        data = CustomerCreate.model_construct(name='Alpha BV', code='beta', language='en')
        account_service.update_customer(s, actor=accounts.admin, customer_id=a, data=data)
    with db.write_session() as s:
        data = CustomerCreate.model_construct(name='Alpha Group', code='alpha', language='nl')
        updated = account_service.update_customer(s, actor=accounts.admin, customer_id=a, data=data)
    assert (updated.name, updated.code, updated.language) == ('Alpha Group', 'ALPHA', 'nl')


def test_list_customers_searches_name_and_code_and_pages(accounts):
    for n in range(3):
        new_customer(accounts.admin, name=f'Gamma {n}', code=f'GAM-{n}')
    with db.read_session() as s:
        rows, total = account_service.list_customers(s, actor=accounts.admin, search='gam', limit=2)
        assert total == 3 and [c.name for c in rows] == ['Gamma 0', 'Gamma 1']
        rows, total = account_service.list_customers(s, actor=accounts.admin, search='gam', offset=2, limit=2)
        assert [c.name for c in rows] == ['Gamma 2']
        rows, total = account_service.list_customers(s, actor=accounts.admin, search='BETA')
        assert [c.code for c in rows] == ['BETA']


def test_a_customer_search_for_a_like_wildcard_finds_only_names_with_it(accounts):
    for name, code in [
        ('100% Tools', 'P-1'),
        ('Percent Tools', 'P-2'),
        ('Under_score Ltd', 'U-1'),
        ('Unders Ltd', 'U-2'),
    ]:
        new_customer(accounts.admin, name=name, code=code)
    with db.read_session() as s:
        for typed, found in [('%', ['100% Tools']), ('_', ['Under_score Ltd']), ('0%', ['100% Tools']), ('e_s', [])]:
            rows, total = account_service.list_customers(s, actor=accounts.admin, search=typed)
            assert ([c.name for c in rows], total) == (found, len(found)), typed
            page = account_service.customer_page(s, actor=accounts.admin, search=typed)
            assert [c.name for c in page.items] == found, typed


def test_the_customer_list_pages_and_a_page_past_the_end_is_the_last(accounts):
    for n in range(3):
        new_customer(accounts.admin, name=f'Gamma {n}', code=f'GAM-{n}')
    with db.read_session() as s:
        first = account_service.customer_page(s, actor=accounts.admin, search='gam', page_size=2)
        assert ([c.name for c in first.items], first.total, first.page, first.pages) == (
            ['Gamma 0', 'Gamma 1'],
            3,
            1,
            2,
        )
        past = account_service.customer_page(s, actor=accounts.admin, search='gam', page=9, page_size=2)
        assert ([c.name for c in past.items], past.page) == (['Gamma 2'], 2)


def test_user_counts_per_customer(accounts):
    gamma = new_customer(accounts.admin)
    with db.read_session() as s:
        counts = account_service.user_counts(
            s, actor=accounts.admin, customer_ids=[accounts.customer_a.id, accounts.customer_b.id, gamma.id]
        )
        assert counts == {accounts.customer_a.id: 1, accounts.customer_b.id: 1}
        assert account_service.user_counts(s, actor=accounts.admin, customer_ids=[]) == {}


def test_customer_administration_is_for_the_supplier_only(accounts):
    alice = accounts.alice
    calls = [
        lambda s: account_service.create_customer(s, actor=alice, data=CustomerCreate(name='X', code='X')),
        lambda s: account_service.update_customer(
            s, actor=alice, customer_id=alice.customer_id, data=CustomerCreate(name='X', code='ALPHA')
        ),
        lambda s: account_service.list_customers(s, actor=alice),
        lambda s: account_service.user_counts(s, actor=alice, customer_ids=[alice.customer_id]),
        lambda s: account_service.list_users(s, actor=alice, customer_id=alice.customer_id),
        lambda s: account_service.create_user(
            s, actor=alice, data=PortalUserCreate(username='mallory', password='long-enough', role=Role.ADMIN)
        ),
        lambda s: account_service.reset_password(s, actor=alice, user_id=accounts.bob.user_id, password='long-enough'),
        lambda s: account_service.set_active(s, actor=alice, user_id=accounts.bob.user_id, active=False),
        lambda s: account_service.set_user_details(
            s, actor=alice, user_id=accounts.bob.user_id, full_name='Mallory', language='de'
        ),
        lambda s: account_service.update_address(s, actor=alice, address_id=accounts.address_a.id, data=address()),
        lambda s: account_service.delete_address(s, actor=alice, address_id=accounts.address_a.id),
    ]
    for call in calls:
        with pytest.raises(AccessDenied), db.write_session() as s:
            call(s)
    with db.read_session() as s:
        assert s.get(Customer, alice.customer_id).name == 'Alpha BV'
        assert s.get(PortalUser, accounts.bob.user_id).active
        assert s.get(Address, accounts.address_a.id) is not None


# --- addresses --------------------------------------------------------------------------------------------


def addresses_of(customer_id, actor):
    with db.read_session() as s:
        return account_service.list_addresses(s, actor=actor, customer_id=customer_id)


def test_default_address_moves_and_deleting_the_default_promotes_the_next(accounts):
    a = accounts.customer_a.id
    with db.write_session() as s:
        second = account_service.add_address(s, actor=accounts.admin, customer_id=a, data=address(label='Second'))
        third = account_service.add_address(
            s, actor=accounts.admin, customer_id=a, data=address(label='Third'), make_default=True
        )
    assert [(x.id, x.is_default) for x in addresses_of(a, accounts.admin)] == [
        (third.id, True),
        (accounts.address_a.id, False),
        (second.id, False),
    ]
    with db.write_session() as s:
        account_service.set_default_address(s, actor=accounts.admin, address_id=second.id)
        account_service.delete_address(s, actor=accounts.admin, address_id=second.id)
    assert [(x.id, x.is_default) for x in addresses_of(a, accounts.admin)] == [
        (accounts.address_a.id, True),
        (third.id, False),
    ]


def test_updating_an_address_is_validated_and_changes_nothing_on_error(accounts):
    with pytest.raises(ValidationError) as caught, db.write_session() as s:
        account_service.update_address(
            s, actor=accounts.admin, address_id=accounts.address_a.id, data=address(city=' ')
        )
    assert caught.value.field == 'city'
    with db.read_session() as s:
        assert s.get(Address, accounts.address_a.id).city == 'Amsterdam'
    with db.write_session() as s:
        account_service.update_address(
            s, actor=accounts.admin, address_id=accounts.address_a.id, data=address(city=' Leiden  ')
        )
    with db.read_session() as s:
        assert s.get(Address, accounts.address_a.id).city == 'Leiden'


def test_a_customer_cannot_touch_anothers_address(accounts):
    with pytest.raises(NotFound), db.write_session() as s:
        account_service.set_default_address(s, actor=accounts.alice, address_id=accounts.address_b.id)
    with pytest.raises(NotFound), db.write_session() as s:
        account_service.add_address(s, actor=accounts.alice, customer_id=accounts.customer_b.id, data=address())
    assert len(addresses_of(accounts.customer_b.id, accounts.admin)) == 1


def test_an_unknown_address_or_customer_is_not_found(accounts):
    with pytest.raises(NotFound), db.write_session() as s:
        account_service.delete_address(s, actor=accounts.admin, address_id=999_999)
    with pytest.raises(NotFound), db.read_session() as s:
        account_service.list_addresses(s, actor=accounts.admin, customer_id=999_999)


# --- portal users ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ('fields', 'field', 'message'),
    [
        ({'username': 'ALICE'}, 'username', 'The user name alice is already taken.'),
        ({'username': 'ab'}, 'username', 'A user name has 3 to 64 characters'),
        ({'username': 'has space'}, 'username', 'A user name has 3 to 64 characters'),
        ({'customer_id': 999_999}, 'customer_id', 'A customer user must belong to a customer.'),
        ({'customer_id': None}, 'customer_id', 'A customer user must belong to a customer.'),
        ({'password': 'short'}, 'password', 'at least 8 characters'),
        ({'password': ' ' * 10}, 'password', 'cannot be only spaces'),
    ],
)
def test_bad_user_input_gets_a_clear_message_and_creates_nobody(accounts, fields, field, message):
    data = {
        'username': 'carol',
        'full_name': 'Carol',
        'role': Role.CUSTOMER,
        'customer_id': accounts.customer_a.id,
        'active': True,
        'password': 'carol-password',
        **fields,
    }
    before = count(PortalUser)
    with pytest.raises(ValidationError) as caught, db.write_session() as s:
        account_service.create_user(s, actor=accounts.admin, data=PortalUserCreate.model_construct(**data))
    assert caught.value.field == field and message in caught.value.message
    assert count(PortalUser) == before


def test_a_created_user_signs_in_to_its_customer(accounts):
    with db.write_session() as s:
        account_service.create_user(
            s,
            actor=accounts.admin,
            data=PortalUserCreate.model_construct(
                username=' Carol@Alpha.example ',
                full_name='Carol',
                role=Role.CUSTOMER,
                customer_id=accounts.customer_a.id,
                active=True,
                password='carol-password',
            ),
        )
    who = auth.resolve(auth.sign_in(username='carol@alpha.example', password='carol-password', client_address='a'))
    assert who is not None and who.customer_id == accounts.customer_a.id and who.role == Role.CUSTOMER


def test_reset_password_ends_every_session_and_only_the_new_password_works(accounts):
    tokens = [auth.sign_in(username='bob', password='bob-password', client_address='a') for _ in range(2)]
    with db.write_session() as s:
        account_service.reset_password(
            s, actor=accounts.admin, user_id=accounts.bob.user_id, password='brand-new-password'
        )
    assert [auth.resolve(t) for t in tokens] == [None, None]
    with pytest.raises(auth.SignInRefused):
        auth.sign_in(username='bob', password='bob-password', client_address='a')
    assert auth.resolve(auth.sign_in(username='bob', password='brand-new-password', client_address='a'))


def test_a_too_short_new_password_changes_nothing(accounts):
    token = auth.sign_in(username='bob', password='bob-password', client_address='a')
    with pytest.raises(ValidationError) as caught, db.write_session() as s:
        account_service.reset_password(s, actor=accounts.admin, user_id=accounts.bob.user_id, password='short')
    assert caught.value.field == 'password'
    assert auth.resolve(token) is not None  # the failed reset ended no session
    assert auth.sign_in(username='bob', password='bob-password', client_address='a')


def test_reactivating_lets_a_user_sign_in_again_and_nobody_deactivates_themselves(accounts):
    with db.write_session() as s:
        account_service.set_active(s, actor=accounts.admin, user_id=accounts.bob.user_id, active=False)
    with db.write_session() as s:
        account_service.set_active(s, actor=accounts.admin, user_id=accounts.bob.user_id, active=True)
    assert auth.resolve(auth.sign_in(username='bob', password='bob-password', client_address='a'))
    with pytest.raises(ValidationError, match='cannot deactivate yourself'), db.write_session() as s:
        account_service.set_active(s, actor=accounts.admin, user_id=accounts.admin.user_id, active=False)
    with pytest.raises(NotFound), db.write_session() as s:
        account_service.set_active(s, actor=accounts.admin, user_id=999_999, active=False)


def test_the_supplier_names_a_user_and_chooses_its_language_and_a_refusal_changes_nothing(accounts):
    bob = accounts.bob.user_id
    with db.write_session() as s:
        account_service.set_user_details(
            s, actor=accounts.admin, user_id=bob, full_name='  Bob   Baker ', language='nl'
        )
    with db.read_session() as s:
        user = s.get(PortalUser, bob)
        assert (user.full_name, user.language) == ('Bob Baker', 'nl')
    for full_name, language, field in [('Bob', 'xx', 'language'), ('B' * 121, 'de', 'full_name')]:
        with pytest.raises(ValidationError) as refused, db.write_session() as s:
            account_service.set_user_details(
                s, actor=accounts.admin, user_id=bob, full_name=full_name, language=language
            )
        assert refused.value.field == field
    with db.read_session() as s:
        user = s.get(PortalUser, bob)
        assert (user.full_name, user.language) == ('Bob Baker', 'nl')
    with db.write_session() as s:  # None: the user reads its customer's language again
        account_service.set_user_details(s, actor=accounts.admin, user_id=bob, full_name='', language=None)
    with db.read_session() as s:
        user = s.get(PortalUser, bob)
        assert (user.full_name, user.language) == ('', None)
    with pytest.raises(NotFound), db.write_session() as s:
        account_service.set_user_details(s, actor=accounts.admin, user_id=999_999, full_name='X', language=None)


def test_list_users_of_a_customer_or_the_suppliers_admins(accounts):
    with db.read_session() as s:
        assert [
            u.username for u in account_service.list_users(s, actor=accounts.admin, customer_id=accounts.customer_a.id)
        ] == ['alice']
        assert [u.username for u in account_service.list_users(s, actor=accounts.admin, customer_id=None)] == ['admin']


# --- what the supplier sees of a customer's selection ---------------------------------------------------------


@pytest.fixture
def goods(shop):
    """Three active products and an inactive one; returns {code: id}."""
    return {
        code: shop.product(code, name=name, price=100, active=active)
        for code, name, active in [
            ('GLV-1', 'Work gloves', True),
            ('GLV-2', 'Winter gloves', True),
            ('HAM-1', 'Hammer', True),
            ('GLV-OLD', 'Old gloves', False),
        ]
    }


def test_selection_page_lists_chosen_products_inactive_ones_too_searched_and_paged(accounts, goods):
    b = accounts.customer_b.id
    with db.write_session() as s:
        catalogue.add_to_selection(s, actor=accounts.admin, customer_id=b, product_ids=list(goods.values()))
    with db.read_session() as s:
        page = catalogue.selection_page(s, actor=accounts.admin, customer_id=b, query='gloves', page_size=2)
        assert page.total == 3 and page.pages == 2
        assert [p.code for p in page.items] == ['GLV-OLD', 'GLV-2']  # by name: Old, Winter, Work
        second = catalogue.selection_page(s, actor=accounts.admin, customer_id=b, query='gloves', page=9, page_size=2)
        assert second.page == 2 and [p.code for p in second.items] == ['GLV-1']
        everything = catalogue.selection_page(s, actor=accounts.admin, customer_id=b)
        assert everything.total == 4
        empty = catalogue.selection_page(s, actor=accounts.admin, customer_id=accounts.customer_a.id)
        assert (empty.total, empty.items, empty.page) == (0, [], 1)


def test_in_selection_marks_the_products_on_screen(accounts, goods):
    b = accounts.customer_b.id
    with db.write_session() as s:
        catalogue.add_to_selection(s, actor=accounts.admin, customer_id=b, product_ids=[goods['HAM-1']])
    with db.read_session() as s:
        on_screen = [goods['HAM-1'], goods['GLV-1']]
        assert catalogue.in_selection(s, actor=accounts.admin, customer_id=b, product_ids=on_screen) == {goods['HAM-1']}
        assert (
            catalogue.in_selection(s, actor=accounts.admin, customer_id=accounts.customer_a.id, product_ids=on_screen)
            == set()
        )


def test_matching_ids_finds_every_match_inactive_ones_too(accounts, goods):
    with db.read_session() as s:
        assert set(catalogue.matching_ids(s, actor=accounts.admin, query='glv')) == {
            goods['GLV-1'],
            goods['GLV-2'],
            goods['GLV-OLD'],
        }
        assert catalogue.matching_ids(s, actor=accounts.admin, query='nothing-like-it') == []


@pytest.mark.parametrize('query', ['', '   ', '---', '"'])
def test_matching_ids_needs_a_search_never_meaning_everything(accounts, goods, query):
    with pytest.raises(ValidationError, match='Search for the products first'), db.read_session() as s:
        catalogue.matching_ids(s, actor=accounts.admin, query=query)


def test_matching_ids_refuses_more_than_the_bulk_limit(accounts, goods, monkeypatch):
    monkeypatch.setattr(catalogue, 'MAX_BULK_IDS', 2)
    with pytest.raises(ValidationError, match='3 products match'), db.read_session() as s:
        catalogue.matching_ids(s, actor=accounts.admin, query='glv')


def test_the_suppliers_selection_views_are_for_the_supplier_only(accounts, goods):
    b = accounts.customer_b.id
    with db.read_session() as s:
        with pytest.raises(AccessDenied):
            catalogue.selection_page(s, actor=accounts.bob, customer_id=b)
        with pytest.raises(AccessDenied):
            catalogue.in_selection(s, actor=accounts.bob, customer_id=b, product_ids=[goods['HAM-1']])
        with pytest.raises(AccessDenied):
            catalogue.matching_ids(s, actor=accounts.bob, query='glv')
        with pytest.raises(NotFound):
            catalogue.selection_page(s, actor=accounts.admin, customer_id=999_999)


def test_switching_modes_keeps_the_selection(accounts, goods):
    b = accounts.customer_b.id
    with db.write_session() as s:
        catalogue.add_to_selection(s, actor=accounts.admin, customer_id=b, product_ids=[goods['HAM-1']])
        catalogue.set_catalogue_mode(s, actor=accounts.admin, customer_id=b, mode='selection')
        catalogue.set_catalogue_mode(s, actor=accounts.admin, customer_id=b, mode='all')
        catalogue.set_catalogue_mode(s, actor=accounts.admin, customer_id=b, mode='selection')
    with db.read_session() as s:
        assert [c.code for c in catalogue.search_products(s, actor=accounts.bob).items] == ['HAM-1']


# --- the dashboard text -----------------------------------------------------------------------------------------


def test_the_supplier_saves_the_dashboard_text_and_it_is_announced_after_commit(accounts):
    heard = []
    events.subscribe(('settings',), heard.append)
    with db.write_session() as s:
        saved = portal_settings.save_dashboard_text(s, actor=accounts.admin, text='# Hello\r\n\r\nNews.')
        assert heard == []  # not before the commit
    assert saved == '# Hello\n\nNews.'
    assert heard == [('settings',)]
    with db.read_session() as s:
        assert portal_settings.dashboard_text(s) == '# Hello\n\nNews.'


def test_an_empty_dashboard_text_is_allowed(accounts):
    with db.write_session() as s:
        portal_settings.save_dashboard_text(s, actor=accounts.admin, text='')
    with db.read_session() as s:
        assert portal_settings.dashboard_text(s) == ''


def test_the_dashboard_text_has_a_maximum_length(accounts):
    limit = portal_settings.MAX_DASHBOARD_CHARS
    with db.write_session() as s:
        portal_settings.save_dashboard_text(s, actor=accounts.admin, text='x' * limit)
    with pytest.raises(ValidationError) as caught, db.write_session() as s:
        portal_settings.save_dashboard_text(s, actor=accounts.admin, text='y' * (limit + 1))
    assert caught.value.field == 'dashboard_text'
    assert f'at most {limit:,} characters' in caught.value.message
    with db.read_session() as s:
        assert portal_settings.dashboard_text(s) == 'x' * limit


def test_only_the_supplier_changes_the_dashboard_text(accounts):
    with db.read_session() as s:
        before = portal_settings.dashboard_text(s)
    for actor in (accounts.alice, None):
        with pytest.raises(AccessDenied), db.write_session() as s:
            portal_settings.save_dashboard_text(s, actor=actor, text='# Hacked')
    with pytest.raises(ValidationError), db.write_session() as s:
        portal_settings.save_dashboard_text(s, actor=accounts.admin, text=None)
    with db.read_session() as s:
        assert portal_settings.dashboard_text(s) == before


def test_editing_a_customers_details_keeps_its_catalogue_choice(accounts):
    customer_id = accounts.customer_a.id
    with db.write_session() as s:
        catalogue.set_catalogue_mode(s, actor=accounts.admin, customer_id=customer_id, mode=CatalogueMode.SELECTION)
    with db.write_session() as s:
        account_service.update_customer(
            s, actor=accounts.admin, customer_id=customer_id, data=CustomerCreate(name='Alpha Renamed', code='ALPHA')
        )
    with db.read_session() as s:
        customer = account_service.get_customer(s, actor=accounts.admin, customer_id=customer_id)
    assert (customer.name, customer.catalogue_mode) == ('Alpha Renamed', CatalogueMode.SELECTION)
