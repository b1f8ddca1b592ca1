"""Passwords, sign-in, sessions and throttling, without a browser."""

from datetime import timedelta

import bcrypt
import pytest
from sqlmodel import select

from app.core import clock, config, db
from app.core.errors import ValidationError
from app.identity import accounts as account_service
from app.identity import auth, passwords
from app.models import AuthSession, LoginThrottle


class FakeClock:
    def __init__(self) -> None:
        self.now = clock.now()

    def __call__(self):
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def fake_clock():
    fake = FakeClock()
    clock.set_now(fake)
    yield fake
    clock.reset()


def test_default_cost_is_12(monkeypatch):
    monkeypatch.delenv('STOCKFRONT_BCRYPT_ROUNDS', raising=False)
    assert config.load().bcrypt_rounds == 12
    hashed = passwords.hash_password('a-good-password', rounds=12)
    assert hashed.startswith('$2b$12$')


def test_hash_is_bcrypt_and_verifies(data_dir):
    hashed = passwords.hash_password('correct horse battery')
    assert hashed.startswith('$2b$')
    assert passwords.verify('correct horse battery', hashed)
    assert not passwords.verify('correct horse batterY', hashed)


@pytest.mark.parametrize(
    'password',
    [
        'a' * 128,
        'ü' * 128,  # 256 bytes in UTF-8
        '密码' * 64,  # 384 bytes
        '🔐' * 100,  # 400 bytes
    ],
)
def test_long_and_multibyte_passwords_work_past_bcrypts_72_bytes(data_dir, password):
    hashed = passwords.hash_password(password)
    assert passwords.verify(password, hashed)
    # a password that differs only after byte 72 must not verify
    assert not passwords.verify(password[:-1] + 'x', hashed)


@pytest.mark.parametrize('password', ['', 'short', 'x' * 129, ' ' * 10])
def test_bad_passwords_are_refused_with_a_message(data_dir, password):
    with pytest.raises(ValidationError) as error:
        passwords.hash_password(password)
    assert error.value.field == 'password'


def test_sign_in_opens_a_new_session_every_time(accounts):
    first = auth.sign_in(username='alice', password='alice-password', client_address='10.0.0.1')
    second = auth.sign_in(username='ALICE ', password='alice-password', client_address='10.0.0.1')
    assert first != second
    assert auth.resolve(first).username == 'alice'
    assert auth.resolve(second).user_id == accounts.alice.user_id


def test_database_keeps_only_a_hash_of_the_token(accounts):
    from sqlmodel import select

    from app.models import AuthSession

    token = auth.sign_in(username='alice', password='alice-password', client_address='a')
    with db.read_session() as s:
        stored = s.exec(select(AuthSession.token_hash)).all()
    assert token not in stored
    assert auth.token_hash(token) in stored


def test_wrong_password_and_unknown_user_are_refused_alike(accounts):
    with pytest.raises(auth.SignInRefused) as wrong:
        auth.sign_in(username='alice', password='wrong-password', client_address='a')
    with pytest.raises(auth.SignInRefused) as unknown:
        auth.sign_in(username='nobody', password='wrong-password', client_address='b')
    assert wrong.value.message == unknown.value.message == auth.GENERIC_FAILURE


def test_unknown_user_still_costs_a_bcrypt_check(accounts, monkeypatch):
    calls = []
    real = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, 'checkpw', lambda *a: calls.append(1) or real(*a))
    with pytest.raises(auth.SignInRefused):
        auth.sign_in(username='nobody', password='some-password', client_address='a')
    assert calls == [1]


def test_sign_out_makes_the_token_useless(accounts):
    token = auth.sign_in(username='alice', password='alice-password', client_address='a')
    auth.sign_out(token)
    assert auth.resolve(token) is None


def test_deactivating_a_user_ends_its_sessions(accounts):
    token = auth.sign_in(username='bob', password='bob-password', client_address='a')
    with db.write_session() as s:
        account_service.set_active(s, actor=accounts.admin, user_id=accounts.bob.user_id, active=False)
    assert auth.resolve(token) is None
    with pytest.raises(auth.SignInRefused):
        auth.sign_in(username='bob', password='bob-password', client_address='a')


