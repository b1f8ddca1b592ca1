"""Sessions and sign-in: fresh tokens, sign-out and deactivation that bite at once, timeouts on a controllable
clock, cookie flags, and throttling that slows guessing down without ever shutting a real user out."""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from app.core import clock, config, db, portal_settings
from app.identity import accounts, auth
from app.identity.access import SYSTEM
from app.models import AuthSession, PortalUser
from components import guard
from tests.security.support import current_order_of, identity, snapshot, victim
from tests.ui.conftest import sign_in as sign_in_with_the_form
from tests.ui.conftest import signed_in

START = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START
        clock.set_now(lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def frozen() -> Iterator[Clock]:
    yield Clock()
    clock.reset()


def sign_in(username: str = 'customer', password: str | None = None, address: str = '203.0.113.5') -> str:
    return auth.sign_in(username=username, password=password or f'{username}-demo', client_address=address)


def refused(username: str, password: str, address: str = '203.0.113.5') -> auth.SignInRefused:
    with pytest.raises(auth.SignInRefused) as caught:
        sign_in(username, password, address)
    return caught.value


async def browser_of(user: User) -> str:
    """The id NiceGUI's signed session cookie gives this browser (a first page sets it), as the sign-in form sees it."""
    if not user.http_client.cookies.get('session', domain='test.local'):
        await user.http_client.get('/login')
    raw = user.http_client.cookies.get('session', domain='test.local')
    return json.loads(base64.b64decode(raw.split('.')[0]))['id']


def cookies_of(headers: list[str]) -> dict[str, str]:
    """name -> the whole Set-Cookie line, lower-cased, for the attribute checks."""
    result = {}
    for line in headers:
        name = next(iter(SimpleCookie(line)))
        result[name] = line.lower()
    return result


# --- tokens -----------------------------------------------------------------------------------------


def test_every_sign_in_gets_a_new_random_token_and_only_its_hash_is_stored() -> None:
    """ASVS 7.2.4 (new token at authentication) / 7.2.3 (enough entropy): no token is ever reused or kept."""
    first, second = sign_in(), sign_in()
    assert first != second and len(first) >= 43  # 32 random bytes
    with db.read_session() as s:
        stored = {row.token_hash for row in s.exec(select(AuthSession))}
    assert first not in stored and second not in stored
    assert auth.token_hash(first) in stored and auth.token_hash(second) in stored


async def test_signing_in_replaces_a_planted_session_cookie(user: User) -> None:
    """ASVS 7.2.4 (session fixation): a token planted in the browser before sign-in never becomes the session."""
    planted = 'attacker-chosen-token-' + 'x' * 21
    user.http_client.cookies.set(guard.COOKIE_NAME, planted, domain='test.local')
    await signed_in(user, 'customer')
    token = user.http_client.cookies.get(guard.COOKIE_NAME)
    assert token and token != planted
    assert auth.resolve(token).username == 'customer'
    assert auth.resolve(planted) is None

    # a live session already in the browser is ended when another sign-in completes there
    earlier = user.http_client.cookies.get(guard.COOKIE_NAME)
    ticket = auth.issue_ticket(sign_in('customer2'), browser=await browser_of(user))
    response = await user.http_client.get(f'/auth/complete?ticket={ticket}', follow_redirects=False)
    assert cookies_of(response.headers.get_list('set-cookie'))[guard.COOKIE_NAME]
    assert auth.resolve(earlier) is None
    assert auth.resolve(user.http_client.cookies.get(guard.COOKIE_NAME)).username == 'customer2'


async def test_old_token_is_useless_after_sign_out(user: User) -> None:
    """ASVS 7.4.1: signing out ends the session on the server, not only in the browser."""
    await signed_in(user)
    token = user.http_client.cookies.get(guard.COOKIE_NAME)
    assert auth.resolve(token) is not None
    user.find(marker='menu-Sign out').click()
    await user.should_see('Sign in to the portal')
    assert auth.resolve(token) is None
    user.http_client.cookies.set(guard.COOKIE_NAME, token, domain='test.local')  # replayed, as a thief would
    response = await user.http_client.get('/orders', follow_redirects=False)
    assert response.status_code == 303 and response.headers['location'].startswith('/login')


async def sign_out_form_token(user: User) -> str:
    """The CSRF token the sign-out page's form carries (GET /logout), as the browser would submit it."""
    page = await user.http_client.get('/logout', follow_redirects=False)
    assert page.status_code == 200
    match = re.search(r'"name":"csrf_token","value":"([^"]+)"', page.text)
    assert match, 'the sign-out page has a form with the token'
    return match.group(1)


@pytest.mark.parametrize('came_from', ['cross-site', 'same-site', 'same-origin', 'none'])
async def test_opening_logout_never_ends_the_session(user: User, came_from: str) -> None:
    """ASVS 3.5.1 (logout CSRF): a GET changes nothing, wherever it came from: an <img src=/logout> in the dashboard
    text or on another site, a link or a typed address only get the page with the Sign out button."""
    await signed_in(user)
    token = user.http_client.cookies.get(guard.COOKIE_NAME)
    response = await user.http_client.get('/logout', headers={'sec-fetch-site': came_from}, follow_redirects=False)
    assert response.status_code == 200 and 'Sign out' in response.text
    assert guard.COOKIE_NAME not in cookies_of(response.headers.get_list('set-cookie'))
    assert auth.resolve(token) is not None
    assert (await user.http_client.get('/orders', follow_redirects=False)).status_code == 200


async def test_sign_out_is_a_post_with_the_sessions_own_token(user: User) -> None:
    """ASVS 3.5.1 / 7.4.1: a POST without the token, or with another session's, is refused and the session lives on;
    the sign-out page's own form ends the session and drops the cookie."""
    other = sign_in('customer2')
    await signed_in(user)
    token = user.http_client.cookies.get(guard.COOKIE_NAME)
    attempts = [{}, {'csrf_token': ''}, {'csrf_token': 'guessed'}, {'csrf_token': auth.sign_out_token(other)}]
    for form in attempts:
        response = await user.http_client.post('/logout', data=form, follow_redirects=False)
        assert response.status_code == 403, form
        assert guard.COOKIE_NAME not in cookies_of(response.headers.get_list('set-cookie'))
        assert auth.resolve(token) is not None, form

    form_token = await sign_out_form_token(user)
    response = await user.http_client.post(
        '/logout', data={'csrf_token': form_token}, headers={'sec-fetch-site': 'same-origin'}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers['location'] == '/login'
    assert guard.COOKIE_NAME in cookies_of(response.headers.get_list('set-cookie'))  # deleted
    assert auth.resolve(token) is None
    assert auth.resolve(other) is not None  # only this session ended
    again = await user.http_client.post('/logout', data={'csrf_token': form_token}, follow_redirects=False)
    assert (again.status_code, again.headers['location']) == (303, '/login')  # nothing left to end


async def test_an_image_in_the_dashboard_text_cannot_make_readers_request_logout(user: User) -> None:
    """ASVS 3.5.1 / 4.3.1: Markdown images only from the portal's product images; `![x](/logout)`, however written,
    renders no image (the supplier's preview is the same SafeMarkdown component)."""
    v = victim()
    text = (
        '# News\n\n![x](/logout) ![y][out] [![z](/logout?again)](/products) ![tracker](https://tracker.example/p.gif)'
        f'\n\n![A product](/media/images/{v.visible_image_id}?size=thumb)\n\n[out]: /logout\n'
    )
    with db.write_session() as s:
        portal_settings.set_value(s, key='dashboard_text', value=text)
    await signed_in(user, at='/')
    await user.should_see(marker='dashboard-text')
    markup = user.find(marker='dashboard-text').elements.pop().props['innerHTML']
    sources = re.findall(r'<img\b[^>]*\bsrc="([^"]*)"', markup)
    assert sources == [f'/media/images/{v.visible_image_id}?size=thumb']
    assert 'logout' not in markup and 'tracker.example' not in markup


async def test_a_sign_in_ticket_only_works_in_the_browser_that_signed_in(user: User, create_user) -> None:
    """ASVS 7.6.2 / 3.5.1 (login CSRF): an attacker who signs in to its own account and sends the victim the
    hand-over link cannot put the victim's browser into the attacker's account (or end the victim's session)."""
    attacker = create_user()
    await attacker.open('/login')
    handed_over: list[str] = []
    attacker.navigate.to = handed_over.append  # the attacker stops its own browser from following the link
    attacker.find('User name').type('customer2')
    attacker.find('Password').type('customer2-demo')
    attacker.find(kind=ui.button, content='Sign in').click()
    for _ in range(100):
        if handed_over:
            break
        await asyncio.sleep(0.02)
    assert handed_over and handed_over[0].startswith('/auth/complete?ticket=')

    await signed_in(user, 'customer')
    mine = user.http_client.cookies.get(guard.COOKIE_NAME, domain='test.local')
    response = await user.http_client.get(handed_over[0], follow_redirects=False)
    assert response.status_code == 303 and response.headers['location'] == '/login'
    assert guard.COOKIE_NAME not in cookies_of(response.headers.get_list('set-cookie'))
    assert user.http_client.cookies.get(guard.COOKIE_NAME, domain='test.local') == mine
    assert auth.resolve(mine).username == 'customer'


def test_sign_in_ticket_works_once_and_only_for_a_minute(frozen: Clock) -> None:
    """ASVS 7.6.2 / 6.5.1: the hand-over from the sign-in form to the cookie is one-time and short-lived."""
    ticket = auth.issue_ticket(sign_in())
    assert auth.redeem_ticket(ticket) is not None
    assert auth.redeem_ticket(ticket) is None
    late = auth.issue_ticket(sign_in())
    frozen.advance(seconds=61)
    assert auth.redeem_ticket(late) is None


async def test_deactivated_user_is_out_at_the_next_click(user: User) -> None:
    """ASVS 7.4.2: deactivating a user ends what it is doing at once; its click changes nothing."""
    await signed_in(user, at='/current-order')
    _, lines = current_order_of('customer')
    product_id = lines[0][0]
    await user.should_see(marker=f'line-{product_id}')
    with db.write_session() as s:
        accounts.set_active(s, actor=SYSTEM, user_id=identity('customer').user_id, active=False)
    before = snapshot()
    user.find(marker=f'line-{product_id}').trigger('act', {'do': 'remove'})
    await user.should_see('Sign in to the portal')
    assert user.notify.contains('Your session has ended')
    assert snapshot() == before
    assert current_order_of('customer')[1] == lines


def test_inactive_user_is_refused_even_with_a_live_session_row() -> None:
    """ASVS 7.4.2 / 8.3.2: the account's state is read on every request, not only when the session was made."""
    token = sign_in()
    with db.write_session() as s:
        user = s.exec(select(PortalUser).where(PortalUser.username == 'customer')).one()
        user.active = False  # flipped behind the services' back: sessions not ended
        s.add(user)
    assert auth.resolve(token) is None
    assert refused('customer', 'customer-demo').message == auth.GENERIC_FAILURE


def test_idle_timeout_ends_a_session(frozen: Clock) -> None:
    """ASVS 7.3.1: a session not used for the idle time is over."""
    idle = config.get().session_idle_s
    token = sign_in()
    frozen.advance(seconds=idle - 1)
    assert auth.resolve(token) is not None  # used: the idle clock starts again
    frozen.advance(seconds=idle - 1)
    assert auth.resolve(token) is not None
    frozen.advance(seconds=idle)
    assert auth.resolve(token) is None
    frozen.advance(seconds=1)
    assert auth.resolve(token) is None  # and it stays over


def test_absolute_lifetime_ends_even_a_busy_session(frozen: Clock) -> None:
    """ASVS 7.3.2: however active, a session ends after its absolute lifetime and a new sign-in is needed."""
    settings = config.get()
    token = sign_in()
    step = settings.session_idle_s // 2
    elapsed = 0
    while elapsed + step < settings.session_lifetime_s:
        frozen.advance(seconds=step)
        elapsed += step
        assert auth.resolve(token) is not None
    frozen.advance(seconds=settings.session_lifetime_s - elapsed)
    assert auth.resolve(token) is None


# --- cookies ------------------------------------------------------------------------------------------


async def complete_sign_in(user: User) -> dict[str, str]:
    ticket = auth.issue_ticket(sign_in(), browser=await browser_of(user))
    response = await user.http_client.get(f'/auth/complete?ticket={ticket}&next=/orders', follow_redirects=False)
    assert response.status_code == 303 and response.headers['location'] == '/orders'
    return cookies_of(response.headers.get_list('set-cookie'))


async def test_session_cookie_is_httponly_and_samesite_lax(user: User) -> None:
    """ASVS 3.3.2 / 3.3.4: scripts cannot read the session cookie and other sites' forms do not carry it."""
    page = await user.http_client.get('/login')
    storage_cookies = cookies_of(page.headers.get_list('set-cookie'))  # NiceGUI's own (browser id) cookie
    assert storage_cookies and all('httponly' in line and 'samesite=lax' in line for line in storage_cookies.values())
    cookies = await complete_sign_in(user)
    session = cookies[guard.COOKIE_NAME]
    assert 'httponly' in session and 'samesite=lax' in session and 'path=/' in session
    assert 'secure' not in session  # plain http in development: a Secure cookie would never come back
    device = cookies[guard.DEVICE_COOKIE_NAME]
    assert 'httponly' in device and 'samesite=lax' in device and 'path=/' in device


@pytest.fixture
def https_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """STOCKFRONT_HTTPS_ONLY=true before the `user` fixture starts main.py."""
    monkeypatch.setenv('STOCKFRONT_HTTPS_ONLY', 'true')
    config.set_settings(config.load())


async def test_cookies_are_secure_and_hsts_is_sent_when_https_only(https_only: None, user: User) -> None:
    """ASVS 3.3.1 / 3.4.1: behind HTTPS, every cookie is Secure, the session cookie has the __Host- prefix (Secure,
    Path=/, no Domain: no other host can set or shadow it) and browsers are told to stay on HTTPS."""
    user.http_client.base_url = 'https://test'  # Secure cookies only travel over HTTPS
    page = await user.http_client.get('/login')
    assert page.headers['strict-transport-security'].startswith('max-age=31536000')
    storage_cookies = cookies_of(page.headers.get_list('set-cookie'))
    assert storage_cookies and all('secure' in line for line in storage_cookies.values())
    cookies = await complete_sign_in(user)
    assert guard.COOKIE_NAME not in cookies
    session = cookies['__Host-stockfront_session']
    assert 'secure' in session and 'path=/' in session and 'domain' not in session
    assert guard.DEVICE_COOKIE_NAME not in cookies
    device = cookies['__Host-stockfront_device']
    assert 'secure' in device and 'httponly' in device and 'domain' not in device
    assert (await user.http_client.get('/orders', follow_redirects=False)).status_code == 200  # signed in by it
    form_token = await sign_out_form_token(user)
    logout = await user.http_client.post('/logout', data={'csrf_token': form_token}, follow_redirects=False)
    assert 'secure' in cookies_of(logout.headers.get_list('set-cookie'))['__Host-stockfront_session']


async def test_no_hsts_over_plain_http(user: User) -> None:
    """HSTS only when HTTPS-only is configured: sent over plain http it would lock a test setup out."""
    assert 'strict-transport-security' not in (await user.http_client.get('/login')).headers


# --- throttling ---------------------------------------------------------------------------------------


def test_fifty_wrong_passwords_lock_the_account_for_minutes_never_for_good(frozen: Clock) -> None:
    """ASVS 6.3.1 / 6.1.1 (brute force, no malicious lockout): 50 guesses on one account, from many addresses
    and spellings of its name."""
    spellings = ['customer', 'CUSTOMER', ' Customer ', 'cUsToMeR']
    outcomes = []
    for attempt in range(50):
        error = refused(spellings[attempt % 4], f'guess-{attempt}', address=f'198.51.100.{attempt}')
        outcomes.append(error.message)
    assert outcomes[:6] == [auth.GENERIC_FAILURE] * 6  # five free failures, the sixth locks
    assert all(message.startswith('Too many failed sign-ins') for message in outcomes[6:])
    with db.read_session() as s:
        from app.models import LoginThrottle

        row = s.get(LoginThrottle, 'user:customer')
    assert row.failures == 6, 'attempts while locked are refused without counting (and without a bcrypt check)'
    # the right password is refused while locked, so the lock cannot be used to learn it
    assert refused('customer', 'customer-demo').message.startswith('Too many failed sign-ins')
    frozen.advance(seconds=auth.ACCOUNT_MAX_LOCK.total_seconds())
    assert auth.resolve(sign_in()) is not None


def guesses_in_an_hour(frozen: Clock, usernames: list[str], address: str) -> int:
    """An attacker guessing as fast as the throttle lets it for an hour; returns how many guesses were checked."""
    checked, n, end = 0, 0, frozen.now + timedelta(hours=1)
    while frozen.now < end:
        error = refused(usernames[n % len(usernames)], f'Spring2030-{n}', address=address)
        n += 1
        if error.retry_after_s:
            assert error.retry_after_s <= auth.ADDRESS_MAX_LOCK.total_seconds()
            frozen.advance(seconds=error.retry_after_s)
        else:
            checked += 1
    return checked


def test_an_attacker_who_keeps_guessing_gets_few_guesses_and_the_user_still_gets_in(frozen: Clock) -> None:
    """ASVS 6.3.1 / 6.1.1: the account lock doubles up to a cap: a handful of guesses an hour, and never a
    permanent lock."""
    checked = guesses_in_an_hour(frozen, ['customer'], address='192.0.2.1')
    assert checked <= 25  # 5 free, then 2 s, 4 s, ... up to 5 minutes between guesses
    frozen.advance(seconds=auth.ACCOUNT_MAX_LOCK.total_seconds())
    assert auth.resolve(sign_in(address='203.0.113.9')) is not None


def test_guessing_across_accounts_from_one_address_locks_that_address(frozen: Clock) -> None:
    """ASVS 6.3.1 / 6.1.1 (password spraying): many accounts from one address are slowed down as one."""
    attacker = '192.0.2.66'
    names = [f'buyer{n}' for n in range(200)]  # a different account every time: no account lock helps here
    checked = guesses_in_an_hour(frozen, names, address=attacker)
    assert checked <= 40  # 20 free, then the address waits 2 s, 4 s, ... up to 15 minutes
    refused('nobody', 'one-more-guess', address=attacker)
    error = refused('customer2', 'customer2-demo', address=attacker)  # even a right password, from there
    assert error.message.startswith('Too many failed sign-ins')
    assert auth.resolve(sign_in('customer2', address='203.0.113.77')) is not None  # colleagues elsewhere get in
    frozen.advance(seconds=auth.ADDRESS_MAX_LOCK.total_seconds())
    assert auth.resolve(sign_in('supplier', address=attacker)) is not None  # and the address opens again


async def test_throttled_sign_in_shows_the_wait_on_the_form(user: User) -> None:
    """ASVS 6.3.1 / 6.3.8: the person at the screen learns how long to wait, not whether the account exists."""
    for n in range(6):
        refused('customer', f'wrong-{n}', address='testclient')
    await sign_in_with_the_form(user, 'customer', 'customer-demo')
    await user.should_see('Too many failed sign-ins. Please wait')
    await user.should_not_see('Sign out')


async def test_a_stranger_cannot_keep_the_owners_browser_out(user: User) -> None:
    """ASVS 6.3.1 / 6.1.1 (no lockout by others): six wrong passwords from another address hold the account for a new
    browser, but the browser that signed in as this user before (its device cookie) signs in through the form."""
    await signed_in(user)
    assert user.http_client.cookies.get(guard.DEVICE_COOKIE_NAME, domain='test.local')
    user.find(marker='menu-Sign out').click()
    await user.should_see('Sign in to the portal')
    for n in range(6):
        refused('customer', f'stranger-{n}', address='192.0.2.50')
    assert refused('customer', 'customer-demo', address='203.0.113.60').message.startswith('Too many failed')
    await signed_in(user)
    assert auth.resolve(user.http_client.cookies.get(guard.COOKIE_NAME, domain='test.local')).username == 'customer'
