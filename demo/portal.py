"""Demo data for the first start: a supplier admin, three customers with users (English, Dutch and German), a catalogue
with some products in all three languages, orders."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlmodel import select

from app.catalogue import catalogue, images, products, translations
from app.core import clock, db, portal_settings
from app.identity import accounts
from app.identity.access import SYSTEM
from app.identity.auth import Identity
from app.models import (
    AddressCreate,
    CatalogueMode,
    CustomerCreate,
    PortalUser,
    PortalUserCreate,
    PriceListCreate,
    Product,
    ProductCreate,
    Role,
    VatClass,
)
from app.orders import current_order, deliveries, expected, ordering, orders, stock
from app.pricing import prices, rules
from demo import catalogue as demo_catalogue
from demo import categories as demo_categories
from demo import extras as demo_extras

log = logging.getLogger(__name__)

DASHBOARD_TEXT = """# Welcome to Northwind Workshop Supply

Order around the clock from our full catalogue, with **live stock** and today's prices.

## How it works
1. Open **Products**, search by name, code or barcode, and add what you need.
2. A green check mark shows how many of a product are already in your current order.
3. Open **Current order**, check the quantities, add your reference and place the order.

We check every order on the next working day. What is not in stock goes on **backorder**
and ships as soon as it arrives — oldest orders first.

## News
- New: safety gloves and eye protection now in stock.
- Orders placed before 14:00 ship the same day.
"""

DASHBOARD_TEXT_NL = """# Welkom bij Northwind Workshop Supply

Bestel dag en nacht uit ons volledige assortiment, met **actuele voorraad** en de prijzen van vandaag.

## Zo werkt het
1. Open **Producten**, zoek op naam, artikelnummer of barcode en voeg toe wat u nodig hebt.
2. Een groen vinkje laat zien hoeveel stuks van een product al in uw huidige bestelling zitten.
3. Open **Huidige bestelling**, controleer de aantallen, vul uw referentie in en plaats de bestelling.

Wij controleren elke bestelling op de eerstvolgende werkdag. Wat niet op voorraad is, komt in **nabestelling**
en wordt verzonden zodra het binnen is — oudste bestellingen eerst.

## Nieuws
- Nieuw: veiligheidshandschoenen en oogbescherming nu op voorraad.
- Bestellingen die vóór 14:00 uur binnen zijn, worden dezelfde dag verzonden.
"""

DASHBOARD_TEXT_DE = """# Willkommen bei Northwind Workshop Supply

Bestellen Sie rund um die Uhr aus unserem gesamten Sortiment, mit **aktuellem Lagerbestand** und den Preisen von heute.

## So funktioniert es
1. Öffnen Sie **Produkte**, suchen Sie nach Name, Artikelnummer oder Barcode und fügen Sie hinzu, was Sie brauchen.
2. Ein grünes Häkchen zeigt, wie viele Stück eines Produkts schon in Ihrer aktuellen Bestellung sind.
3. Öffnen Sie **Aktuelle Bestellung**, prüfen Sie die Mengen, tragen Sie Ihre Referenz ein und geben Sie die
   Bestellung auf.

Wir prüfen jede Bestellung am nächsten Werktag. Was nicht auf Lager ist, kommt in den **Rückstand** und wird
verschickt, sobald es eintrifft — älteste Bestellungen zuerst.

