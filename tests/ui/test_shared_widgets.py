"""The shared pieces every page is built from: opening a page (components/page.py), the pager's links, the
confirmation dialog, the uploader."""

from __future__ import annotations

from nicegui import ElementFilter, ui
from nicegui.testing import User

from app.core import db
from app.identity.access import SYSTEM
from app.identity.auth import Identity
from app.models import OrderStatus, Role
from app.orders import orders
from components.frame import Frame
from components.image_upload import titled_upload
from components.page import portal_page
from components.pager import url_with
from tests.rows import order_with
from tests.ui.conftest import eventually, signed_in

# --- opening a page -------------------------------------------------------------------------------------------


def register_probe_page() -> None:
    """A page like any other, registered for this test only (the app's routes are reset between tests)."""

    @portal_page('/probe/{item_id:int}', role=Role.CUSTOMER, title='Probe', menu='/orders')
    def probe_page(who: Identity, frame: Frame, item_id: int, count: int = 1, q: str = '') -> None:
        frame.set_title(f'Probe {item_id}')
        ui.label(f'{who.username}: item {item_id + 1} count {count * 2} q {q}')


async def test_a_page_gets_who_and_its_parameters_parsed_and_sets_its_title(user: User) -> None:
    register_probe_page()
    await signed_in(user, at='/probe/41?count=3&q=hammer')
    await user.should_see('customer: item 42 count 6 q hammer')  # numbers, not strings: parsed by FastAPI
    await user.should_see('Probe 41')  # the header says what set_title said
    assert user.client.title.startswith('Probe 41 · ')
    assert (await user.http_client.get('/probe/41?count=many')).status_code == 422


async def test_a_page_sends_visitors_to_sign_in_and_the_supplier_to_the_admin_area(user: User) -> None:
    register_probe_page()
    response = await user.http_client.get('/probe/1?q=x', follow_redirects=False)
    assert (response.status_code, response.headers['location']) == (303, '/login?next=%2Fprobe%2F1%3Fq%3Dx')
    await signed_in(user, 'supplier')
    response = await user.http_client.get('/probe/1', follow_redirects=False)
    assert (response.status_code, response.headers['location']) == (303, '/admin')


def test_a_page_function_takes_who_first() -> None:
    try:
        portal_page('/probe-wrong', role=Role.CUSTOMER, title='Wrong', menu='/')(lambda item_id: None)
    except TypeError as error:
        assert 'takes `who` first' in str(error)
    else:
        raise AssertionError('a page function without `who` was accepted')


# --- the pager's links ----------------------------------------------------------------------------------------


def test_page_links_leave_out_page_1_and_empty_parameters_but_keep_every_other_value_of_1() -> None:
    assert url_with('/orders', {'q': '', 'status': None, 'page': 1}) == '/orders'
    assert url_with('/orders', {'q': 'x', 'page': 2}) == '/orders?q=x&page=2'
    assert url_with('/admin/orders', {'customer': 1, 'page': 1}) == '/admin/orders?customer=1'
    assert url_with('/admin/orders', {'customer': 1, 'q': 1, 'page': 3}) == '/admin/orders?customer=1&q=1&page=3'
    two_lists = {'chosen_page': 1, 'find_page': 1}
    assert url_with('/c/7', {'chosen_page': 1, 'find_page': 2, 'find': 'saw'}, defaults=two_lists) == (
        '/c/7?find_page=2&find=saw'
    )


# --- the confirmation dialog ----------------------------------------------------------------------------------


def open_dialogs() -> list[ui.dialog]:
    return [d for d in ElementFilter(kind=ui.dialog, local_scope=False) if d.value]


async def test_a_dismissed_question_does_nothing_and_the_next_one_is_asked_afresh(user: User) -> None:
    order = order_with('PHONE-0502')
    await signed_in(user, 'supplier', at=f'/admin/orders/{order.id}')
    user.find(marker='cancel-order').click()
    await user.should_see(f'Cancel {order.number}?')
    with user.client:
        (dialog,) = open_dialogs()
        dialog.value = False  # what Escape or a click beside the dialog does
    await user.should_not_see(f'Cancel {order.number}?')
    with user.client:
        assert open_dialogs() == []
    assert order_with('PHONE-0502').status != OrderStatus.CANCELLED

    user.find(marker='cancel-order').click()
    user.find(marker='confirm').click()
    await eventually(lambda: order_with('PHONE-0502').status == OrderStatus.CANCELLED)
    await user.should_not_see(f'Cancel {order.number}?')


async def test_the_question_stays_while_the_part_of_the_page_that_asked_is_redrawn(user: User) -> None:
    order = order_with('PO-2026-0458')  # awaiting the check
    await signed_in(user, 'supplier', at=f'/admin/orders/{order.id}')
    user.find(marker='cancel-order').click()
    await user.should_see(f'Cancel {order.number}?')
    with db.write_session() as s:  # another admin checks it meanwhile: the order on this page is redrawn live
        orders.check_order(s, actor=SYSTEM, order_id=order.id)
    await user.should_not_see(marker='check-order')
    await user.should_see(f'Cancel {order.number}?')
    user.find(marker='confirm').click()
    await eventually(lambda: order_with('PO-2026-0458').status == OrderStatus.CANCELLED)


# --- the uploader ---------------------------------------------------------------------------------------------


async def test_an_uploader_shows_its_title_in_its_header_and_says_when_a_file_is_too_large(user: User) -> None:
    @ui.page('/probe-upload')
    def probe_page() -> None:
        titled_upload('Probe sheets', accept='.csv', max_bytes=10, icon='upload_file').mark('probe-default')
        titled_upload('Probe PDFs', accept='.pdf', max_bytes=10, too_large='PDFs only, 10 bytes.').mark('probe-own')

    await user.open('/probe-upload')
    with user.client:
        (default,) = user.find(marker='probe-default').elements
        header = default.slots['header'].template
    assert 'Probe sheets' in header and 'upload_file' in header and '0.00%' not in header
    assert (default.props['accept'], default.props['max-file-size'], default.props['auto-upload']) == ('.csv', 10, True)
    user.find(marker='probe-default').trigger('rejected')
    await user.should_see('This file is too large.')
    user.find(marker='probe-own').trigger('rejected')
    await user.should_see('PDFs only, 10 bytes.')
