"""Stored XSS in real Chromium: script payloads saved through the services into every text a user can enter,
then every page that shows them opened by the customer and by the supplier. No alert may open, no injected
element may appear, and the payload must read as plain text. (The screen fixture also fails the test on any
JavaScript console error, which an injected `<img src=x>` would cause, as would a CSP violation.)"""

from __future__ import annotations

from nicegui.testing import Screen
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from sqlmodel import select

from app.catalogue import products
from app.core import db, portal_settings
from app.identity import accounts
from app.identity.access import SYSTEM
from app.models import AddressCreate, Customer, CustomerCreate, PortalUser, Product, ProductCreate
from app.orders import current_order, deliveries, ordering, orders, stock
from tests.browser.conftest import DESKTOP, sign_in, size, wait_text
from tests.security.support import identity

IMG = '<img src=x onerror=alert(1)>'
SCRIPT = '</script><script>alert(1)</script>'
VUE = "{{ constructor.constructor('alert(1)')() }}"  # Vue template injection
MD_LINK = '[click me](javascript:alert(1))'
MD_HTML = (
    '<a href="javascript:alert(1)">html link</a> <iframe src="javascript:alert(1)"></iframe> <svg onload=alert(1)>'
)
ALL = f'{IMG} {SCRIPT} {VUE} {MD_LINK}'

DASHBOARD = f'# Payload dashboard\n\n{IMG}\n\n{SCRIPT}\n\n{MD_LINK}\n\n{MD_HTML}\n\n{VUE}\n'
PRODUCT_NAME = f'Hammer {IMG}'
CUSTOMER_NAME = f'Demo {SCRIPT}'
FULL_NAME = f'Casey {IMG}'

# what the page must not contain after rendering, whatever the payload did
INJECTED = """
return {
  images: document.querySelectorAll('img[src="x"]').length,
  scripts: [...document.scripts].filter(s => s.textContent.trim() === 'alert(1)').length,
  frames: document.querySelectorAll('iframe, object, embed').length,
  links: document.querySelectorAll('a[href^="javascript:" i], [src^="javascript:" i]').length,
  handlers: [...document.querySelectorAll('body *')]
    .filter(e => [...e.attributes].some(a => a.name === 'onerror' || a.name === 'onload')).length,
};
"""


def plant() -> dict[str, object]:
    """Save the payloads through the services, as users typing them into the forms would."""
    customer = identity('customer')
    with db.write_session() as s:
        portal_settings.save_dashboard_text(s, actor=SYSTEM, text=DASHBOARD)
        item = s.exec(select(Product).where(Product.code == 'FA-1001')).one()
        fields = {name: getattr(item, name) for name in ProductCreate.model_fields}
        data = ProductCreate.model_construct(**{**fields, 'name': PRODUCT_NAME, 'description': f'{ALL}\n{MD_HTML}'})
        products.update_product(s, actor=SYSTEM, product_id=item.id, data=data)
        demo = s.get(Customer, customer.customer_id)
        accounts.update_customer(
            s, actor=SYSTEM, customer_id=demo.id, data=CustomerCreate(name=CUSTOMER_NAME, code=demo.code)
        )
        address = accounts.add_address(
            s,
            actor=customer,
            customer_id=demo.id,
            data=AddressCreate(label=VUE, recipient=IMG, street=SCRIPT, postal_code='1000 AA', city=VUE),
        )
        user = s.get(PortalUser, customer.user_id)
        user.full_name = FULL_NAME  # as the supplier typed it when creating the user
        s.add(user)
    with db.write_session() as s:
        current_order.add(s, actor=customer, product_id=item.id, quantity=2)
        current_order.update_details(s, actor=customer, comment=f'{ALL}\n{MD_HTML}', reference=SCRIPT)
        key = current_order.get_or_create(s, actor=customer).placement_key
        order = ordering.place_current_order(s, actor=customer, placement_key=key, address_id=address.id)
    with db.write_session() as s:
        orders.check_order(s, actor=SYSTEM, order_id=order.id)
        deliveries.deliver_all_reserved(s, actor=SYSTEM, order_id=order.id, tracking_code=IMG)
        stock.receive_stock(s, actor=SYSTEM, product_id=item.id, quantity=1, note=SCRIPT)
    with db.write_session() as s:  # and a current order holding them again
        current_order.add(s, actor=customer, product_id=item.id, quantity=1)
        current_order.update_details(s, actor=customer, comment=IMG, reference=VUE)
    return {'order_id': order.id, 'number': order.number, 'product_id': item.id, 'customer_id': demo.id}


