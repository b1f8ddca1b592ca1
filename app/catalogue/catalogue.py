"""What a customer may see of the supplier's products, searching it, and which products each customer sees.

A customer sees every active product when its catalogue mode is 'all', else only the active products
chosen for it; the supplier's admins see every product, inactive ones too. `visible` applies that to
any select over `product`, and every query here goes through it. A page of results is one COUNT and
one LIMIT/OFFSET query shaped for SQLite's planner (see below), so the catalogue is never loaded whole.

A customer reads names and descriptions in its language where the supplier translated them (sorted and searched
by them too), else the products' own (app/catalogue/translations.py); the supplier reads the products' own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypedDict

from sqlalchemy import (
    CompoundSelect,
    Select,
    and_,
    column,
    exists,
    false,
    insert,
    intersect,
    literal_column,
    or_,
    table,
    union,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, delete, func, select

from app.catalogue import search, translations
from app.core import db, events, paging
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _, ngettext
from app.core.paging import Page
from app.identity.access import customer_of, ensure_admin
from app.identity.auth import Identity
from app.models import CatalogueMode, Customer, CustomerProduct, Product, ProductImage, ProductTranslation, Role

SORTS = {
    'name': (col(Product.name), col(Product.id)),
    'code': (col(Product.code), col(Product.id)),
    'price': (col(Product.price_cents), col(Product.id)),
    'price_desc': (col(Product.price_cents).desc(), col(Product.id).desc()),
}
MAX_PAGE_SIZE = 100
ID_CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit

_product_fts = table('product_fts', column('rowid'), column('product_fts'))
_translation_fts = table('producttranslation_fts', column('rowid'), column('producttranslation_fts'))


@dataclass(frozen=True)
class ProductCard:
    id: int
    code: str
    name: str
    unit: str
    price_cents: int
    on_hand: int
    allocated: int
    free: int
    image_id: int | None


@dataclass(frozen=True)
class ProductDetail:
    id: int
    code: str
    name: str
    description: str
    barcode: str
    unit: str
    price_cents: int
    active: bool
    on_hand: int
    allocated: int
    free: int
    image_ids: list[int]


# --- visibility -----------------------------------------------------------------------------------


def scope_of(actor: Identity) -> int | None:
    """The customer whose catalogue the actor sees, or None for the supplier (sees everything)."""
    return None if actor is not None and actor.role == Role.ADMIN else customer_of(actor)


def visible(session: Session, stmt: Select, *, customer_id: int | None, start_from_selection: bool = False) -> Select:
    """`stmt` (a select involving `product`) limited to the products `customer_id` may see.

    A selection is checked product by product, unless start_from_selection offers it to SQLite as the
    list of products to start from.
    """
    if customer_id is None:
        return stmt
    mode = _catalogue_mode(session, customer_id)
    if mode is None:
        return stmt.where(false())
    active = col(Product.active).is_(True)
    if db.is_sqlite(session):
        # Nearly every product is active. Said so, SQLite starts from an id list (search hits, a selection,
        # the ids asked for) instead of reading a whole `active` index and testing every id against the list.
        active = func.likely(active)
    stmt = stmt.where(active)
    if mode == CatalogueMode.SELECTION and start_from_selection:
        stmt = stmt.where(
            col(Product.id).in_(select(CustomerProduct.product_id).where(CustomerProduct.customer_id == customer_id))
        )
    elif mode == CatalogueMode.SELECTION:
        stmt = stmt.where(
            exists().where(
                col(CustomerProduct.customer_id) == customer_id, col(CustomerProduct.product_id) == Product.id
            )
        )
    return stmt


# --- searching --------------------------------------------------------------------------------------
# SQLite has no statistics to choose a plan by, so the queries are written to leave it one sensible
# choice: start from the shortest list of products at hand (the search hits, the customer's selection)
# and sort what it yields, or, when that list would be long, walk the (active, sort key) index and
# check each product, which stops as soon as the page is full.


def _matching(
    session: Session, stmt: Select, query: str, *, start_from_hits: bool = True, language: str | None = None
) -> Select:
    """`stmt` limited to the products matching what was typed (every word, as a prefix), in their own texts or,
    with `language`, in their texts in that language."""
    if db.is_sqlite(session):
        hits = _hits(query, language)
        if hits is None:
            return stmt
        product_id = col(Product.id) if start_from_hits else col(Product.id) + 0  # `+ 0`: not a list to start from
        return stmt.where(product_id.in_(hits))
    n = 0
    every = []
    for pieces in search.terms(query):  # PostgreSQL: every piece of a word starts a word of the text
        # (pieces are lower-case word characters only: nothing in them is regex syntax), or the word without its
        # separators starts a code or barcode without theirs (its own trigram index)
        in_codes = search.codes_text().regexp_match(rf'\m{"".join(pieces)}')
        word = []
        for piece in pieces:
            pattern = rf'\m{piece}'
            if language is None:
                word.append(search.search_text().regexp_match(pattern))
                continue
            # the product's own text or its translation: each through its own trigram index (aliases, so neither
            # subquery is taken for the outer query's product or translation)
            n += 1
            own, theirs = aliased(Product, name=f'own{n}'), aliased(ProductTranslation, name=f'theirs{n}')
            word.append(
                col(Product.id).in_(
                    union(
                        select(own.id).where(search.search_text(f'own{n}').regexp_match(pattern)),
                        select(theirs.product_id).where(
                            theirs.language == language,
                            search.translation_search_text(f'theirs{n}').regexp_match(pattern),
                        ),
                    )
                )
            )
        every.append(or_(and_(*word), in_codes))
    if (whole := search.spaced_code(query)) is not None:  # a code or barcode typed with spaces
        return stmt.where(or_(and_(*every), search.codes_text().regexp_match(rf'\m{whole}')))
    return stmt.where(*every)


def _sorted_by(stmt: Select, sort: str) -> Select:
    """Ordered by one of SORTS (an unknown key sorts by name); ties broken by id, so pages never overlap."""
    return stmt.order_by(*SORTS.get(sort, SORTS['name']))


CARD_COLUMNS = (
    Product.id,
    Product.code,
    Product.name,
    Product.unit,
    Product.price_cents,
    Product.on_hand,
    Product.allocated,
)


def _by_name_read(
    session: Session, narrowed: Callable[..., Select], language: str, *, walk: bool, offset: int, limit: int
) -> list[Any]:
    """A page in the order of the names a reader of `language` reads: the products it reads by their own name and
    those it reads by a translated one, each in the order of an index ((active, name) of `product`, (language,
    name) of `producttranslation`), merged (SQLite merges the two ordered halves of a compound query, PostgreSQL
    appends them merged), so a page costs no sort of the whole catalogue."""
    # walking: the translations in name order; else from the short list of products at hand (`|| ''`: not the
    # (language, name) index, the product's own translations found by product id)
    in_language = col(ProductTranslation.language) if walk else col(ProductTranslation.language).concat('')
    named = and_(
        col(ProductTranslation.product_id) == Product.id, in_language == language, col(ProductTranslation.name) != ''
    )
    own = narrowed(select(*CARD_COLUMNS, Product.name.label('read')).where(~exists().where(named)), walk=walk)
    theirs = narrowed(
        select(*CARD_COLUMNS, col(ProductTranslation.name).label('read')).join(ProductTranslation, named),
        walk=walk,
    )
    both = union_all(own, theirs).order_by(literal_column('read'), literal_column('id')).offset(offset).limit(limit)
    return [row[:-1] for row in session.exec(both).all()]


class Paging(TypedDict, total=False):
    """How search_products sorts and pages, for the functions that pass it on."""

    sort: str
    page: int
    page_size: int


def search_products(
    session: Session,
    *,
    actor: Identity,
    query: str = '',
    sort: str = 'name',
    page: int = 1,
    page_size: int = 24,
    restrict: Callable[[Select], Select] | None = None,
) -> Page[ProductCard]:
    """`restrict` narrows the products further (a category, filters: app/catalogue/browsing.py)."""
    customer_id = scope_of(actor)
    language = translations.reading_language(session, actor)
    in_selection = customer_id is not None and _catalogue_mode(session, customer_id) == CatalogueMode.SELECTION
    hits = _hits(query, language) if db.is_sqlite(session) else None
    searching = hits is not None or bool(search.word_prefixes(query) and not db.is_sqlite(session))
    chosen = select(CustomerProduct.product_id).where(CustomerProduct.customer_id == customer_id)
    selection_first = in_selection and (hits is None or _count(session, chosen) <= _count(session, hits))

    def narrowed(stmt: Select, *, walk: bool = False) -> Select:
        stmt = visible(session, stmt, customer_id=customer_id, start_from_selection=selection_first and not walk)
        if restrict is not None:
            stmt = restrict(stmt)
        return _matching(session, stmt, query, start_from_hits=not (selection_first or walk), language=language)

    if restrict is not None:  # (the shortcuts below count without the restriction)
        total = session.exec(narrowed(select(func.count()).select_from(Product))).one()
    elif hits is not None and not in_selection:
        total = _count_active(session, hits, include_inactive=customer_id is None)
    elif in_selection and not searching:
        total = _count_active(session, chosen)
    else:
        total = session.exec(narrowed(select(func.count()).select_from(Product))).one()
    page, pages, page_size = paging.bounds(total, page, page_size, max_page_size=MAX_PAGE_SIZE)
    if total == 0:
        return Page(items=[], total=0, page=page, pages=pages, page_size=page_size)
    # Starting from a list costs a product row read and a sort per entry; from a third of the catalogue on,
    # walking a customer's (active, sort key) index is cheaper even if every match sits at its end.
    walk = customer_id is not None and 3 * total > _catalogue_size(session)
    offset, limit = (page - 1) * page_size, page_size
    if language is not None and (sort not in SORTS or sort == 'name'):
        rows = _by_name_read(session, narrowed, language, walk=walk, offset=offset, limit=limit)
    else:
        stmt = narrowed(select(*CARD_COLUMNS), walk=walk)
        rows = session.exec(_sorted_by(stmt, sort).offset(offset).limit(limit)).all()
    return Page(items=cards(session, rows, language=language), total=total, page=page, pages=pages, page_size=page_size)


def cards(session: Session, rows: Iterable[Any], *, language: str | None) -> list[ProductCard]:
    """Cards of rows of `CARD_COLUMNS`, in their order, named in `language` (the product's own name where it has
    none in that language) and with their first image."""
    rows = list(rows)
    read = translations.texts_in(session, language=language, product_ids=[row[0] for row in rows])
    images = first_images(session, product_ids=[row[0] for row in rows])
    return [
        ProductCard(
            id=pid,
            code=code,
            name=(read[pid].name if pid in read else '') or name,
            unit=unit,
            price_cents=price,
            on_hand=on_hand,
            allocated=allocated,
            free=max(on_hand - allocated, 0),
            image_id=images.get(pid),
        )
        for pid, code, name, unit, price, on_hand, allocated in rows
    ]


def _count(session: Session, ids: Select) -> int:
    return session.exec(select(func.count()).select_from(ids.subquery())).one()


def _count_active(session: Session, ids: Select, *, include_inactive: bool = False) -> int:
    """The products in a list of ids, less the inactive ones: counting the list and its few inactive entries
    (found through the `active` indexes) spares reading the product row of every entry."""
    found = ids.cte('ids')  # used twice, so SQLite builds the list once
    count = select(func.count()).select_from(found).scalar_subquery()
    if not include_inactive:
        count = (
            count
            - select(func.count())
            .where(col(Product.active).is_(False), col(Product.id).in_(select(found)))
            .scalar_subquery()
        )
    return session.exec(select(count)).one()


def get_product(session: Session, *, actor: Identity, product_id: int) -> ProductDetail:
    stmt = visible(session, select(Product).where(Product.id == product_id), customer_id=scope_of(actor))
    product = session.exec(stmt).first()
    if product is None or product.id is None:
        raise NotFound('This product')
    image_ids = session.exec(
        select(ProductImage.id)
        .where(ProductImage.product_id == product.id)
        .order_by(col(ProductImage.position), col(ProductImage.id))
    ).all()
    language = translations.reading_language(session, actor)
    translated = translations.texts_in(session, language=language, product_ids=[product.id]).get(product.id)
    return ProductDetail(
        id=product.id,
        code=product.code,
        name=(translated.name if translated else '') or product.name,
        description=(translated.description if translated else '') or product.description,
        barcode=product.barcode,
        unit=product.unit,
        price_cents=product.price_cents,
        active=product.active,
        on_hand=product.on_hand,
        allocated=product.allocated,
        free=product.free,
        image_ids=[i for i in image_ids if i is not None],
    )


def can_order(session: Session, *, customer_id: int, product_id: int) -> bool:
    """Whether the customer may order the product: it exists, is active and is in its catalogue."""
    stmt = visible(session, select(Product.id).where(Product.id == product_id), customer_id=customer_id)
    return session.exec(stmt).first() is not None


def orderable_ids(session: Session, *, customer_id: int, product_ids: Iterable[int]) -> set[int]:
    """Those of `product_ids` the customer may order."""
    found: set[int] = set()
    for chunk in _chunks(product_ids):
        stmt = visible(session, select(Product.id).where(col(Product.id).in_(chunk)), customer_id=customer_id)
        found.update(i for i in session.exec(stmt).all() if i is not None)
    return found


def first_images(session: Session, *, product_ids: Iterable[int]) -> dict[int, int]:
    """The first image (by position) of each product that has one."""
    first: dict[int, int] = {}
    for chunk in _chunks(product_ids):
        rows = session.exec(
            select(ProductImage.product_id, ProductImage.id)
            .where(col(ProductImage.product_id).in_(chunk))
            .order_by(col(ProductImage.product_id), col(ProductImage.position), col(ProductImage.id))
        )
        for product_id, image_id in rows:
            if image_id is not None:
                first.setdefault(product_id, image_id)
    return first


def free_stock(session: Session, *, product_ids: Iterable[int]) -> dict[int, int]:
    """Free stock of products already on the caller's screen (live stock updates); stock is no secret."""
    free: dict[int, int] = {}
    for chunk in _chunks(product_ids):
        rows = session.exec(select(Product.id, Product.on_hand, Product.allocated).where(col(Product.id).in_(chunk)))
        free.update({pid: max(on_hand - allocated, 0) for pid, on_hand, allocated in rows if pid is not None})
    return free


