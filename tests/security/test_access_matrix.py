"""The access-control matrix: every route, every id-taking click handler and every service, tried by an
anonymous visitor, by a customer on the supplier's area, and by customer A (Other Wholesale, user
`customer2`) with the ids of customer B (Demo Retail, user `customer`).

The routes and handlers are read from the running app, so a new page, HTTP route or handler without a
rule here fails `test_every_route_of_the_app_has_a_rule_in_the_access_matrix` or its handler twin.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from nicegui import Client, ui
from nicegui import app as nicegui_app
from nicegui.testing import User
from sqlmodel import Session, select
from starlette.routing import Mount

import app as app_package
import components
import pages
from app.catalogue import browsing, catalogue, close_matches, documents, related
from app.catalogue.browsing import Filters
from app.core import db, i18n
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.identity import accounts as accounts_service
from app.identity import auth
from app.identity.access import SYSTEM
from app.identity.auth import Identity
from app.mail import preferences
from app.models import AddressCreate, Category, CurrentOrder, CurrentOrderLine, Order, Product, ProductDocument, Role
from app.orders import current_order, order_again, order_changes, ordering, orders, quick_order, summaries
from app.orders import expected as expected_deliveries
from app.orders import lists as saved_lists
from app.pricing import prices
from components import guard
from demo.pdf import text_pdf
from tests.security.support import Victim, current_order_of, identity, snapshot, victim

CUSTOMER, ADMIN, SIGNED_IN, PUBLIC, IMAGE = 'customer', 'admin', 'signed in', 'public', 'image'
PUBLIC_PAGE = 'public page'  # a page for anyone, signed in or not, that shows no one's data


@dataclass(frozen=True)
class Rule:
    """Who a route is for, a URL of it its audience may open, and (for routes with an id) B's id in it."""

    audience: str
    sample: Callable[[Victim, dict[str, str]], str]
    foreign: Callable[[Victim], str] | None = None


def fixed(path: str) -> Callable[[Victim, dict[str, str]], str]:
    return lambda _v, _own: path


def as_they_are(audience: str, *routes: str) -> dict[str, Rule]:
    """The rules of routes without an id or a query that matters, each tried at its own path."""
    return {route: Rule(audience, fixed(route)) for route in routes}


MATRIX: dict[str, Rule] = {
    # the customer's pages
    **as_they_are(CUSTOMER, '/', '/current-order', '/orders', '/backorders', '/quick-order', '/lists'),
    '/products': Rule(CUSTOMER, fixed('/products?q=hammer')),
    '/products/{product_id}': Rule(
        CUSTOMER, lambda _v, own: f'/products/{own["product"]}', foreign=lambda v: f'/products/{v.hidden_product_id}'
    ),
    '/orders/{number}': Rule(
        CUSTOMER, lambda _v, own: f'/orders/{own["order"]}', foreign=lambda v: f'/orders/{v.order_number}'
    ),
    '/lists/{list_id}': Rule(CUSTOMER, fixed('/lists/1'), foreign=lambda v: f'/lists/{b_list_id()}'),
    # the supplier's area
    **as_they_are(
        ADMIN,
        '/admin',
        '/admin/orders',
        '/admin/orders/new',
        '/admin/backorders',
        '/admin/expected-deliveries',
        '/admin/products',
        '/admin/products/new',
        '/admin/categories',
        '/admin/customers',
        '/admin/customers/new',
        '/admin/dashboard-text',
        '/admin/price-lists',
        '/admin/imports',
    ),
    '/admin/orders/{order_id:int}': Rule(ADMIN, lambda v, _own: f'/admin/orders/{v.order_id}'),
    '/admin/products/{product_id}': Rule(ADMIN, lambda v, _own: f'/admin/products/{v.hidden_product_id}'),
    '/admin/customers/{customer_id}': Rule(ADMIN, lambda v, _own: f'/admin/customers/{v.customer_id}'),
    '/admin/price-lists/{price_list_id}': Rule(ADMIN, fixed('/admin/price-lists/1')),  # the demo's Trade list
    '/admin/mail': Rule(ADMIN, fixed('/admin/mail?status=failed&page=2')),
    # everyone signed in
    '/no-access': Rule(SIGNED_IN, fixed('/no-access')),
    # product images: only for those who may see the product
    '/media/images/{image_id}': Rule(
        IMAGE,
        lambda v, _own: f'/media/images/{v.visible_image_id}?size=thumb',
        foreign=lambda v: f'/media/images/{v.hidden_image_id}',
    ),
    # product documents (PDFs): only for those who may see the product, as images
    '/media/documents/{document_id}': Rule(
        IMAGE,
        lambda v, _own: f'/media/documents/{visible_document_id()}',
        foreign=lambda v: f'/media/documents/{hidden_document_id()}',
    ),
    # signing in and out
    '/login': Rule(PUBLIC, fixed('/login')),
    '/auth/complete': Rule(PUBLIC, fixed('/auth/complete?ticket=forged')),
    # GET shows the Sign out button; the POST with the form's token signs out (tests/security/test_sessions.py)
    '/logout': Rule(PUBLIC, fixed('/logout')),
    # choosing a password through a mailed link (issue 18): public, and the same for every name and token
    '/forgot-password': Rule(PUBLIC_PAGE, fixed('/forgot-password?lang=en')),
    '/reset-password': Rule(PUBLIC_PAGE, fixed('/reset-password?token=forged')),
    '/invitation': Rule(PUBLIC_PAGE, fixed('/invitation?token=forged')),
    # a user's own e-mail address and mails (its own only: no id in the route)
    '/account': Rule(CUSTOMER, fixed('/account')),
    '/admin/account': Rule(ADMIN, fixed('/admin/account')),
}
# NiceGUI's own static files and the favicon are public by design and carry no data
FRAMEWORK_PREFIXES = ('/_nicegui', '/favicon.ico')


