"""The supplier's tree of categories, their names per language, their attributes, and the products in them.

A category has a parent (none: a top-level one) and a position among its siblings; the tree is at most MAX_DEPTH
levels deep, and a move or a new subcategory that would make it deeper is refused. A product sits in any number of
categories (`ProductCategory`); a category's page shows the products of its subcategories too
(app/catalogue/browsing.py). Deleting a category is refused while it has subcategories (move or delete those first);
its products stay in the catalogue and only leave that category.

A category's name is written in the supplier's default language; `CategoryTranslation` gives it in another, and a
reader of a language without one reads the default name. A category lists attribute names (size, material,
colour); a product is described by the attributes of its categories and their parents (`ProductAttribute` holds
its values), shown as a specification table and usable as filters.

Every change here queues ('catalogue',) and ('categories',) (a product's categories or values: ('category_products',)
and which categories it touched, see `_announce`): open products pages draw their categories and filters again, and
the counts that browsing keeps are worked out anew, for a product's change only where it touched them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import delete, insert
from sqlmodel import Session, col, func, select

from app.core import db, events, i18n, portal_settings, text
from app.core.errors import ValidationError
from app.core.i18n import N_
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import (
    Category,
    CategoryAttribute,
    CategoryTranslation,
    Product,
    ProductAttribute,
    ProductCategory,
    Role,
)

MAX_DEPTH = 3  # top level, subcategory, sub-subcategory
MAX_NAME_CHARS = 80
MAX_ATTRIBUTE_CHARS = 40
MAX_VALUE_CHARS = 80
MAX_ATTRIBUTES = 12  # per category
MAX_CATEGORIES_PER_PRODUCT = 20
MAX_CATEGORIES = 5000


@dataclass
class CategoryNode:
    """One category as a reader reads it: `name` in the reader's language (or the default one)."""

    id: int
    parent_id: int | None
    name: str
    own_name: str  # in the supplier's default language
    position: int
    depth: int  # 1 for a top-level category
    attributes: list[str] = field(default_factory=list)
    children: list[CategoryNode] = field(default_factory=list)


@dataclass
class CategoryTree:
    """The whole tree, read at once (a few hundred rows): top-level categories in order, each with its children."""

    roots: list[CategoryNode]
    by_id: dict[int, CategoryNode]

    def path(self, category_id: int) -> list[CategoryNode]:
        """The category and its parents, top-level first (the breadcrumbs); empty for an unknown id."""
        found: list[CategoryNode] = []
        node = self.by_id.get(category_id)
        while node is not None:
            found.insert(0, node)
            node = self.by_id.get(node.parent_id) if node.parent_id is not None else None
        return found

    def subtree_ids(self, category_id: int) -> list[int]:
        """The category and every category below it."""
        node = self.by_id.get(category_id)
        if node is None:
            return []
        ids, stack = [], [node]
        while stack:
            current = stack.pop()
            ids.append(current.id)
            stack.extend(current.children)
        return ids

    def attributes_of(self, category_ids: Iterable[int]) -> list[str]:
        """The attribute names of these categories and their parents, each once, in the order the categories list
        them (parents first)."""
        names: dict[str, None] = {}
        for category_id in category_ids:
            for node in self.path(category_id):
                names.update(dict.fromkeys(node.attributes))
        return list(names)

    def walk(self) -> list[CategoryNode]:
        """Every category, depth first, in the tree's order (the admin page's rows, the pickers' options)."""
        ordered: list[CategoryNode] = []

        def visit(nodes: list[CategoryNode]) -> None:
            for node in nodes:
                ordered.append(node)
                visit(node.children)

        visit(self.roots)
        return ordered

    def label(self, category_id: int) -> str:
        """The category with its parents, as in 'Fasteners > Screws' (shown with a single angle quote)."""
        return ' › '.join(node.name for node in self.path(category_id))


def names_language(session: Session, actor: Identity | None) -> str | None:
    """The language whose category names `actor` reads, or None for the own names (the supplier, the default)."""
    if actor is None or actor.role == Role.ADMIN:
        return None
    language = i18n.current()
    return None if language == portal_settings.default_language(session) else language


