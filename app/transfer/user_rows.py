"""A portal users file's rows: a user by its user name, with its name, e-mail address, language, customer and role."""

from __future__ import annotations

from sqlmodel import Session, select

from app.core.i18n import N_
from app.identity import accounts
from app.identity.auth import Identity
from app.models import Customer, PortalUser, PortalUserCreate, Role
from app.transfer import bulk
from app.transfer.customer_rows import CUSTOMER_COLUMNS
from app.transfer.import_report import Outcome, refuse
from app.transfer.tables import Row, Table
from app.transfer.words import LANGUAGE_NAMES

# Column names each field is known by, besides its own (compared without case, spaces or punctuation).
USER_COLUMNS = {
    'username': (
        'user name',
        'user',
        'login',
        'gebruikersnaam',
        'gebruiker',
        'benutzername',
        'benutzer',
        'anmeldename',
    ),
    'full_name': ('name', 'full name', 'naam', 'volledige naam', 'vollständiger name', 'name des benutzers'),
    'email': ('e-mail', 'email address', 'e-mail address', 'mail', 'e-mailadres', 'e-mail-adresse'),
    'language': ('taal', 'sprache', 'locale'),
    'active': ('enabled', 'actief', 'aktiv'),
    'customer': (*CUSTOMER_COLUMNS['code'], 'customer code'),
    'role': ('rol', 'rolle'),
}
ROLE_WORDS = {
    'customer': Role.CUSTOMER, 'klant': Role.CUSTOMER, 'kunde': Role.CUSTOMER, 'admin': Role.ADMIN,
    'beheerder': Role.ADMIN, 'administrator': Role.ADMIN,
}  # fmt: skip
USER_FIELDS = ('full_name', 'email', 'language', 'active', 'customer', 'role')


def user_row(session: Session, actor: Identity, row: Row, table: Table) -> Outcome:
    """A portal user by user name: its name, e-mail address, language, whether active, its customer (by code) and
    role. Never a password: a new user gets none (the supplier gives it one, or invites it)."""
    values = row.values
    username = values.get('username', '').strip().casefold()
    existing = session.exec(select(PortalUser).where(PortalUser.username == username)).first() if username else None
    customer_id = existing.customer_id if existing else None
    customer_code = values.get('customer', '').strip().upper()
    if 'customer' in values:
        customer_id = None
        if customer_code:
            customer_id = session.exec(select(Customer.id).where(Customer.code == customer_code)).first()
            if customer_id is None:
                raise refuse(table, 'customer', N_('No customer has the code {code}.'), code=customer_code)
    role = existing.role if existing else (Role.CUSTOMER if customer_id or not values.get('role') else None)
    if values.get('role', '').strip():
        word = values['role'].strip().casefold()
        role = ROLE_WORDS.get(word)
        if role is None:
            raise refuse(table, 'role', N_('Write customer or admin, not {value}.'), value=values['role'].strip())
    language = existing.language if existing else None
    if 'language' in values:
        word = values['language'].strip().casefold()
        language = LANGUAGE_NAMES.get(word, word) or None
        if language is not None and language not in accounts.LANGUAGES:
            raise refuse(table, 'language', N_('Choose one of the offered languages.'))
    email = accounts.clean_email(values['email']) if 'email' in values else (existing.email if existing else None)
    active = existing.active if existing else True
    if values.get('active', '').strip():
        active = bulk.flag(values['active'], table, 'active')
    full_name = values.get('full_name', existing.full_name if existing else '')
    if existing is None:
        user = accounts.create_user(
            session,
            actor=actor,
            data=PortalUserCreate.model_construct(
                username=username, full_name=full_name, role=role, customer_id=customer_id, email=email, password=''
            ),
            without_password=True,
        )
        if language is not None:
            accounts.set_user_details(
                session, actor=actor, user_id=user.id, full_name=user.full_name, language=language
            )
        if not active:
            accounts.set_active(session, actor=actor, user_id=user.id, active=False)
        session.flush()
        session.info['users_without_password'] = session.info.get('users_without_password', 0) + 1
        return 'new', ()
    if role != existing.role or (role == Role.CUSTOMER and customer_id != existing.customer_id):
        raise refuse(
            table,
            'customer' if 'customer' in values else 'role',
            N_("A user's customer and role are not changed by an import: make a new user instead."),
        )
    clean_name = accounts.clean_full_name(full_name)
    fields = [
        name
        for name, changed in (
            ('full_name', clean_name != existing.full_name),
            ('email', email != existing.email),
            ('language', language != existing.language),
            ('active', active != existing.active),
        )
        if changed
    ]
    if 'full_name' in fields or 'language' in fields:
        accounts.set_user_details(session, actor=actor, user_id=existing.id, full_name=clean_name, language=language)
    if 'email' in fields:
        accounts.set_email(session, actor=actor, user_id=existing.id, email=email)
    if 'active' in fields:
        accounts.set_active(session, actor=actor, user_id=existing.id, active=active)
    session.flush()
    return ('changed', tuple(fields)) if fields else ('unchanged', ())