## Neuigkeiten
- Neu: Schutzhandschuhe und Augenschutz jetzt auf Lager.
- Bestellungen, die bis 14:00 Uhr eingehen, verlassen noch am selben Tag unser Lager.
"""


CUSTOMERS = [
    CustomerCreate(name='Demo Retail', code='DEMO'),
    CustomerCreate(name='Other Wholesale', code='OTHER', language='nl'),
    CustomerCreate(name='Werkstattbedarf Köln GmbH', code='KOELN', language='de'),
]

# fmt: off
ADDRESSES = [  # (customer code, address); a customer's first is its default
    ('DEMO', AddressCreate(label='Main store', recipient='Demo Retail — Goods receiving', street='Harbour Street 12',
                           postal_code='1011 AB', city='Amsterdam', country='Netherlands')),
    ('DEMO', AddressCreate(label='Warehouse', recipient='Demo Retail Warehouse', street='Industrieweg 40',
                           postal_code='3542 AD', city='Utrecht', country='Netherlands')),
    ('OTHER', AddressCreate(label='Head office', recipient='Other Wholesale Ltd', street='Dock Road 3',
                            postal_code='E16 2QD', city='London', country='United Kingdom')),
    ('KOELN', AddressCreate(label='Lager', recipient='Werkstattbedarf Köln GmbH — Warenannahme',
                            street='Hansaring 87', postal_code='50670', city='Köln', country='Deutschland')),
]
# fmt: on

USERS = [  # (customer code, or None for the supplier's staff; username, password, full name, e-mail)
    (None, 'supplier', 'supplier-demo', 'Sam Supplier', 'supplier@example.com'),
    ('DEMO', 'customer', 'customer-demo', 'Casey Customer', 'casey@demo-retail.example'),
    ('OTHER', 'customer2', 'customer2-demo', 'Chris Other', 'chris@other-wholesale.example'),
    ('KOELN', 'kunde', 'kunde-demo', 'Jana Becker', 'jana.becker@werkstattbedarf-koeln.example'),
]


def seed_if_empty() -> bool:
    with db.read_session() as session:
        if session.exec(select(PortalUser.id).limit(1)).first() is not None:
            return False
    seed()
    return True


def seed(*, with_images: bool = True) -> None:
    log.info('creating demo data')
    customers = _seed_accounts()
    ids = _seed_products(with_images=with_images)
    _seed_translations(ids)
    demo_categories.seed(ids)
    demo_extras.seed(ids)  # data sheets, alternatives and accessories
    _seed_selection(ids, customers)
    _seed_prices(ids, customers)
    _seed_orders(ids, customers)


def _seed_accounts() -> dict[str, int]:
    """The supplier's settings, the customers with their addresses and users; returns the customers' ids by code."""
    with db.write_session() as s:
        portal_settings.set_value(s, key='supplier_name', value='Northwind Workshop Supply')
        portal_settings.set_value(s, key='dashboard_text', value=DASHBOARD_TEXT)
        portal_settings.save_dashboard_text(s, actor=SYSTEM, text=DASHBOARD_TEXT_NL, language='nl')
        portal_settings.save_dashboard_text(s, actor=SYSTEM, text=DASHBOARD_TEXT_DE, language='de')
        customer_ids = {data.code: accounts.create_customer(s, actor=SYSTEM, data=data).id for data in CUSTOMERS}
        for code, address in ADDRESSES:
            accounts.add_address(s, actor=SYSTEM, customer_id=customer_ids[code], data=address)
        for code, username, password, full_name, email in USERS:
            user = PortalUserCreate(
                username=username,
                password=password,
                full_name=full_name,
                role=Role.CUSTOMER if code else Role.ADMIN,
                customer_id=customer_ids.get(code),
                email=email,
            )
            accounts.create_user(s, actor=SYSTEM, data=user)
    return customer_ids


def _seed_products(*, with_images: bool) -> dict[str, int]:
    """The demo catalogue with its opening stock (received like any delivery, so it leaves a history)."""
    ids: dict[str, int] = {}
    for item in demo_catalogue.PRODUCTS:
        picture = demo_catalogue.render_product_image(item, size=480) if with_images else None
        with db.write_session() as s:
            data = ProductCreate.model_construct(
                code=item['code'],
                name=item['name'],
                description=item['description'],
                barcode=item['barcode'],
                unit=item['unit'],
                price_cents=item['price_cents'],
                active=True,
            )
            product = products.create_product(s, actor=SYSTEM, data=data)
            if item['stock']:
                stock.receive_stock(
                    s, actor=SYSTEM, product_id=product.id, quantity=item['stock'], note='Opening stock'
                )
            if picture:
                images.add_image(s, actor=SYSTEM, product_id=product.id, content=picture)
            ids[item['code']] = product.id
    return ids


def _seed_translations(ids: dict[str, int]) -> None:
    """Some products' names and descriptions in Dutch and German; the rest read in English in every language."""
    with db.write_session() as s:
        for code, languages in demo_catalogue.TRANSLATIONS.items():
            for language, (name, description) in languages.items():
                translations.set_product_translation(
                    s, actor=SYSTEM, product_id=ids[code], language=language, name=name, description=description
                )