def test_idle_timeout_ends_a_session(accounts, fake_clock):
    token = auth.sign_in(username='alice', password='alice-password', client_address='a')
    fake_clock.advance(seconds=config.get().session_idle_s - 30)
    assert auth.resolve(token) is not None  # activity keeps it alive
    fake_clock.advance(seconds=config.get().session_idle_s - 30)
    assert auth.resolve(token) is not None
    fake_clock.advance(seconds=config.get().session_idle_s + 1)
    assert auth.resolve(token) is None


def test_absolute_lifetime_ends_an_active_session(accounts, fake_clock):
    token = auth.sign_in(username='alice', password='alice-password', client_address='a')
    lifetime = config.get().session_lifetime_s
    step = config.get().session_idle_s // 2
    elapsed = 0
    while elapsed + step < lifetime:
        fake_clock.advance(seconds=step)
        elapsed += step
        assert auth.resolve(token) is not None
    fake_clock.advance(seconds=lifetime - elapsed)
    assert auth.resolve(token) is None


def test_repeated_failures_lock_the_account_for_a_while_only(accounts, fake_clock):
    for _ in range(auth.ACCOUNT_FREE_FAILURES):
        with pytest.raises(auth.SignInRefused) as refused:
            auth.sign_in(username='alice', password='wrong-password', client_address='1.1.1.1')
        assert refused.value.retry_after_s == 0
    with pytest.raises(auth.SignInRefused):
        auth.sign_in(username='alice', password='wrong-password', client_address='1.1.1.1')
    # now locked, even with the right password
    with pytest.raises(auth.SignInRefused) as locked:
        auth.sign_in(username='alice', password='alice-password', client_address='2.2.2.2')
    assert locked.value.retry_after_s > 0
    assert 'wait' in locked.value.message
    fake_clock.advance(seconds=locked.value.retry_after_s + 1)
    assert auth.sign_in(username='alice', password='alice-password', client_address='2.2.2.2')


def test_fifty_wrong_passwords_never_lock_an_account_for_good(accounts, fake_clock):
    refused_while_locked = 0
    for _ in range(50):
        try:
            auth.sign_in(username='alice', password='wrong-password', client_address='6.6.6.6')
        except auth.SignInRefused as e:
            if e.retry_after_s:
                refused_while_locked += 1
                fake_clock.advance(seconds=e.retry_after_s)
    assert refused_while_locked > 0  # the attacker was slowed down
    fake_clock.advance(seconds=int(auth.ACCOUNT_MAX_LOCK.total_seconds()) + 1)
    assert auth.sign_in(username='alice', password='alice-password', client_address='7.7.7.7')


def test_failures_across_accounts_from_one_address_lock_that_address(accounts, fake_clock):
    for i in range(auth.ADDRESS_FREE_FAILURES + 1):
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(username=f'guess{i}', password='wrong-password', client_address='9.9.9.9')
    with pytest.raises(auth.SignInRefused) as locked:
        auth.sign_in(username='alice', password='alice-password', client_address='9.9.9.9')
    assert locked.value.retry_after_s > 0
    # another address is not affected
    assert auth.sign_in(username='alice', password='alice-password', client_address='8.8.8.8')


def session_and_throttle_keys() -> tuple[set[int], set[str]]:
    with db.read_session() as s:
        return set(s.exec(select(AuthSession.user_id)).all()), set(s.exec(select(LoginThrottle.key)).all())


def test_the_hourly_purge_drops_ended_sessions_and_forgotten_failures_only(accounts, fake_clock):
    idle_s = config.get().session_idle_s
    auth.sign_in(username='bob', password='bob-password', client_address='a')  # left idle: ends
    with pytest.raises(auth.SignInRefused):  # a made-up name sprayed from an address: forgotten in an hour
        auth.sign_in(username='nobody-1', password='wrong-password', client_address='5.5.5.5')
    fake_clock.advance(seconds=idle_s - 60)
    alice = auth.sign_in(username='alice', password='alice-password', client_address='a')  # in use
    with pytest.raises(auth.SignInRefused):  # a recent failure still counts
        auth.sign_in(username='nobody-2', password='wrong-password', client_address='6.6.6.6')
    fake_clock.advance(seconds=61)

    removed = auth.purge_expired()

    sessions, throttles = session_and_throttle_keys()
    assert sessions == {accounts.alice.user_id}
    assert throttles == {'user:nobody-2', 'ip:6.6.6.6'}
    assert removed == 3  # bob's session, and nobody-1's name and address
    assert auth.resolve(alice) is not None
    assert auth.purge_expired() == 0


