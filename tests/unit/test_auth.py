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
