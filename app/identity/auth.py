"""Signing in and out, server-side sessions and sign-in throttling.

A session is a random token in an HttpOnly cookie; the database keeps only its SHA-256. Every page
and every click resolves the token again (`resolve`), so signing out, deactivation, the idle timeout
and the absolute lifetime take effect at the next click.

Throttling counts failures per account name (known or not, so it tells nothing) and per client
address. Past a free number of failures each further failure locks that key for a doubling time,
capped, so a lock always ends by itself: an attacker can slow an account down, never shut it.
Attempts made while locked are refused without counting, and a good sign-in clears the account.

A stranger must not be able to keep a user out, so a browser that has signed in as a user before
carries a device cookie for that user (`device_token`, HMAC-signed, nothing stored): its sign-ins
as that user are counted on a counter of their own, not on the account's or the address's. Failures
from elsewhere, or from the same office address, never make that browser wait.
The trade-off: the owner on a new browser (or after clearing cookies) is held by the account's delay
like anyone else (at most ACCOUNT_MAX_LOCK at a time, for as long as someone keeps guessing), and
a stolen device cookie buys its thief the account's own rate on that one account, no more.

The address is the connection's peer unless that peer is a trusted proxy (`client_address`).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import ipaddress
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, or_, select

from app.core import clock, config, db, events, i18n
from app.core.errors import Message
from app.core.i18n import N_, ngettext
from app.core.logging import audit
from app.identity import passwords
from app.models import AuthSession, Customer, LoginThrottle, PortalUser, Role

GENERIC_FAILURE = N_('Unknown user name or wrong password.')
ACCOUNT_FREE_FAILURES = 5
ACCOUNT_MAX_LOCK = timedelta(minutes=5)
ADDRESS_FREE_FAILURES = 20  # many people of one company may share one address
ADDRESS_MAX_LOCK = timedelta(minutes=15)
FAILURES_FORGOTTEN_AFTER = timedelta(hours=1)
LAST_SEEN_GRANULARITY = timedelta(seconds=60)
TICKET_LIFETIME = timedelta(seconds=60)
DEVICE_LIFETIME = timedelta(days=180)


@dataclass(frozen=True)
class Identity:
    """Who is behind a request: what pages and services need, re-read on every click."""

    user_id: int
    username: str
    full_name: str
    role: Role
    customer_id: int | None
    session_id: int
    language: str = i18n.DEFAULT  # the language the user reads the portal in

    @classmethod
    def of(cls, user: PortalUser, session_id: int = 0, *, customer_language: str | None = None) -> Identity:
        """The identity of a user row; session 0 stands for work done outside a signed-in page. The user reads
        its own choice of language, else its customer's, else the portal's default."""
        assert user.id is not None
        return cls(
            user_id=user.id,
            username=user.username,
            full_name=user.full_name,
            role=user.role,
            customer_id=user.customer_id,
            session_id=session_id,
            language=i18n.supported(user.language or customer_language),
        )

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class SignInRefused(Message):
    """A sign-in refused: the one generic failure, or how long a throttled sign-in must wait (`retry_after_s`).
    Translated when read, in the reader's language, like a service error."""

    def __init__(self, retry_after_s: int = 0) -> None:
        super().__init__(GENERIC_FAILURE)
        self.retry_after_s = retry_after_s

    @property
    def message(self) -> str:
        return _lock_message(self.retry_after_s) if self.retry_after_s else super().message