def read_tree(session: Session, *, language: str | None) -> CategoryTree:
    """The tree with names in `language` where written (no actor: the callers check theirs)."""
    rows = session.exec(select(Category).order_by(col(Category.parent_id), col(Category.position), col(Category.id)))
    categories = list(rows)
    translated: dict[int, str] = {}
    if language is not None:
        translated = dict(
            session.exec(
                select(CategoryTranslation.category_id, CategoryTranslation.name).where(
                    CategoryTranslation.language == language
                )
            ).all()
        )
    attributes: dict[int, list[str]] = {}
    for category_id, name in session.exec(
        select(CategoryAttribute.category_id, CategoryAttribute.name).order_by(
            col(CategoryAttribute.category_id), col(CategoryAttribute.position), col(CategoryAttribute.name)
        )
    ):
        attributes.setdefault(category_id, []).append(name)
    by_id = {
        c.id: CategoryNode(
            id=c.id,
            parent_id=c.parent_id,
            name=translated.get(c.id) or c.name,
            own_name=c.name,
            position=c.position,
            depth=1,
            attributes=attributes.get(c.id, []),
        )
        for c in categories
        if c.id is not None
    }
    roots = []
    for category in categories:  # ordered by parent, then position: children come in their order
        node = by_id[category.id]
        parent = by_id.get(category.parent_id) if category.parent_id is not None else None
        (parent.children if parent else roots).append(node)
    for root in roots:
        stack = [(root, 1)]
        while stack:
            node, depth = stack.pop()
            node.depth = depth
            stack.extend((child, depth + 1) for child in node.children)
    return CategoryTree(roots=roots, by_id=by_id)


# --- the supplier keeps the tree ---------------------------------------------------------------------


def category_tree(session: Session, *, actor: Identity) -> CategoryTree:
    """The whole tree with the own names (supplier only)."""
    ensure_admin(actor)
    return read_tree(session, language=None)


def product_counts(session: Session, *, actor: Identity) -> dict[int, int]:
    """How many products (inactive ones too) sit in each category itself, not counting its subcategories."""
    ensure_admin(actor)
    rows = session.exec(
        select(ProductCategory.category_id, func.count()).group_by(col(ProductCategory.category_id))
    ).all()
    return dict(rows)


def create_category(session: Session, *, actor: Identity, name: str, parent_id: int | None = None) -> Category:
    """A new category at the end of its parent's (or the top level's) list."""
    ensure_admin(actor)
    clean = _name(name)
    if session.exec(select(func.count()).select_from(Category)).one() >= MAX_CATEGORIES:
        raise ValidationError('The portal holds at most {limit} categories.', 'name', limit=MAX_CATEGORIES)
    if parent_id is not None:
        parent = _category(session, parent_id)
        if _depth(session, parent) + 1 > MAX_DEPTH:
            raise ValidationError(
                'Categories go at most {levels} levels deep: {name} cannot have subcategories.',
                'parent_id',
                levels=MAX_DEPTH,
                name=parent.name,
            )
    _ensure_name_free(session, clean, parent_id=parent_id, category_id=None)
    category = Category(name=clean, parent_id=parent_id, position=_next_position(session, parent_id))
    session.add(category)
    session.flush()
    _announce(session)
    return category


def set_category_names(session: Session, *, actor: Identity, category_id: int, names: Mapping[str, str]) -> Category:
    """Rename a category: `names` by language; the default language's is the category's own name (required), the
    others optional (empty: readers of that language read the own name)."""
    ensure_admin(actor)
    category = _category(session, category_id)
    if not isinstance(names, Mapping) or any(language not in i18n.LANGUAGES for language in names):
        raise ValidationError('Choose one of the offered languages.', 'language')
    default = portal_settings.default_language(session)
    if default in names:
        own = _name(names[default])
        _ensure_name_free(session, own, parent_id=category.parent_id, category_id=category.id)
        category.name = own
        session.add(category)
    for language, raw in names.items():
        if language == default:
            continue
        clean = _name(raw, required=False, field=f'name_{language}')
        row = session.exec(
            select(CategoryTranslation).where(
                CategoryTranslation.category_id == category_id, CategoryTranslation.language == language
            )
        ).first()
        if not clean:
            if row is not None:
                session.delete(row)
            continue
        row = row or CategoryTranslation(category_id=category_id, language=language, name=clean)
        row.name = clean
        session.add(row)
    session.flush()
    _announce(session)
    return category


