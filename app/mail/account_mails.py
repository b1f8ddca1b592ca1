"""Invitations and password resets by mail: the supplier invites a new portal user instead of passing a password,
and "Forgot your password?" mails a reset link. The links are app/identity/links.py's; the mails go through the
outbox in the transaction that makes the link, in the user's language.

Asking for a reset answers the same whether or not the name exists, and does the same work either way (a token
made and hashed, a mail composed, one write transaction), so neither the answer nor its timing tells who has an
account. Asking is throttled like signing in: per name asked for and per client address, every request counts.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlmodel import Session, col, func, select

from app.core import db, i18n, portal_settings
from app.core.errors import Message, ValidationError
from app.core.i18n import N_, _, ngettext
from app.core.logging import audit
from app.identity import accounts, auth, links
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.mail import outbox
from app.models import Customer, LinkPurpose, PortalUser, PortalUserCreate, Role

log = logging.getLogger('stockfront.mail')

NAME_FREE_REQUESTS = 3  # per name asked for, within an hour, before each further one waits a doubling time
NAME_MAX_LOCK = timedelta(minutes=15)
ADDRESS_FREE_REQUESTS = 20  # many people of one company may share one address
ADDRESS_MAX_LOCK = timedelta(minutes=15)
ASKED = N_('If that name belongs to a portal user with an e-mail address, a link to set a new password is on its way.')


class ResetThrottled(Message):
    """Too many reset requests for this name or from this address: how long to wait, in the reader's language."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__('Too many requests.')
        self.retry_after_s = retry_after_s

    @property
    def message(self) -> str:
        minutes = max(1, (self.retry_after_s + 59) // 60)
        return ngettext(
            'Too many requests for a new password. Please wait {n} minute and try again.',
            'Too many requests for a new password. Please wait {n} minutes and try again.',
            minutes,
        )


# --- invitations -----------------------------------------------------------------------------------------------


def invite_user(session: Session, *, actor: Identity, data: PortalUserCreate) -> PortalUser:
    """A new portal user who chooses its own password through a mailed link, valid 72 hours (`data.password` is
    not used). Until it does, nobody can sign in as it."""
    ensure_admin(actor)
    if not accounts.clean_email(data.email if isinstance(data.email, str) else ''):
        raise ValidationError('An invitation needs the e-mail address it goes to.', 'email')
    user = accounts.create_user(session, actor=actor, data=data, without_password=True)
    _invitation(session, user)
    return user


def invite_again(session: Session, *, actor: Identity, user_id: int) -> PortalUser:
    """An invitation for a user who has no password yet (invited before, or imported without one); an earlier
    link stops working."""
    user = accounts.get_user(session, actor=actor, user_id=user_id if isinstance(user_id, int) else 0)
    if not links.is_invited(user):
        raise ValidationError('{username} has chosen a password already.', username=user.username)
    if not user.email or not user.active:
        raise ValidationError('An invitation needs the e-mail address it goes to.', 'email')
    _invitation(session, user)
    return user


def _invitation(session: Session, user: PortalUser) -> None:
    assert user.id is not None and user.email
    token, link = links.new_link(session, user_id=user.id, purpose=LinkPurpose.INVITATION)
    supplier = portal_settings.supplier_name(session)
    with i18n.speaking(_language_of(session, user)):
        subject = _('Your account for the {supplier} portal').format(supplier=supplier)
        mail = outbox.Composer.of(session, subject).paragraph(
            _('Hello {name},').format(name=user.full_name or user.username),
            _('{supplier} has made you an account for its ordering portal. Your user name is {username}.').format(
                supplier=supplier, username=user.username
            ),
            _('Choose your password with the button below. The link works once and for 72 hours.'),
        )
        mail.button(_('Choose your password'), outbox.link(f'/invitation?token={token}'))
    outbox.write(session, event_key=f'invitation:{link.id}', recipient=user.email, subject=subject, mail=mail)
    audit('invitation.sent', user_id=user.id, username=user.username)


# --- "Forgot your password?" -------------------------------------------------------------------------------------


def request_password_reset(*, name: str, client_address: str) -> None:
    """Mail a reset link, valid one hour, to the active user with this user name (or, failing that, this e-mail
    address) if it has an address; for any other name nothing is sent, and the caller cannot tell the difference.
    Raises ResetThrottled when asked too often for this name or from this address."""
    typed = auth.normalize_username(name if isinstance(name, str) else '')
    keys = [f'reset:user:{typed}', f'reset:ip:{client_address or "unknown"}']
    with db.read_session() as session:
        wait = auth.throttle_wait(session, keys=keys)
    if wait:
        audit('password_reset.refused', username=typed, address=client_address, reason='throttled')
        raise ResetThrottled(wait)
    with db.write_session() as session:
        auth.count_attempt(session, key=keys[0], free=NAME_FREE_REQUESTS, cap=NAME_MAX_LOCK)
        auth.count_attempt(session, key=keys[1], free=ADDRESS_FREE_REQUESTS, cap=ADDRESS_MAX_LOCK)
        users = _users_named(session, typed)
        if users:
            for user in users:
                _reset_mail(session, user)
        else:
            _reset_mail(session, None)  # the same work, nothing kept: the answer's timing tells nothing
    audit('password_reset.asked', username=typed, address=client_address, sent=len(users))


def _users_named(session: Session, typed: str) -> list[PortalUser]:
    """The active user of this name, else the active users with this e-mail address; only those with an address."""
    if not typed:
        return []
    by_name = session.exec(select(PortalUser).where(PortalUser.username == typed)).first()
    if by_name is not None:
        found = [by_name]
    else:
        found = list(session.exec(select(PortalUser).where(func.lower(col(PortalUser.email)) == typed)))
    return [user for user in found if user.active and user.email]


def _reset_mail(session: Session, user: PortalUser | None) -> None:
    if user is not None:
        assert user.id is not None
        token, link = links.new_link(session, user_id=user.id, purpose=LinkPurpose.PASSWORD_RESET)
    else:
        token, link = links.rehearse(session)
    language = _language_of(session, user) if user is not None else portal_settings.default_language(session)
    with i18n.speaking(language):
        subject = _('A new password for the {supplier} portal').format(supplier=portal_settings.supplier_name(session))
        name = (user.full_name or user.username) if user is not None else ''
        mail = outbox.Composer.of(session, subject).paragraph(
            _('Hello {name},').format(name=name),
            _('Someone, hopefully you, asked for a new password for your user name {username}.').format(
                username=user.username if user is not None else ''
            ),
            _('Set a new password with the button below. The link works once and for one hour.'),
            _('If you did not ask for this, ignore this mail: your password stays as it is.'),
        )
        mail.button(_('Set a new password'), outbox.link(f'/reset-password?token={token}'))
    if user is None or not user.email:
        mail.parts()  # rendered as a real one is in outbox.write: the same work, nothing kept
        return
    outbox.write(session, event_key=f'password-reset:{link.id}', recipient=user.email, subject=subject, mail=mail)


def _language_of(session: Session, user: PortalUser) -> str:
    customer = session.get(Customer, user.customer_id) if user.customer_id and user.role == Role.CUSTOMER else None
    return user.language or (customer.language if customer else None) or portal_settings.default_language(session)
