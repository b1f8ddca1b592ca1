"""Customers browsing the catalogue by category, with filters, and the counts beside them.

A customer sees the categories that hold at least one product it may see (app/catalogue/catalogue.py decides which
those are), each with that count; an empty one, or one whose products are all hidden from it, is not there at all,
not even through a link (`parse_filters` refuses its id like an unknown one). A category's products are those in it
and in its subcategories.

Filters (`Filters`): a category, in stock now, bought before (in one of the customer's orders, but cancelled ones)
and attribute values within the category; they narrow `catalogue.search_products`, so they combine with the
search and the sort, and they travel in the URL (`parse_filters` reads them back, refusing what is not valid as a
whole, with a message). Attribute values are offered with their counts, at most MAX_FACET_VALUES per attribute.

The counts (categories and attribute values) are worked out once per customer's catalogue and kept (`_Counts`) until
the catalogue changes (('catalogue',) events: products, categories, selections, catalogue modes) or COUNTS_TTL_S has
passed (the safety net for changes made by another process), so a click never counts the whole catalogue.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Select, and_, distinct, literal, union_all
from sqlmodel import Session, col, func, select

from app.catalogue import catalogue, categories
from app.catalogue.categories import CategoryNode, CategoryTree
from app.core import db, events
from app.core.errors import NotFound, ValidationError
from app.core.i18n import N_
from app.core.paging import Page
from app.identity.access import customer_of
from app.identity.auth import Identity
from app.models import (
    CatalogueMode,
    Category,
    CustomerProduct,
    Order,
    OrderLine,
    OrderStatus,
    PortalUser,
    Product,
    ProductAttribute,
    ProductCategory,
)

MAX_FACET_VALUES = 12
MAX_ATTRIBUTE_FILTERS = 6
COUNTS_TTL_S = 60.0
MAX_CACHED = 512  # catalogues (all-mode customers share one) and categories kept
VIEWS = ('grid', 'list')
BAD_FILTERS = N_('Those filters are not available; all products are shown.')
UNKNOWN_CATEGORY = N_('That category is not available; all products are shown.')


@dataclass(frozen=True)
class Filters:
    """What the customer narrowed the catalogue to; all off: the whole catalogue."""

    category_id: int | None = None
    in_stock: bool = False
    bought_before: bool = False
    attributes: tuple[tuple[str, str], ...] = ()  # (name, value), within the category

    @property
    def any(self) -> bool:
        return self.category_id is not None or self.in_stock or self.bought_before or bool(self.attributes)

    def params(self) -> dict[str, Any]:
        """The URL's query parameters for these filters (see `parse_filters`)."""
        return {
            'category': self.category_id or '',
            'stock': '1' if self.in_stock else '',
            'bought': '1' if self.bought_before else '',
            'attr': [f'{name}:{value}' for name, value in self.attributes],
        }

    def with_attribute(self, name: str, value: str | None) -> Filters:
        """The same filters with attribute `name` at `value` (None: not filtered by it)."""
        kept = tuple((n, v) for n, v in self.attributes if n != name)
        return replace(self, attributes=kept + (((name, value),) if value is not None else ()))


@dataclass
class BrowseTree:
    """The categories a customer sees (those with products it may see), with the counts, in its language."""

    tree: CategoryTree
    counts: dict[int, int]  # category id -> products it may see in it and below it

    def shown(self, nodes: Sequence[CategoryNode]) -> list[CategoryNode]:
        return [node for node in nodes if self.counts.get(node.id, 0) > 0]

    @property
    def roots(self) -> list[CategoryNode]:
        return self.shown(self.tree.roots)

    def children(self, category_id: int) -> list[CategoryNode]:
        node = self.tree.by_id.get(category_id)
        return self.shown(node.children) if node else []

    def has(self, category_id: int) -> bool:
        return self.counts.get(category_id, 0) > 0

    def path(self, category_id: int) -> list[CategoryNode]:
        return self.tree.path(category_id) if self.has(category_id) else []


@dataclass(frozen=True)
class Facet:
    """An attribute within a category and its values, each with how many products the customer may see have it."""

    name: str
    values: list[tuple[str, int]] = field(default_factory=list)  # most common first, at most MAX_FACET_VALUES


# --- the counts, kept ---------------------------------------------------------------------------------------