def category_names(session: Session, *, actor: Identity, category_id: int) -> dict[str, str]:
    """The category's name in every language, as written ('' where not translated); the default one is its own."""
    ensure_admin(actor)
    category = _category(session, category_id)
    written = dict(
        session.exec(
            select(CategoryTranslation.language, CategoryTranslation.name).where(
                CategoryTranslation.category_id == category_id
            )
        ).all()
    )
    default = portal_settings.default_language(session)
    return {
        language: category.name if language == default else written.get(language, '') for language in i18n.LANGUAGES
    }


def move_category(session: Session, *, actor: Identity, category_id: int, parent_id: int | None) -> Category:
    """Put a category (with its subcategories and products) under another parent, or at the top level (None), at
    the end of its new siblings."""
    ensure_admin(actor)
    category = _category(session, category_id)
    if parent_id == category.parent_id:
        return category
    levels_below = _height(session, category)
    if parent_id is not None:
        parent = _category(session, parent_id)
        ancestor: Category | None = parent
        while ancestor is not None:
            if ancestor.id == category.id:
                raise ValidationError('A category cannot move into itself or one of its subcategories.', 'parent_id')
            ancestor = session.get(Category, ancestor.parent_id) if ancestor.parent_id is not None else None
        if _depth(session, parent) + levels_below > MAX_DEPTH:
            raise ValidationError(
                'Categories go at most {levels} levels deep: {name} with its subcategories does not fit there.',
                'parent_id',
                levels=MAX_DEPTH,
                name=category.name,
            )
    _ensure_name_free(session, category.name, parent_id=parent_id, category_id=category.id)
    old_parent = category.parent_id
    category.parent_id = parent_id
    category.position = _next_position(session, parent_id)
    session.add(category)
    session.flush()
    _renumber(session, old_parent)
    _announce(session)
    return category


def move_category_to(session: Session, *, actor: Identity, category_id: int, position: int) -> Category:
    """Put a category at `position` (0 first) among its siblings; the others close up around it."""
    ensure_admin(actor)
    category = _category(session, category_id)
    if not isinstance(position, int) or isinstance(position, bool):
        raise ValidationError('Choose a place in the list.', 'position')
    siblings = [c for c in _siblings(session, category.parent_id) if c.id != category.id]
    position = max(0, min(position, len(siblings)))
    siblings.insert(position, category)
    for index, sibling in enumerate(siblings):
        if sibling.position != index:
            sibling.position = index
            session.add(sibling)
    session.flush()
    _announce(session)
    return category


def shift_category(session: Session, *, actor: Identity, category_id: int, by: int) -> Category:
    """One place up (by=-1) or down (by=1) among its siblings."""
    ensure_admin(actor)
    category = _category(session, category_id)
    if by not in (-1, 1):
        raise ValidationError('Choose a place in the list.', 'position')
    siblings = _siblings(session, category.parent_id)
    index = next(i for i, c in enumerate(siblings) if c.id == category.id)
    return move_category_to(session, actor=actor, category_id=category_id, position=index + by)


@dataclass(frozen=True)
class DeletionEffect:
    """What deleting a category does: its products leave it (they stay in the catalogue); refused with subcategories."""

    products: int
    subcategories: int


def deletion_effect(session: Session, *, actor: Identity, category_id: int) -> DeletionEffect:
    ensure_admin(actor)
    _category(session, category_id)
    products = session.exec(
        select(func.count()).select_from(ProductCategory).where(ProductCategory.category_id == category_id)
    ).one()
    subcategories = session.exec(
        select(func.count()).select_from(Category).where(Category.parent_id == category_id)
    ).one()
    return DeletionEffect(products=products, subcategories=subcategories)


def delete_category(session: Session, *, actor: Identity, category_id: int) -> int:
    """Delete a category without subcategories; its products stay in the catalogue and leave it. Returns how many
    products left it."""
    ensure_admin(actor)
    category = _category(session, category_id)
    effect = deletion_effect(session, actor=actor, category_id=category_id)
    if effect.subcategories:
        raise ValidationError('{name} has subcategories: move or delete them first.', 'category_id', name=category.name)
    session.exec(delete(ProductCategory).where(col(ProductCategory.category_id) == category_id))
    session.exec(delete(CategoryAttribute).where(col(CategoryAttribute.category_id) == category_id))
    session.exec(delete(CategoryTranslation).where(col(CategoryTranslation.category_id) == category_id))
    parent_id = category.parent_id
    session.delete(category)
    session.flush()
    _renumber(session, parent_id)
    _announce(session)
    return effect.products


