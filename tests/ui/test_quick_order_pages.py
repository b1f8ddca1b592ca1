"""Quick order, order again and saved lists as a customer uses them (pages/quick_order.py, pages/orders.py,
pages/lists.py, components/save_to_list.py)."""

from __future__ import annotations

from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User
from sqlmodel import col, select

from app.core import db
from app.identity.access import SYSTEM
from app.models import Customer, Order, OrderLine, SavedList
from app.orders import current_order, lists
from tests.conftest import change_product, identity
from tests.rows import product
from tests.ui.conftest import eventually, in_current_order, signed_in


def hide(code: str) -> None:
    """The supplier takes a product out of the catalogue."""
    with db.write_session() as s:
        change_product(s, actor=SYSTEM, product_id=product(code).id, active=False)


def empty_current_order(username: str = 'customer') -> None:
    with db.write_session() as s:
        current_order.clear(s, actor=identity(username))


def rows(user: User) -> list[dict]:
    """The preview's rows ([] while the preview is hidden)."""
    tables = [element for element in user.client.elements.values() if 'preview-table' in element._markers]
    return tables[0].rows if tables and tables[0].parent_slot.parent.visible else []


async def test_paste_preview_and_add_the_valid_lines(user: User) -> None:
    """Five lines pasted from Excel, one unknown and one hidden: the preview says so, Add puts in the other three
    and the two stay in the box."""
    hide('SG-1002')
    empty_current_order()
    await signed_in(user, at='/quick-order')
    pasted = 'Code\tQty\nHT-1004\t3\nNOPE-404\t1\nsg-1002\t2\nAD-1001\t7\nFA 1005 20'
    user.find(marker='quick-order-box').type(pasted)
    await eventually(lambda: len(rows(user)) == 5)
    assert [row['status'] for row in rows(user)] == [
        'Found',
        'Unknown code',
        'Not in your catalogue',
        'Quantity changed',  # sold per 6: 7 became 12
        'Found',
    ]
    hidden = rows(user)[2]
    assert (hidden['name'], hidden['price'], hidden['code']) == ('', '', '')
    assert rows(user)[3]['quantity'] == '12' and rows(user)[3]['note'] == 'Sold per 6: 7 became 12.'
    await user.should_see('3 lines to add · 2 lines to fix', marker='preview-summary')
    user.find(marker='add-valid-lines').click()
    await user.should_see('3 lines added to your current order')
    assert in_current_order() == {'HT-1004': 3, 'AD-1001': 12, 'FA-1005': 20}
    box = user.find(marker='quick-order-box').elements.pop()
    assert box.value == 'Code\tQty\nNOPE-404\t1\nsg-1002\t2'
    await eventually(lambda: len(rows(user)) == 2)
    button = user.find(marker='add-valid-lines').elements.pop()
    assert (button.text, button.enabled) == ('Add the valid lines', False)  # not 'Add the 0 valid lines'


async def test_lines_typed_one_by_one_with_enter_and_a_file_go_in_the_box(user: User) -> None:
    await signed_in(user, at='/quick-order')
    user.find(marker='entry-code').type('HT-1004')
    user.find(marker='entry-code').trigger('keydown.enter')
    user.find(marker='entry-quantity').type('2')
    user.find(marker='entry-quantity').trigger('keydown.enter')
    box = user.find(marker='quick-order-box').elements.pop()
    assert box.value == 'HT-1004\t2'
    await eventually(lambda: [row['status'] for row in rows(user)] == ['Found'])
    upload = user.find(marker='quick-order-upload').elements.pop()
    await upload.handle_uploads([SmallFileUpload('bestelling.csv', 'text/csv', b'Artikel;Aantal\nFA-1005;10\n')])
    await eventually(lambda: box.value == 'Artikel\tAantal\nFA-1005\t10')
    await eventually(lambda: [row['typed'] for row in rows(user)] == ['FA-1005 10'])


async def test_the_code_field_suggests_codes_of_the_customers_catalogue(user: User) -> None:
    await signed_in(user, 'customer2', at='/quick-order')  # Other Wholesale: no safety gear (SG-)
    field = user.find(marker='entry-code').elements.pop()
    user.find(marker='entry-code').type('HT-100')
    await eventually(lambda: bool(field.props.get('_autocomplete')))
    assert all(code.startswith('HT-100') for code in field.props['_autocomplete'])
    user.find(marker='entry-code').clear().type('SG-100')
    await eventually(lambda: field.props.get('_autocomplete') == [])


