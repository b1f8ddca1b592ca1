"""The supplier's product administration: creating, changing and listing products.

Stock changes (receiving, counts) live in app.stock and images in their own module; here only what
the supplier types about a product. Codes are stored upper-case, so they are unique whatever the case.
"""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from app.catalogue import catalogue
from app.core import clock, db, events, text
from app.core.errors import ValidationError
from app.core.i18n import N_
from app.core.money import MAX_PRICE_CENTS
from app.core.paging import Page
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import Product, ProductCreate

CODE_RE = re.compile(r'[A-Z0-9._/-]{1,40}')
BARCODE_RE = re.compile(r'[0-9]{1,40}')


def validate(data: ProductCreate) -> ProductCreate:
    """The product as it will be stored, or ValidationError naming the first bad field."""
    code = text.bounded_line(data.code, field='code', label=N_('The product code'), max_len=40).upper()
    if not CODE_RE.fullmatch(code):
        raise ValidationError('The product code may use letters, digits, dot, dash, underscore and slash.', 'code')
    name = text.bounded_line(data.name, field='name', label=N_('The name'), max_len=200)
    description = text.block(data.description, field='description', label=N_('The description'))
    if len(description) > 5000:
        raise ValidationError(
            '{label} can be at most {limit} characters.', 'description', label=N_('The description'), limit=5000
        )
    barcode = text.line(data.barcode, field='barcode', label=N_('The barcode'))
    if barcode and not BARCODE_RE.fullmatch(barcode):
        raise ValidationError('A barcode has only digits, at most 40.', 'barcode')
    unit = text.bounded_line(data.unit, field='unit', label=N_('The unit'), max_len=20)
    price = data.price_cents
    if not isinstance(price, int) or isinstance(price, bool):
        raise ValidationError('Enter the price as a number, for example 12.50.', 'price_cents')
    if price < 0:
        raise ValidationError('The price cannot be negative.', 'price_cents')
    if price > MAX_PRICE_CENTS:
        raise ValidationError('That price is too high.', 'price_cents')
    return ProductCreate.model_construct(
        code=code,
        name=name,
        description=description,
        barcode=barcode,
        unit=unit,
        price_cents=price,
        active=bool(data.active),
    )


def create_product(session: Session, *, actor: Identity, data: ProductCreate) -> Product:
    ensure_admin(actor)
    clean = validate(data)
    _ensure_code_free(session, clean.code, product_id=None)
    product = Product(**clean.model_dump())
    session.add(product)
    session.flush()
    events.queue(session, ('catalogue',))
    return product


def get_product(session: Session, *, actor: Identity, product_id: int) -> Product:
    """The product as the supplier's product page shows it, active or not."""
    ensure_admin(actor)
    return db.get_or_not_found(session, Product, product_id, N_('This product'))


def update_product(session: Session, *, actor: Identity, product_id: int, data: ProductCreate) -> Product:
    ensure_admin(actor)
    product = db.get_or_not_found(session, Product, product_id, N_('This product'))
    clean = validate(data)
    _ensure_code_free(session, clean.code, product_id=product_id)
    for key, value in clean.model_dump().items():
        setattr(product, key, value)
    return changed(session, product)


def changed(session: Session, product: Product) -> Product:
    """Store a change the supplier made to `product` and redraw the open pages showing it."""
    product.updated_at = clock.now()
    session.add(product)
    session.flush()
    events.queue(session, ('stock', product.id), ('catalogue',))
    return product


def list_products(
    session: Session, *, actor: Identity, query: str = '', page: int = 1, page_size: int = 25, sort: str = 'code'
) -> Page[Product]:
    """Every product, inactive ones too, searched and sorted like the catalogue."""
    ensure_admin(actor)
    found = catalogue.search_products(session, actor=actor, query=query, sort=sort, page=page, page_size=page_size)
    ids = [card.id for card in found.items]
    by_id = {p.id: p for p in session.exec(select(Product).where(col(Product.id).in_(ids)))} if ids else {}
    return Page(
        items=[by_id[i] for i in ids], total=found.total, page=found.page, pages=found.pages, page_size=found.page_size
    )


def _ensure_code_free(session: Session, code: str, *, product_id: int | None) -> None:
    clash = select(Product.id).where(Product.code == code)  # codes are stored upper-case
    if product_id is not None:
        clash = clash.where(col(Product.id) != product_id)
    if session.exec(clash).first() is not None:
        raise ValidationError('Product code {code} is already in use.', 'code', code=code)