def test_a_failure_still_locking_is_not_purged(accounts, fake_clock):
    for _ in range(auth.ACCOUNT_FREE_FAILURES + 1):
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(username='alice', password='wrong-password', client_address='1.1.1.1')
    auth.purge_expired()
    with pytest.raises(auth.SignInRefused) as locked:
        auth.sign_in(username='alice', password='alice-password', client_address='2.2.2.2')
    assert locked.value.retry_after_s > 0


def test_tickets_are_single_use_and_expire(fake_clock):
    ticket = auth.issue_ticket('token-1')
    assert auth.redeem_ticket(ticket) == 'token-1'
    assert auth.redeem_ticket(ticket) is None
    late = auth.issue_ticket('token-2')
    fake_clock.advance(seconds=61)
    assert auth.redeem_ticket(late) is None


@pytest.mark.parametrize(
    ('target', 'expected'),
    [
        ('/orders?page=2', '/orders?page=2'),
        ('//evil.example', '/'),
        ('/\\evil.example', '/'),
        ('https://evil.example', '/'),
        ('javascript:alert(1)', '/'),
        ('/login', '/'),
        ('', '/'),
    ],
)
def test_safe_next_allows_only_local_paths(target, expected):
    assert auth.safe_next(target) == expected


# --- a stranger cannot keep a user out (device cookies) --------------------------------------------


def owners_browser(username: str = 'alice', password: str = 'alice-password', address: str = '10.0.0.1') -> str:
    """The device cookie the owner's browser got at its last sign-in (pages/login.py sets it at /auth/complete)."""
    assert auth.sign_in(username=username, password=password, client_address=address)
    return auth.device_token(username)


def stranger_keeps_guessing(fake_clock, *, minutes: int, username: str = 'alice', address: str = '6.6.6.6') -> int:
    """Wrong passwords for `username` as fast as the throttle lets them through; returns how many were checked."""
    checked, end = 0, fake_clock.now + timedelta(minutes=minutes)
    while fake_clock.now < end:
        with pytest.raises(auth.SignInRefused) as refused:
            auth.sign_in(username=username, password=f'guess-{checked}', client_address=address)
        if refused.value.retry_after_s:
            fake_clock.advance(seconds=refused.value.retry_after_s)
        else:
            checked += 1
    return checked


def test_a_stranger_guessing_from_another_address_never_makes_the_owners_browser_wait(accounts, fake_clock):
    """Six wrong passwords from elsewhere used to lock the owner out for minutes; the owner's browser signs in."""
    device = owners_browser()
    for n in range(auth.ACCOUNT_FREE_FAILURES + 1):
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(username='alice', password=f'guess-{n}', client_address='6.6.6.6')
    assert auth.sign_in(username='alice', password='alice-password', client_address='10.0.0.1', device=device)
    # a stranger who keeps at it for an hour still gets few guesses, and still cannot keep the owner out
    assert stranger_keeps_guessing(fake_clock, minutes=60) <= 20
    token = auth.sign_in(username='alice', password='alice-password', client_address='10.0.0.99', device=device)
    assert auth.resolve(token).username == 'alice'
    # the documented trade-off: without the cookie (a new browser), the account's delay holds the owner too
    with pytest.raises(auth.SignInRefused):
        auth.sign_in(username='alice', password='one-more-guess', client_address='6.6.6.6')
    with pytest.raises(auth.SignInRefused) as locked:
        auth.sign_in(username='alice', password='alice-password', client_address='10.0.0.1')
    assert 0 < locked.value.retry_after_s <= auth.ACCOUNT_MAX_LOCK.total_seconds()


def test_a_stranger_on_the_owners_own_address_does_not_keep_the_owners_browser_out(accounts, fake_clock):
    """An office or mobile network shares one address: spraying from it locks the address, not the owner's browser."""
    device = owners_browser(address='203.0.113.1')
    for n in range(auth.ADDRESS_FREE_FAILURES + 1):
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(username=f'guess{n}', password='wrong-password', client_address='203.0.113.1')
    with pytest.raises(auth.SignInRefused) as locked:  # a colleague without a device cookie waits
        auth.sign_in(username='bob', password='bob-password', client_address='203.0.113.1')
    assert locked.value.retry_after_s > 0
    assert auth.sign_in(username='alice', password='alice-password', client_address='203.0.113.1', device=device)


