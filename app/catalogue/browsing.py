"""Customers browsing the catalogue by category, with filters, and the counts beside them.

A customer sees the categories that hold at least one product it may see (app/catalogue/catalogue.py decides which
those are), each with that count; an empty one, or one whose products are all hidden from it, is not there at all,
not even through a link (`parse_filters` refuses its id like an unknown one). A category's products are those in it
and in its subcategories.

Filters (`Filters`): a category, in stock now, bought before (in one of the customer's orders, but cancelled ones)
and attribute values within the category; they narrow `catalogue.search_products`, so they combine with the
search and the sort, and they travel in the URL (`parse_filters` reads them back, refusing what is not valid as a
whole, with a message). Attribute values are offered with their counts, at most MAX_FACET_VALUES per attribute.

The counts (categories and attribute values) are kept (`_Counts`, below) and follow what changed: the tree, the
products in a category, their values, anything else about products (one going inactive), selections and catalogue
modes; COUNTS_TTL_S is the safety net for changes made by another process. So a click never counts the whole
catalogue, and the first one after a change only what it touched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Unpack

from sqlalchemy import Select, String, cast, distinct, intersect
from sqlmodel import Session, col, func, select

from app.catalogue import catalogue, categories
from app.catalogue.categories import CategoryNode, CategoryTree
from app.core import db, events, kept
from app.core.errors import NotFound, ValidationError
from app.core.i18n import N_
from app.core.paging import Page
from app.identity.access import customer_of
from app.identity.auth import Identity
from app.models import (
    CatalogueMode,
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
MAX_SUBTRACTED = 2000  # inactive products in a category whose values are taken off the counts over all of them
MAX_CACHED = 4096  # counts kept: per scope (all-mode customers share one) and per category
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
# Two layers, so that the common change (a product saved, a price, an image: ('catalogue',)) costs a few ms, not a
# count of the catalogue: the counts over every product, inactive ones too ('base': what the supplier sees) change
# only with the tree (('categories',): all counted anew) and the products in it (a product moved: the categories
# it left or came into and their parents counted again, their values' counts dropped; its values changed: the
# values' counts of its categories dropped; topics queued by app/catalogue/categories.py); what a customer who
# sees every active product reads is the base less the few inactive products (`_inactive`, read again after any
# ('catalogue',) change through the `active` index). A selection is counted from the selection itself.


class _Counts(kept.Kept[tuple, tuple[int, ...], Any]):
    """Counts per catalogue scope, each kept until what it follows changes."""

    # what follows what (app/catalogue/categories.py queues the topics): 'tree' the categories themselves, 'links'
    # the products in them, 'catalogue' anything about products (active or not), selections and catalogue modes
    ALL = ('tree', 'links', 'catalogue')
    BASE = ('base', 'categories')

    def start_over(self) -> None:
        self.generations = dict.fromkeys(self.ALL, 0)
        self.epochs: dict[tuple, int] = {}  # entries dropped one by one: a value worked out meanwhile is not kept

    def subscriptions(self) -> list[Callable[[], None]]:
        return [
            events.subscribe(('categories',), self._tree_changed, first=True),
            events.subscribe(('catalogue',), self._catalogue_changed, first=True),
            events.subscribe_kind('products_in_categories', self._products_moved, first=True),
            events.subscribe_kind('values_in_categories', self._values_changed, first=True),
        ]

    def _tree_changed(self, _topic: tuple) -> None:
        with self.lock:
            self._forget_all()

    def _forget_all(self) -> None:
        """Under lock: nothing kept holds, nor does anything worked out meanwhile."""
        self.generations['tree'] += 1
        self.entries.clear()
        self.epochs.clear()

    def _catalogue_changed(self, _topic: tuple) -> None:
        with self.lock:
            self.generations['catalogue'] += 1

    def _in_categories(self, categories_ids: Any) -> set[int] | None:
        """Under lock: the categories and their parents (None: which those are is not kept)."""
        hit = self.entries.get(('ancestors',))
        if hit is None or hit[1] != self._stamp(('tree',)):
            return None
        return {ancestor for category_id in categories_ids for ancestor in hit[2].get(category_id, ())}

    def _drop(self, keys: Iterable[tuple]) -> None:
        for key in keys:
            self.entries.pop(key, None)
            self.epochs[key] = self.epochs.get(key, 0) + 1

    def _values_changed(self, topic: tuple) -> None:
        """('values_in_categories', ids): a product's values changed; the values' counts of those categories (and
        their parents) anew."""
        with self.lock:
            affected = self._in_categories(topic[1])
            if affected is None:
                self._forget_all()
                return
            self._drop(('base', 'facets', category_id) for category_id in affected)

    def _products_moved(self, topic: tuple) -> None:
        """('products_in_categories', ids): a product came into or left those categories. Their values' counts
        anew; the counts over every product of them and their parents counted again, the others kept."""
        with self.lock:
            self.generations['links'] += 1  # (a count worked out meanwhile, before the change maybe, is not kept)
            generation = self._stamp(('tree', 'links'))
            affected = self._in_categories(topic[1])
            base = self.entries.get(self.BASE)
            if affected is None:
                self._forget_all()
                return
            self._drop(('base', 'facets', category_id) for category_id in affected)
            if base is None or base[1] != (generation[0], generation[1] - 1):
                return
            up = self.entries[('ancestors',)][2]
        below = {a: [c for c, above in up.items() if a in above] for a in affected}
        with db.read_session() as session:  # (the change is committed: its events go out after)
            fresh = {
                category_id: session.exec(
                    select(func.count(distinct(ProductCategory.product_id))).where(
                        col(ProductCategory.category_id).in_(ids)
                    )
                ).one()
                for category_id, ids in below.items()
            }
        with self.lock:
            if self._stamp(('tree', 'links')) != generation or self.entries.get(self.BASE) is not base:
                return  # changed again meanwhile: counted afresh when asked
            counts = {**base[2], **fresh}
            counts = {category_id: n for category_id, n in counts.items() if n > 0}
            self.entries[self.BASE] = (base[0], generation, counts)

    def _stamp(self, follows: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(self.generations[name] for name in follows)

    def get(self, key: tuple, compute: Callable[[], Any], *, follows: tuple[str, ...] = ALL) -> Any:
        """The value kept under `key`, or `compute()`'s, kept until one of the changes it `follows`, until it is
        dropped by itself, or COUNTS_TTL_S have passed."""
        with self.lock:
            self.ready()
            engine, stamp, epoch = self.engine, self._stamp(follows), self.epochs.get(key, 0)
            hit = self.fresh(key, stamp)
            if hit is not None:
                return hit[2]
        value = compute()
        with self.lock:
            if (self.engine, self._stamp(follows), self.epochs.get(key, 0)) == (engine, stamp, epoch):  # as it is
                self.keep(key, stamp, value, seconds=COUNTS_TTL_S, most=MAX_CACHED)
        return value


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


def _nearly_all_active(session: Session) -> Any:
    """Product.active, said to be true for nearly every product: SQLite starts from the selection (its key), not
    from the `active` index, reading every active product to test it against the selection."""
    active = col(Product.active).is_(True)
    return func.likely(active) if db.is_sqlite(session) else active


def _ancestors(tree: CategoryTree) -> dict[int, list[int]]:
    """Per category: itself and its parents (a product in it counts there and in each of them)."""
    return _counts.get(
        ('ancestors',),
        lambda: {category_id: [node.id for node in tree.path(category_id)] for category_id in tree.by_id},
        follows=('tree',),
    )


def _base_counts(session: Session, tree: CategoryTree) -> dict[int, int]:
    """Per category: the distinct products in it and below it, inactive ones too. The links per category (one
    scan of the key), summed up the tree, less the products counted twice in a category: those in two of its
    subcategories (or in it and one below), found in one scan of the (product, category) index."""
    up = _ancestors(tree)
    counts: Counter[int] = Counter()
    rows = session.connection().execute(  # (Core rows: thousands of them, no ORM work per row)
        select(ProductCategory.category_id, func.count()).group_by(col(ProductCategory.category_id))
    )
    for category_id, n in rows:
        for ancestor in up.get(category_id, ()):
            counts[ancestor] += n
    listed = (
        func.group_concat(ProductCategory.category_id)
        if db.is_sqlite(session)
        else func.string_agg(cast(ProductCategory.category_id, String), ',')
    )
    several = (  # the products in two or more categories, by their categories (the same ones once, with how many)
        select(listed.label('ids')).group_by(col(ProductCategory.product_id)).having(func.count() > 1).subquery()
    )
    for ids, products in session.connection().execute(select(several.c.ids, func.count()).group_by(several.c.ids)):
        seen: dict[int, int] = {}
        for raw in ids.split(','):
            for ancestor in up.get(int(raw), ()):
                seen[ancestor] = seen.get(ancestor, 0) + 1
        for ancestor, times in seen.items():
            if times > 1:
                counts[ancestor] -= (times - 1) * products
    return {category_id: n for category_id, n in counts.items() if n > 0}


@dataclass(frozen=True)
class _Inactive:
    """The inactive products in categories: their categories (few: a catalogue is mostly active)."""

    categories: dict[int, list[int]]  # product id -> the categories it sits in

    def within(self, ids: set[int]) -> list[int]:
        return [pid for pid, in_categories in self.categories.items() if not ids.isdisjoint(in_categories)]


def _inactive(session: Session) -> _Inactive:
    def read() -> _Inactive:
        found: dict[int, list[int]] = {}
        rows = session.connection().execute(
            select(ProductCategory.product_id, ProductCategory.category_id)
            .join(Product, col(Product.id) == ProductCategory.product_id)
            .where(col(Product.active).is_(False))
        )
        for product_id, category_id in rows:
            found.setdefault(product_id, []).append(category_id)
        return _Inactive(found)

    return _counts.get(('inactive',), read)


def _rolled_up(tree: CategoryTree, links: dict[int, list[int]]) -> dict[int, int]:
    """Per category: how many of these products (id -> its categories) sit in it or below it, each once."""
    up = _ancestors(tree)
    counts: dict[int, int] = {}
    for in_categories in links.values():
        above = (
            up.get(in_categories[0], ())
            if len(in_categories) == 1
            else {ancestor for category_id in in_categories for ancestor in up.get(category_id, ())}
        )
        for ancestor in above:
            counts[ancestor] = counts.get(ancestor, 0) + 1
    return counts


def _category_counts(session: Session, scope: tuple, tree: CategoryTree) -> dict[int, int]:
    """Per category: the distinct products of the scope in it and below it (a product in two subcategories of one
    category counts once there)."""
    if scope == ('nothing',):
        return {}
    if scope[0] == 'selection':
        links: dict[int, list[int]] = {}
        rows = session.connection().execute(
            select(ProductCategory.product_id, ProductCategory.category_id)
            .join(CustomerProduct, col(CustomerProduct.product_id) == ProductCategory.product_id)
            .join(Product, col(Product.id) == ProductCategory.product_id)
            .where(CustomerProduct.customer_id == scope[1], _nearly_all_active(session))
        )
        for product_id, category_id in rows:
            links.setdefault(product_id, []).append(category_id)
        return _rolled_up(tree, links)
    base = _counts.get(_Counts.BASE, lambda: _base_counts(session, tree), follows=('tree', 'links'))
    if scope == ('supplier',):
        return base
    hidden = _rolled_up(tree, _inactive(session).categories)
    counts = {category_id: n - hidden.get(category_id, 0) for category_id, n in base.items()}
    return {category_id: n for category_id, n in counts.items() if n > 0}


def browse_tree(session: Session, *, actor: Identity) -> BrowseTree:
    """The categories the actor sees: a customer those with products it may see, the supplier all."""
    customer_id = catalogue.scope_of(actor)
    language = categories.names_language(session, actor)
    tree = _counts.get(  # (read only)
        ('tree', language), lambda: categories.read_tree(session, language=language), follows=('tree',)
    )
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
    lists = [  # products by index alone: the category's (its key), those with a value (the (name, value) index)
        select(ProductAttribute.product_id).where(ProductAttribute.name == name, ProductAttribute.value == value)
        for name, value in filters.attributes
    ]
    if filters.category_id is not None:
        in_subtree = col(ProductCategory.category_id).in_(tree.subtree_ids(filters.category_id))
        lists.insert(0, select(ProductCategory.product_id).where(in_subtree))
    # one list of the products in all of them (INTERSECT: from the indexes alone) for the query to start from,
    # rather than a product row read for each product of the category to test it against the other lists
    wanted = (lists[0] if len(lists) == 1 else intersect(*lists)) if lists else None

    def restrict(stmt: Select) -> Select:
        if wanted is not None:
            stmt = stmt.where(col(Product.id).in_(wanted))
        if filters.in_stock:
            stmt = stmt.where(col(Product.on_hand) > col(Product.allocated))
        if filters.bought_before:
            stmt = stmt.where(col(Product.id).in_(_bought_before(customer_id or 0)))
        return stmt

    return restrict


def browse(
    session: Session,
    *,
    actor: Identity,
    query: str = '',
    filters: Filters = Filters(),
    shown: BrowseTree | None = None,
    **paging: Unpack[catalogue.Paging],
) -> Page[catalogue.ProductCard]:
    """A page of the catalogue the actor sees, searched, narrowed by `filters` (parsed for this actor), sorted and
    paged as catalogue.search_products does."""
    customer_id = customer_of(actor)
    if filters.category_id is not None:
        shown = shown or browse_tree(session, actor=actor)
        if not shown.has(filters.category_id):
            raise NotFound('This category')
    tree = shown.tree if shown else categories.read_tree(session, language=None)
    restrict = restriction(filters, tree=tree, customer_id=customer_id)
    return catalogue.search_products(session, actor=actor, query=query, restrict=restrict, **paging)


def _value_counts(session: Session, product_ids: Select | list[int], names: list[str]) -> dict[str, Counter[str]]:
    """Per attribute name: how many of these products have each value. From the products to their values (the
    (product, name, value) index; `|| ''`: not from the (name, value) index, which would read every product's
    values of these names); `IN`: each product once, even if it sits in two of the category's subcategories."""
    values: dict[str, Counter[str]] = {}
    rows = session.exec(
        select(ProductAttribute.name, ProductAttribute.value, func.count())
        .where(col(ProductAttribute.product_id).in_(product_ids), col(ProductAttribute.name).concat('').in_(names))
        .group_by(col(ProductAttribute.name), col(ProductAttribute.value))
    )
    for name, value, n in rows:
        values.setdefault(name, Counter())[value] += n
    return values