def assert_harmless(screen: Screen, page: str) -> None:
    try:
        alert = screen.selenium.switch_to.alert
        raise AssertionError(f'{page}: an alert opened: {alert.text}')
    except NoAlertPresentException:
        pass
    found = screen.selenium.execute_script(INJECTED)
    assert found == dict.fromkeys(found, 0), f'{page}: injected elements {found}'


def visit(screen: Screen, path: str, *texts: str) -> None:
    """Open the page, wait until each text shows as text, and check nothing was injected."""
    screen.open(path)
    for text in texts:
        wait_text(screen, text)
    assert_harmless(screen, path)


def test_payloads_show_as_harmless_text_on_the_customers_pages(screen: Screen) -> None:
    """ASVS 1.2.1 / 1.2.3 (output encoding, also inside the page's script), 1.3.5 (Markdown), 1.3.7 (template
    injection), 3.2.2 (text as text): the customer's pages."""
    ids = plant()
    size(screen, DESKTOP)
    sign_in(screen, 'customer', 'customer-demo')
    wait_text(screen, 'Payload dashboard')
    assert_harmless(screen, '/')
    dashboard = screen.selenium.find_element(By.CSS_SELECTOR, '.dashboard-text')
    assert 'click me' in dashboard.text and 'html link' in dashboard.text  # the links' text stays, their script goes

    visit(screen, '/products?q=FA-1001', PRODUCT_NAME, FULL_NAME)
    visit(screen, f'/products/{ids["product_id"]}', PRODUCT_NAME, IMG, SCRIPT, VUE, MD_LINK, MD_HTML)
    visit(screen, '/current-order', PRODUCT_NAME, f'{VUE}: {IMG}, {SCRIPT}')
    inputs = [e.get_attribute('value') for e in screen.selenium.find_elements(By.CSS_SELECTOR, 'input, textarea')]
    assert VUE in inputs and IMG in inputs  # the current order's reference and comment, as typed
    visit(screen, '/orders', SCRIPT)
    visit(screen, f'/orders/{ids["number"]}', PRODUCT_NAME, IMG, SCRIPT, VUE, MD_LINK, MD_HTML)
    visit(screen, '/backorders', FULL_NAME)


def test_payloads_show_as_harmless_text_on_the_suppliers_pages(screen: Screen) -> None:
    """ASVS 1.2.1 / 1.2.3 / 1.3.5 / 1.3.7 / 3.2.2: the supplier's pages, the dashboard text's preview among them."""
    ids = plant()
    size(screen, DESKTOP)
    sign_in(screen, 'supplier', 'supplier-demo')
    wait_text(screen, 'Customers')
    assert_harmless(screen, '/admin')
    visit(screen, '/admin/orders', CUSTOMER_NAME, SCRIPT)
    visit(screen, f'/admin/orders/{ids["order_id"]}', CUSTOMER_NAME, PRODUCT_NAME, MD_HTML, IMG, FULL_NAME)
    visit(screen, '/admin/customers', CUSTOMER_NAME)
    visit(screen, f'/admin/customers/{ids["customer_id"]}', CUSTOMER_NAME, SCRIPT, VUE, FULL_NAME)
    visit(screen, '/admin/products?q=FA-1001', PRODUCT_NAME)
    visit(screen, f'/admin/products/{ids["product_id"]}', SCRIPT)
    visit(screen, '/admin/backorders', 'Backorders')
    visit(screen, f'/admin/orders/new?customer={ids["customer_id"]}', 'New order for a customer')
    shown = screen.selenium.execute_script(
        "return document.body.innerText + [...document.querySelectorAll('input')].map(e => e.value).join(' ')"
    )
    assert CUSTOMER_NAME in shown
    visit(screen, '/admin/dashboard-text', 'Payload dashboard')