def stock_status(free: int, low_threshold: int = 5) -> tuple[str, str]:
    """What the customer reads about stock, in the reader's language, and its tone: positive, warning or negative."""
    if free <= 0:
        return _('Out of stock — will be backordered'), 'negative'
    if free <= low_threshold:
        return ngettext('Only {n} left', 'Only {n} left', free), 'warning'
    return ngettext('{n} in stock', '{n} in stock', free), 'positive'


# --- the supplier chooses what each customer sees ---------------------------------------------------


def set_catalogue_mode(session: Session, *, actor: Identity, customer_id: int, mode: CatalogueMode | str) -> None:
    ensure_admin(actor)
    try:
        mode = CatalogueMode(mode)
    except ValueError:
        raise ValidationError('Choose all products or a selection.', 'catalogue_mode') from None
    customer = _customer(session, customer_id)
    customer.catalogue_mode = mode
    session.add(customer)
    _announce(session, customer_id)


def add_to_selection(session: Session, *, actor: Identity, customer_id: int, product_ids: list[int]) -> int:
    """Add products to the customer's selection; returns how many were not in it yet."""
    ensure_admin(actor)
    _customer(session, customer_id)
    wanted = _product_ids(product_ids)
    existing: set[int] = set()
    for chunk in _chunks(wanted):
        existing.update(session.exec(select(Product.id).where(col(Product.id).in_(chunk))).all())
    if missing := wanted - existing:
        raise ValidationError('{missing} of the chosen products no longer exist.', 'product_ids', missing=len(missing))
    new = wanted - selection_ids(session, actor=actor, customer_id=customer_id)
    if new:
        rows = [{'customer_id': customer_id, 'product_id': product_id} for product_id in sorted(new)]
        session.exec(insert(CustomerProduct), params=rows)
        _announce(session, customer_id)
    return len(new)