def normalize_username(username: str) -> str:
    return (username or '').strip().casefold()[:64]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _mac(purpose: str, message: str) -> str:
    """An HMAC under the storage secret, one `purpose` per use so a value made for one is worthless for another."""
    key = config.get().storage_secret.encode()
    digest = hmac.new(key, f'{purpose}\0{message}'.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip('=')


def _same(expected: str, given: str | None) -> bool:
    return isinstance(given, str) and hmac.compare_digest(expected.encode(), given.encode())


def _as_typed(text: str) -> str:
    """What someone typed, fit for one log line: printable characters only, at most 64."""
    return ''.join(c if c.isprintable() else '?' for c in (text if isinstance(text, str) else '')[:64])


# --- the client's address -------------------------------------------------------------------------


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from a peer or an X-Forwarded-For hop (`1.2.3.4`, `1.2.3.4:80`, `[::1]:80`), or None."""
    text = text.strip()
    if text.startswith('['):
        text = text[1 : text.find(']')] if ']' in text else text
    elif text.count(':') == 1:
        text = text.split(':')[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_address(*, peer: str, forwarded_for: str = '') -> str:
    """The address a request comes from, for throttling and the session record.

    It is the connection's peer, unless that peer is one of the proxies named in STOCKFRONT_TRUSTED_PROXIES (none by
    default): then it is the rightmost X-Forwarded-For hop that is not itself a trusted proxy. Anything left of that
    hop was written by the client and could be anything, so it is never used (uvicorn's own proxy-header handling is
    switched off in main.py: this setting is the only one).
    """
    trusted = config.get().trusted_proxies
    address = _ip(peer or '')
    if address is None or not any(address in network for network in trusted):
        return str(address) if address is not None else (peer or '')[:64]
    hops = [hop.strip() for hop in forwarded_for.split(',') if hop.strip()]
    for hop in reversed(hops):
        address = _ip(hop)
        if address is None:  # not an address: nothing left of it can be trusted either
            return _as_typed(hop)
        if not any(address in network for network in trusted):
            return str(address)
    return str(address)  # every hop a trusted proxy: the leftmost one (or the peer without the header)


# --- device cookies -------------------------------------------------------------------------------


def device_token(username: str) -> str:
    """A device cookie's value for a browser that has just signed in as `username`: `issued.nonce.mac`."""
    issued, nonce = int(clock.now().timestamp()), secrets.token_urlsafe(16)
    return f'{issued}.{nonce}.{_mac("device", f"{normalize_username(username)}:{issued}:{nonce}")}'


def _device_key(username: str, device: str | None) -> str | None:
    """The throttle key of a valid, unexpired device cookie for this (normalised) user name, else None."""
    if not username or not device or len(device) > 200 or device.count('.') != 2:
        return None
    issued, nonce, mac = device.split('.')
    if not issued.isdigit() or not _same(_mac('device', f'{username}:{issued}:{nonce}'), mac):
        return None
    if clock.now().timestamp() - int(issued) > DEVICE_LIFETIME.total_seconds():
        return None
    return f'device:{nonce}'


# --- throttling -----------------------------------------------------------------------------------


def _throttle_keys(username: str, client_address: str) -> tuple[str, str]:
    return f'user:{username}', f'ip:{client_address or "unknown"}'


def _locked_for(session: Session, key: str, now: datetime) -> int:
    row = session.get(LoginThrottle, key)
    if row and row.locked_until and row.locked_until > now:
        return max(1, int((row.locked_until - now).total_seconds() + 0.999))
    return 0


def _record_failure(session: Session, key: str, now: datetime, free: int, cap: timedelta) -> None:
    row = session.get(LoginThrottle, key) or LoginThrottle(key=key)
    if row.last_failure_at and now - row.last_failure_at > FAILURES_FORGOTTEN_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    if row.failures > free:
        lock = timedelta(seconds=2 ** min(row.failures - free, 20))
        row.locked_until = now + min(lock, cap)
    session.add(row)


def throttle_wait(session: Session, *, keys: list[str]) -> int:
    """Seconds until none of these throttle keys holds a request back (0: free now); for other throttled requests
    than sign-ins (asking for a password reset), on keys of their own."""
    now = clock.now()
    return max(_locked_for(session, key, now) for key in keys)


def count_attempt(session: Session, *, key: str, free: int, cap: timedelta) -> None:
    """Count one more attempt on a throttle key: past `free` of them each locks it for a doubling time, at most
    `cap`; forgotten an hour after the last one (as sign-in failures are)."""
    _record_failure(session, key, clock.now(), free, cap)


def _lock_message(seconds: int) -> str:
    if seconds < 120:
        return ngettext(
            'Too many failed sign-ins. Please wait {n} second and try again.',
            'Too many failed sign-ins. Please wait {n} seconds and try again.',
            seconds,
        )
    return ngettext(
        'Too many failed sign-ins. Please wait {n} minute and try again.',
        'Too many failed sign-ins. Please wait {n} minutes and try again.',
        (seconds + 59) // 60,
    )


# --- sign in / out --------------------------------------------------------------------------------