def app_routes() -> set[str]:
    """Every HTTP route the running app serves, but NiceGUI's own."""
    paths = set()
    for route in nicegui_app.routes:
        path = getattr(route, 'path', '')
        if isinstance(route, Mount) or path.startswith(FRAMEWORK_PREFIXES):
            continue
        paths.add(path)
    return paths


def own_ids() -> dict[str, str]:
    """customer2's own order number and a product in its catalogue (the positive controls)."""
    who = identity('customer2')
    with db.read_session() as s:
        order = s.exec(select(Order).where(Order.customer_id == who.customer_id)).first()
        products = catalogue.search_products(s, actor=who).items
    assert order is not None and products
    return {'order': order.number, 'product': str(products[0].id)}


def sign_in_http(user: User, username: str) -> str:
    """Give the user's HTTP client a session cookie, as /auth/complete would (no form round trip)."""
    token = auth.sign_in(username=username, password=f'{username}-demo', client_address='198.51.100.7')
    user.http_client.cookies.set(guard.COOKIE_NAME, token, domain='test.local')
    return token


async def get(user: User, url: str) -> httpx.Response:
    return await user.http_client.get(url, follow_redirects=False)


# --- routes ---------------------------------------------------------------------------------------


async def test_every_route_of_the_app_has_a_rule_in_the_access_matrix(user: User) -> None:
    """ASVS 8.1.1 (documented access rules): each route the app registers is in MATRIX, and nothing stale is."""
    routes = app_routes()
    assert set(Client.page_routes.values()) <= routes, 'every @ui.page is one of the routes checked'
    assert routes - set(MATRIX) == set(), 'new routes need an access rule in MATRIX'
    assert set(MATRIX) - routes == set(), 'MATRIX lists routes the app no longer has'


async def test_anonymous_visitor_gets_the_login_page_for_every_route(user: User) -> None:
    """ASVS 8.2.1 / 8.3.1: without a session nothing but the sign-in is served (images answer 401)."""
    v, own = victim(), own_ids()
    failures = []
    for path, rule in MATRIX.items():
        urls = [rule.sample(v, own)] + ([rule.foreign(v)] if rule.foreign else [])
        for url in urls:
            response = await get(user, url)
            location = response.headers.get('location', '')
            if rule.audience in {CUSTOMER, ADMIN, SIGNED_IN}:
                ok = response.status_code == 303 and location.startswith('/login?next=')
            elif rule.audience == IMAGE:
                ok = response.status_code == 401 and not response.content
            elif path == '/login':
                ok = response.status_code == 200 and 'Sign in to the portal' in response.text
            elif rule.audience == PUBLIC_PAGE:
                ok = response.status_code == 200 and 'Back to sign in' in response.text
            else:  # /auth/complete with a forged ticket, /logout
                ok = response.status_code == 303 and location == '/login'
            if not ok:
                failures.append(f'{url}: {response.status_code} {location}')
    assert failures == []
    await user.open('/admin/customers')  # and the redirect lands on the sign-in form, remembering the page
    await user.should_see('Sign in to the portal')
    assert user.back_history[-1] == '/admin/customers'


async def test_the_password_pages_tell_nobody_whether_a_user_exists(user: User) -> None:
    """ASVS 6.3.8 / 6.4.1 (no user enumeration): asking for a new password gives the same page for a user name that
    exists and one that does not; a link's page says only what its token is worth."""
    seen = []
    for name in ['customer', 'nobody-at-all']:
        await user.open('/forgot-password')
        user.find(marker='reset-name').type(name)
        user.find(marker='reset-ask').click()
        await user.should_see(marker='reset-asked', retries=150)
        seen.append(sorted(element.text for element in user.find(kind=ui.label).elements if element.visible))
    assert seen[0] == seen[1]
    shown = []
    for token in ['a' * 43, 'b' * 43]:
        await user.open(f'/reset-password?token={token}')
        await user.should_see(marker='link-unknown')
        shown.append(sorted(element.text for element in user.find(kind=ui.label).elements if element.visible))
    assert shown[0] == shown[1]


async def test_customer_gets_no_access_to_any_admin_route(user: User) -> None:
    """ASVS 8.2.1: a customer's session opens none of the supplier's pages; each sends it to /no-access."""
    v, own = victim(), own_ids()
    sign_in_http(user, 'customer')
    admin_urls = [rule.sample(v, own) for rule in MATRIX.values() if rule.audience == ADMIN]
    assert len(admin_urls) >= 12
    for url in admin_urls:
        response = await get(user, url)
        assert (response.status_code, response.headers.get('location')) == (303, '/no-access'), url
        assert not response.content
    await user.open('/admin/orders/new')
    await user.should_see("This part of the portal is for the supplier's staff.")


async def test_supplier_is_sent_to_the_admin_area_from_customer_pages(user: User) -> None:
    """ASVS 8.2.1: roles do not mix; the supplier has no current order or customer catalogue of its own."""
    v, own = victim(), own_ids()
    sign_in_http(user, 'supplier')
    for rule in MATRIX.values():
        if rule.audience == CUSTOMER:
            response = await get(user, rule.sample(v, own))
            assert (response.status_code, response.headers.get('location')) == (303, '/admin')


