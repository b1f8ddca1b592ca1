"""Single-use links to choose a password: an invitation for a new portal user (valid 72 hours) and a password reset
("Forgot your password?", valid one hour). app/mail/account_mails.py mails them.

The link carries a random token; the database keeps only its SHA-256 (as for sessions), so a copy of the database
opens no account. A new link voids the user's older ones; using one sets the password, voids it and ends every
session of the user (as the supplier's password reset does).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from app.core import clock
from app.core.errors import ValidationError
from app.core.i18n import N_
from app.identity import auth, passwords
from app.models import LinkPurpose, PasswordLink, PortalUser

VALID_FOR = {LinkPurpose.INVITATION: timedelta(hours=72), LinkPurpose.PASSWORD_RESET: timedelta(hours=1)}
MAX_TOKEN_CHARS = 100

EXPIRED = 'expired'
USED = 'used'
UNKNOWN = 'unknown'
VALID = 'valid'


@dataclass(frozen=True)
class LinkState:
    state: str  # valid, expired, used or unknown
    username: str = ''  # for a valid link: whose password it sets
    full_name: str = ''


def new_link(session: Session, *, user_id: int, purpose: LinkPurpose) -> tuple[str, PasswordLink]:
    """A new link for the user, in the caller's transaction (with the mail that carries it); the user's older unused
    links stop working. Returns the token (for the mail only: it is stored nowhere) and the link."""
    now = clock.now()
    _void_links(session, user_id=user_id, now=now)
    token = secrets.token_urlsafe(32)
    link = PasswordLink(
        token_hash=auth.token_hash(token),
        user_id=user_id,
        purpose=purpose,
        created_at=now,
        expires_at=now + VALID_FOR[purpose],
    )
    session.add(link)
    session.flush()
    return token, link


def rehearse(session: Session) -> tuple[str, PasswordLink]:
    """The work of `new_link` without a user and without keeping anything, for a reset asked for a name that has
    no account: the answer then takes as long."""
    now = clock.now()
    _void_links(session, user_id=None, now=now)
    token = secrets.token_urlsafe(32)
    link = PasswordLink(
        id=0,
        token_hash=auth.token_hash(token),
        user_id=0,
        purpose=LinkPurpose.PASSWORD_RESET,
        created_at=now,
        expires_at=now + VALID_FOR[LinkPurpose.PASSWORD_RESET],
    )
    return token, link


def link_state(session: Session, *, token: object, purpose: LinkPurpose) -> LinkState:
    """What a link's token is worth now: valid (and whose), expired, used, or unknown (a token of another purpose or
    of a deactivated user is unknown too)."""
    link, user = _find(session, token, purpose)
    if link is None or user is None:
        return LinkState(UNKNOWN)
    if link.used_at is not None:
        return LinkState(USED)
    if _aware(link.expires_at) <= clock.now():
        return LinkState(EXPIRED)
    return LinkState(VALID, username=user.username, full_name=user.full_name)


def use_link(session: Session, *, token: object, purpose: LinkPurpose, password: str) -> str:
    """Set the password through a valid link: the link is used up, the user's other links void, every session of
    the user ends. Returns the user name (to sign in with). Blocking (bcrypt): call it off the event loop."""
    password_hash = passwords.hash_password(password)  # checks the rules; before the first query (see create_user)
    link, user = _find(session, token, purpose, lock=True)
    state = link_state(session, token=token, purpose=purpose)
    if state.state != VALID or link is None or user is None:
        raise ValidationError(STATE_MESSAGES[state.state])
    now = clock.now()
    user.password_hash = password_hash
    session.add(user)
    _void_links(session, user_id=user.id, now=now)
    auth.end_sessions(session, user_id=link.user_id)
    return user.username


def is_invited(user: PortalUser) -> bool:
    """Invited and no password chosen yet: nobody can sign in as this user until it uses a link."""
    return not user.password_hash


STATE_MESSAGES = {
    EXPIRED: N_('This link has expired. Ask for a new one: "Forgot your password?" on the sign-in page.'),
    USED: N_('This link has been used already. Sign in with your password, or ask for a new link.'),
    UNKNOWN: N_('This link is not valid. Copy the whole link from the mail, or ask for a new one.'),
}


def _find(
    session: Session, token: object, purpose: LinkPurpose, *, lock: bool = False
) -> tuple[PasswordLink | None, PortalUser | None]:
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
        return None, None
    query = select(PasswordLink).where(PasswordLink.token_hash == auth.token_hash(token))
    if lock:
        query = query.with_for_update()
    link = session.exec(query).first()
    if link is None or link.purpose != purpose:
        return None, None
    user = session.get(PortalUser, link.user_id)
    return link, (user if user is not None and user.active else None)


def _void_links(session: Session, *, user_id: int | None, now: datetime) -> None:
    session.exec(
        update(PasswordLink)
        .where(col(PasswordLink.user_id) == user_id, col(PasswordLink.used_at).is_(None))
        .values(used_at=now)
    )


def _aware(moment: datetime) -> datetime:
    """SQLite gives back the UTC moment without its zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=clock.now().tzinfo)