def remove_from_selection(session: Session, *, actor: Identity, customer_id: int, product_ids: list[int]) -> int:
    """Take products out of the customer's selection; returns how many were in it."""
    ensure_admin(actor)
    _customer(session, customer_id)
    removed = 0
    for chunk in _chunks(_product_ids(product_ids)):
        result = session.exec(
            delete(CustomerProduct).where(
                and_(col(CustomerProduct.customer_id) == customer_id, col(CustomerProduct.product_id).in_(chunk))
            )
        )
        removed += result.rowcount or 0
    if removed:
        _announce(session, customer_id)
    return removed


def selection_ids(session: Session, *, actor: Identity, customer_id: int) -> set[int]:
    ensure_admin(actor)
    _customer(session, customer_id)
    return set(session.exec(select(CustomerProduct.product_id).where(CustomerProduct.customer_id == customer_id)))


MAX_BULK_IDS = 10_000  # 'add all results of this search' at most this many products at once


def selection_page(
    session: Session, *, actor: Identity, customer_id: int, query: str = '', page: int = 1, page_size: int = 20
) -> Page[Product]:
    """The products chosen for a customer, searched like the catalogue, by name, one page (supplier only)."""
    ensure_admin(actor)
    _customer(session, customer_id)
    chosen = select(CustomerProduct.product_id).where(CustomerProduct.customer_id == customer_id)

    def narrowed(stmt: Select) -> Select:
        return _matching(session, stmt.where(col(Product.id).in_(chosen)), query, start_from_hits=False)

    total = session.exec(narrowed(select(func.count()).select_from(Product))).one()
    page, pages, page_size = paging.bounds(total, page, page_size, max_page_size=MAX_PAGE_SIZE)
    rows = session.exec(
        _sorted_by(narrowed(select(Product)), 'name').offset((page - 1) * page_size).limit(page_size)
    ).all()
    return Page(items=list(rows), total=total, page=page, pages=pages, page_size=page_size)