def demo_retail_order() -> tuple[str, dict[str, int]]:
    with db.read_session() as s:
        customer = s.exec(select(Customer).where(Customer.code == 'DEMO')).one()
        order = s.exec(select(Order).where(Order.customer_id == customer.id).order_by(col(Order.id))).first()
        lines = s.exec(select(OrderLine).where(OrderLine.order_id == order.id)).all()
        return order.number, {line.product_code: line.quantity for line in lines}


async def test_order_again_from_the_order_page_and_the_orders_list(user: User) -> None:
    number, ordered = demo_retail_order()
    empty_current_order()
    await signed_in(user, at=f'/orders/{number}')
    user.find(marker=f'order-again-{number}').click()
    await eventually(lambda: in_current_order() == ordered)
    user.find(marker=f'order-again-{number}').click()  # a double click: once
    await user.should_see('These lines are in your current order already.')
    assert in_current_order() == ordered
    await user.open('/orders')
    user.find(marker=f'order-again-{number}').trigger('click.stop.prevent')  # another visit: the lines again, on top
    await eventually(lambda: in_current_order() == {code: 2 * quantity for code, quantity in ordered.items()})


async def test_save_the_current_order_as_a_list_and_add_the_list_back(user: User) -> None:
    empty_current_order()
    with db.write_session() as s:
        current_order.add(s, actor=identity('customer'), product_id=product('HT-1004').id, quantity=3)
        current_order.add(s, actor=identity('customer'), product_id=product('AD-1001').id, quantity=12)
    await signed_in(user, at='/current-order')
    user.find(marker='save-order-as-list').click()
    await user.should_see(marker='order-list-name')
    user.find(marker='order-list-name').type('Friday order')
    user.find(marker='save-order-list').click()
    await user.should_see('Friday order', marker='list-name')
    await user.should_see(marker='list-line-' + str(product('HT-1004').id))
    empty_current_order()
    user.find(marker='add-all').click()
    await eventually(lambda: in_current_order() == {'HT-1004': 3, 'AD-1001': 12})
    await user.open('/lists')
    await user.should_see('Friday order')


async def test_a_list_page_shows_todays_price_and_stock_and_adds_the_chosen_lines(user: User) -> None:
    who = identity('customer')
    ht, sg = product('HT-1004'), product('SG-1001')
    with db.write_session() as s:
        friday = lists.create_list(s, actor=who, name='Friday')
        lists.add_to_list(s, actor=who, list_id=friday.id, product_id=ht.id, quantity=2)
        lists.add_to_list(s, actor=who, list_id=friday.id, product_id=sg.id, quantity=5)
    empty_current_order()
    await signed_in(user, at=f'/lists/{friday.id}')
    await user.should_see('€10.95 per piece', marker=f'list-price-{ht.id}')  # the Trade list's fixed price
    await user.should_see(marker=f'list-stock-{ht.id}')
    user.find(marker=f'choose-{sg.id}').click()
    user.find(marker='add-chosen').click()
    await eventually(lambda: in_current_order() == {'SG-1001': 5})
    hide('SG-1001')  # the list page follows: the product shows as unavailable, nothing of it
    await user.should_see('No longer available', marker='list-line-unavailable')
    await user.should_not_see(sg.name)
    await user.should_not_see(marker=f'list-line-{sg.id}')


async def test_save_a_product_to_a_list_from_its_page(user: User) -> None:
    ht = product('HT-1004')
    await signed_in(user, at=f'/products/{ht.id}')
    user.find(marker='save-to-a-list').click()
    await user.should_see(marker='new-list-name')
    user.find(marker='new-list-name').type('Tools')
    user.find(marker='save-to-list').click()
    await user.should_see('Saved to Tools (1 in the list)')
    with db.read_session() as s:
        saved = s.exec(select(SavedList).where(SavedList.name == 'Tools')).one()
        assert [
            (line.code, line.quantity) for line in lists.get_list(s, actor=identity('customer'), list_id=saved.id).lines
        ] == [('HT-1004', 1)]


async def test_another_customers_list_is_not_found(user: User) -> None:
    with db.write_session() as s:
        secret = lists.create_list(s, actor=identity('customer'), name='Secret supplier list')
    await signed_in(user, 'customer2', at=f'/lists/{secret.id}')
    await user.should_not_see('Secret supplier list')
    await user.open('/lists')
    await user.should_not_see('Secret supplier list')
    await user.open('/lists/not-a-number')
    await user.should_see(marker='signed-in-as')
    await user.should_not_see(marker='add-all')