def test_a_device_cookie_is_throttled_on_its_own_counter(accounts, fake_clock):
    """A stolen device cookie buys the account's own rate on that account and no more; the owner elsewhere is not
    held back by the thief's failures, and a sign-in with the cookie does not wipe strangers' failures."""
    device = owners_browser()
    for n in range(auth.ACCOUNT_FREE_FAILURES):
        with pytest.raises(auth.SignInRefused) as refused:
            auth.sign_in(username='alice', password=f'guess-{n}', client_address='6.6.6.6', device=device)
        assert refused.value.retry_after_s == 0
    with pytest.raises(auth.SignInRefused):
        auth.sign_in(username='alice', password='guess-x', client_address='6.6.6.6', device=device)
    with pytest.raises(auth.SignInRefused) as locked:  # locked now, even with the right password
        auth.sign_in(username='alice', password='alice-password', client_address='6.6.6.6', device=device)
    assert locked.value.retry_after_s > 0
    assert auth.sign_in(username='alice', password='alice-password', client_address='10.0.0.2')  # no cookie: free

    fresh = owners_browser()
    for n in range(auth.ACCOUNT_FREE_FAILURES + 1):  # a stranger locks the account
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(username='alice', password=f'stranger-{n}', client_address='7.7.7.7')
    assert auth.sign_in(username='alice', password='alice-password', client_address='10.0.0.1', device=fresh)
    with pytest.raises(auth.SignInRefused) as still:
        auth.sign_in(username='alice', password='alice-password', client_address='10.0.0.3')
    assert still.value.retry_after_s > 0


@pytest.mark.parametrize('case', ['other user', 'tampered', 'expired', 'garbage'])
def test_only_a_valid_device_cookie_for_that_user_skips_the_account_delay(accounts, fake_clock, case):
    device = owners_browser()
    issued, nonce, mac = device.split('.')
    presented = {
        'other user': owners_browser('bob', 'bob-password'),
        'tampered': f'{int(issued) + 1}.{nonce}.{mac}',
        'expired': device,
        'garbage': 'a.b.c' + 'x' * 300,
    }[case]
    for n in range(auth.ACCOUNT_FREE_FAILURES + 1):
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(username='alice', password=f'guess-{n}', client_address='6.6.6.6')
    if case == 'expired':
        fake_clock.advance(days=auth.DEVICE_LIFETIME.days + 1)
        for n in range(auth.ACCOUNT_FREE_FAILURES + 1):  # the first lock has ended by now: lock it again
            with pytest.raises(auth.SignInRefused):
                auth.sign_in(username='alice', password=f'again-{n}', client_address='6.6.6.7')
    with pytest.raises(auth.SignInRefused) as locked:
        auth.sign_in(username='alice', password='alice-password', client_address='10.0.0.1', device=presented)
    assert locked.value.retry_after_s > 0


# --- the client's address ------------------------------------------------------------------------


@pytest.fixture
def trusted_proxies(data_dir, monkeypatch):
    def trust(value: str) -> None:
        monkeypatch.setenv('STOCKFRONT_TRUSTED_PROXIES', value)
        config.set_settings(config.load())

    return trust


def test_forwarded_for_is_ignored_by_default_even_from_localhost(data_dir):
    """Anyone who reaches the portal from 127.0.0.1 (another local program, an SSH tunnel) cannot pick an address."""
    assert config.get().trusted_proxies == ()
    assert auth.client_address(peer='127.0.0.1', forwarded_for='198.51.100.1') == '127.0.0.1'
    assert auth.client_address(peer='203.0.113.5', forwarded_for='198.51.100.1') == '203.0.113.5'


def test_forwarded_for_from_an_untrusted_peer_is_ignored(trusted_proxies):
    trusted_proxies('10.0.0.5')
    assert auth.client_address(peer='203.0.113.5', forwarded_for='198.51.100.1, 10.0.0.5') == '203.0.113.5'
    assert auth.client_address(peer='127.0.0.1', forwarded_for='198.51.100.1') == '127.0.0.1'