async def test_customer_a_gets_not_found_and_none_of_b_data_for_b_ids_in_urls(user: User) -> None:
    """ASVS 8.2.2 (IDOR) / 8.4.1 (cross-tenant): customer A opening B's order, a product hidden from A, or its
    image learns nothing."""
    v, own = victim(), own_ids()
    sign_in_http(user, 'customer2')

    # positive controls: A's own order and product pages do carry their data, so the checks below mean something
    mine = await get(user, f'/orders/{own["order"]}')
    assert mine.status_code == 200 and 'OW-7781' in mine.text
    assert (await get(user, f'/media/images/{v.visible_image_id}')).status_code == 200

    order_page = await get(user, f'/orders/{v.order_number}')
    assert order_page.status_code == 200 and missing_for_a('This order') in order_page.text
    for secret in [v.order_reference, v.order_number, v.hidden_product_name, v.address_street]:
        assert secret not in order_page.text
    product_page = await get(user, f'/products/{v.hidden_product_id}')
    assert missing_for_a('This product') in product_page.text
    assert v.hidden_product_name not in product_page.text
    for size in ['full', 'thumb']:
        image = await get(user, f'/media/images/{v.hidden_image_id}?size={size}')
        assert image.status_code == 404 and not image.content
    for url in ['/orders', '/orders?q=PO-2026', '/backorders', '/current-order', '/products?q=safety', '/products']:
        text = (await get(user, url)).text
        for secret in [v.order_reference, v.order_number, v.hidden_product_name, v.address_street]:
            assert secret not in text, f'{secret!r} leaks on {url}'


def missing_for_a(what: str) -> str:
    """The not-found page's sentence as customer A (`customer2`, who reads Dutch) reads it."""
    with i18n.speaking('nl'):
        return i18n._('{what} does not exist or is not available to you.').format(what=i18n._(what))


MALFORMED_IDS = ['0', '-1', '9223372036854775808', '9' * 30, 'abc', '1.5', '1e3', '%00', '%2F..%2F', '١٢', ' 1']


async def test_malformed_ids_in_urls_give_not_found_never_a_server_error(user: User) -> None:
    """ASVS 2.2.1 / 1.4.2 (integer overflow): ids from the URL are validated; an id SQLite cannot hold is just
    another unknown id, never a server error."""
    for raw in MALFORMED_IDS:
        sign_in_http(user, 'customer2')
        for url in [f'/products/{raw}', f'/orders/{raw}', f'/media/images/{raw}']:
            assert (await get(user, url)).status_code in {200, 404, 422}, url
        for url in [
            f'/products?category={raw}&stock={raw}&bought={raw}&attr={raw}',
            f'/products/1?back={raw}',
            f'/products?page={raw}&sort={raw}',
            f'/orders?page={raw}&status={raw}&q={raw}',
        ]:
            assert (await get(user, url)).status_code == 200, url
        sign_in_http(user, 'supplier')
        for url in [
            f'/admin/products/{raw}',
            f'/admin/customers/{raw}',
            f'/admin/orders/{raw}',
            f'/admin/orders?customer={raw}&page={raw}&status={raw}',
            f'/admin/orders/new?customer={raw}',
            f'/admin/customers/{raw}?chosen_page={raw}&find_page={raw}',
            f'/admin/products?q={raw}&page={raw}',
            f'/admin/price-lists/{raw}?q={raw}&page={raw}&find={raw}',
            f'/admin/mail?status={raw}&page={raw}',
            f'/admin/expected-deliveries?code={raw}',
        ]:
            assert (await get(user, url)).status_code in {200, 404}, url


# --- click handlers -------------------------------------------------------------------------------


def guarded_handlers() -> dict[str, tuple[Callable[..., Any], Role]]:
    """Every module-level click handler wrapped by components.guard, by its module and name, with its role."""
    names = [m.name for m in pkgutil.walk_packages(pages.__path__, 'pages.')]
    names += [m.name for m in pkgutil.walk_packages(components.__path__, 'components.')]
    found: dict[str, tuple[Callable[..., Any], Role]] = {}
    for name in names:
        module = sys.modules.get(name) or importlib.import_module(name)
        for attribute, value in vars(module).items():
            guarded = getattr(value, 'guards', None) if inspect.isfunction(value) else None
            if guarded is not None and guarded[0].__module__ == name:  # (fn, role), defined here, not imported
                found[f'{name}.{attribute}'] = (value, guarded[1])
    return found


def value_field(value: str) -> ui.input:
    return ui.input(value=value)


