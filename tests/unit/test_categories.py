"""Categories and attributes: the tree's rules, names per language, what a customer sees through a category and its
counts, the filters and reading them from a URL."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.catalogue import browsing, catalogue, categories
from app.catalogue.browsing import Filters
from app.core import db, events, i18n
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.models import Product, ProductAttribute, ProductCategory
from tests.services import read, write
from tests.unit.conftest import Shop


def make(admin, name, parent=None) -> int:
    return write(categories.create_category, actor=admin, name=name, parent_id=parent).id


def tree_names(admin) -> list[tuple[int, str]]:
    return [(node.depth, node.name) for node in read(categories.category_tree, actor=admin).walk()]


@pytest.fixture
def tools(accounts, shop):
    """Fasteners > Screws > Wood screws, Fasteners > Bolts, Tools; five products in them, one inactive."""
    admin = accounts.admin
    ids = {
        'fasteners': make(admin, 'Fasteners'),
        'tools': make(admin, 'Tools'),
    }
    ids['screws'] = make(admin, 'Screws', ids['fasteners'])
    ids['bolts'] = make(admin, 'Bolts', ids['fasteners'])
    ids['wood'] = make(admin, 'Wood screws', ids['screws'])
    p = {
        'wood1': shop.product('WS-1', on_hand=10),
        'wood2': shop.product('WS-2'),
        'bolt': shop.product('BO-1', on_hand=3),
        'hammer': shop.product('HA-1', on_hand=5),
        'old': shop.product('OLD-1', on_hand=5, active=False),
    }
    for product, where in [
        ('wood1', ['wood']),
        ('wood2', ['wood', 'screws']),  # in a category and its parent: counted once
        ('bolt', ['bolts']),
        ('hammer', ['tools']),
        ('old', ['bolts']),
    ]:
        write(
            categories.set_product_categories, actor=admin, product_id=p[product], category_ids=[ids[w] for w in where]
        )
    write(categories.set_category_attributes, actor=admin, category_id=ids['fasteners'], names=['Material'])
    write(categories.set_category_attributes, actor=admin, category_id=ids['screws'], names=['Size', 'Head'])
    for product, values in [
        ('wood1', {'Material': 'Steel', 'Size': '4 x 40'}),
        ('wood2', {'Material': 'Stainless', 'Size': '4 x 40'}),
        ('bolt', {'Material': 'Steel'}),
        ('old', {'Material': 'Brass'}),
    ]:
        write(categories.set_product_attributes, actor=admin, product_id=p[product], values=values)
    return ids, p


# --- the tree -----------------------------------------------------------------------------------------------


def test_the_tree_reads_in_order_with_depths(accounts, tools):
    assert tree_names(accounts.admin) == [
        (1, 'Fasteners'),
        (2, 'Screws'),
        (3, 'Wood screws'),
        (2, 'Bolts'),
        (1, 'Tools'),
    ]


def test_a_fourth_level_is_refused_making_and_moving(accounts, tools):
    ids, _ = tools
    admin = accounts.admin
    with pytest.raises(ValidationError, match='at most 3 levels'):
        make(admin, 'Too deep', ids['wood'])
    # Screws (with Wood screws below it) under Bolts would make four levels
    with pytest.raises(ValidationError, match='does not fit'):
        write(categories.move_category, actor=admin, category_id=ids['screws'], parent_id=ids['bolts'])
    # into itself or below itself
    with pytest.raises(ValidationError, match='into itself'):
        write(categories.move_category, actor=admin, category_id=ids['fasteners'], parent_id=ids['wood'])
    assert tree_names(admin)[0:3] == [(1, 'Fasteners'), (2, 'Screws'), (3, 'Wood screws')]


def test_moving_takes_the_subcategories_along_and_closes_up(accounts, tools):
    ids, _ = tools
    admin = accounts.admin
    write(categories.move_category, actor=admin, category_id=ids['screws'], parent_id=ids['tools'])
    assert tree_names(admin) == [(1, 'Fasteners'), (2, 'Bolts'), (1, 'Tools'), (2, 'Screws'), (3, 'Wood screws')]
    write(categories.move_category, actor=admin, category_id=ids['screws'], parent_id=None)
    assert [n for d, n in tree_names(admin) if d == 1] == ['Fasteners', 'Tools', 'Screws']
    with db.read_session() as s:
        positions = [node.position for node in categories.read_tree(s, language=None).roots]
    assert positions == [0, 1, 2]


def test_ordering_up_down_and_to_a_place(accounts, tools):
    ids, _ = tools
    admin = accounts.admin
    write(categories.shift_category, actor=admin, category_id=ids['tools'], by=-1)
    assert [n for d, n in tree_names(admin) if d == 1] == ['Tools', 'Fasteners']
    write(categories.shift_category, actor=admin, category_id=ids['tools'], by=-1)  # already first: stays
    assert [n for d, n in tree_names(admin) if d == 1] == ['Tools', 'Fasteners']
    write(categories.move_category_to, actor=admin, category_id=ids['bolts'], position=0)
    assert [n for d, n in tree_names(admin) if d == 2] == ['Bolts', 'Screws']
    with pytest.raises(ValidationError):
        write(categories.shift_category, actor=admin, category_id=ids['bolts'], by=5)


def test_names_are_text_unique_among_siblings_and_per_language(accounts, tools):
    ids, _ = tools
    admin = accounts.admin
    with pytest.raises(ValidationError, match='already a category'):
        make(admin, 'fasteners')
    with pytest.raises(ValidationError, match='required'):
        make(admin, '   ')
    with pytest.raises(ValidationError, match='at most 80'):
        make(admin, 'x' * 81)
    make(admin, 'Screws', ids['tools'])  # the same name elsewhere in the tree is fine
    write(
        categories.set_category_names,
        actor=admin,
        category_id=ids['fasteners'],
        names={'en': 'Fixings', 'nl': 'Bevestigingsmateriaal', 'de': ''},
    )
    assert read(categories.category_names, actor=admin, category_id=ids['fasteners']) == {
        'en': 'Fixings',
        'nl': 'Bevestigingsmateriaal',
        'de': '',
    }
    with i18n.speaking('nl'):
        assert read(browsing.browse_tree, actor=accounts.alice).tree.by_id[ids['fasteners']].name == (
            'Bevestigingsmateriaal'
        )
    with i18n.speaking('de'):  # no German name: the own one
        assert read(browsing.browse_tree, actor=accounts.alice).tree.by_id[ids['fasteners']].name == 'Fixings'
    with pytest.raises(ValidationError, match='offered languages'):
        write(categories.set_category_names, actor=admin, category_id=ids['fasteners'], names={'fr': 'Fixations'})


def test_deleting_is_refused_with_subcategories_and_products_stay_in_the_catalogue(accounts, tools):
    ids, p = tools
    admin = accounts.admin
    assert read(categories.deletion_effect, actor=admin, category_id=ids['fasteners']) == (
        categories.DeletionEffect(products=0, subcategories=2)
    )
    with pytest.raises(ValidationError, match='has subcategories'):
        write(categories.delete_category, actor=admin, category_id=ids['fasteners'])
    assert read(categories.deletion_effect, actor=admin, category_id=ids['bolts']).products == 2
    assert write(categories.delete_category, actor=admin, category_id=ids['bolts']) == 2
    with db.read_session() as s:
        assert s.get(Product, p['bolt']) is not None
        assert s.exec(select(ProductCategory).where(ProductCategory.product_id == p['bolt'])).all() == []
    assert 'BO-1' in [c.code for c in read(catalogue.search_products, actor=accounts.alice).items]
    with pytest.raises(NotFound):
        write(categories.delete_category, actor=admin, category_id=ids['bolts'])


def test_customers_may_not_keep_the_tree(accounts, tools):
    ids, p = tools
    for call, kwargs in [
        (categories.create_category, {'name': 'Mine'}),
        (categories.delete_category, {'category_id': ids['tools']}),
        (categories.set_product_categories, {'product_id': p['hammer'], 'category_ids': []}),
        (categories.category_tree, {}),
    ]:
        with pytest.raises(AccessDenied):
            write(call, actor=accounts.alice, **kwargs)


def test_product_categories_refuse_unknown_ids_and_non_numbers(accounts, tools):
    ids, p = tools
    admin = accounts.admin
    with pytest.raises(ValidationError, match='no longer exist'):
        write(categories.set_product_categories, actor=admin, product_id=p['hammer'], category_ids=[ids['tools'], 999])
    with pytest.raises(ValidationError, match='from the list'):
        write(categories.set_product_categories, actor=admin, product_id=p['hammer'], category_ids=['1'])
    assert read(categories.product_category_ids, actor=admin, product_id=p['hammer']) == [ids['tools']]


# --- what a customer sees through categories ------------------------------------------------------------------


def test_counts_include_subcategories_once_and_never_inactive_or_hidden_products(accounts, tools):
    ids, p = tools
    shown = read(browsing.browse_tree, actor=accounts.alice)
    assert shown.counts[ids['wood']] == 2
    assert shown.counts[ids['screws']] == 2  # wood2 sits in both Screws and Wood screws: once
    assert shown.counts[ids['bolts']] == 1  # the inactive one is not counted
    assert shown.counts[ids['fasteners']] == 3
    assert [node.name for node in shown.roots] == ['Fasteners', 'Tools']
    # Bob sees a selection: only the hammer. Fasteners is empty for him, and hides
    with db.write_session() as s:
        catalogue.set_catalogue_mode(s, actor=accounts.admin, customer_id=accounts.customer_b.id, mode='selection')
        catalogue.add_to_selection(
            s, actor=accounts.admin, customer_id=accounts.customer_b.id, product_ids=[p['hammer']]
        )
    bobs = read(browsing.browse_tree, actor=accounts.bob)
    assert [node.name for node in bobs.roots] == ['Tools']
    assert not bobs.has(ids['fasteners']) and bobs.path(ids['wood']) == []
    parsed = read(browsing.parse_filters, actor=accounts.bob, category=str(ids['fasteners']))
    assert parsed.filters == Filters() and parsed.problem == browsing.UNKNOWN_CATEGORY
    with pytest.raises(NotFound):
        read(browsing.browse, actor=accounts.bob, filters=Filters(category_id=ids['fasteners']))
    with pytest.raises(NotFound):
        read(browsing.attribute_facets, actor=accounts.bob, category_id=ids['fasteners'])


def test_counts_follow_changes_at_once(accounts, tools):
    ids, p = tools
    assert read(browsing.browse_tree, actor=accounts.alice).counts[ids['tools']] == 1
    write(categories.set_product_categories, actor=accounts.admin, product_id=p['bolt'], category_ids=[ids['tools']])
    shown = read(browsing.browse_tree, actor=accounts.alice)
    assert shown.counts[ids['tools']] == 2 and shown.counts.get(ids['bolts'], 0) == 0
    assert [node.name for node in shown.children(ids['fasteners'])] == ['Screws']  # Bolts is empty now


def test_a_category_page_shows_its_subcategories_products(accounts, tools):
    ids, _ = tools
    page = read(browsing.browse, actor=accounts.alice, filters=Filters(category_id=ids['fasteners']))
    assert sorted(c.code for c in page.items) == ['BO-1', 'WS-1', 'WS-2'] and page.total == 3
    page = read(browsing.browse, actor=accounts.alice, filters=Filters(category_id=ids['wood']))
    assert sorted(c.code for c in page.items) == ['WS-1', 'WS-2']


def test_filters_combine_with_each_other_and_the_search(accounts, shop, tools):
    ids, p = tools
    alice = accounts.alice
    in_stock = read(browsing.browse, actor=alice, filters=Filters(category_id=ids['fasteners'], in_stock=True))
    assert sorted(c.code for c in in_stock.items) == ['BO-1', 'WS-1']
    steel = Filters(category_id=ids['fasteners'], attributes=(('Material', 'Steel'),))
    assert sorted(c.code for c in read(browsing.browse, actor=alice, filters=steel).items) == ['BO-1', 'WS-1']
    searched = read(browsing.browse, actor=alice, query='WS', filters=steel)
    assert [c.code for c in searched.items] == ['WS-1']
    assert read(browsing.browse, actor=alice, filters=Filters(bought_before=True)).total == 0
    shop.place(alice, {p['hammer']: 1})
    shop.place(accounts.bob, {p['bolt']: 1})  # Bob's order is not Alice's "bought before"
    assert [c.code for c in read(browsing.browse, actor=alice, filters=Filters(bought_before=True)).items] == ['HA-1']
    by_price = read(browsing.browse, actor=alice, sort='code', filters=Filters(category_id=ids['fasteners']))
    assert [c.code for c in by_price.items] == ['BO-1', 'WS-1', 'WS-2']


def test_attribute_facets_count_what_the_customer_sees_in_the_category(accounts, tools):
    ids, _ = tools
    facets = read(browsing.attribute_facets, actor=accounts.alice, category_id=ids['fasteners'])
    # the Brass of the inactive bolt is not offered; Size is an attribute of Screws, listed at Fasteners through
    # its products only when the category itself lists it
    assert facets == [browsing.Facet('Material', [('Stainless', 1), ('Steel', 2)])]
    screws = read(browsing.attribute_facets, actor=accounts.alice, category_id=ids['screws'])
    assert screws == [
        browsing.Facet('Material', [('Stainless', 1), ('Steel', 1)]),
        browsing.Facet('Size', [('4 x 40', 2)]),
    ]


def test_specifications_in_the_categories_order_and_hidden_products_have_none(accounts, tools):
    _, p = tools
    assert read(browsing.specifications, actor=accounts.alice, product_id=p['wood2']) == [
        ('Material', 'Stainless'),
        ('Size', '4 x 40'),
    ]
    with pytest.raises(NotFound):
        read(browsing.specifications, actor=accounts.alice, product_id=p['old'])
    write(categories.set_product_attributes, actor=accounts.admin, product_id=p['wood2'], values={'Size': ''})
    assert read(categories.product_attributes, actor=accounts.admin, product_id=p['wood2']) == {'Material': 'Stainless'}


# --- reading filters from a URL --------------------------------------------------------------------------------


def test_url_filters_read_back_and_bad_ones_drop_every_filter(accounts, tools):
    ids, _ = tools
    alice = accounts.alice

    def parsed(**query):
        return read(browsing.parse_filters, actor=alice, **query)

    good = parsed(category=str(ids['screws']), stock='1', bought='', attributes=['Size:4 x 40', 'Material:Steel'])
    assert good.problem is None
    assert good.filters == Filters(ids['screws'], True, False, (('Size', '4 x 40'), ('Material', 'Steel')))
    assert parsed(**{'category': '', 'stock': '0'}) == browsing.Parsed(Filters())
    for bad in [
        {'category': 'abc'},
        {'category': '-1'},
        {'category': '9' * 30},
        {'category': '١٢'},
        {'stock': 'yes'},
        {'bought': '2'},
        {'attributes': ['Size:4 x 40']},  # an attribute without a category
        {'category': str(ids['tools']), 'attributes': ['Size:4 x 40']},  # not an attribute of Tools
        {'category': str(ids['screws']), 'attributes': ['Size']},
        {'category': str(ids['screws']), 'attributes': ['Size:1', 'Size:2']},
        {'category': str(ids['screws']), 'stock': '1', 'attributes': ['Colour:Red']},
    ]:
        result = parsed(**bad)
        assert result.filters == Filters() and result.problem is not None, bad
    assert parsed(category='424242').problem == browsing.UNKNOWN_CATEGORY
    params = good.filters.params()
    assert params == {
        'category': ids['screws'],
        'stock': '1',
        'bought': '',
        'attr': ['Size:4 x 40', 'Material:Steel'],
    }


def test_attribute_names_cannot_hold_a_colon_and_are_capped(accounts, tools):
    ids, _ = tools
    with pytest.raises(ValidationError, match='colon'):
        write(categories.set_category_attributes, actor=accounts.admin, category_id=ids['tools'], names=['a:b'])
    names = write(
        categories.set_category_attributes, actor=accounts.admin, category_id=ids['tools'], names=['Size', 'size', '']
    )
    assert names == ['Size']


def test_the_view_is_kept_per_user(accounts):
    assert read(browsing.catalogue_view, actor=accounts.alice) == 'grid'
    write(browsing.set_catalogue_view, actor=accounts.alice, view='list')
    assert read(browsing.catalogue_view, actor=accounts.alice) == 'list'
    assert read(browsing.catalogue_view, actor=accounts.bob) == 'grid'
    with pytest.raises(ValidationError):
        write(browsing.set_catalogue_view, actor=accounts.alice, view='table')
    with pytest.raises(AccessDenied):
        write(browsing.set_catalogue_view, actor=accounts.admin, view='list')


# --- the counts kept, and what drops them (browsing._Counts) -----------------------------------------------------


def set_active(admin, product_id: int, active: bool) -> None:
    Shop(admin).change_product(product_id, active=active)


def material_counts(who, category_id: int) -> dict[str, int]:
    facets = read(browsing.attribute_facets, actor=who, category_id=category_id)
    return dict(next((f.values for f in facets if f.name == 'Material'), []))


def test_a_product_going_inactive_leaves_the_counts_and_facets_at_once_and_comes_back(accounts, tools):
    ids, p = tools
    alice, admin = accounts.alice, accounts.admin
    assert read(browsing.browse_tree, actor=alice).counts[ids['fasteners']] == 3  # (counted and kept)
    assert material_counts(alice, ids['fasteners']) == {'Stainless': 1, 'Steel': 2}
    set_active(admin, p['wood1'], False)
    shown = read(browsing.browse_tree, actor=alice)
    assert shown.counts[ids['wood']] == 1 and shown.counts[ids['fasteners']] == 2
    assert material_counts(alice, ids['fasteners']) == {'Stainless': 1, 'Steel': 1}
    assert read(browsing.browse_tree, actor=admin).counts[ids['fasteners']] == 4  # the supplier counts every one
    set_active(admin, p['bolt'], False)
    set_active(admin, p['wood2'], False)
    shown = read(browsing.browse_tree, actor=alice)
    assert not shown.has(ids['fasteners']) and [node.name for node in shown.roots] == ['Tools']
    with pytest.raises(NotFound):
        read(browsing.attribute_facets, actor=alice, category_id=ids['fasteners'])
    set_active(admin, p['old'], True)  # the one that was always inactive: its Brass is offered now
    assert read(browsing.browse_tree, actor=alice).counts[ids['fasteners']] == 1
    assert material_counts(alice, ids['fasteners']) == {'Brass': 1}


def test_with_many_inactive_products_in_a_category_its_values_are_counted_directly(accounts, tools, monkeypatch):
    ids, p = tools
    monkeypatch.setattr(browsing, 'MAX_SUBTRACTED', 0)  # (2,000 of them: one here is many)
    assert material_counts(accounts.alice, ids['fasteners']) == {'Stainless': 1, 'Steel': 2}  # not the old Brass
    set_active(accounts.admin, p['wood2'], False)
    assert material_counts(accounts.alice, ids['fasteners']) == {'Steel': 2}


def test_a_selection_counts_only_its_active_products_and_follows_them(accounts, tools):
    ids, p = tools
    bob, admin = accounts.bob, accounts.admin
    with db.write_session() as s:
        catalogue.set_catalogue_mode(s, actor=admin, customer_id=accounts.customer_b.id, mode='selection')
        catalogue.add_to_selection(
            s, actor=admin, customer_id=accounts.customer_b.id, product_ids=[p['wood2'], p['old'], p['bolt']]
        )
    shown = read(browsing.browse_tree, actor=bob)
    assert shown.counts == {ids['fasteners']: 2, ids['screws']: 1, ids['wood']: 1, ids['bolts']: 1}
    assert material_counts(bob, ids['fasteners']) == {'Stainless': 1, 'Steel': 1}  # not the inactive Brass
    set_active(admin, p['bolt'], False)
    assert read(browsing.browse_tree, actor=bob).counts[ids['fasteners']] == 1
    assert material_counts(bob, ids['fasteners']) == {'Stainless': 1}
    assert read(browsing.browse_tree, actor=accounts.alice).counts[ids['fasteners']] == 2  # all-mode: their own


def test_a_product_in_several_subcategories_counts_once_in_each_category_above_them(accounts, tools):
    ids, p = tools
    admin = accounts.admin
    where = [ids['wood'], ids['screws'], ids['bolts']]
    write(categories.set_product_categories, actor=admin, product_id=p['wood2'], category_ids=where)
    shown = read(browsing.browse_tree, actor=accounts.alice)
    assert (shown.counts[ids['fasteners']], shown.counts[ids['screws']], shown.counts[ids['bolts']]) == (3, 2, 2)
    assert material_counts(accounts.alice, ids['fasteners']) == {'Stainless': 1, 'Steel': 2}
    write(categories.set_product_categories, actor=admin, product_id=p['old'], category_ids=[ids['wood'], ids['tools']])
    shown = read(browsing.browse_tree, actor=admin)  # inactive ones too, each once
    assert (shown.counts[ids['fasteners']], shown.counts[ids['wood']], shown.counts[ids['tools']]) == (4, 3, 2)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A 1 for every time the category counts over every product are worked out, from no counts at hand."""
    counted: list[int] = []
    real = browsing._base_counts
    monkeypatch.setattr(browsing, '_base_counts', lambda *args: counted.append(1) or real(*args))
    browsing.forget_counts()
    return counted