def set_category_attributes(session: Session, *, actor: Identity, category_id: int, names: list[str]) -> list[str]:
    """The attribute names the category's products are described by, in this order (duplicates dropped). Products'
    values of a name no longer listed stay stored and show again if the name comes back."""
    ensure_admin(actor)
    _category(session, category_id)
    if not isinstance(names, list | tuple):
        raise ValidationError('List the attribute names, one per line.', 'attributes')
    clean: list[str] = []
    for raw in names:
        name = _attribute_name(raw)
        if name and name.casefold() not in {n.casefold() for n in clean}:
            clean.append(name)
    if len(clean) > MAX_ATTRIBUTES:
        raise ValidationError('A category lists at most {limit} attributes.', 'attributes', limit=MAX_ATTRIBUTES)
    session.exec(delete(CategoryAttribute).where(col(CategoryAttribute.category_id) == category_id))
    if clean:
        session.exec(
            insert(CategoryAttribute),
            params=[{'category_id': category_id, 'name': n, 'position': i} for i, n in enumerate(clean)],
        )
    session.flush()
    _announce(session)
    return clean


# --- products in categories, and their attributes ----------------------------------------------------


def product_category_ids(session: Session, *, actor: Identity, product_id: int) -> list[int]:
    ensure_admin(actor)
    _product(session, product_id)
    return list(
        session.exec(
            select(ProductCategory.category_id)
            .where(ProductCategory.product_id == product_id)
            .order_by(col(ProductCategory.category_id))
        ).all()
    )


def set_product_categories(session: Session, *, actor: Identity, product_id: int, category_ids: list[int]) -> list[int]:
    """Put the product in exactly these categories (none: in no category; it stays in the catalogue)."""
    ensure_admin(actor)
    _product(session, product_id)
    if not isinstance(category_ids, list | tuple | set) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in category_ids
    ):
        raise ValidationError('Choose categories from the list.', 'category_ids')
    wanted = sorted(set(category_ids))
    if len(wanted) > MAX_CATEGORIES_PER_PRODUCT:
        raise ValidationError(
            'A product sits in at most {limit} categories.', 'category_ids', limit=MAX_CATEGORIES_PER_PRODUCT
        )
    if wanted:
        known = set(session.exec(select(Category.id).where(col(Category.id).in_(wanted))).all())
        if missing := set(wanted) - known:
            raise ValidationError(
                '{missing} of the chosen categories no longer exist.', 'category_ids', missing=len(missing)
            )
    current = set(product_category_ids(session, actor=actor, product_id=product_id))
    if current == set(wanted):
        return wanted
    session.exec(delete(ProductCategory).where(col(ProductCategory.product_id) == product_id))
    if wanted:
        session.exec(insert(ProductCategory), params=[{'category_id': c, 'product_id': product_id} for c in wanted])
    session.flush()
    _announce(session, product_id, changed=('products_in_categories', tuple(sorted(current ^ set(wanted)))))
    return wanted


def product_attributes(session: Session, *, actor: Identity, product_id: int) -> dict[str, str]:
    """The product's attribute values as stored, by name (supplier only; customers read `browsing.specifications`)."""
    ensure_admin(actor)
    _product(session, product_id)
    return attribute_values(session, product_id)


def attribute_values(session: Session, product_id: int) -> dict[str, str]:
    """(No actor: the callers check theirs.)"""
    return dict(
        session.exec(
            select(ProductAttribute.name, ProductAttribute.value).where(ProductAttribute.product_id == product_id)
        ).all()
    )


