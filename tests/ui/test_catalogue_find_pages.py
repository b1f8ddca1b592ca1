"""Finding and choosing on the demo portal's pages: close matches for a mistyped search, a product's documents,
alternatives and accessories, in-stock alternatives on the current order, and the supplier adding documents and
related products on its product page."""

from __future__ import annotations

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User
from sqlmodel import select

from app.catalogue import related
from app.core import db
from app.identity.access import SYSTEM
from app.models import ProductDocument, RelatedProduct
from app.orders import current_order
from demo.pdf import text_pdf
from tests.rows import product
from tests.ui.conftest import signed_in
from tests.ui.test_catalogue_pages import identity

WAIT = 50


def documents_of(product_id: int) -> list[ProductDocument]:
    with db.read_session() as s:
        return list(s.exec(select(ProductDocument).where(ProductDocument.product_id == product_id)))


async def test_a_mistyped_search_shows_close_matches(user: User) -> None:
    await signed_in(user, at='/products?q=hamer')
    await user.should_see("No exact match for 'hamer'. Showing close matches: hammer", retries=WAIT)
    await user.should_see(marker=f'product-{product("HT-1001").id}')
    await user.open('/products')
    user.find(kind=ui.input, content='Search by name').type('scredriver').trigger('keydown.enter')
    await user.should_see("No exact match for 'scredriver'. Showing close matches: screwdriver", retries=WAIT)


async def test_a_code_typed_without_its_dash_is_found_exactly(user: User) -> None:
    await signed_in(user, at='/products?q=fa1008')
    await user.should_see(marker=f'product-{product("FA-1008").id}', retries=WAIT)
    await user.should_not_see(marker='close-matches')


async def test_a_word_far_from_every_other_still_finds_nothing(user: User) -> None:
    await signed_in(user, at='/products?q=xyzzy')
    await user.should_see("No products match 'xyzzy'", retries=WAIT)
    await user.should_not_see(marker='close-matches')


async def test_a_close_match_in_dutch(user: User) -> None:
    """customer2 reads Dutch; the demo's hammer is 'Klauwhamer' there: 'klauwhammer' finds it."""
    await signed_in(user, 'customer2', at='/products?q=klauwhammer')
    await user.should_see(marker=f'product-{product("HT-1001").id}', retries=WAIT)
    await user.should_see(marker='close-matches')


async def test_the_product_page_offers_its_documents_accessories_and_alternatives(user: User) -> None:
    await signed_in(user)
    hammer = product('HT-1001')
    sheet = documents_of(hammer.id)[0]
    await user.open(f'/products/{hammer.id}')
    await user.should_see(marker=f'document-{sheet.id}', retries=WAIT)
    await user.should_see('Data sheet HT-1001 claw hammer')
    link = user.find(marker=f'document-{sheet.id}').elements.pop()
    assert isinstance(link, ui.link) and link.props['href'] == f'/media/documents/{sheet.id}'
    await user.should_see(marker='accessories')
    await user.should_see(marker=f'related-{product("SG-1001").id}')
    await user.should_see(marker=f'related-{product("SG-1002").id}')
    await user.should_not_see(marker='in-stock-instead')  # the hammer is in stock


async def test_an_out_of_stock_product_suggests_its_in_stock_alternative(user: User) -> None:
    await signed_in(user)
    decking, screws = product('FA-1003'), product('FA-1002')
    await user.open(f'/products/{decking.id}')
    await user.should_see(marker='in-stock-instead', retries=WAIT)
    await user.should_see(marker=f'instead-{screws.id}')
    await user.should_see(marker='alternatives')


async def test_a_hidden_product_never_shows_through_a_link(user: User) -> None:
    """Other Wholesale sees no safety gear: the hammer's gloves and glasses are not its accessories to see."""
    await signed_in(user, 'customer2', at=f'/products/{product("HT-1001").id}')
    await user.should_see(marker='product-name', retries=WAIT)
    await user.should_not_see(marker='accessories')
    await user.should_not_see(marker=f'related-{product("SG-1001").id}')


async def test_an_out_of_stock_line_of_the_current_order_suggests_an_alternative(user: User) -> None:
    decking, screws = product('FA-1003'), product('FA-1002')
    with db.write_session() as s:
        current_order.add(s, actor=identity('customer'), product_id=decking.id, quantity=3)
    await signed_in(user, at='/current-order')
    await user.should_see(marker=f'instead-of-{decking.id}', retries=WAIT)
    await user.should_see(marker=f'instead-{screws.id}')
    hammer_set = product('HT-1003')  # in stock (2 of the 2 wanted): no suggestion on its line
    await user.should_not_see(marker=f'instead-of-{hammer_set.id}')


async def admin(user: User) -> None:
    await signed_in(user, 'supplier')


async def test_the_supplier_adds_a_data_sheet(user: User) -> None:
    await admin(user)
    rivets = product('FA-1008')
    await user.open(f'/admin/products/{rivets.id}')
    await user.should_see(marker='documents-card', retries=WAIT)
    element = user.find(marker='document-upload').elements.pop()
    await element.handle_uploads([SmallFileUpload('Rivets FA-1008.pdf', 'application/pdf', text_pdf('Rivets', ['x']))])
    await user.should_see('Document added: Rivets FA-1008.pdf', retries=WAIT)
    (sheet,) = documents_of(rivets.id)
    assert sheet.title == 'Rivets FA-1008'
    await user.should_see(marker=f'admin-document-{sheet.id}')


async def test_a_page_named_pdf_is_refused_at_the_upload(user: User) -> None:
    await admin(user)
    rivets = product('FA-1008')
    await user.open(f'/admin/products/{rivets.id}')
    element = user.find(marker='document-upload').elements.pop()
    await element.handle_uploads([SmallFileUpload('sheet.pdf', 'application/pdf', b'<html><script>1</script>')])
    await user.should_see('sheet.pdf: This file is not a PDF document.', retries=WAIT)
    assert documents_of(rivets.id) == []


async def test_the_supplier_links_an_alternative_and_removes_it(user: User) -> None:
    await admin(user)
    rod, anchors = product('FA-1009'), product('FA-1010')
    await user.open(f'/admin/products/{rod.id}')
    await user.should_see(marker='related-card', retries=WAIT)
    user.find(marker='related-code').type('fa-1010')
    user.find(marker='link-product').click()
    await user.should_see('Related product linked', retries=WAIT)
    await user.should_see(marker=f'link-{anchors.id}')
    with db.read_session() as s:
        assert [x.code for x in related.links_of(s, actor=SYSTEM, product_id=rod.id)] == ['FA-1010']
    user.find(marker='related-code').type('NOPE-1')
    user.find(marker='link-product').click()
    await user.should_see('No product has the code NOPE-1.', retries=WAIT)
    user.find(marker=f'unlink-{anchors.id}').click()
    await user.should_see('Link removed', retries=WAIT)
    with db.read_session() as s:
        assert s.exec(select(RelatedProduct).where(RelatedProduct.product_id == rod.id)).all() == []
