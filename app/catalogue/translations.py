"""Products' names and descriptions in the portal's other languages, where the supplier writes them.

A product's own name and description (the `product` row) are in the supplier's default language
(portal_settings.default_language). A `ProductTranslation` row gives them in another language, each on its own:
an empty name or description falls back to the product's own, and a row with neither is deleted. So a reader
always gets a name, and the supplier translates what is worth it, product by product.

Customers read the catalogue, a product and their current order in their own language (`i18n.current()`,
set per page and click), falling back to the default texts; searching matches the translations in that language
as well as the products' own texts (app/catalogue/catalogue.py). The supplier's screens show the products' own
texts; its product page edits the translations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.core import db, events, i18n, portal_settings, text
from app.core.errors import ValidationError
from app.core.i18n import N_
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import Product, ProductTranslation, Role

MAX_NAME_CHARS = 200
MAX_DESCRIPTION_CHARS = 5000
ID_CHUNK = 500


@dataclass(frozen=True)
class ProductText:
    """A product's name and description in one language, as written (empty: falls back to the product's own)."""

    name: str = ''
    description: str = ''


def reading_language(session: Session, actor: Identity | None) -> str | None:
    """The language whose translations `actor` reads, or None for the products' own texts: the supplier's staff
    (they work on the supplier's texts), a reader of the default language, and a language with no translation at
    all (so its catalogue queries stay those of the default texts)."""
    if actor is None or actor.role == Role.ADMIN:
        return None
    language = i18n.current()
    if language == portal_settings.default_language(session):
        return None
    written = select(ProductTranslation.id).where(ProductTranslation.language == language).limit(1)
    return language if session.exec(written).first() is not None else None


def texts_in(session: Session, *, language: str | None, product_ids: Iterable[int]) -> dict[int, ProductText]:
    """The translations of these products in `language` (those that have one)."""
    found: dict[int, ProductText] = {}
    if language is None:
        return found
    ids = list(dict.fromkeys(product_ids))
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        rows = session.exec(
            select(ProductTranslation.product_id, ProductTranslation.name, ProductTranslation.description).where(
                ProductTranslation.language == language, col(ProductTranslation.product_id).in_(chunk)
            )
        )
        found.update({pid: ProductText(name, description) for pid, name, description in rows})
    return found


def names_for(session: Session, actor: Identity, products: Iterable[Product]) -> dict[int, str]:
    """Each product's name as `actor` reads it: in its language where translated, else the product's own."""
    products = list(products)
    translated = texts_in(session, language=reading_language(session, actor), product_ids=[p.id for p in products])
    return {p.id: (translated[p.id].name if p.id in translated else '') or p.name for p in products if p.id}


# --- the supplier writes them -------------------------------------------------------------------------


def product_translations(session: Session, *, actor: Identity, product_id: int) -> dict[str, ProductText]:
    """The product's texts in each language besides the default one, as written (empty where not written)."""
    ensure_admin(actor)
    _product(session, product_id)
    default = portal_settings.default_language(session)
    rows = session.exec(select(ProductTranslation).where(ProductTranslation.product_id == product_id)).all()
    written = {row.language: ProductText(row.name, row.description) for row in rows}
    return {language: written.get(language, ProductText()) for language in i18n.LANGUAGES if language != default}


def set_product_translation(
    session: Session, *, actor: Identity, product_id: int, language: str, name: str, description: str
) -> ProductText:
    """Write the product's name and description in `language` (not the default one: those are the product's own);
    either may be empty to fall back to the product's own, both empty removes the translation. Returns it as saved."""
    ensure_admin(actor)
    if not isinstance(language, str) or language not in i18n.LANGUAGES:
        raise ValidationError('Choose one of the offered languages.', 'language')
    if language == portal_settings.default_language(session):
        raise ValidationError(
            "The texts in {language} are the product's own name and description: change them in its details.",
            'language',
            language=i18n.language_name(language),
        )
    product = _product(session, product_id)
    clean = clean_text(name, description)
    row = session.exec(
        select(ProductTranslation).where(
            ProductTranslation.product_id == product_id, ProductTranslation.language == language
        )
    ).first()
    if not clean.name and not clean.description:
        if row is not None:
            session.delete(row)
    else:
        row = row or ProductTranslation(product_id=product_id, language=language)
        row.name, row.description = clean.name, clean.description
        session.add(row)
    session.flush()
    events.queue(session, ('stock', product.id), ('catalogue',))  # open pages showing the product draw it again
    return clean


def clean_text(name: object, description: object) -> ProductText:
    """A translation's name and description as they will be stored, or ValidationError (reads nothing)."""
    return ProductText(
        name=_checked(text.line(name, field='name', label=N_('The name')), 'name', N_('The name'), MAX_NAME_CHARS),
        description=_checked(
            text.block(description, field='description', label=N_('The description')),
            'description',
            N_('The description'),
            MAX_DESCRIPTION_CHARS,
        ),
    )


def _checked(value: str, field: str, label: str, max_len: int) -> str:
    if len(value) > max_len:
        raise ValidationError('{label} can be at most {limit} characters.', field, label=label, limit=max_len)
    return value


def _product(session: Session, product_id: int) -> Product:
    return db.get_or_not_found(session, Product, product_id, N_('This product'))