# customer handlers, each called by customer A with B's ids (arguments by name; the rest get harmless values)
CUSTOMER_HANDLER_CASES: dict[str, Callable[[Victim], dict[str, Any]]] = {
    # a user's own address and mails: no id to pass, B's user keeps its own (issue 18)
    'pages.account.save_email': lambda v: {},
    'pages.account.save_mail_preferences': lambda v: {'boxes': {}},
    'pages.current_order.change_quantity': lambda v: {'product_id': v.current_line_product_id},
    'pages.current_order.remove_line': lambda v: {'product_id': v.current_line_product_id, 'undo': None},
    'pages.current_order.restore_line': lambda v: {'product_id': v.hidden_product_id},
    'pages.current_order.save_details': lambda v: {},
    'pages.products.add_to_current_order': lambda v: {'product_id': v.hidden_product_id},
    'pages.products.choose_view': lambda v: {'view': 'list'},  # A's own choice; B's user keeps its own
    'pages.product.add_to_current_order': lambda v: {'product_id': v.hidden_product_id},
    # quick order, order again, saved lists (issue 16): B's hidden product's code, B's order, B's list
    'pages.quick_order.preview_lines': lambda v: {'view': quick_order_view('SG-1001\t1')},
    'pages.quick_order.add_valid_lines': lambda v: {'view': quick_order_view('SG-1001\t1')},
    'pages.quick_order.suggest_codes': lambda v: {'view': quick_order_view('', code='SG-1001')},
    'pages.quick_order.upload_file': lambda v: upload_case(b'SG-1001;1'),
    'pages.orders.order_again': lambda v: {'number': v.order_number, 'key': batch_key(), 'currency': 'EUR'},
    'pages.lists.create_list': lambda v: {},  # A's own new list: there is no id to pass
    'pages.lists.rename_list': lambda v: {'list_id': b_list_id(), 'dialog': None},
    'pages.lists.delete_list': lambda v: {'list_id': b_list_id()},
    'pages.lists.change_list_quantity': lambda v: {'list_id': b_list_id(), 'product_id': v.hidden_product_id},
    'pages.lists.remove_from_list': lambda v: {'list_id': b_list_id(), 'product_id': v.hidden_product_id},
    'pages.lists.add_list_to_order': lambda v: {
        'list_id': b_list_id(),
        'key': batch_key(),
        'product_ids': None,
        'currency': 'EUR',
    },
    'components.save_to_list.save_to_list': lambda v: {
        'view': None,
        'product_id': v.hidden_product_id,
        'list_id': b_list_id(),
        'new_name': '',
    },
    'components.save_to_list.save_order_as_list': lambda v: {'view': None},  # A's own (empty) current order
    'components.save_to_list.open_save_dialog': lambda v: {'product_id': v.hidden_product_id, 'name': ''},
    # changing or cancelling B's order awaiting the check, by its number (issue 16)
    'pages.order_change.save_order_changes': lambda v: {
        'number': v.order_number,
        'version': 0,
        'quantities': {},
        'remove': [],
        'address_id': None,
        'new_address': None,
        'comment': 'mine now',
        'reference': None,
        'after': None,
    },
    'pages.order_change.cancel_my_order': lambda v: {'number': v.order_number, 'version': 0, 'after': None},
}


def quick_order_view(text: str, *, code: str = '') -> Any:
    from pages.quick_order import QuickOrderView

    view = QuickOrderView('EUR')
    view.box.value, view.code.value = text, code
    return view


def upload_of(view: Any, content: bytes) -> Any:
    from nicegui import events
    from nicegui.elements.upload_files import SmallFileUpload

    file = SmallFileUpload('order.csv', 'text/csv', content)
    return events.UploadEventArguments(sender=view.upload, client=ui.context.client, file=file)


def upload_case(content: bytes) -> dict[str, Any]:
    view = quick_order_view('')
    return {'view': view, 'e': upload_of(view, content)}


def b_list_id() -> int:
    """B's list (made once per test, committed), holding B's hidden product."""
    with db.write_session() as s:
        return b_list(s)


def call_with(handler: Callable[..., Any], chosen: dict[str, Any]) -> Any:
    """Call a wrapped handler positionally: the chosen arguments, a field holding '3' for inputs, else 3 or ''."""
    arguments = []
    for name, parameter in inspect.signature(handler).parameters.items():
        annotation = str(parameter.annotation)
        if name in chosen:
            arguments.append(chosen[name])
        elif 'ui.' in annotation or 'QuantityField' in annotation:
            arguments.append(value_field('3'))
        elif 'int' in annotation:
            arguments.append(3)
        else:
            arguments.append('')
    return handler(*arguments)


async def test_every_click_handler_is_covered_by_the_matrix(user: User) -> None:
    """A new customer handler needs a foreign-id case; admin handlers are all tried generically below."""
    handlers = guarded_handlers()
    customer_handlers = {name for name, (_, role) in handlers.items() if role == Role.CUSTOMER}
    assert customer_handlers == set(CUSTOMER_HANDLER_CASES)
    assert sum(role == Role.ADMIN for _, role in handlers.values()) >= 10


async def test_customer_a_clicking_with_b_ids_changes_nothing_of_b(user: User) -> None:
    """ASVS 8.2.2 / 8.3.1: the handlers pass ids to services that scope them to the signed-in user; B is untouched."""
    v = victim()
    sign_in_http(user, 'customer2')
    await user.open('/current-order')
    handlers = guarded_handlers()
    b_before = current_order_of('customer')
    with db.read_session() as s:
        b_details = s.get(CurrentOrder, v.user_id).model_dump()
    for name, case in CUSTOMER_HANDLER_CASES.items():
        with user.client, user.client.content:
            await call_with(handlers[name][0], case(v))
    assert current_order_of('customer') == b_before
    with db.read_session() as s:
        assert s.get(CurrentOrder, v.user_id).model_dump() == b_details
    assert current_order_of('customer2')[1] == []  # the hidden product did not get into A's order either
    with i18n.speaking('nl'):  # A's language
        assert user.notify.contains(NotFound('This line').message)
        assert user.notify.contains(NotFound('This product').message)