def in_selection(session: Session, *, actor: Identity, customer_id: int, product_ids: Iterable[int]) -> set[int]:
    """Those of `product_ids` (a page on the supplier's screen) that are in the customer's selection."""
    ensure_admin(actor)
    found: set[int] = set()
    for chunk in _chunks(product_ids):
        found.update(
            session.exec(
                select(CustomerProduct.product_id).where(
                    CustomerProduct.customer_id == customer_id, col(CustomerProduct.product_id).in_(chunk)
                )
            ).all()
        )
    return found


def matching_ids(session: Session, *, actor: Identity, query: str) -> list[int]:
    """The ids of every product (inactive ones too) matching a search, for adding them to a selection at once."""
    ensure_admin(actor)
    nothing_typed = _hits(query) is None if db.is_sqlite(session) else not search.word_prefixes(query)
    if nothing_typed:  # else every product would match
        raise ValidationError('Search for the products first, then add all results.', 'query')
    ids = list(session.exec(_matching(session, select(Product.id), query).order_by(col(Product.id))).all())
    if len(ids) > MAX_BULK_IDS:
        raise ValidationError(
            '{found} products match; narrow the search to at most {limit} to add them at once.',
            'query',
            found=len(ids),
            limit=MAX_BULK_IDS,
        )
    return ids


