"""The supplier's products pages: list and search, the product form, stock and images, on the demo portal."""

from __future__ import annotations

from io import BytesIO
from types import SimpleNamespace

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User
from PIL import Image
from sqlmodel import func, select

from app.catalogue import products
from app.core import db
from app.identity.access import SYSTEM
from app.models import Product, ProductCreate, ProductImage, StockMovement
from app.orders import stock
from components import image_upload
from components.form import Form
from pages.admin import product as product_page
from tests.rows import count, product
from tests.ui.conftest import eventually, signed_in
from tests.ui.forms import send_values


def image_rows(product_id: int) -> list[ProductImage]:
    with db.read_session() as s:
        return list(s.exec(select(ProductImage).where(ProductImage.product_id == product_id)))


def movement_count(product_id: int) -> int:
    with db.read_session() as s:
        return s.exec(
            select(func.count()).select_from(StockMovement).where(StockMovement.product_id == product_id)
        ).one()


def png_bytes() -> bytes:
    out = BytesIO()
    Image.new('RGB', (32, 24), (200, 40, 40)).save(out, 'PNG')
    return out.getvalue()


async def save(user: User, expect: str, **values: str) -> None:
    """The product form saved with these fields (by marker) set first; waits for `expect`."""
    await send_values(user, values, 'save-product', expect)


async def save_new_product(user: User, expect: str, **values: str) -> None:
    await user.open('/admin/products/new')
    await save(user, expect, **values)


async def on_product_page(user: User, code: str = 'FA-1001') -> Product:
    """The supplier on a product's own page; returns the product as it stood when the page opened."""
    await signed_in(user, 'supplier')
    item = product(code)
    await user.open(f'/admin/products/{item.id}')
    return item


def history_notes(user: User) -> list[str]:
    return [row['note'] for row in user.find(marker='movements').elements.pop().rows]


def table_codes(user: User) -> list[str]:
    table = user.find(marker='products-table').elements.pop()
    return [row['code'] for row in table.rows]


# --- the list -------------------------------------------------------------------------------------------


