"""Customers, their delivery addresses and portal users (no self sign-up: the supplier creates them)."""

from __future__ import annotations

import re

from sqlalchemy import Select
from sqlmodel import Session, col, func, or_, select

from app.core import config, i18n, paging, text
from app.core.errors import NotFound, ValidationError
from app.core.i18n import N_
from app.core.paging import Page
from app.identity import auth, passwords
from app.identity.access import customer_of, ensure_admin
from app.identity.auth import Identity
from app.models import (
    Address,
    AddressCreate,
    CatalogueMode,
    Customer,
    CustomerCreate,
    PortalUser,
    PortalUserCreate,
    Role,
)

USERNAME_RE = re.compile(r'[a-z0-9][a-z0-9._@-]{2,63}')
CODE_RE = re.compile(r'[A-Za-z0-9][A-Za-z0-9._-]{0,31}')
LANGUAGES = i18n.LANGUAGES  # the languages the portal speaks, each named in itself
MAX_ADDRESSES = 50
MAX_PAGE_SIZE = 100


def clean_email(value: object) -> str | None:
    """An e-mail address as typed (trimmed), or None for none; anything that is not one is refused."""
    typed = value.strip() if isinstance(value, str) else ''
    if not typed:
        return None
    if len(typed) > 254 or not config.EMAIL_RE.fullmatch(typed):
        raise ValidationError('Enter an e-mail address such as name@example.com.', 'email')
    return typed


# --- customers ------------------------------------------------------------------------------------


def _validated_customer(data: CustomerCreate) -> CustomerCreate:
    name = text.bounded_line(data.name, field='name', label=N_('The name'), max_len=120)
    code = text.bounded_line(data.code, field='code', label=N_('The customer code'), max_len=32).upper()
    if not CODE_RE.fullmatch(code):
        raise ValidationError('The customer code may use letters, digits, dot, dash and underscore.', 'code')
    if not isinstance(data.language, str) or data.language not in LANGUAGES:
        raise ValidationError('Choose one of the offered languages.', 'language')
    if not isinstance(data.catalogue_mode, str) or data.catalogue_mode not in set(CatalogueMode):
        raise ValidationError('Choose all products or a selection.', 'catalogue_mode')
    return CustomerCreate(
        name=name, code=code, language=data.language, catalogue_mode=CatalogueMode(data.catalogue_mode)
    )


def create_customer(session: Session, *, actor: Identity, data: CustomerCreate) -> Customer:
    ensure_admin(actor)
    clean = _validated_customer(data)
    if session.exec(select(Customer).where(Customer.code == clean.code)).first():
        raise ValidationError('Customer code {code} is already in use.', 'code', code=clean.code)
    customer = Customer.model_validate(clean)
    session.add(customer)
    session.flush()
    return customer


def update_customer(session: Session, *, actor: Identity, customer_id: int, data: CustomerCreate) -> Customer:
    ensure_admin(actor)
    customer = get_customer(session, actor=actor, customer_id=customer_id)
    clean = _validated_customer(data)
    clash = session.exec(select(Customer).where(Customer.code == clean.code, Customer.id != customer_id)).first()
    if clash:
        raise ValidationError('Customer code {code} is already in use.', 'code', code=clean.code)
    # the catalogue mode has its own service (catalogue.set_catalogue_mode): a details form never resets it
    for key in ('name', 'code', 'language'):
        setattr(customer, key, getattr(clean, key))
    session.add(customer)
    return customer


def get_customer(session: Session, *, actor: Identity, customer_id: int) -> Customer:
    """A customer: any for a supplier admin, only its own for a customer user."""
    if actor.role != Role.ADMIN and customer_of(actor) != customer_id:
        raise NotFound('This customer')
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound('This customer')
    return customer


def list_customers(
    session: Session, *, actor: Identity, search: str = '', offset: int = 0, limit: int = 25
) -> tuple[list[Customer], int]:
    """Customers by name whose name or code contains `search` (the text itself: % and _ are no wildcards)."""
    ensure_admin(actor)
    query = _customers_matching(search)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Customer.name).offset(max(offset, 0)).limit(min(limit, 200))).all()
    return list(rows), total


def customer_page(
    session: Session, *, actor: Identity, search: str = '', page: int = 1, page_size: int = 25
) -> Page[Customer]:
    """One page of the customers list, searched like list_customers; a page past the end is the last one."""
    ensure_admin(actor)
    return paging.page_of(
        session,
        _customers_matching(search),
        order_by=(Customer.name, col(Customer.id)),
        page=page,
        page_size=page_size,
        max_page_size=MAX_PAGE_SIZE,
    )