def sign_in(*, username: str, password: str, client_address: str, device: str = '') -> str:
    """Check the credentials and open a session; returns the new session token.

    Blocking (bcrypt): call it off the event loop. Raises SignInRefused with one generic message for
    an unknown user, a wrong password or an inactive account, or a lock message when throttled.
    `device` is the browser's device cookie: valid for this user, only its own counter can hold it back.
    """
    name = normalize_username(username)
    account_key, address_key = _throttle_keys(name, client_address)
    device_key = _device_key(name, device)
    holding = [device_key] if device_key else [account_key, address_key]
    now = clock.now()
    with db.read_session() as session:
        wait = max(_locked_for(session, key, now) for key in holding)
        if wait:
            audit('sign_in.refused', username=_as_typed(username), address=client_address, reason='throttled')
            raise SignInRefused(wait)
        user = session.exec(select(PortalUser).where(PortalUser.username == name)).first() if name else None

    if user is None or not user.active or not isinstance(password, str):
        passwords.verify_dummy(password if isinstance(password, str) else '')
        ok = False
    else:
        ok = passwords.verify(password, user.password_hash)

    now = clock.now()
    with db.write_session() as session:
        if not ok:
            _record_failure(session, device_key or account_key, now, ACCOUNT_FREE_FAILURES, ACCOUNT_MAX_LOCK)
            _record_failure(session, address_key, now, ADDRESS_FREE_FAILURES, ADDRESS_MAX_LOCK)
        else:
            # a sign-in with the device cookie clears that device only: strangers' failures on the account stand
            cleared = session.get(LoginThrottle, device_key or account_key)
            if cleared:
                session.delete(cleared)
            assert user is not None and user.id is not None
            token = secrets.token_urlsafe(32)
            settings = config.get()
            session.add(
                AuthSession(
                    token_hash=token_hash(token),
                    user_id=user.id,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + timedelta(seconds=settings.session_lifetime_s),
                    client_address=(client_address or '')[:64],
                )
            )
    if not ok:
        audit('sign_in.refused', username=_as_typed(username), address=client_address, reason='credentials')
        raise SignInRefused()
    audit('sign_in', username=user.username, user_id=user.id, address=client_address, device=bool(device_key))
    return token


def resolve(token: str | None) -> Identity | None:
    """The identity behind a session token, or None when the session is gone, expired, idle or the user inactive."""
    found = resolve_live(token)
    return found[0] if found is not None else None


def resolve_live(token: str | None) -> tuple[Identity, LiveSession] | None:
    """`resolve`, and until when the session lasts at least, as `live_session` tells it (a page's socket, attaching
    moments after the page was built, needs not read it again)."""
    if not token or len(token) > 200:
        return None
    now = clock.now()
    settings = config.get()
    with db.read_session() as session:
        row = session.exec(
            select(AuthSession, PortalUser, Customer.language)
            .join(PortalUser, col(PortalUser.id) == AuthSession.user_id)
            .outerjoin(Customer, col(Customer.id) == PortalUser.customer_id)
            .where(AuthSession.token_hash == token_hash(token))
        ).first()
    if row is None:
        return None
    auth_session, user, customer_language = row
    db.hold(session, user)  # (a page build reads in this session: its services need the user again)
    idle_limit = auth_session.last_seen_at + timedelta(seconds=settings.session_idle_s)
    if not user.active or now >= auth_session.expires_at or now >= idle_limit:
        with db.write_session() as session:
            session.exec(delete(AuthSession).where(col(AuthSession.id) == auth_session.id))
        return None
    if now - auth_session.last_seen_at >= LAST_SEEN_GRANULARITY:
        # Noting the visit never waits behind another writer (pages and clicks resolve on the event loop, and a
        # hundred orders being placed hold the write lock in turn), unless the note is getting old.
        urgent = now - auth_session.last_seen_at >= timedelta(seconds=settings.session_idle_s) / 2
        with contextlib.suppress(db.DatabaseBusy), db.write_session(wait=urgent) as session:
            fresh = session.get(AuthSession, auth_session.id)
            if fresh:
                fresh.last_seen_at = now
                session.add(fresh)
    assert auth_session.id is not None and user.id is not None
    live = LiveSession(user.id, min(auth_session.expires_at, idle_limit))  # (the visit just noted moves it on)
    return Identity.of(user, auth_session.id, customer_language=customer_language), live


def sign_out(token: str | None) -> None:
    if not token:
        return
    with db.write_session() as session:
        ended = session.exec(
            select(AuthSession.id, PortalUser.id, PortalUser.username)
            .join(PortalUser, col(PortalUser.id) == AuthSession.user_id)
            .where(AuthSession.token_hash == token_hash(token))
        ).first()
        session.exec(delete(AuthSession).where(col(AuthSession.token_hash) == token_hash(token)))
        if ended:
            events.queue(session, ('sessions_ended', ended[1]))  # its open pages go to the login page at once
    if ended:
        audit('sign_out', username=ended[2], user_id=ended[1], session_id=ended[0])