def _seed_selection(ids: dict[str, int], customers: dict[str, int]) -> None:
    """Other Wholesale sees a selection: everything except safety gear."""
    with db.write_session() as s:
        other = customers['OTHER']
        catalogue.set_catalogue_mode(s, actor=SYSTEM, customer_id=other, mode=CatalogueMode.SELECTION)
        chosen = [pid for code, pid in ids.items() if not code.startswith('SG-')]
        catalogue.add_to_selection(s, actor=SYSTEM, customer_id=other, product_ids=chosen)


def _seed_prices(ids: dict[str, int], customers: dict[str, int]) -> None:
    """Demo Retail buys on the Trade list (10 % off, fixed prices on three products, quantity tiers on two);
    Other Wholesale pays list prices and, in London, is charged no VAT (export). Some products come in packs or
    have a minimum; paper goods are at the reduced VAT rate."""
    with db.write_session() as s:
        reduced, standard = VatClass.REDUCED, VatClass.STANDARD
        for code, vat_class, minimum, multiple, backorders in [
            ('AD-1001', standard, 6, 6, None),  # cartridges by the box of 6
            ('AD-1002', standard, 12, 12, None),
            ('FA-1006', standard, 5, 1, None),
            ('PK-1006', standard, 2, 1, None),
            ('PK-1007', reduced, 1, 1, False),  # only what is in stock: never backordered
            ('CL-1003', reduced, 1, 1, None),
        ]:
            rules.set_product_terms(
                s,
                actor=SYSTEM,
                product_id=ids[code],
                vat_class=vat_class,
                min_quantity=minimum,
                order_multiple=multiple,
                backorders=backorders,
            )
        trade = prices.create_price_list(s, actor=SYSTEM, data=PriceListCreate(name='Trade', discount_bp=1000))
        for code, entries in [
            ('HT-1004', [(1, 1095)]),
            ('PT-1005', [(1, 1750)]),
            ('CL-1001', [(1, 1650)]),
            ('FA-1005', [(1, 540), (10, 510), (50, 480)]),
            ('AD-1001', [(6, 620), (24, 585), (48, 560)]),
        ]:
            prices.set_product_prices(s, actor=SYSTEM, price_list_id=trade.id, product_id=ids[code], entries=entries)
        prices.set_customer_terms(
            s,
            actor=SYSTEM,
            customer_id=customers['DEMO'],
            price_list_id=trade.id,
            discount_bp=0,
            vat_exempt_reason='',
            minimum_order_cents=None,
        )
        prices.set_customer_terms(
            s,
            actor=SYSTEM,
            customer_id=customers['OTHER'],
            price_list_id=None,
            discount_bp=0,
            vat_exempt_reason='Export outside the EU (United Kingdom)',
            minimum_order_cents=None,
        )