def _customers_matching(search: str) -> Select:
    query = select(Customer)
    if search.strip():
        pattern = f'%{text.escape_like(search.strip()[:60])}%'
        query = query.where(
            or_(col(Customer.name).ilike(pattern, escape='\\'), col(Customer.code).ilike(pattern, escape='\\'))
        )
    return query


# --- addresses ------------------------------------------------------------------------------------


def validate_address(data: AddressCreate) -> AddressCreate:
    return AddressCreate(
        label=text.bounded_line(data.label, field='label', label=N_('The label'), max_len=60, required=False),
        recipient=text.bounded_line(data.recipient, field='recipient', label=N_('The recipient'), max_len=120),
        street=text.bounded_line(data.street, field='street', label=N_('The street and number'), max_len=200),
        postal_code=text.bounded_line(data.postal_code, field='postal_code', label=N_('The postal code'), max_len=20),
        city=text.bounded_line(data.city, field='city', label=N_('The city'), max_len=100),
        country=text.bounded_line(data.country, field='country', label=N_('The country'), max_len=60, required=False),
    )


def list_addresses(session: Session, *, actor: Identity, customer_id: int) -> list[Address]:
    get_customer(session, actor=actor, customer_id=customer_id)
    rows = session.exec(
        select(Address)
        .where(Address.customer_id == customer_id)
        .order_by(col(Address.is_default).desc(), col(Address.id))
    ).all()
    return list(rows)


def get_address(session: Session, *, actor: Identity, address_id: int) -> Address:
    address = session.get(Address, address_id)
    if address is None:
        raise NotFound('This address')
    try:
        get_customer(session, actor=actor, customer_id=address.customer_id)
    except NotFound:
        raise NotFound('This address') from None
    return address


def add_address(
    session: Session, *, actor: Identity, customer_id: int, data: AddressCreate, make_default: bool = False
) -> Address:
    """Customers add to their own address book (when ordering); supplier admins to any."""
    get_customer(session, actor=actor, customer_id=customer_id)
    clean = validate_address(data)
    count = session.exec(select(func.count()).where(Address.customer_id == customer_id)).one()
    if count >= MAX_ADDRESSES:
        raise ValidationError('An address book holds at most {limit} addresses.', limit=MAX_ADDRESSES)
    address = Address.model_validate(clean, update={'customer_id': customer_id, 'is_default': count == 0})
    session.add(address)
    session.flush()
    if make_default:
        set_default_address(session, actor=actor, address_id=address.id)
    return address


def update_address(session: Session, *, actor: Identity, address_id: int, data: AddressCreate) -> Address:
    ensure_admin(actor)
    address = get_address(session, actor=actor, address_id=address_id)
    for key, value in validate_address(data).model_dump().items():
        setattr(address, key, value)
    session.add(address)
    return address


def set_default_address(session: Session, *, actor: Identity, address_id: int) -> None:
    address = get_address(session, actor=actor, address_id=address_id)
    for other in session.exec(select(Address).where(Address.customer_id == address.customer_id)).all():
        other.is_default = other.id == address.id
        session.add(other)


def delete_address(session: Session, *, actor: Identity, address_id: int) -> None:
    ensure_admin(actor)
    address = get_address(session, actor=actor, address_id=address_id)
    was_default = address.is_default
    customer_id = address.customer_id
    session.delete(address)
    session.flush()
    if was_default:
        first = session.exec(select(Address).where(Address.customer_id == customer_id).order_by(Address.id)).first()
        if first:
            first.is_default = True
            session.add(first)


# --- portal users ---------------------------------------------------------------------------------


def create_user(
    session: Session, *, actor: Identity, data: PortalUserCreate, without_password: bool = False
) -> PortalUser:
    """A new portal user. `without_password` (an import: files never carry passwords): no password yet, so nobody
    can sign in as it until the supplier gives it one or it is invited; data.password is not read."""
    ensure_admin(actor)
    typed = data.username.strip().casefold() if isinstance(data.username, str) else ''
    username = auth.normalize_username(typed)
    if not USERNAME_RE.fullmatch(typed):  # the name as typed: sign-in's cut at 64 characters must not hide a longer one
        raise ValidationError(
            'A user name has 3 to 64 characters: letters, digits, dot, dash, underscore or @.', 'username'
        )
    # bcrypt takes a quarter second: hash before the first query, so the write lock is not held meanwhile
    password_hash = '' if without_password else passwords.hash_password(data.password)
    if session.exec(select(PortalUser).where(PortalUser.username == username)).first():
        raise ValidationError('The user name {username} is already taken.', 'username', username=username)
    if not isinstance(data.role, str) or data.role not in set(Role):
        raise ValidationError('Choose a customer user or a supplier admin.', 'role')
    role = Role(data.role)
    customer_id = data.customer_id
    known_id = isinstance(customer_id, int) and not isinstance(customer_id, bool) and 0 < customer_id < 2**63
    if role == Role.CUSTOMER and (not known_id or session.get(Customer, customer_id) is None):
        raise ValidationError('A customer user must belong to a customer.', 'customer_id')
    full_name = clean_full_name(data.full_name)
    user = PortalUser(
        username=username,
        full_name=full_name,
        email=clean_email(data.email),
        role=role,
        customer_id=data.customer_id if role == Role.CUSTOMER else None,
        active=True,
        password_hash=password_hash,
    )
    session.add(user)
    session.flush()
    return user