def test_attribute_values_change_the_facets_at_once_and_keep_the_category_counts(accounts, tools, counted):
    ids, p = tools
    alice, admin = accounts.alice, accounts.admin
    assert read(browsing.browse_tree, actor=alice).counts[ids['fasteners']] == 3
    assert material_counts(alice, ids['fasteners']) == {'Stainless': 1, 'Steel': 2}
    write(categories.set_product_attributes, actor=admin, product_id=p['wood1'], values={'Material': 'Brass'})
    assert material_counts(alice, ids['fasteners']) == {'Brass': 1, 'Stainless': 1, 'Steel': 1}
    assert read(browsing.browse_tree, actor=alice).counts[ids['fasteners']] == 3
    set_active(admin, p['hammer'], True)  # a product saved (a price, a name): the counts over every product stay
    assert read(browsing.browse_tree, actor=alice).counts[ids['fasteners']] == 3
    assert counted == [1]
    # a product moved: the categories it left and came into (and their parents) counted again, nothing else
    write(categories.set_product_categories, actor=admin, product_id=p['hammer'], category_ids=[ids['bolts']])
    shown = read(browsing.browse_tree, actor=alice)
    assert shown.counts[ids['fasteners']] == 4 and shown.counts[ids['bolts']] == 2 and not shown.has(ids['tools'])
    assert counted == [1]
    make(admin, 'Glue')  # the tree itself changed: everything counted anew
    assert read(browsing.browse_tree, actor=alice).counts[ids['fasteners']] == 4 and counted == [1, 1]