async def test_customer_clicking_any_admin_handler_gets_no_access_and_nothing_changes(user: User) -> None:
    """ASVS 8.2.1 / 8.3.1: each supplier handler re-checks the role on the click itself, whatever the arguments."""
    sign_in_http(user, 'customer')
    await user.open('/current-order')
    before = snapshot()
    admin_handlers = {name: h for name, (h, role) in guarded_handlers().items() if role == Role.ADMIN}
    for name, handler in admin_handlers.items():
        user.notify.messages.clear()
        arguments = [None] * len(inspect.signature(handler).parameters)
        with user.client, user.client.content:
            await handler(*arguments)
        assert user.notify.messages == ['You do not have access to this.'], name
    assert snapshot() == before


# --- services -------------------------------------------------------------------------------------

# services a customer may call, each with B's ids: (expected error or None, call)
CUSTOMER_SERVICE_CASES: dict[str, list[tuple[type[Exception] | None, Callable[[Session, Identity, Victim], Any]]]] = {
    'catalogue.search_products': [
        (None, lambda s, a, v: catalogue.search_products(s, actor=a, query='SG-1001').items == []),
        (None, lambda s, a, v: catalogue.search_products(s, actor=a, query='safety').items == []),
    ],
    # through categories: the category of B's hidden products (Safety gear) does not exist for A, nor its counts
    'browsing.browse_tree': [(None, lambda s, a, v: not browsing.browse_tree(s, actor=a).has(hidden_category(s)))],
    'browsing.parse_filters': [
        (None, lambda s, a, v: browsing.parse_filters(s, actor=a, category=str(hidden_category(s))).problem)
    ],
    'browsing.browse': [
        (NotFound, lambda s, a, v: browsing.browse(s, actor=a, filters=Filters(category_id=hidden_category(s)))),
        (None, lambda s, a, v: v.hidden_product_id not in hidden_in_filters(s, a)),
    ],
    'browsing.attribute_facets': [
        (NotFound, lambda s, a, v: browsing.attribute_facets(s, actor=a, category_id=hidden_category(s)))
    ],
    'browsing.specifications': [
        (NotFound, lambda s, a, v: browsing.specifications(s, actor=a, product_id=v.hidden_product_id))
    ],
    'browsing.product_category_paths': [
        (NotFound, lambda s, a, v: browsing.product_category_paths(s, actor=a, product_id=v.hidden_product_id))
    ],
    'browsing.catalogue_view': [(None, lambda s, a, v: browsing.catalogue_view(s, actor=a) == 'grid')],
    'browsing.set_catalogue_view': [(None, lambda s, a, v: browsing.set_catalogue_view(s, actor=a, view='list'))],
    'catalogue.get_product': [
        (NotFound, lambda s, a, v: catalogue.get_product(s, actor=a, product_id=v.hidden_product_id))
    ],
    # close matches, documents and related products (issue 15): nothing of B's hidden products, their words either
    'close_matches.find_products': [
        (None, lambda s, a, v: close_matches.find_products(s, actor=a, query='glovs').page.items == []),
        (None, lambda s, a, v: close_matches.find_products(s, actor=a, query='safty').suggestion == ''),
    ],
    'close_matches.with_close_matches': [
        (
            None,
            lambda s, a, v: (
                close_matches.with_close_matches(
                    s, actor=a, query='glovs', search=lambda t: catalogue.search_products(s, actor=a, query=t)
                ).suggestion
                == ''
            ),
        )
    ],
    'documents.list_documents': [
        (NotFound, lambda s, a, v: documents.list_documents(s, actor=a, product_id=v.hidden_product_id))
    ],
    'documents.document_file': [
        (NotFound, lambda s, a, v: documents.document_file(s, actor=a, document_id=hidden_document(s)))
    ],
    'related.related_for': [
        (NotFound, lambda s, a, v: related.related_for(s, actor=a, product_id=v.hidden_product_id)),
        (None, lambda s, a, v: v.hidden_product_id not in accessories_of_the_hammer(s, a)),
    ],
    'related.in_stock_alternatives': [(None, lambda s, a, v: not hidden_alternative_suggested(s, a, v))],
    'current_order.add': [
        (NotFound, lambda s, a, v: current_order.add(s, actor=a, product_id=v.hidden_product_id, quantity=1))
    ],
    'current_order.set_quantity': [
        (
            NotFound,
            lambda s, a, v: current_order.set_quantity(s, actor=a, product_id=v.current_line_product_id, quantity=9),
        )
    ],
    'current_order.remove': [
        (None, lambda s, a, v: current_order.remove(s, actor=a, product_id=v.current_line_product_id))
    ],
    'current_order.restore': [
        (NotFound, lambda s, a, v: current_order.restore(s, actor=a, product_id=v.hidden_product_id, quantity=1)),
        # B's line's product (A may order it too) comes into A's own current order only; B's stays as it is
        (None, lambda s, a, v: current_order.restore(s, actor=a, product_id=v.current_line_product_id, quantity=9)),
    ],
    'current_order.clear': [(None, lambda s, a, v: current_order.clear(s, actor=a))],
    'current_order.update_details': [
        (None, lambda s, a, v: current_order.update_details(s, actor=a, comment='mine', reference='MINE'))
    ],
    'current_order.find': [
        (None, lambda s, a, v: (found := current_order.find(s, actor=a)) is None or found.user_id == a.user_id)
    ],
    'current_order.get_or_create': [
        (None, lambda s, a, v: current_order.get_or_create(s, actor=a).user_id == a.user_id)
    ],
    'current_order.lines': [(None, lambda s, a, v: current_order.lines(s, actor=a) == [])],
    # a user chooses its own language only: there is no id to pass, B's user keeps its own
    'accounts.set_language': [(None, lambda s, a, v: accounts_service.set_language(s, actor=a, language='de') == 'de')],
    'accounts.set_own_email': [
        (None, lambda s, a, v: accounts_service.set_own_email(s, actor=a, email='a@example.com') == 'a@example.com')
    ],
    # a user's own address and choice of mails only (issue 18)
    'preferences.my_address': [
        (None, lambda s, a, v: preferences.my_address(s, actor=a) != 'casey@demo-retail.example')
    ],
    'preferences.my_preferences': [(None, lambda s, a, v: all(preferences.my_preferences(s, actor=a).values()))],
    'preferences.set_my_preferences': [
        (
            None,
            lambda s, a, v: (
                not preferences.set_my_preferences(s, actor=a, wanted={'order_checked': False})['order_checked']
            ),
        )
    ],
    'current_order.summary': [(None, lambda s, a, v: current_order.summary(s, actor=a).lines == 0)],
    # the menu's summary, kept per user: A's own (empty), never B's (who has lines)
    'summaries.summary': [(None, lambda s, a, v: summaries.summary(actor=a).lines == 0)],
    'current_order.contents': [(None, lambda s, a, v: current_order.contents(s, actor=a).lines == [])],
    # prices only for products in A's own catalogue, at A's own price list (B's hidden product: nothing at all)
    'prices.shown_prices': [
        (None, lambda s, a, v: prices.shown_prices(s, actor=a, product_ids=[v.hidden_product_id]) == {}),
        (
            None,
            lambda s, a, v: all(
                shown.price is None or shown.price.unit_cents == shown.price.list_price_cents
                for shown in prices.shown_prices(s, actor=a, product_ids=[current_line_product(s, v)]).values()
            ),
        ),
    ],
    'current_order.quantities': [
        (None, lambda s, a, v: current_order.quantities(s, actor=a, product_ids=[v.current_line_product_id]) == {})
    ],
    'ordering.place_current_order': [
        # B's current order by its key, B's placed order by its key, B's address: none of it
        (ValidationError, lambda s, a, v: ordering.place_current_order(s, actor=a, placement_key=key_of(s, v))),
        (
            ValidationError,
            lambda s, a, v: ordering.place_current_order(s, actor=a, placement_key=v.order_placement_key),
        ),
        (NotFound, lambda s, a, v: place_with_b_address(s, a, v)),
    ],
    'orders.get_order': [(NotFound, lambda s, a, v: orders.get_order(s, actor=a, number=v.order_number))],
    'orders.own_order': [(NotFound, lambda s, a, v: orders.own_order(s, actor=a, number=v.order_number))],
    # B's order by its number, whatever version is sent (issue 16)
    'order_changes.change_order': [
        (
            NotFound,
            lambda s, a, v: order_changes.change_order(s, actor=a, number=v.order_number, version=0, comment='x'),
        )
    ],
    'order_changes.cancel_own_order': [
        (NotFound, lambda s, a, v: order_changes.cancel_own_order(s, actor=a, number=v.order_number, version=0))
    ],
    # dates only of A's own lines, and none for a product outside A's catalogue
    'expected.customer_expectations': [
        (
            None,
            lambda s, a, v: (
                not expected_deliveries.customer_expectations(
                    s, actor=a, product_ids=[v.hidden_product_id]
                ).next_arrival
            ),
        )
    ],
    'orders.list_orders': [
        (None, lambda s, a, v: v.order_number not in {o.number for o in orders.list_orders(s, actor=a).items})
    ],
    'orders.list_backorders': [
        (None, lambda s, a, v: all(line.customer_id == a.customer_id for line in orders.list_backorders(s, actor=a)))
    ],
    # quick order, order again, saved lists (issue 16): B's hidden product, B's order, B's list
    'quick_order.preview': [
        (None, lambda s, a, v: not_in_catalogue(quick_order.preview(s, actor=a, text='SG-1001\t1').lines[0], v))
    ],
    'quick_order.assess': [
        (None, lambda s, a, v: not_in_catalogue(quick_order.assess(s, actor=a, wanted=[hidden_wanted(v)])[0], v))
    ],
    'quick_order.add_valid_lines': [
        (None, lambda s, a, v: quick_order.add_valid_lines(s, actor=a, text='SG-1001 1', key=batch_key())[0].lines == 0)
    ],
    'quick_order.judge_and_put_in': [
        (
            None,
            lambda s, a, v: (
                quick_order.judge_and_put_in(s, actor=a, wanted=[hidden_wanted(v)], key=batch_key())[1].lines == 0
            ),
        )
    ],
    'quick_order.put_in': [
        (NotFound, lambda s, a, v: quick_order.put_in(s, actor=a, lines=[(v.hidden_product_id, 1)], key=batch_key()))
    ],
    'quick_order.suggest_codes': [(None, lambda s, a, v: quick_order.suggest_codes(s, actor=a, typed='SG-1001') == [])],
    'order_again.order_again': [
        (NotFound, lambda s, a, v: order_again.order_again(s, actor=a, number=v.order_number, key=batch_key()))
    ],
    'order_again.put_lines_in': [
        (
            None,
            lambda s, a, v: (
                order_again.put_lines_in(s, actor=a, wanted=[hidden_wanted(v)], key=batch_key(), known={}).lines == 0
            ),
        )
    ],
    'lists.list_lists': [(None, lambda s, a, v: b_list(s) not in {x.id for x in saved_lists.list_lists(s, actor=a)})],
    'lists.create_list': [(None, lambda s, a, v: saved_lists.create_list(s, actor=a, name='Mine').customer_id != 0)],
    'lists.get_list': [(NotFound, lambda s, a, v: saved_lists.get_list(s, actor=a, list_id=b_list(s)))],
    'lists.rename_list': [
        (NotFound, lambda s, a, v: saved_lists.rename_list(s, actor=a, list_id=b_list(s), name='Mine'))
    ],
    'lists.delete_list': [(NotFound, lambda s, a, v: saved_lists.delete_list(s, actor=a, list_id=b_list(s)))],
    'lists.add_to_list': [
        (
            NotFound,
            lambda s, a, v: saved_lists.add_to_list(s, actor=a, list_id=b_list(s), product_id=b_line(s, v), quantity=1),
        ),
        # A's own list, B's hidden product: not in A's catalogue
        (
            NotFound,
            lambda s, a, v: saved_lists.add_to_list(
                s, actor=a, list_id=a_list(s, a), product_id=b_line(s, v), quantity=1
            ),
        ),
    ],
    'lists.set_list_quantity': [
        (
            NotFound,
            lambda s, a, v: saved_lists.set_list_quantity(
                s, actor=a, list_id=b_list(s), product_id=b_line(s, v), quantity=2
            ),
        )
    ],
    'lists.remove_from_list': [
        (NotFound, lambda s, a, v: saved_lists.remove_from_list(s, actor=a, list_id=b_list(s), product_id=b_line(s, v)))
    ],
    # A's current order is empty (B's lines are B's own)
    'lists.save_current_order': [
        (ValidationError, lambda s, a, v: saved_lists.save_current_order(s, actor=a, name='Mine'))
    ],
    'lists.add_list_to_order': [
        (NotFound, lambda s, a, v: saved_lists.add_list_to_order(s, actor=a, list_id=b_list(s), key=batch_key()))
    ],
    'accounts.get_customer': [
        (NotFound, lambda s, a, v: accounts_service.get_customer(s, actor=a, customer_id=v.customer_id))
    ],
    'accounts.list_addresses': [
        (NotFound, lambda s, a, v: accounts_service.list_addresses(s, actor=a, customer_id=v.customer_id))
    ],
    'accounts.get_address': [
        (NotFound, lambda s, a, v: accounts_service.get_address(s, actor=a, address_id=v.address_id))
    ],
    'accounts.set_default_address': [
        (NotFound, lambda s, a, v: accounts_service.set_default_address(s, actor=a, address_id=v.address_id))
    ],
    'accounts.add_address': [
        (
            NotFound,
            lambda s, a, v: accounts_service.add_address(
                s,
                actor=a,
                customer_id=v.customer_id,
                data=AddressCreate(recipient='Mallory', street='Side Street 1', postal_code='1', city='X'),
            ),
        )
    ],
}