def clean_full_name(value: object) -> str:
    """A portal user's full name as stored (optional), or ValidationError."""
    return text.bounded_line(value, field='full_name', label=N_('The name'), max_len=120, required=False)


def get_user(session: Session, *, actor: Identity, user_id: int) -> PortalUser:
    ensure_admin(actor)
    user = session.get(PortalUser, user_id)
    if user is None:
        raise NotFound('This user')
    return user


def list_users(session: Session, *, actor: Identity, customer_id: int | None) -> list[PortalUser]:
    """Users of a customer, or the supplier's own admins when customer_id is None."""
    ensure_admin(actor)
    query = select(PortalUser).order_by(PortalUser.username)
    if customer_id is None:
        query = query.where(PortalUser.role == Role.ADMIN)
    else:
        query = query.where(PortalUser.customer_id == customer_id)
    return list(session.exec(query).all())


def user_counts(session: Session, *, actor: Identity, customer_ids: list[int]) -> dict[int, int]:
    """How many portal users each of these customers has (one grouped query for a page of customers)."""
    ensure_admin(actor)
    if not customer_ids:
        return {}
    rows = session.exec(
        select(PortalUser.customer_id, func.count())
        .where(col(PortalUser.customer_id).in_(customer_ids))
        .group_by(col(PortalUser.customer_id))
    ).all()
    return {customer_id: count for customer_id, count in rows if customer_id is not None}


def reset_password(session: Session, *, actor: Identity, user_id: int, password: str) -> None:
    ensure_admin(actor)
    password_hash = passwords.hash_password(password)  # before the first query: see create_user
    user = get_user(session, actor=actor, user_id=user_id)
    user.password_hash = password_hash
    session.add(user)
    auth.end_sessions(session, user_id=user_id)


def set_active(session: Session, *, actor: Identity, user_id: int, active: bool) -> None:
    user = get_user(session, actor=actor, user_id=user_id)
    if not active and user.id == actor.user_id:
        raise ValidationError('You cannot deactivate yourself.')
    user.active = active
    session.add(user)
    if not active:
        auth.end_sessions(session, user_id=user_id)


def set_user_details(
    session: Session, *, actor: Identity, user_id: int, full_name: object, language: str | None
) -> PortalUser:
    """The supplier names a user and chooses the language it reads the portal in (None: its customer's); nothing
    changes when either is refused."""
    user = get_user(session, actor=actor, user_id=user_id)
    if language is not None and (not isinstance(language, str) or language not in LANGUAGES):
        raise ValidationError('Choose one of the offered languages.', 'language')
    user.full_name = clean_full_name(full_name)
    user.language = language
    session.add(user)
    return user


def set_language(session: Session, *, actor: Identity, language: str | None) -> str:
    """The signed-in user chooses the language it reads the portal in (kept for its next visit, on any device);
    None goes back to its customer's language. Returns the language the user now reads."""
    if language is not None and (not isinstance(language, str) or language not in LANGUAGES):
        raise ValidationError('Choose one of the offered languages.', 'language')
    user = session.get(PortalUser, actor.user_id)
    if user is None or not user.active:
        raise NotFound('This user')
    user.language = language
    session.add(user)
    customer = session.get(Customer, user.customer_id) if user.customer_id else None
    return i18n.supported(language or (customer.language if customer else None))


def set_email(session: Session, *, actor: Identity, user_id: int, email: str | None) -> str | None:
    """The supplier sets a portal user's e-mail address (empty: none, so it gets no mails). Returns it as stored."""
    ensure_admin(actor)
    valid_id = isinstance(user_id, int) and not isinstance(user_id, bool) and 0 < user_id < 2**63
    user = session.get(PortalUser, user_id) if valid_id else None
    if user is None:
        raise NotFound('This user')
    user.email = clean_email(email)
    session.add(user)
    return user.email


def set_own_email(session: Session, *, actor: Identity, email: str | None) -> str | None:
    """The signed-in user sets its own e-mail address (empty: none). Returns it as stored."""
    user = session.get(PortalUser, actor.user_id)
    if user is None or not user.active:
        raise NotFound('This user')
    user.email = clean_email(email)
    session.add(user)
    return user.email
