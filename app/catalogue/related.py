"""Related products: the supplier links alternatives and accessories to a product; customers see those they may see.

An alternative goes both ways (if B can replace A, A can replace B: one link, read from either end); an accessory
one way (a bit goes with the drill, not the drill with the bit). Each pair of products has at most one link.

What a customer reads always goes through the catalogue's visibility (app/catalogue/catalogue.py): a product it may
not see (inactive, outside its selection) is never listed, and asking for the related products of such a product
answers NotFound. An out-of-stock product suggests its in-stock alternatives (`in_stock_alternatives`), on its page
and on its line in the current order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, func, or_, select

from app.catalogue import catalogue, translations
from app.catalogue.catalogue import ProductCard
from app.core import db, events
from app.core.errors import NotFound, ValidationError
from app.core.i18n import N_
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import Product, RelatedProduct, RelationKind

MAX_LINKS_PER_PRODUCT = 50
MAX_SUGGESTIONS = 3  # in-stock alternatives suggested for an out-of-stock product
KIND_LABELS = {RelationKind.ALTERNATIVE: N_('Alternative'), RelationKind.ACCESSORY: N_('Accessory')}


@dataclass(frozen=True)
class Link:
    """A product linked to the one on the supplier's screen."""

    product_id: int
    code: str
    name: str
    active: bool
    kind: RelationKind


@dataclass(frozen=True)
class Related:
    alternatives: list[ProductCard]
    accessories: list[ProductCard]


def link(session: Session, *, actor: Identity, product_id: int, related_id: int, kind: RelationKind | str) -> None:
    """Link `related_id` to `product_id` as an alternative or accessory (an existing link between the two changes)."""
    ensure_admin(actor)
    try:
        kind = RelationKind(kind)
    except ValueError:
        raise ValidationError('Choose alternative or accessory.', 'kind') from None
    if not isinstance(related_id, int) or isinstance(related_id, bool):
        raise ValidationError('Choose a product from the list.', 'related_id')
    if related_id == product_id:
        raise ValidationError('A product cannot be related to itself.', 'related_id')
    for wanted in (product_id, related_id):
        db.get_or_not_found(session, Product, wanted, N_('This product'))
    existing = _between(session, product_id, related_id)
    if existing is None:
        count = session.exec(select(func.count()).where(RelatedProduct.product_id == product_id)).one()
        if count >= MAX_LINKS_PER_PRODUCT:
            raise ValidationError('A product can have at most {limit} related products.', limit=MAX_LINKS_PER_PRODUCT)
        session.add(RelatedProduct(product_id=product_id, related_id=related_id, kind=kind, position=count))
    else:
        session.delete(existing)  # (the pair may be stored the other way round)
        session.flush()
        session.add(RelatedProduct(product_id=product_id, related_id=related_id, kind=kind, position=existing.position))
    session.flush()
    _announce(session, product_id, related_id)


def link_by_code(session: Session, *, actor: Identity, product_id: int, code: object, kind: RelationKind | str) -> int:
    """`link` to the product with this code (as the supplier types it: any case, spaces around); its id."""
    ensure_admin(actor)
    wanted = code.strip().upper() if isinstance(code, str) else ''
    if not wanted:
        raise ValidationError('Enter the code of the product to link.', 'code')
    found = session.exec(select(Product.id).where(Product.code == wanted)).first()
    if found is None:
        raise ValidationError('No product has the code {code}.', 'code', code=wanted[:40])
    link(session, actor=actor, product_id=product_id, related_id=found, kind=kind)
    return found


def unlink(session: Session, *, actor: Identity, product_id: int, related_id: int) -> None:
    ensure_admin(actor)
    existing = _between(session, product_id, related_id)
    if existing is None:
        raise NotFound('This link')
    session.delete(existing)
    session.flush()
    _announce(session, product_id, related_id)


def links_of(session: Session, *, actor: Identity, product_id: int) -> list[Link]:
    """Every product linked to this one, for the supplier: its accessories, and its alternatives both ways."""
    ensure_admin(actor)
    found: list[Link] = []
    for other_id, kind in _linked(session, [product_id], kinds=tuple(RelationKind)).get(product_id, []):
        product = session.get(Product, other_id)
        if product is not None and product.id is not None:
            found.append(Link(product.id, product.code, product.name, product.active, kind))
    return found