def _facet_values(session: Session, scope: tuple, tree: CategoryTree, category_id: int, names: list[str]) -> dict:
    subtree = tree.subtree_ids(category_id)
    in_category = select(ProductCategory.product_id).where(col(ProductCategory.category_id).in_(subtree))
    if scope[0] == 'selection':
        seen = intersect(
            in_category,
            select(CustomerProduct.product_id)
            .join(Product, col(Product.id) == CustomerProduct.product_id)
            .where(CustomerProduct.customer_id == scope[1], _nearly_all_active(session)),
        )
        return _value_counts(session, seen, names)
    base = _counts.get(
        ('base', 'facets', category_id),
        lambda: _value_counts(session, in_category, names),
        follows=('tree',),  # (and dropped by itself when its products or their values change)
    )
    if scope == ('supplier',):
        return base
    hidden_ids = _inactive(session).within(set(subtree))
    if not hidden_ids:
        return base
    if len(hidden_ids) > MAX_SUBTRACTED:  # many inactive ones here: the active ones' values, counted directly
        active = select(Product.id).where(col(Product.id).in_(in_category), col(Product.active).is_(True))
        return _value_counts(session, active, names)
    values = {name: Counter(found) for name, found in base.items()}
    for start in range(0, len(hidden_ids), catalogue.ID_CHUNK):
        for name, hidden in _value_counts(session, hidden_ids[start : start + catalogue.ID_CHUNK], names).items():
            values.setdefault(name, Counter()).subtract(hidden)
    return values


def _facets(session: Session, scope: tuple, tree: CategoryTree, category_id: int) -> list[Facet]:
    names = tree.attributes_of([category_id])
    if not names or scope == ('nothing',):
        return []
    values = _facet_values(session, scope, tree, category_id, names)
    facets = []
    for name in names:
        counted = [(value, n) for value, n in values.get(name, Counter()).items() if n > 0]
        found = sorted(counted, key=lambda pair: (-pair[1], pair[0].casefold()))[:MAX_FACET_VALUES]
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
    user = db.kept(session, PortalUser, actor.user_id)
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