def test_a_product_moving_between_categories_moves_its_counts_and_values_at_once(accounts, tools, counted):
    ids, p = tools
    alice, admin = accounts.alice, accounts.admin
    assert material_counts(alice, ids['screws']) == {'Stainless': 1, 'Steel': 1}
    assert material_counts(alice, ids['bolts']) == {'Steel': 1}
    assert read(browsing.browse_tree, actor=admin).counts[ids['fasteners']] == 4
    # wood1 (Steel) leaves Wood screws for Bolts: Screws loses it, Fasteners keeps it once
    write(categories.set_product_categories, actor=admin, product_id=p['wood1'], category_ids=[ids['bolts']])
    shown = read(browsing.browse_tree, actor=alice)
    assert (shown.counts[ids['wood']], shown.counts[ids['screws']], shown.counts[ids['bolts']]) == (1, 1, 2)
    assert shown.counts[ids['fasteners']] == 3
    assert material_counts(alice, ids['screws']) == {'Stainless': 1}
    assert material_counts(alice, ids['bolts']) == {'Steel': 2}
    # the inactive one into Tools as well: the supplier counts it there, customers do not
    write(
        categories.set_product_categories, actor=admin, product_id=p['old'], category_ids=[ids['bolts'], ids['tools']]
    )
    assert read(browsing.browse_tree, actor=admin).counts[ids['tools']] == 2
    assert read(browsing.browse_tree, actor=alice).counts[ids['tools']] == 1
    # wood2 out of every category: Screws and Wood screws are empty and hide
    write(categories.set_product_categories, actor=admin, product_id=p['wood2'], category_ids=[])
    shown = read(browsing.browse_tree, actor=alice)
    assert not shown.has(ids['screws']) and not shown.has(ids['wood']) and shown.counts[ids['fasteners']] == 2
    assert [node.name for node in shown.children(ids['fasteners'])] == ['Bolts']
    assert counted == [1]  # (each change counted only where it happened)
    browsing.forget_counts()
    assert read(browsing.browse_tree, actor=alice).counts == shown.counts  # as counted from nothing