def _hits(query: str, language: str | None = None) -> Select | CompoundSelect | None:
    """The ids of the products whose search-index entry matches the query (SQLite), or None for no query. With
    `language`, each word may match the product's own texts or its texts in that language."""
    if language is None:
        expression = search.fts_match_expression(query)
        if expression is None:
            return None
        return select(_product_fts.c.rowid).where(_product_fts.c.product_fts.op('MATCH')(expression))
    per_word = []
    for phrase in search.fts_phrases(query):
        theirs = aliased(ProductTranslation)  # not the page query's joined translation
        either = union(
            select(_product_fts.c.rowid.label('id')).where(_product_fts.c.product_fts.op('MATCH')(phrase)),
            select(theirs.product_id).where(
                theirs.language.concat('') == language,  # `|| ''`: start from the hits, not from every translation
                col(theirs.id).in_(
                    select(_translation_fts.c.rowid).where(
                        _translation_fts.c.producttranslation_fts.op('MATCH')(phrase)
                    )
                ),
            ),
        ).subquery()
        per_word.append(select(either.c.id))
    if not per_word:
        return None
    every = per_word[0] if len(per_word) == 1 else intersect(*per_word)
    whole = search.spaced_code(query)  # a code or barcode typed with spaces
    if whole is None:
        return every
    words = every.subquery()
    code = select(_product_fts.c.rowid.label('id')).where(_product_fts.c.product_fts.op('MATCH')(f'"{whole}"*'))
    return union(select(words.c.id), code)


def _catalogue_mode(session: Session, customer_id: int) -> CatalogueMode | None:
    customer = db.kept(session, Customer, customer_id)
    return None if customer is None else CatalogueMode(customer.catalogue_mode)


def _catalogue_size(session: Session) -> int:
    return session.exec(select(func.max(Product.id))).one() or 0  # the last id: instant, and close enough


def _customer(session: Session, customer_id: int) -> Customer:
    customer = db.kept(session, Customer, customer_id)
    if customer is None:
        raise NotFound('This customer')
    return customer


def _product_ids(raw: Iterable[Any]) -> set[int]:
    ids = list(raw)
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise ValidationError('Choose products from the list.', 'product_ids')
    return set(ids)


def _announce(session: Session, customer_id: int) -> None:
    # ('catalogue',) too: the current-order summary in every open frame listens to it
    events.queue(session, ('catalogue', customer_id), ('catalogue',))


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = list(dict.fromkeys(ids))
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start : start + ID_CHUNK]