def set_product_attributes(
    session: Session, *, actor: Identity, product_id: int, values: Mapping[str, str]
) -> dict[str, str]:
    """Set the product's values of these attributes; an empty value removes it. Attributes not named keep theirs."""
    ensure_admin(actor)
    _product(session, product_id)
    if not isinstance(values, Mapping):
        raise ValidationError('Fill in the attributes.', 'attributes')
    cleaned: dict[str, str] = {}
    for raw_name, raw_value in values.items():
        name = _attribute_name(raw_name)
        value = text.line(raw_value, field=f'attribute-{name}', label=name)
        if len(value) > MAX_VALUE_CHARS:
            raise ValidationError(
                '{label} can be at most {limit} characters.', f'attribute-{name}', label=name, limit=MAX_VALUE_CHARS
            )
        if name:
            cleaned[name] = value
    changed = False
    for name, value in cleaned.items():
        row = session.get(ProductAttribute, (product_id, name))
        if not value:
            if row is not None:
                session.delete(row)
                changed = True
            continue
        if row is not None and row.value == value:
            continue
        row = row or ProductAttribute(product_id=product_id, name=name, value=value)
        row.value = value
        session.add(row)
        changed = True
    session.flush()
    if changed:  # (saved unchanged: the counts browsing keeps stay)
        in_categories = tuple(product_category_ids(session, actor=actor, product_id=product_id))
        _announce(session, product_id, changed=('values_in_categories', in_categories))
    return attribute_values(session, product_id)


# --- inside ---------------------------------------------------------------------------------------------


def _announce(session: Session, product_id: int | None = None, changed: tuple | None = None) -> None:
    """('categories',): the tree changed, or the products in it in a way not said (browsing counts everything
    anew). A product's change says which categories it touches instead, for the counts browsing keeps: `changed`
    ('products_in_categories', ids): it came into or left them; ('values_in_categories', ids): its values there;
    with ('category_products',) for open pages."""
    topics: list[tuple] = [('catalogue',)]
    topics += [('category_products',), changed] if changed is not None else [('categories',)]
    if product_id is not None:
        topics.append(('product', product_id))  # the supplier's open product page
    events.queue(session, *topics)


def _name(raw: object, *, required: bool = True, field: str = 'name') -> str:
    return text.bounded_line(raw, field=field, label=N_('The name'), max_len=MAX_NAME_CHARS, required=required)


def _attribute_name(raw: object) -> str:
    name = text.bounded_line(
        raw, field='attributes', label=N_('An attribute name'), max_len=MAX_ATTRIBUTE_CHARS, required=False
    )
    if ':' in name:  # a filter in the URL is 'name:value'
        raise ValidationError('An attribute name cannot hold a colon.', 'attributes')
    return name


def _category(session: Session, category_id: object) -> Category:
    return db.get_or_not_found(session, Category, category_id, N_('This category'))


def _product(session: Session, product_id: object) -> Product:
    return db.get_or_not_found(session, Product, product_id, N_('This product'))


def _depth(session: Session, category: Category) -> int:
    depth, parent_id = 1, category.parent_id
    while parent_id is not None:
        depth += 1
        parent = session.get(Category, parent_id)
        parent_id = parent.parent_id if parent else None
    return depth


def _height(session: Session, category: Category) -> int:
    """The levels the category makes with its subcategories (1: none below it)."""
    level, ids = 1, [category.id]
    while True:
        below = list(session.exec(select(Category.id).where(col(Category.parent_id).in_(ids))).all())
        if not below:
            return level
        level, ids = level + 1, below


def _siblings(session: Session, parent_id: int | None) -> list[Category]:
    parent = col(Category.parent_id).is_(None) if parent_id is None else col(Category.parent_id) == parent_id
    return list(session.exec(select(Category).where(parent).order_by(col(Category.position), col(Category.id))))


def _next_position(session: Session, parent_id: int | None) -> int:
    siblings = _siblings(session, parent_id)
    return (max(c.position for c in siblings) + 1) if siblings else 0


def _renumber(session: Session, parent_id: int | None) -> None:
    for index, sibling in enumerate(_siblings(session, parent_id)):
        if sibling.position != index:
            sibling.position = index
            session.add(sibling)
    session.flush()


def _ensure_name_free(session: Session, name: str, *, parent_id: int | None, category_id: int | None) -> None:
    """Two categories under one parent cannot share a name (a customer could not tell them apart)."""
    for sibling in _siblings(session, parent_id):
        if sibling.id != category_id and sibling.name.casefold() == name.casefold():
            raise ValidationError('There is already a category {name} there.', 'name', name=sibling.name)