class _Counts:
    """Counts per catalogue scope, dropped when the catalogue changes; one per database engine (tests make many)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.engine: Any = None
        self.entries: OrderedDict[tuple, tuple[float, int, Any]] = OrderedDict()
        self.generation = 0
        self.unsubscribe: list[Callable[[], None]] = []

    def _changed(self, _topic: object) -> None:
        with self.lock:
            self.generation += 1
            self.entries.clear()

    def _ready(self) -> None:
        engine = db.get_engine()
        if engine is not self.engine:  # a new database (a test, a restore): nothing kept is about it
            for stop in self.unsubscribe:
                stop()
            self.engine, self.entries = engine, OrderedDict()
            self.unsubscribe = [events.subscribe(('catalogue',), self._changed)]

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        with self.lock:
            self._ready()
            now = time.monotonic()
            hit = self.entries.get(key)
            if hit is not None and hit[0] > now and hit[1] == self.generation:
                self.entries.move_to_end(key)
                return hit[2]
            generation = self.generation
        value = compute()
        with self.lock:
            if generation == self.generation:  # not changed meanwhile: the value is about the catalogue as it is
                self.entries[key] = (time.monotonic() + COUNTS_TTL_S, generation, value)
                while len(self.entries) > MAX_CACHED:
                    self.entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


_counts = _Counts()


def forget_counts() -> None:
    """Drop every kept count (tests, and after changes made behind the services' back)."""
    _counts.clear()


def _scope_key(session: Session, customer_id: int | None) -> tuple:
    """Customers who see every active product share one set of counts; a selection has its own."""
    if customer_id is None:
        return ('supplier',)
    mode = catalogue._catalogue_mode(session, customer_id)
    if mode is None:
        return ('nothing',)
    return ('all',) if mode == CatalogueMode.ALL else ('selection', customer_id)


def _visible_links(session: Session, scope: tuple) -> Select:
    """(category_id, product_id) of every product in a category that the scope may see."""
    links = select(ProductCategory.category_id, ProductCategory.product_id)
    if scope == ('supplier',):
        return links
    if scope == ('nothing',):
        return links.where(literal(False))
    joined = links.join(Product, col(Product.id) == ProductCategory.product_id).where(col(Product.active).is_(True))
    if scope[0] == 'selection':
        joined = joined.join(
            CustomerProduct,
            and_(
                col(CustomerProduct.product_id) == ProductCategory.product_id, CustomerProduct.customer_id == scope[1]
            ),
        )
    return joined


def _category_counts(session: Session, scope: tuple, tree: CategoryTree) -> dict[int, int]:
    """Per category: the distinct products of the scope in it and below it (a product in two subcategories of one
    category counts once there)."""
    links = _visible_links(session, scope).subquery()
    # each link counts for its category and the category's parents (at most MAX_DEPTH - 1 of them)
    parents = select(Category.id.label('category_id'), Category.parent_id.label('ancestor')).where(
        col(Category.parent_id).is_not(None)
    )
    grandparents = (
        select(Category.id.label('category_id'), Category.parent_id.label('ancestor'))
        .where(col(Category.parent_id).is_not(None))
        .subquery()
    )
    up = parents.subquery()
    pairs = union_all(
        select(links.c.category_id.label('ancestor'), links.c.product_id),
        select(up.c.ancestor, links.c.product_id).join(up, up.c.category_id == links.c.category_id),
        select(grandparents.c.ancestor, links.c.product_id)
        .join(up, up.c.category_id == links.c.category_id)
        .join(grandparents, grandparents.c.category_id == up.c.ancestor),
    ).subquery()
    rows = session.exec(
        select(pairs.c.ancestor, func.count(distinct(pairs.c.product_id))).group_by(pairs.c.ancestor)
    ).all()
    return {ancestor: n for ancestor, n in rows if ancestor is not None}


def browse_tree(session: Session, *, actor: Identity) -> BrowseTree:
    """The categories the actor sees: a customer those with products it may see, the supplier all."""
    customer_id = catalogue.scope_of(actor)
    language = categories.names_language(session, actor)
    tree = _counts.get(('tree', language), lambda: categories.read_tree(session, language=language))  # (read only)
    scope = _scope_key(session, customer_id)
    counts = _counts.get(('categories', scope), lambda: _category_counts(session, scope, tree))
    return BrowseTree(tree=tree, counts=counts)


# --- filters ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    filters: Filters
    problem: str | None = None  # a catalogue text (N_): why the URL's filters were dropped


def parse_filters(
    session: Session,
    *,
    actor: Identity,
    category: str | None = '',
    stock: str | None = '',
    bought: str | None = '',
    attributes: Sequence[str] = (),
    shown: BrowseTree | None = None,
) -> Parsed:
    """The filters of a URL's query (category=12&stock=1&bought=1&attr=Material:Steel), or none at all with the
    problem when any of them is not valid: an unknown category or one the actor does not see, a flag other than
    1, an attribute outside the category's."""
    shown = shown or browse_tree(session, actor=actor)
    category_id: int | None = None
    if category not in (None, ''):
        raw = str(category)
        if not (raw.isascii() and raw.isdecimal() and len(raw) < 19):
            return Parsed(Filters(), BAD_FILTERS)
        category_id = int(raw)
        if not shown.has(category_id):
            return Parsed(Filters(), UNKNOWN_CATEGORY)
    flags = []
    for raw in (stock, bought):
        if raw not in (None, '', '0', '1'):
            return Parsed(Filters(), BAD_FILTERS)
        flags.append(raw == '1')
    chosen: list[tuple[str, str]] = []
    if attributes:
        if category_id is None or len(attributes) > MAX_ATTRIBUTE_FILTERS:
            return Parsed(Filters(), BAD_FILTERS)
        allowed = set(shown.tree.attributes_of([category_id]))
        for raw in attributes:
            name, colon, value = str(raw).partition(':')
            if not colon or name not in allowed or not value or len(value) > categories.MAX_VALUE_CHARS:
                return Parsed(Filters(), BAD_FILTERS)
            if name in {n for n, _ in chosen}:
                return Parsed(Filters(), BAD_FILTERS)
            chosen.append((name, value))
    return Parsed(Filters(category_id, flags[0], flags[1], tuple(chosen)))


def _bought_before(customer_id: int) -> Select:
    return (
        select(OrderLine.product_id)
        .join(Order, col(Order.id) == OrderLine.order_id)
        .where(Order.customer_id == customer_id, col(Order.status) != OrderStatus.CANCELLED)
    )


def restriction(filters: Filters, *, tree: CategoryTree, customer_id: int | None) -> Callable[[Select], Select] | None:
    """What `filters` add to a catalogue query over `product` (None: nothing)."""
    if not filters.any:
        return None
    in_category = (
        select(ProductCategory.product_id).where(
            col(ProductCategory.category_id).in_(tree.subtree_ids(filters.category_id))
        )
        if filters.category_id is not None
        else None
    )

    def restrict(stmt: Select) -> Select:
        if in_category is not None:
            stmt = stmt.where(col(Product.id).in_(in_category))
        if filters.in_stock:
            stmt = stmt.where(col(Product.on_hand) > col(Product.allocated))
        if filters.bought_before:
            stmt = stmt.where(col(Product.id).in_(_bought_before(customer_id or 0)))
        for name, value in filters.attributes:
            stmt = stmt.where(
                col(Product.id).in_(
                    select(ProductAttribute.product_id).where(
                        ProductAttribute.name == name, ProductAttribute.value == value
                    )
                )
            )
        return stmt

    return restrict


def browse(
    session: Session,
    *,
    actor: Identity,
    query: str = '',
    sort: str = 'name',
    page: int = 1,
    page_size: int = 24,
    filters: Filters = Filters(),
    shown: BrowseTree | None = None,
) -> Page[catalogue.ProductCard]:
    """A page of the catalogue the actor sees, searched, sorted and narrowed by `filters` (parsed for this actor)."""
    customer_id = customer_of(actor)
    if filters.category_id is not None:
        shown = shown or browse_tree(session, actor=actor)
        if not shown.has(filters.category_id):
            raise NotFound('This category')
    tree = shown.tree if shown else categories.read_tree(session, language=None)
    return catalogue.search_products(
        session,
        actor=actor,
        query=query,
        sort=sort,
        page=page,
        page_size=page_size,
        restrict=restriction(filters, tree=tree, customer_id=customer_id),
    )


def _facets(session: Session, scope: tuple, tree: CategoryTree, category_id: int) -> list[Facet]:
    names = tree.attributes_of([category_id])
    if not names:
        return []
    in_category = (
        select(ProductCategory.product_id)
        .where(col(ProductCategory.category_id).in_(tree.subtree_ids(category_id)))
        .distinct()
        .subquery()
    )
    # from the category's products to their attributes (by the key product, name); `|| ''`: not from the
    # (name, value) index, which would read every product's values of these names
    stmt = (
        select(ProductAttribute.name, ProductAttribute.value, func.count())
        .select_from(in_category)
        .join(Product, col(Product.id) == in_category.c.product_id)
        .join(ProductAttribute, col(ProductAttribute.product_id) == in_category.c.product_id)
        .where(col(ProductAttribute.name).concat('').in_(names))
        .group_by(col(ProductAttribute.name), col(ProductAttribute.value))
    )
    if scope != ('supplier',):
        stmt = stmt.where(col(Product.active).is_(True))
    if scope == ('nothing',):
        return []
    if scope[0] == 'selection':
        stmt = stmt.where(
            col(Product.id).in_(select(CustomerProduct.product_id).where(CustomerProduct.customer_id == scope[1]))
        )
    values: dict[str, list[tuple[str, int]]] = {}
    for name, value, n in session.exec(stmt):
        values.setdefault(name, []).append((value, n))
    facets = []
    for name in names:
        found = sorted(values.get(name, []), key=lambda pair: (-pair[1], pair[0].casefold()))[:MAX_FACET_VALUES]
        if found:
            facets.append(Facet(name, sorted(found, key=lambda pair: pair[0].casefold())))
    return facets


def attribute_facets(
    session: Session, *, actor: Identity, category_id: int, shown: BrowseTree | None = None
) -> list[Facet]:
    """The attributes of a category the actor sees, each with the values its products have and their counts."""
    shown = shown or browse_tree(session, actor=actor)
    if not shown.has(category_id):
        raise NotFound('This category')
    scope = _scope_key(session, catalogue.scope_of(actor))
    return _counts.get(('facets', scope, category_id), lambda: _facets(session, scope, shown.tree, category_id))


# --- one product ------------------------------------------------------------------------------------------------


def specifications(session: Session, *, actor: Identity, product_id: int) -> list[tuple[str, str]]:
    """The product's attributes as a table (name, value), in the order its categories list them, then the rest by
    name; NotFound for a product the actor may not see."""
    catalogue.get_product(session, actor=actor, product_id=product_id)  # NotFound when hidden
    values = categories.attribute_values(session, product_id)
    if not values:
        return []
    in_categories = session.exec(
        select(ProductCategory.category_id).where(ProductCategory.product_id == product_id)
    ).all()
    tree = categories.read_tree(session, language=None)
    listed = [name for name in tree.attributes_of(in_categories) if name in values]
    rest = sorted((name for name in values if name not in listed), key=str.casefold)
    return [(name, values[name]) for name in [*listed, *rest]]


def product_category_paths(session: Session, *, actor: Identity, product_id: int) -> list[list[CategoryNode]]:
    """The categories a visible product sits in, each as its path from the top (for the product page)."""
    catalogue.get_product(session, actor=actor, product_id=product_id)
    shown = browse_tree(session, actor=actor)
    ids = session.exec(select(ProductCategory.category_id).where(ProductCategory.product_id == product_id)).all()
    return [shown.path(i) for i in sorted(ids, key=lambda i: shown.tree.label(i)) if shown.has(i)]


# --- the customer's choice of view ----------------------------------------------------------------------------


def catalogue_view(session: Session, *, actor: Identity) -> str:
    """'grid' or 'list', as the user chose it last (kept with the user: any device, after signing out)."""
    customer_of(actor)
    user = session.get(PortalUser, actor.user_id)
    return user.catalogue_view if user is not None and user.catalogue_view in VIEWS else 'grid'


def set_catalogue_view(session: Session, *, actor: Identity, view: str) -> str:
    customer_of(actor)
    if view not in VIEWS:
        raise ValidationError('Choose the grid or the list.', 'view')
    user = session.get(PortalUser, actor.user_id)
    if user is None:
        raise NotFound('This user')
    user.catalogue_view = view
    session.add(user)
    return view


def url_params(query: str, sort: str, filters: Filters, *, page: int = 1) -> dict[str, Any]:
    """Everything a products URL holds, for building links (components/pager.url_with drops the empty ones)."""
    return {'q': query, 'sort': sort, **filters.params(), 'page': page}