def test_saving_unchanged_attribute_values_announces_nothing(accounts, tools):
    _, p = tools
    heard = []
    topics = [('category_products',), ('categories',), ('catalogue',)]
    stops = [events.subscribe(topic, heard.append) for topic in topics]
    try:
        values = {'Material': 'Steel', 'Size': '4 x 40'}
        write(categories.set_product_attributes, actor=accounts.admin, product_id=p['wood1'], values=values)
        assert heard == []
        write(categories.set_product_attributes, actor=accounts.admin, product_id=p['wood1'], values={'Size': ''})
        assert sorted(heard) == [('catalogue',), ('category_products',)]  # the tree itself is as it was
    finally:
        for stop in stops:
            stop()


def test_a_change_to_the_products_in_categories_said_only_as_categories_counts_everything_anew(accounts, tools):
    ids, p = tools  # (as an import writes them: rows of its own and ('categories',))
    alice = accounts.alice
    assert read(browsing.browse_tree, actor=alice).counts[ids['tools']] == 1
    assert material_counts(alice, ids['fasteners']) == {'Stainless': 1, 'Steel': 2}
    with db.write_session() as s:
        s.add(ProductCategory(category_id=ids['tools'], product_id=p['wood1']))
        s.add(ProductCategory(category_id=ids['bolts'], product_id=p['hammer']))
        events.queue(s, ('categories',), ('catalogue',))
    shown = read(browsing.browse_tree, actor=alice)
    assert shown.counts[ids['tools']] == 2 and shown.counts[ids['bolts']] == 2 and shown.counts[ids['fasteners']] == 4
    with db.write_session() as s:
        s.add(ProductAttribute(product_id=p['hammer'], name='Material', value='Steel'))
        events.queue(s, ('categories',), ('catalogue',))
    assert material_counts(alice, ids['fasteners']) == {'Stainless': 1, 'Steel': 3}