def batch_key() -> str:
    return secrets.token_urlsafe(16)


def hidden_wanted(v: Victim) -> quick_order.Wanted:
    return quick_order.Wanted(number=1, product_id=v.hidden_product_id, quantity=1)


def not_in_catalogue(line: Any, v: Victim) -> bool:
    """A line of B's hidden product: 'not in your catalogue', and nothing of the product in it."""
    return line.status == quick_order.Status.NOT_IN_CATALOGUE and v.hidden_product_name not in repr(line)


def b_list(s: Session) -> int:
    """A list of B's (made in the case's own transaction, which is rolled back), holding B's hidden product."""
    b = identity('customer')
    mine = saved_lists.list_lists(s, actor=b)
    if mine:
        return mine[0].id
    made = saved_lists.create_list(s, actor=b, name='Friday order')
    hidden = s.exec(select(Product.id).where(Product.code == 'SG-1001')).one()
    saved_lists.add_to_list(s, actor=b, list_id=made.id, product_id=hidden, quantity=1)
    return made.id


def a_list(s: Session, a: Identity) -> int:
    return saved_lists.create_list(s, actor=a, name='Mine').id


def b_line(s: Session, v: Victim) -> int:
    b_list(s)
    return v.hidden_product_id


def hidden_category(s: Session) -> int:
    """Safety gear: the demo's category of the products hidden from customer2."""
    return s.exec(select(Category.id).where(Category.name == 'Safety gear')).one()