def sign_out_token(token: str | None) -> str:
    """The CSRF token of the sign-out form: derived from the session token, so only that session's pages know it."""
    return _mac('sign-out', token or '')


def sign_out_token_ok(token: str | None, given: str | None) -> bool:
    """Whether a sign-out request carries its session's token (compared in constant time)."""
    return bool(token) and _same(sign_out_token(token), given)


def end_sessions(session: Session, *, user_id: int) -> None:
    """End every session of a user (deactivation, password reset), inside the caller's transaction."""
    session.exec(delete(AuthSession).where(col(AuthSession.user_id) == user_id))
    events.queue(session, ('sessions_ended', user_id))


@dataclass(frozen=True)
class LiveSession:
    user_id: int
    ends_at: datetime  # unless it is used before then (its idle limit moves with every page and click)


def live_session(token: str | None) -> LiveSession | None:
    """The session behind a token while it lasts, or None once it has ended (signed out, expired, idle, the user
    inactive). Only reads: a page that merely stays open must not keep its session alive (see `resolve`)."""
    if not token or len(token) > 200:
        return None
    with db.read_session() as session:
        row = session.exec(
            select(AuthSession.user_id, AuthSession.last_seen_at, AuthSession.expires_at)
            .join(PortalUser, col(PortalUser.id) == AuthSession.user_id)
            .where(AuthSession.token_hash == token_hash(token), col(PortalUser.active).is_(True))
        ).first()
    if row is None:
        return None
    user_id, last_seen_at, expires_at = row
    ends_at = min(expires_at, last_seen_at + timedelta(seconds=config.get().session_idle_s))
    return LiveSession(user_id, ends_at) if clock.now() < ends_at else None


def purge_expired() -> int:
    """Delete sessions that have ended (expired or idle too long) and sign-in failures that no longer hold
    anyone back; returns how many rows went. Run at start and every hour: a browser closed without signing out,
    or a spray of made-up user names, would otherwise leave rows behind for good."""
    now = clock.now()
    idle_since = now - timedelta(seconds=config.get().session_idle_s)
    with db.write_session() as session:
        sessions = session.exec(
            delete(AuthSession).where(
                or_(col(AuthSession.expires_at) <= now, col(AuthSession.last_seen_at) <= idle_since)
            )
        )
        throttles = session.exec(
            delete(LoginThrottle).where(
                or_(col(LoginThrottle.locked_until).is_(None), col(LoginThrottle.locked_until) <= now),
                or_(
                    col(LoginThrottle.last_failure_at).is_(None),
                    col(LoginThrottle.last_failure_at) <= now - FAILURES_FORGOTTEN_AFTER,
                ),
            )
        )
        return (sessions.rowcount or 0) + (throttles.rowcount or 0)


# --- hand-over from the sign-in form to the cookie ------------------------------------------------
# The form runs over the websocket, which cannot set an HttpOnly cookie. It gets a one-time ticket
# instead, valid for a minute, which /auth/complete exchanges for the cookie. The ticket is bound to
# the browser that signed in (`browser`: the id in its framework session cookie), so a ticket handed
# to someone else cannot sign their browser in to the wrong account (login CSRF).

_tickets: dict[str, tuple[str, datetime, str]] = {}
_tickets_lock = threading.Lock()


def issue_ticket(token: str, *, browser: str = '') -> str:
    ticket = secrets.token_urlsafe(32)
    now = clock.now()
    with _tickets_lock:
        for key, (_, expires, _) in list(_tickets.items()):
            if expires <= now:
                del _tickets[key]
        _tickets[ticket] = (token, now + TICKET_LIFETIME, browser)
    return ticket


def redeem_ticket(ticket: str | None, *, browser: str = '') -> str | None:
    if not ticket:
        return None
    with _tickets_lock:
        entry = _tickets.pop(ticket, None)
    if entry is None or entry[1] <= clock.now() or not secrets.compare_digest(entry[2], browser):
        return None
    return entry[0]


def safe_next(target: str | None, default: str = '/') -> str:
    """Only a local path: never another site (//evil, /\\evil, https://…) after signing in."""
    if not target or not target.startswith('/') or target.startswith(('//', '/\\')):
        return default
    if any(c in target for c in '\r\n\t\\') or target.startswith('/login') or target.startswith('/auth'):
        return default
    return target[:500]
