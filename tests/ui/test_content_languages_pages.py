"""The supplier's own texts in the reader's language on the pages: the dashboard text and product names for the
demo's Dutch customer (Other Wholesale, `customer2`) and German one (Werkstattbedarf Köln, `kunde`), and the
supplier writing them (the dashboard text per language, a product's texts per language).

The supplier's texts are data, not catalogue entries: these tests need no translated catalogue, so they wait for
markers, never for the frame's words (which the catalogues translate). `demo_languages` has every user read its
customer's language, as in the demo, whatever another test's portal chose.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from app.core import db, portal_settings
from app.models import Customer, PortalUser
from tests.rows import product
from tests.ui.conftest import eventually, signed_in

WAIT = 50  # retries of 0.1 s


def demo_languages() -> None:
    """The demo's users read their customers' languages again (the test portal has customer2 reading English)."""
    with db.write_session() as s:
        for portal_user in s.exec(select(PortalUser)).all():
            portal_user.language = None
            s.add(portal_user)


async def signed_in_as(user: User, username: str) -> User:
    demo_languages()
    return await signed_in(user, username)


def markdown_of(user: User, marker: str) -> str:
    (element,) = user.find(marker=marker).elements
    assert isinstance(element, ui.markdown)
    return element.content


async def test_the_dutch_customer_reads_the_suppliers_dutch_dashboard_text(user: User) -> None:
    with db.read_session() as s:
        other = s.exec(select(Customer).where(Customer.code == 'OTHER')).one()
        chris = s.exec(select(PortalUser).where(PortalUser.username == 'customer2')).one()
    assert (other.language, chris.language) == ('nl', None)  # the user reads its customer's language
    await signed_in_as(user, 'customer2')
    await user.open('/')
    await user.should_see(marker='dashboard-text', retries=WAIT)
    text = markdown_of(user, 'dashboard-text')
    assert text.startswith('# Welkom bij Northwind Workshop Supply')
    await user.should_see('Bestellingen die vóór 14:00 uur binnen zijn, worden dezelfde dag verzonden.', retries=WAIT)
    await user.should_not_see('Orders placed before 14:00 ship the same day.')


async def test_the_german_customer_reads_german_texts_and_finds_products_by_their_german_names(user: User) -> None:
    hammer = product('HT-1001')
    await signed_in_as(user, 'kunde')
    await user.open('/')
    await user.should_see(marker='dashboard-text', retries=WAIT)
    assert markdown_of(user, 'dashboard-text').startswith('# Willkommen bei Northwind Workshop Supply')
    await user.open('/products?q=klauenhammer')
    await user.should_see(marker=f'product-{hammer.id}', retries=WAIT)
    await user.should_see('Klauenhammer 500 g, Fiberglasstiel')
    await user.should_not_see(hammer.name)
    await user.open(f'/products/{hammer.id}')
    await user.should_see('Geschmiedeter und gehärteter Stahlkopf', retries=WAIT)


async def test_the_supplier_writes_the_dashboard_text_per_language(create_user: Callable[[], User]) -> None:
    supplier = await signed_in_as(create_user(), 'supplier')
    dutch = await signed_in_as(create_user(), 'customer2')
    await dutch.open('/')
    await dutch.should_see(marker='dashboard-text', retries=WAIT)
    await supplier.open('/admin/dashboard-text')
    await supplier.should_see(marker='dashboard-editor', retries=WAIT)
    assert markdown_of(supplier, 'dashboard-preview').startswith('# Welcome to Northwind Workshop Supply')

    (languages,) = supplier.find(marker='dashboard-language').elements
    (editor,) = supplier.find(marker='dashboard-editor').elements
    editor.value = '# Changed'  # unsaved: another language is not shown, the English text stays in the editor
    languages.value = 'nl'
    await supplier.should_see('Save or discard your changes first.', retries=WAIT)
    assert (languages.value, editor.value) == ('en', '# Changed')
    supplier.find(marker='discard-dashboard-text').click()

    languages.value = 'nl'
    await eventually(lambda: editor.value.startswith('# Welkom bij Northwind Workshop Supply'))
    await supplier.should_see('Customers who read Dutch see this text; while it is empty, the English one.')
    editor.value = '# Nieuws\n\nZaterdag gesloten.'
    supplier.find(marker='save-dashboard-text').click()
    await supplier.should_see('Dashboard text saved', retries=WAIT)
    await dutch.should_see('Zaterdag gesloten.', retries=WAIT)  # the open Dutch dashboard, without a reload
    with db.read_session() as s:
        assert portal_settings.dashboard_text(s, 'nl') == '# Nieuws\n\nZaterdag gesloten.'
        assert portal_settings.dashboard_text(s, 'en').startswith('# Welcome to Northwind Workshop Supply')

    editor.value = ''  # emptied: the Dutch read the default text, and the preview shows what they will see
    assert markdown_of(supplier, 'dashboard-preview').startswith('# Welcome to Northwind Workshop Supply')
    supplier.find(marker='save-dashboard-text').click()
    await dutch.should_see('Orders placed before 14:00 ship the same day.', retries=WAIT)


async def test_the_supplier_writes_a_products_texts_per_language(create_user: Callable[[], User]) -> None:
    level = product('HT-1006')
    supplier = await signed_in_as(create_user(), 'supplier')
    await supplier.open(f'/admin/products/{level.id}')
    await supplier.should_see(marker='translations-card', retries=WAIT)
    (name,) = supplier.find(marker='translation-nl-name').elements
    (description,) = supplier.find(marker='translation-nl-description').elements
    assert name.value == 'Waterpas 600 mm, aluminium'
    name.value = 'Waterpas 60 cm, aluminium'
    description.value = ''  # falls back to the English description
    supplier.find(marker='save-translation-nl').click()
    await supplier.should_see('Texts in Dutch saved', retries=WAIT)
    (german,) = supplier.find(marker='translation-de-name').elements
    german.value = 'x' * 201
    supplier.find(marker='save-translation-de').click()
    await supplier.should_see('The name can be at most 200 characters.', retries=WAIT)

    dutch = await signed_in_as(create_user(), 'customer2')
    await dutch.open(f'/products/{level.id}')
    await dutch.should_see('Waterpas 60 cm, aluminium', retries=WAIT)
    await dutch.should_see(level.description[:40])
    await dutch.open('/products?q=waterpas')
    await dutch.should_see(marker=f'product-{level.id}', retries=WAIT)
    german_reader = await signed_in_as(create_user(), 'kunde')
    await german_reader.open(f'/products/{level.id}')
    await german_reader.should_see('Wasserwaage 600 mm, Aluminium', retries=WAIT)  # unchanged: nothing was saved