def hidden_in_filters(s: Session, a: Identity) -> set[int]:
    """Every product A finds with a filter on (in stock, bought before, within each category it sees)."""
    found: set[int] = set()
    shown = browsing.browse_tree(s, actor=a)
    for filters in [Filters(in_stock=True), Filters(bought_before=True)] + [
        Filters(category_id=node.id) for node in shown.tree.walk() if shown.has(node.id)
    ]:
        found |= {card.id for card in browsing.browse(s, actor=a, filters=filters, page_size=100).items}
    return found


def visible_document_id() -> int:
    """The demo's data sheet of the claw hammer, which customer2 may see."""
    with db.read_session() as s:
        hammer = s.exec(select(Product.id).where(Product.code == 'HT-1001')).one()
        return s.exec(select(ProductDocument.id).where(ProductDocument.product_id == hammer)).first()


def hidden_document_id() -> int:
    """A data sheet of B's hidden product (SG-1001), added once (committed)."""
    with db.write_session() as s:
        return hidden_document(s)


def hidden_document(s: Session) -> int:
    hidden = s.exec(select(Product.id).where(Product.code == 'SG-1001')).one()
    found = s.exec(select(ProductDocument.id).where(ProductDocument.product_id == hidden)).first()
    if found is not None:
        return found
    sheet = text_pdf('Work gloves', ['Safety data sheet'])
    return documents.add_document(s, actor=SYSTEM, product_id=hidden, content=sheet, original_name='Gloves.pdf').id