def _seed_orders(ids: dict[str, int], customers: dict[str, int]) -> None:
    """Orders in every state, placed over the last weeks, so every page has something to show."""
    start = clock.now()
    try:
        # completed: checked and delivered in full
        first = _customer_order('customer', [('FA-1001', 20), ('HT-1001', 2)], 'PO-2026-0412', start, days_ago=21)
        _as_supplier(orders.check_order, order_id=first)
        _as_supplier(deliveries.deliver_all_reserved, order_id=first, tracking_code='3SDEMO0001234')
        # processing, partly delivered, with a backorder for an item that is out of stock
        second = _customer_order(
            'customer',
            [('FA-1002', 10), ('FA-1003', 6), ('PT-1001', 3)],
            'PO-2026-0431',
            start,
            days_ago=9,
            comment='Please deliver before noon, the loading dock closes at 12:00.',
        )
        _as_supplier(orders.check_order, order_id=second)
        with db.write_session() as s:
            view = orders.admin_get_order(s, actor=SYSTEM, order_id=second)
            part = {line.id: line.allocated for line in view.lines if line.allocated and line.product_code != 'FA-1002'}
        _as_supplier(deliveries.record_delivery, order_id=second, quantities=part, tracking_code='3SDEMO0005678')
        # cancelled by the supplier at the customer's request
        third = _customer_order('customer', [('CL-1001', 4)], 'PO-2026-0440', start, days_ago=5)
        _as_supplier(
            orders.cancel_order, order_id=third, reason='Cancelled at your request on the phone: ordered twice.'
        )
        # placed by the supplier on the customer's behalf, after a phone call
        clock.set_now(lambda: start - timedelta(days=2))
        with db.write_session() as s:
            ordering.place_order_for_customer(
                s,
                actor=_identity(s, 'supplier'),
                customer_id=customers['DEMO'],
                lines=[(ids['AD-1001'], 12), (ids['PK-1001'], 5)],
                comment='Ordered by phone with Casey.',
                reference='PHONE-0502',
            )
        # a fresh concept, awaiting the supplier's check
        _customer_order('customer', [('SG-1001', 10), ('HT-1002', 1)], 'PO-2026-0458', start, days_ago=0)
        # the other customer's order, which Demo Retail must never see
        _customer_order('customer2', [('FA-1001', 50)], 'OW-7781', start, days_ago=3)
        # the German customer's first order, delivered in full
        cologne = _customer_order('kunde', [('PT-1002', 20), ('HT-1004', 5)], 'KÖ-2026-118', start, days_ago=14)
        _as_supplier(orders.check_order, order_id=cologne)
        _as_supplier(deliveries.deliver_all_reserved, order_id=cologne, tracking_code='3SDEMO0009012')
        # the decking screws Demo Retail waits for: 4 were due three days ago and have not come (overdue), 30 more
        # are expected next week (recorded ten days ago, when both dates were still to come)
        clock.set_now(lambda: start - timedelta(days=10))
        for quantity, days, note in [(4, -3, 'Remainder of PO 7731'), (30, 8, 'Container from Rotterdam')]:
            _as_supplier(
                expected.record_expected_delivery,
                product_id=ids['FA-1003'],
                quantity=quantity,
                expected_on=(start + timedelta(days=days)).date(),
                note=note,
            )
    finally:
        clock.reset()
    # something in Demo Retail's current order for the next visit
    with db.write_session() as s:
        current_order.add(s, actor=_identity(s, 'customer'), product_id=ids['HT-1003'], quantity=2)


def _customer_order(
    username: str,
    lines: list[tuple[str, int]],
    reference: str,
    start,
    *,
    days_ago: int,
    comment: str = '',
) -> int:
    clock.set_now(lambda: start - timedelta(days=days_ago, hours=3))
    with db.write_session() as s:
        who = _identity(s, username)
        for code, quantity in lines:
            product_id = s.exec(select(Product.id).where(Product.code == code)).one()
            current_order.add(s, actor=who, product_id=product_id, quantity=quantity)
        key = current_order.get_or_create(s, actor=who).placement_key
        order = ordering.place_current_order(s, actor=who, placement_key=key, comment=comment, reference=reference)
        return order.id


def _as_supplier(service, **kwargs) -> None:
    """The supplier's demo staff member does it, so the orders name who checked, delivered or placed them."""
    with db.write_session() as s:
        service(s, actor=_identity(s, 'supplier'), **kwargs)


def _identity(s, username: str) -> Identity:
    return Identity.of(s.exec(select(PortalUser).where(PortalUser.username == username)).one())
