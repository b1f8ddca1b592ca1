"""A page belongs to the session and browser that opened it (components/session_binding.py), tried at socket level
against the real portal: forged sockets and uploads, and pages of sessions that have ended."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from io import BytesIO

import aiohttp
import pytest
from nicegui import Client
from PIL import Image
from sqlmodel import func, select

from app.core import clock, config, db, events, portal_settings
from app.identity import accounts, auth
from app.identity.access import SYSTEM
from app.models import AuthSession, Product, ProductImage
from bench._browser import Card, PageError, Tab
from components import session_binding
from tests.security.support import current_order_of, identity, snapshot
from tests.served import (
    Served,
    eventually,
    messages_to,
    served_fixture,  # noqa: F401 - the fixture `served`
    sign_in,
)

pytestmark = pytest.mark.slow


async def add_and_see(tab: Tab, card: Card) -> None:
    """Press a card's Add as the browser does and wait for the pushed check mark."""
    target = f'{tab.in_order(card) + 1:,} in order'

    def shows_mark(name: str, data: object) -> bool:
        if name != 'update' or not isinstance(data, dict):
            return False
        ids = {card.mark_id} | {str(c) for c in (data.get(card.card_id) or {}).get('children', [])}
        return any((data.get(eid) or {}).get('text') == target for eid in ids if eid)

    arrived = tab.expect(shows_mark)
    await tab.add(card)
    await asyncio.wait_for(arrived, 15)


def quantity_in_order(username: str, product_id: int) -> int:
    return dict(current_order_of(username)[1]).get(product_id, 0)


def two_cards(tab: Tab) -> tuple[Card, Card]:
    cards = list(tab.product_cards().values())
    assert len(cards) >= 2
    return cards[0], cards[1]


# --- 1. sockets and uploads of strangers ------------------------------------------------------------------------------


@pytest.mark.parametrize('stranger', ['no cookie', "another customer's cookie"])
async def test_a_stranger_socket_naming_a_page_can_neither_attach_nor_click_as_its_customer(
    served: Served, stranger: str
) -> None:
    """ASVS 3.5.x / 7.1: the client id of a signed-in page (it is in the page's HTML) is no key to it. A socket with
    the wrong cookies is refused at the handshake, even before the page's browser connects, and an Add replayed on a
    socket that never attached is dropped: the order holds only what its customer clicked."""
    cookie = None if stranger == 'no cookie' else sign_in('customer2')
    page = Tab(served.browser(sign_in('customer')))
    await page.open('/products')
    replayed, clicked = two_cards(page)
    before = current_order_of('customer')
    client_id = page.client_id

    early = Tab(served.browser(sign_in('customer')))  # a page whose browser has not connected yet
    async with early.browser.http.get(served.base_url + '/products') as response:
        early._parse(await response.text())
    for target in (early.client_id, client_id):
        forger = Tab(served.browser(cookie))
        with pytest.raises(PageError, match='refused'):
            await forger.connect(target, timeout=10)
        await forger.close()

    bare = Tab(served.browser(cookie))
    await bare.connect(client_id, implicit_handshake=False)  # a socket.io connection that attaches to no page
    await bare.add(replayed)
    await add_and_see(page, clicked)  # the customer's own click after it: the replay would have run by now

    assert quantity_in_order('customer', clicked.product_id) == dict(before[1]).get(clicked.product_id, 0) + 1
    assert quantity_in_order('customer', replayed.product_id) == dict(before[1]).get(replayed.product_id, 0)
    assert len(current_order_of('customer')[1]) <= len(before[1]) + 1


def jpeg() -> bytes:
    out = BytesIO()
    Image.linear_gradient('L').resize((80, 60)).convert('RGB').save(out, 'JPEG')
    return out.getvalue()


def image_count(product_id: int) -> int:
    with db.read_session() as s:
        return s.exec(select(func.count()).where(ProductImage.product_id == product_id)).one()


async def test_an_upload_without_the_pages_session_is_refused_and_adds_no_image(served: Served) -> None:
    """ASVS 3.5.x / 5.2: a POST to a supplier page's upload URL needs that page's session and browser: without any
    cookie, or with a customer's, it gets 403 and no image is added; the supplier's own page can upload."""
    with db.read_session() as s:
        product_id = s.exec(select(Product.id).where(Product.code == 'HT-1001')).one()
    page = Tab(served.browser(sign_in('supplier')))
    await page.open(f'/admin/products/{product_id}')
    url = next(
        e['props']['url']
        for e in page.elements.values()
        if str(e.get('props', {}).get('url', '')).startswith('/_nicegui/client/')
    )
    images_before, rows_before = image_count(product_id), snapshot()

    def form() -> aiohttp.FormData:
        data = aiohttp.FormData()
        data.add_field('file', jpeg(), filename='photo.jpg', content_type='image/jpeg')
        return data

    for stranger in (served.browser(None), served.browser(sign_in('customer'))):
        async with stranger.http.get(served.base_url + '/login'):  # a browser id of its own, as a browser has
            pass
        async with stranger.http.post(served.base_url + url, data=form()) as response:
            assert response.status == 403
    assert image_count(product_id) == images_before
    assert snapshot() == rows_before

    async with page.browser.http.post(served.base_url + url, data=form()) as response:
        assert response.status == 200
    await eventually(lambda: image_count(product_id) == images_before + 1)


# --- 2. pages of ended sessions ---------------------------------------------------------------------------------------


def sent_to_login(tab: Tab) -> asyncio.Future:
    return tab.expect(lambda name, data: name == 'open' and str(data.get('path', '')).startswith('/login'))