def accessories_of_the_hammer(s: Session, a: Identity) -> set[int]:
    """The hammer's accessories as A reads them (the demo links gloves and glasses, both hidden from A)."""
    hammer = s.exec(select(Product.id).where(Product.code == 'HT-1001')).one()
    return {card.id for card in related.related_for(s, actor=a, product_id=hammer).accessories}


def hidden_alternative_suggested(s: Session, a: Identity, v: Victim) -> bool:
    """B's hidden product (in stock) linked as the alternative of an out-of-stock product A sees: never suggested."""
    knife = s.exec(select(Product.id).where(Product.code == 'HT-1005')).one()
    related.link(s, actor=SYSTEM, product_id=knife, related_id=v.hidden_product_id, kind='alternative')
    suggested = related.in_stock_alternatives(s, actor=a, product_ids=[knife]).get(knife, [])
    return v.hidden_product_id in {card.id for card in suggested}


def key_of(s: Session, v: Victim) -> str:
    current = s.get(CurrentOrder, v.user_id)
    assert current is not None
    return current.placement_key


def place_with_b_address(s: Session, a: Identity, v: Victim) -> Order:
    current_order.add(s, actor=a, product_id=current_line_product(s, v), quantity=1)
    key = current_order.get_or_create(s, actor=a).placement_key
    return ordering.place_current_order(s, actor=a, placement_key=key, address_id=v.address_id)


def current_line_product(s: Session, v: Victim) -> int:
    line = s.exec(select(CurrentOrderLine).where(CurrentOrderLine.user_id == v.user_id)).first()
    assert line is not None
    return line.product_id


def services_taking_an_actor() -> dict[str, Callable[..., Any]]:
    """Every public service function in app/ with a keyword-only `actor`, by 'module.function'."""
    found = {}
    for info in pkgutil.walk_packages(app_package.__path__, 'app.'):
        if info.ispkg or info.name.startswith('app.core.migrations.'):  # Alembic's env and revisions: no services
            continue
        module = importlib.import_module(info.name)
        for name, function in vars(module).items():
            if name.startswith('_') or not inspect.isfunction(function) or function.__module__ != module.__name__:
                continue
            parameter = inspect.signature(function).parameters.get('actor')
            if parameter is not None and parameter.kind == inspect.Parameter.KEYWORD_ONLY:
                found[f'{info.name.rsplit(".", 1)[-1]}.{name}'] = function
    return found


def test_customer_a_calling_services_with_b_ids_gets_not_found_and_b_is_untouched() -> None:
    """ASVS 8.2.2 / 8.3.1 / 8.4.1: the services scope every id to the actor's own customer, whatever the page did."""
    v, attacker = victim(), identity('customer2')
    before = snapshot()
    b_current = current_order_of('customer')
    for name, cases in CUSTOMER_SERVICE_CASES.items():
        for expected, call in cases:
            try:
                with db.write_session() as s:
                    result = call(s, attacker, v)
                    if expected is None:
                        assert result is not False, name
                    else:
                        pytest.fail(f"{name} did not refuse B's id")
                    s.rollback()  # A's own harmless changes are not the point here; keep the snapshot comparable
            except (NotFound, AccessDenied, ValidationError) as error:
                assert expected is not None and isinstance(error, expected), f'{name}: {error!r}'
    assert current_order_of('customer') == b_current
    assert snapshot() == before


def test_customer_calling_any_supplier_service_gets_access_denied() -> None:
    """ASVS 8.2.1 / 8.3.1: every service that is not in CUSTOMER_SERVICE_CASES is the supplier's alone; customer A
    calls each one with B's ids (its user, customer, order, address, image, a hidden product) and is refused."""
    attacker, v = identity('customer2'), victim()
    b_ids = {
        'user_id': v.user_id,
        'customer_id': v.customer_id,
        'customer_ids': [v.customer_id],
        'order_id': v.order_id,
        'address_id': v.address_id,
        'image_id': v.hidden_image_id,
        'product_id': v.hidden_product_id,
        'product_ids': [v.hidden_product_id],
        'active': False,
        'password': 'taken-over-123',
        'text': '# Hacked',
    }
    services = services_taking_an_actor()
    assert set(CUSTOMER_SERVICE_CASES) <= set(services)
    supplier_only = {name: f for name, f in services.items() if name not in CUSTOMER_SERVICE_CASES}
    assert len(supplier_only) >= 30
    before = snapshot()
    for name, function in supplier_only.items():
        required = [
            p.name
            for p in inspect.signature(function).parameters.values()
            if p.kind == inspect.Parameter.KEYWORD_ONLY and p.default is inspect.Parameter.empty and p.name != 'actor'
        ]
        with pytest.raises(AccessDenied), db.write_session() as s:
            function(s, actor=attacker, **{key: b_ids.get(key) for key in required})
        assert name
    assert snapshot() == before