def related_for(session: Session, *, actor: Identity, product_id: int) -> Related:
    """The alternatives and accessories of a product the actor may see (NotFound for any other), those it may see."""
    catalogue.get_product(session, actor=actor, product_id=product_id)  # NotFound unless visible
    linked = _linked(session, [product_id], kinds=tuple(RelationKind)).get(product_id, [])
    cards = _cards(session, actor, [other for other, _kind in linked])
    return Related(
        alternatives=[cards[o] for o, kind in linked if kind == RelationKind.ALTERNATIVE and o in cards],
        accessories=[cards[o] for o, kind in linked if kind == RelationKind.ACCESSORY and o in cards],
    )


def in_stock_alternatives(
    session: Session, *, actor: Identity, product_ids: Iterable[int], limit: int = MAX_SUGGESTIONS
) -> dict[int, list[ProductCard]]:
    """For each of `product_ids` (products already on the actor's screen): its alternatives with free stock that the
    actor may see, the most in stock first, at most `limit`."""
    linked = _linked(session, list(product_ids), kinds=(RelationKind.ALTERNATIVE,))
    cards = _cards(session, actor, [other for pairs in linked.values() for other, _kind in pairs])
    found: dict[int, list[ProductCard]] = {}
    for product_id, pairs in linked.items():
        available = [cards[o] for o, _kind in pairs if o in cards and cards[o].free > 0]
        if available:
            found[product_id] = sorted(available, key=lambda card: -card.free)[:limit]
    return found


def _between(session: Session, one: int, other: int) -> RelatedProduct | None:
    return session.exec(
        select(RelatedProduct).where(
            or_(
                (col(RelatedProduct.product_id) == one) & (col(RelatedProduct.related_id) == other),
                (col(RelatedProduct.product_id) == other) & (col(RelatedProduct.related_id) == one),
            )
        )
    ).first()


def _linked(
    session: Session, product_ids: list[int], *, kinds: tuple[RelationKind, ...]
) -> dict[int, list[tuple[int, RelationKind]]]:
    """For each product: (the other product, the kind), in the supplier's order; alternatives read both ways."""
    found: dict[int, list[tuple[int, RelationKind]]] = {}
    for chunk in catalogue._chunks(product_ids):
        rows = session.exec(
            select(RelatedProduct.product_id, RelatedProduct.related_id, RelatedProduct.kind, RelatedProduct.position)
            .where(col(RelatedProduct.kind).in_(kinds))
            .where(
                or_(
                    col(RelatedProduct.product_id).in_(chunk),
                    (col(RelatedProduct.related_id).in_(chunk)) & (RelatedProduct.kind == RelationKind.ALTERNATIVE),
                )
            )
            .order_by(col(RelatedProduct.position), col(RelatedProduct.related_id))
        ).all()
        wanted = set(chunk)
        for owner, other, kind, _position in rows:  # its own links first, in its order
            if owner in wanted:
                found.setdefault(owner, []).append((other, RelationKind(kind)))
        for owner, other, kind, _position in rows:  # then the alternatives linked from the other end
            if other in wanted and kind == RelationKind.ALTERNATIVE:
                found.setdefault(other, []).append((owner, RelationKind(kind)))
    return {pid: list(dict.fromkeys(pairs)) for pid, pairs in found.items()}


def _cards(session: Session, actor: Identity, product_ids: list[int]) -> dict[int, ProductCard]:
    """Cards of those of `product_ids` the actor may see, named in its language."""
    ids = list(dict.fromkeys(product_ids))
    if not ids:
        return {}
    customer_id = catalogue.scope_of(actor)
    rows = []
    for chunk in catalogue._chunks(ids):
        stmt = select(*catalogue.CARD_COLUMNS).where(col(Product.id).in_(chunk))
        rows += session.exec(catalogue.visible(session, stmt, customer_id=customer_id)).all()
    language = translations.reading_language(session, actor)
    return {card.id: card for card in catalogue.cards(session, rows, language=language)}


def _announce(session: Session, *product_ids: int) -> None:
    events.queue(session, *[('product', pid) for pid in product_ids], ('catalogue',))