async def test_after_sign_out_the_sessions_open_pages_go_to_the_login_page_and_get_no_more_pushes(
    served: Served,
) -> None:
    """ASVS 7.4.1: signing out in one tab ends every page of that session at once: each is sent to the login page
    and its socket closed, and a change that other pages of the same customer are shown pushes nothing to them."""
    token = sign_in('customer')
    browser = served.browser(token)
    first, second = Tab(browser), Tab(browser)
    await first.open('/products')
    await second.open('/products')
    elsewhere = await served.tab('/products', sign_in('customer'))  # the same customer signed in on another device
    sent = [sent_to_login(first), sent_to_login(second)]
    with messages_to(second) as pushed:
        await asyncio.to_thread(auth.sign_out, token)  # what Sign out does, from a thread as the pages' work runs
        await asyncio.wait_for(asyncio.gather(*sent), 15)
        await eventually(lambda: first.dropped and second.dropped)
        await add_and_see(elsewhere, two_cards(elsewhere)[0])  # the other session's page still gets its pushes
    assert 'update' not in pushed
    for tab in (first, second):
        client = Client.instances.get(tab.client_id)
        assert client is None or not session_binding.may_push(client)


@pytest.mark.parametrize('how', ['deactivated', 'password reset'])
async def test_a_user_deactivated_or_given_a_new_password_loses_every_open_page_at_once(
    served: Served, how: str
) -> None:
    """ASVS 7.4.2: the supplier's deactivation or password reset ends the user's open pages on every device."""
    token = sign_in('customer')
    tabs = [await served.tab('/products', token), await served.tab('/', token), await served.tab('/orders', token)]
    sent = [sent_to_login(tab) for tab in tabs]
    user_id = identity('customer').user_id

    def supplier_acts() -> None:
        with db.write_session() as s:
            if how == 'deactivated':
                accounts.set_active(s, actor=SYSTEM, user_id=user_id, active=False)
            else:
                accounts.reset_password(s, actor=SYSTEM, user_id=user_id, password='a-new-password-1')

    with messages_to(tabs[1]) as pushed:
        await asyncio.to_thread(supplier_acts)
        await asyncio.wait_for(asyncio.gather(*sent), 15)
        await eventually(lambda: all(tab.dropped for tab in tabs))
        with db.write_session() as s:  # new dashboard text: the dashboard page would be redrawn
            portal_settings.save_dashboard_text(s, actor=identity('supplier'), text='News after the reset')
    assert 'update' not in pushed


@pytest.mark.parametrize('limit', ['idle', 'absolute'])
async def test_a_page_whose_session_ran_out_of_time_goes_to_the_login_page_by_itself(
    served: Served, limit: str
) -> None:
    """ASVS 7.3.1 / 7.3.2: the idle timeout and the absolute lifetime publish no event; the open page notices
    (the sweep) and leaves, also when its session was busy until its last minute."""
    token = sign_in('customer')
    tab = await served.tab('/products', token)
    sent = sent_to_login(tab)
    with db.write_session() as s:
        row = s.exec(select(AuthSession).where(AuthSession.token_hash == auth.token_hash(token))).one()
        if limit == 'idle':
            later = row.last_seen_at + timedelta(seconds=config.get().session_idle_s + 1)
        else:
            later = row.expires_at + timedelta(seconds=1)
            row.last_seen_at = later - timedelta(minutes=1)  # clicked a minute before
            s.add(row)
    clock.set_now(lambda: later)
    await asyncio.wait_for(sent, 15)
    await eventually(lambda: tab.dropped)
    assert auth.resolve(token) is None


async def test_a_page_of_an_ended_session_cannot_attach_again(served: Served) -> None:
    """A page whose browser was away when its session ended (a reconnect) is refused: it reloads to the login page."""
    token = sign_in('customer')
    browser = served.browser(token)
    page = Tab(browser)
    async with browser.http.get(served.base_url + '/products') as response:
        page._parse(await response.text())
    auth.sign_out(token)
    with pytest.raises(PageError, match='refused'):
        await page.connect(timeout=10)


async def test_the_login_page_served_with_an_ended_sessions_cookie_connects(served: Served) -> None:
    """A browser may keep a dead session cookie (its page was sent to the login page while the sign-out's answer
    that deletes the cookie was on its way): a page served to it is a page without a session and connects; refusing
    it would reload it for ever."""
    token = sign_in('customer')
    auth.sign_out(token)
    tab = await served.tab('/login', token)
    assert tab.client_id in Client.instances and not tab.dropped


def test_a_live_session_is_read_without_keeping_it_alive() -> None:
    """`auth.live_session` tells until when a session lasts and never moves that moment itself; ended -> None."""
    token = sign_in('customer')
    with db.read_session() as s:
        row = s.exec(select(AuthSession).where(AuthSession.token_hash == auth.token_hash(token))).one()
    live = auth.live_session(token)
    assert live is not None and live.user_id == identity('customer').user_id
    assert live.ends_at == row.last_seen_at + timedelta(seconds=config.get().session_idle_s)
    assert auth.live_session(token).ends_at == live.ends_at
    auth.sign_out(token)
    assert auth.live_session(token) is None
    assert auth.live_session(None) is None and auth.live_session('x' * 300) is None


def test_ending_sessions_is_announced_for_the_user() -> None:
    """Sign-out, deactivation and a password reset publish ('sessions_ended', user_id) after their commit."""
    user_id = identity('customer').user_id
    heard: list[tuple] = []
    events.subscribe(('sessions_ended', user_id), heard.append)
    auth.sign_out(sign_in('customer'))
    auth.sign_out('not-a-session')
    with db.write_session() as s:
        accounts.reset_password(s, actor=SYSTEM, user_id=user_id, password='a-new-password-1')
    with db.write_session() as s:
        accounts.set_active(s, actor=SYSTEM, user_id=user_id, active=False)
    assert heard == [('sessions_ended', user_id)] * 3