async def test_the_list_shows_products_with_stock_and_searches(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin/products')
    await user.should_see(marker='products-table')
    table = user.find(marker='products-table').elements.pop()
    fa = product('FA-1001')
    row = next(r for r in table.rows if r['code'] == 'FA-1001')
    assert row['id'] == fa.id
    assert (row['on_hand'], row['allocated'], row['free']) == (
        f'{fa.on_hand:,}',
        f'{fa.allocated:,}',
        f'{fa.on_hand - fa.allocated:,}',
    )
    assert row['active'] is True

    user.find(marker='product-search').type('FA-1001')
    user.find(marker='search').click()
    await user.should_not_see(f'{count(Product):,} products')  # the page with every product is gone
    assert table_codes(user) == ['FA-1001']

    await user.open('/admin/products?q=nothing-like-this-anywhere')
    await user.should_see("No products match 'nothing-like-this-anywhere'")
    await user.should_not_see(marker='products-table')


async def test_the_list_shows_inactive_products_and_pages(user: User) -> None:
    await signed_in(user, 'supplier')
    with db.write_session() as s:
        p = s.exec(select(Product).where(Product.code == 'HT-1001')).one()
        p.active = False
        s.add(p)
    await user.open('/admin/products?q=HT-1001')
    table = user.find(marker='products-table').elements.pop()
    assert [(r['code'], r['active']) for r in table.rows] == [('HT-1001', False)]

    await user.open('/admin/products')
    first_page = table_codes(user)
    await user.open('/admin/products?page=2')
    second_page = table_codes(user)
    assert len(first_page) == len(second_page) == 25
    assert first_page == sorted(first_page) and not set(first_page) & set(second_page)
    await user.should_see(f'{count(Product):,} products')


async def test_a_customer_is_sent_to_no_access(user: User) -> None:
    await signed_in(user, at='/admin/products')
    await user.should_see('No access')
    await user.should_not_see(marker='products-table')
    await user.open(f'/admin/products/{product("FA-1001").id}')
    await user.should_not_see(marker='details-card')


# --- the form -------------------------------------------------------------------------------------------


async def test_creating_a_product_opens_its_page(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin/products')
    user.find(marker='new-product').click()
    await user.should_see(marker='details-card')
    await save_new_product(
        user, 'Product HAM-500 created', code='ham-500', name='Claw hammer 500 g', price='12.5', unit='piece'
    )
    await user.should_see(marker='stock-card')  # now on the product's own page
    created = product('HAM-500')
    assert (created.name, created.price_cents, created.active, created.on_hand) == ('Claw hammer 500 g', 1250, True, 0)
    await user.should_see(marker='images-card')


async def test_a_duplicate_code_is_refused_and_nothing_changes(user: User) -> None:
    await signed_in(user, 'supplier')
    before = count(Product)
    await save_new_product(
        user, 'Product code FA-1001 is already in use.', code='fa-1001', name='Another screw', price='1.00'
    )
    assert count(Product) == before
    assert product('FA-1001').name != 'Another screw'


async def test_bad_prices_and_an_empty_name_are_refused(user: User) -> None:
    await signed_in(user, 'supplier')
    before = count(Product)
    await save_new_product(user, 'A price has at most two decimals.', code='NEW-1', name='New thing', price='1.999')
    assert user.find(marker='price').elements.pop().error == 'A price has at most two decimals.'

    await save(user, 'The price cannot be negative.', price='-1')
    await save(user, 'Please fill in the fields marked in red.', price='', name='   ')
    assert user.find(marker='name').elements.pop().error == 'Required'  # both at once, each at its field
    assert user.find(marker='price').elements.pop().error == 'Required'
    assert count(Product) == before


async def test_editing_the_name(user: User) -> None:
    fa = await on_product_page(user)
    await user.should_see(marker='product-heading')
    await save(user, 'Changes saved', name='Wood screws, renamed')
    changed = product('FA-1001')
    assert (changed.name, changed.price_cents, changed.on_hand) == ('Wood screws, renamed', fa.price_cents, fa.on_hand)
    await user.should_see('Wood screws, renamed')  # the heading follows


async def test_a_bad_edit_saves_nothing(user: User) -> None:
    fa = await on_product_page(user)
    await save(user, 'Product code FA-1002 is already in use.', name='Changed name', code='FA-1002')
    assert product('FA-1001').name == fa.name


async def test_an_unknown_product_shows_not_found(user: User) -> None:
    await signed_in(user, 'supplier')
    for missing in ('999999', 'abc', '99999999999999999999999'):
        await user.open(f'/admin/products/{missing}')
        await user.should_see(marker='not-found')
        await user.should_not_see(marker='details-card')


# --- stock ----------------------------------------------------------------------------------------------


async def test_receiving_stock_adds_to_on_hand_and_the_history(user: User) -> None:
    fa = await on_product_page(user)
    movements = movement_count(fa.id)
    await send_values(
        user, {'receive-quantity': '15', 'receive-note': 'Pallet from Würth'}, 'receive-stock', 'Received 15 units'
    )
    assert product('FA-1001').on_hand == fa.on_hand + 15
    assert movement_count(fa.id) == movements + 1
    await eventually(lambda: 'Pallet from Würth' in history_notes(user))  # the history table refreshed
    table = user.find(marker='movements').elements.pop()
    assert (table.rows[0]['change'], table.rows[0]['kind'], table.rows[0]['note']) == (
        '+15',
        'Received',
        'Pallet from Würth',
    )
    await user.should_see(marker='on-hand', content=f'{fa.on_hand + 15:,}')


async def test_receiving_serves_backorders_and_says_so(user: User) -> None:
    fa3 = await on_product_page(user, 'FA-1003')  # none on hand, open orders wait for it
    await send_values(user, {'receive-quantity': '1000'}, 'receive-stock', 'went to backorders')
    after = product('FA-1003')
    assert after.allocated > fa3.allocated
    await user.should_see(f'Received 1,000 units; {after.allocated - fa3.allocated:,} went to backorders.')


async def test_a_bad_quantity_is_refused(user: User) -> None:
    fa = await on_product_page(user)
    movements = movement_count(fa.id)
    await send_values(
        user, {'receive-quantity': '2.5'}, 'receive-stock', 'Enter a whole number between 1 and 1,000,000.'
    )
    assert product('FA-1001').on_hand == fa.on_hand
    assert movement_count(fa.id) == movements


async def test_a_stock_count_corrects_on_hand(user: User) -> None:
    fa = await on_product_page(user)
    counted = fa.allocated + 7
    await send_values(
        user,
        {'count-quantity': str(counted), 'count-note': 'Yearly count'},
        'count-stock',
        f'Count recorded: {counted:,} on hand ({counted - fa.on_hand:+,}).',
    )
    assert product('FA-1001').on_hand == counted
    await eventually(lambda: 'Yearly count' in history_notes(user))


async def test_stock_figures_follow_changes_made_elsewhere(user: User) -> None:
    fa = await on_product_page(user)
    with db.write_session() as s:
        stock.receive_stock(s, actor=SYSTEM, product_id=fa.id, quantity=1234, note='From another screen')
    await user.should_see(marker='on-hand', content=f'{fa.on_hand + 1234:,}')
    await eventually(lambda: 'From another screen' in history_notes(user))


# --- images ---------------------------------------------------------------------------------------------


async def upload(user: User, *files: SmallFileUpload) -> None:
    element = user.find(marker='image-upload').elements.pop()
    await element.handle_uploads(list(files))  # what NiceGUI's upload route does with the posted files


async def test_uploading_images_stores_them(user: User) -> None:
    fa = await on_product_page(user)
    before = len(image_rows(fa.id))
    await upload(
        user,
        SmallFileUpload('front.png', 'image/png', png_bytes()),
        SmallFileUpload('back.png', 'image/png', png_bytes()),
    )
    await user.should_see('Image added: front.png')
    await user.should_see('Image added: back.png')
    rows = image_rows(fa.id)
    assert len(rows) == before + 2
    newest = max(rows, key=lambda i: i.id)
    await user.should_see(marker=f'image-{newest.id}')


async def test_a_file_that_is_no_image_is_refused(user: User) -> None:
    fa = await on_product_page(user)
    before = len(image_rows(fa.id))
    await upload(user, SmallFileUpload('notes.png', 'image/png', b'this is not a picture'))
    await user.should_see('notes.png: This file is not an image we can use (JPEG, PNG, WebP or GIF).')
    assert len(image_rows(fa.id)) == before


async def test_a_file_over_the_limit_is_refused(user: User) -> None:
    fa = await on_product_page(user)
    before = len(image_rows(fa.id))
    await upload(user, SmallFileUpload('huge.png', 'image/png', png_bytes() + b'\0' * (6 * 1024 * 1024)))
    await user.should_see('huge.png: This file is larger than the limit of')
    assert len(image_rows(fa.id)) == before


async def test_images_move_and_delete_after_confirming(user: User) -> None:
    await signed_in(user, 'supplier')
    with db.write_session() as s:
        created = products.create_product(
            s,
            actor=SYSTEM,
            data=ProductCreate.model_construct(
                code='IMG-1', name='Pictures', description='', barcode='', unit='piece', price_cents=100, active=True
            ),
        )
    pid = created.id
    await user.open(f'/admin/products/{pid}')
    await user.should_see(marker='no-images')
    await upload(user, SmallFileUpload('a.png', 'image/png', png_bytes()))
    await user.should_see('Image added: a.png')
    await upload(user, SmallFileUpload('b.png', 'image/png', png_bytes()))
    await user.should_see('Image added: b.png')
    first, second = sorted(image_rows(pid), key=lambda i: i.position)

    user.find(marker=f'image-right-{first.id}').click()
    await user.should_see(marker=f'image-place-{first.id}', content='#2')
    order = [i.id for i in sorted(image_rows(pid), key=lambda i: i.position)]
    assert order == [second.id, first.id]

    user.find(marker=f'image-delete-{first.id}').click()
    await user.should_see('Delete this image?')
    assert len(image_rows(pid)) == 2  # nothing happens before confirming
    user.find(marker='delete-image').click()
    await user.should_see('Image deleted')
    assert [i.id for i in image_rows(pid)] == [second.id]


async def test_the_supplier_sees_images_of_inactive_products(user: User) -> None:
    fa = await on_product_page(user)
    await upload(user, SmallFileUpload('a.png', 'image/png', png_bytes()))
    await user.should_see('Image added: a.png')
    with db.write_session() as s:
        p = s.get(Product, fa.id)
        p.active = False
        s.add(p)
    image = max(image_rows(fa.id), key=lambda i: i.id)
    response = await user.http_client.get(f'/media/images/{image.id}?size=thumb')
    assert response.status_code == 200
    assert response.headers['content-type'].startswith('image/')


# --- only the supplier ----------------------------------------------------------------------------------


async def test_a_customers_click_cannot_run_admin_actions(user: User) -> None:
    await signed_in(user)  # a customer, on a page of their own
    await user.open('/products')
    fa = product('FA-1001')
    images_before = len(image_rows(fa.id))
    movements = movement_count(fa.id)
    products_before = count(Product)
    assert images_before > 0  # the demo product has pictures
    with user:
        form = Form()
        form.fields = {
            'quantity': ui.input(value='500'),
            'note': ui.input(value='sneaky'),
        }
        await product_page.receive_stock(fa.id, form)

        details = Form()
        details.fields = {
            'code': ui.input(value='FA-1001'),
            'name': ui.input(value='Hijacked'),
            'description': ui.input(value=''),
            'barcode': ui.input(value=''),
            'unit': ui.input(value='piece'),
            'price_cents': ui.input(value='0.01'),
            'active': ui.switch(value=True),
        }
        await product_page.save_product(fa.id, details)
        await product_page.save_product(None, details)
        await image_upload.delete_image(image_rows(fa.id)[0].id)
        upload_event = SimpleNamespace(file=SmallFileUpload('a.png', 'image/png', png_bytes()))
        await image_upload.upload_image(fa.id, upload_event)
    await user.should_see('You do not have access to this.')
    after = product('FA-1001')
    assert (after.on_hand, after.name, after.price_cents) == (fa.on_hand, fa.name, fa.price_cents)
    assert movement_count(fa.id) == movements
    assert count(Product) == products_before
    assert len(image_rows(fa.id)) == images_before