def test_forwarded_for_from_a_trusted_proxy_gives_the_rightmost_untrusted_hop(trusted_proxies):
    trusted_proxies('127.0.0.1, 10.0.0.0/8, ::1')
    # the client wrote '1.2.3.4' itself; the proxy appended the address it saw
    assert auth.client_address(peer='127.0.0.1', forwarded_for='1.2.3.4, 198.51.100.9') == '198.51.100.9'
    # two trusted proxies in a row are skipped
    assert auth.client_address(peer='10.0.0.1', forwarded_for='1.2.3.4, 198.51.100.9, 10.2.3.4') == '198.51.100.9'
    assert auth.client_address(peer='::1', forwarded_for='[2001:db8::7]:4431') == '2001:db8::7'
    assert auth.client_address(peer='::ffff:127.0.0.1', forwarded_for='198.51.100.9:5000') == '198.51.100.9'
    assert auth.client_address(peer='127.0.0.1', forwarded_for='') == '127.0.0.1'  # the proxy itself
    assert auth.client_address(peer='127.0.0.1', forwarded_for='10.9.9.9') == '10.9.9.9'  # all hops trusted
    assert len(auth.client_address(peer='127.0.0.1', forwarded_for='x' * 500)) <= 64


def test_trusted_proxies_setting_takes_addresses_and_blocks_and_refuses_nonsense(trusted_proxies):
    trusted_proxies(' 10.0.0.5 ,192.168.0.0/16,fd00::/8 ')
    assert [str(n) for n in config.get().trusted_proxies] == ['10.0.0.5/32', '192.168.0.0/16', 'fd00::/8']
    with pytest.raises(config.ConfigError, match='STOCKFRONT_TRUSTED_PROXIES'):
        trusted_proxies('10.0.0.5, proxy.local')


# --- audit lines ---------------------------------------------------------------------------------


def audit_lines(caplog) -> list[str]:
    """Each audit record as one text: its message and every field it carries."""
    return [f'{r.getMessage()} {r.__dict__}' for r in caplog.records if r.name == 'stockfront.audit']


def test_sign_ins_refusals_and_sign_outs_are_audited_without_the_password(accounts, caplog):
    caplog.set_level('INFO', logger='stockfront.audit')
    with pytest.raises(auth.SignInRefused):
        auth.sign_in(username=' Alice\n', password='Hunter2-secret', client_address='198.51.100.4')
    token = auth.sign_in(username='alice', password='alice-password', client_address='198.51.100.4')
    auth.sign_out(token)
    refused, signed_in, signed_out = audit_lines(caplog)
    assert refused.startswith('sign_in.refused') and "' Alice?'" in refused and '198.51.100.4' in refused
    assert signed_in.startswith('sign_in ') and f"'user_id': {accounts.alice.user_id}" in signed_in
    assert signed_out.startswith('sign_out ') and "'alice'" in signed_out
    everything = ' '.join(audit_lines(caplog))
    assert 'Hunter2-secret' not in everything and 'alice-password' not in everything
    assert token not in everything and auth.token_hash(token) not in everything


def test_a_throttled_sign_in_is_audited_too(accounts, caplog):
    for n in range(auth.ACCOUNT_FREE_FAILURES + 1):
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(username='alice', password=f'guess-{n}', client_address='6.6.6.6')
    caplog.set_level('INFO', logger='stockfront.audit')
    caplog.clear()  # only the throttled attempt (an earlier test may have left the audit logger at INFO already)
    with pytest.raises(auth.SignInRefused):
        auth.sign_in(username='alice', password='alice-password', client_address='6.6.6.6')
    [line] = audit_lines(caplog)
    assert line.startswith('sign_in.refused') and "'throttled'" in line and 'alice-password' not in line


# --- the sign-out form's token -------------------------------------------------------------------


def test_the_sign_out_token_belongs_to_one_session(accounts):
    first = auth.sign_in(username='alice', password='alice-password', client_address='a')
    second = auth.sign_in(username='alice', password='alice-password', client_address='a')
    assert auth.sign_out_token_ok(first, auth.sign_out_token(first))
    assert not auth.sign_out_token_ok(second, auth.sign_out_token(first))
    assert not auth.sign_out_token_ok(first, '') and not auth.sign_out_token_ok(first, None)
    assert not auth.sign_out_token_ok(None, auth.sign_out_token(None))
    assert not auth.sign_out_token_ok(first, 'ü' * 43)  # not ASCII: refused, not a crash
    assert first not in auth.sign_out_token(first)
