"""Alternatives and accessories: linked by the supplier, alternatives read both ways, an out-of-stock product's in-stock
alternatives suggested, and a product the customer may not see never shown through a link."""

from __future__ import annotations

import pytest

from app.catalogue import catalogue, related
from app.core import db
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.models import RelationKind


@pytest.fixture
def made(accounts, shop) -> dict[str, int]:
    """A drill out of stock, two other drills (one in stock), a bit and a case for it, and an inactive drill."""
    ids = {
        'DRILL': shop.product('DRILL'),
        'DRILL-2': shop.product('DRILL-2', on_hand=5),
        'DRILL-3': shop.product('DRILL-3'),
        'BIT': shop.product('BIT', on_hand=40),
        'CASE': shop.product('CASE', on_hand=2),
        'OLD': shop.product('OLD', on_hand=9, active=False),
    }
    for other, kind in [
        ('DRILL-2', 'alternative'),
        ('BIT', 'accessory'),
        ('CASE', 'accessory'),
        ('OLD', 'alternative'),
    ]:
        link(accounts, ids['DRILL'], ids[other], kind)
    link(accounts, ids['DRILL-3'], ids['DRILL'], 'alternative')  # linked from the other end
    return ids


def link(accounts, product_id: int, related_id: int, kind: str) -> None:
    with db.write_session() as s:
        related.link(s, actor=accounts.admin, product_id=product_id, related_id=related_id, kind=kind)


def read(who, product_id: int) -> tuple[list[str], list[str]]:
    with db.read_session() as s:
        found = related.related_for(s, actor=who, product_id=product_id)
    return [c.code for c in found.alternatives], [c.code for c in found.accessories]


def suggested(who, product_ids) -> dict[int, list[str]]:
    with db.read_session() as s:
        found = related.in_stock_alternatives(s, actor=who, product_ids=product_ids)
    return {pid: [c.code for c in cards] for pid, cards in found.items()}


def test_a_customer_reads_the_alternatives_both_ways_and_the_accessories_one_way(accounts, made) -> None:
    assert read(accounts.alice, made['DRILL']) == (['DRILL-2', 'DRILL-3'], ['BIT', 'CASE'])  # not the inactive OLD
    assert read(accounts.alice, made['DRILL-2']) == (['DRILL'], [])  # an alternative's alternative is the drill
    assert read(accounts.alice, made['BIT']) == ([], [])  # the drill is no accessory of its bit


def test_the_supplier_sees_every_link_inactive_products_too(accounts, made) -> None:
    with db.read_session() as s:
        links = related.links_of(s, actor=accounts.admin, product_id=made['DRILL'])
    assert [(x.code, x.kind, x.active) for x in links] == [
        ('DRILL-2', RelationKind.ALTERNATIVE, True),
        ('BIT', RelationKind.ACCESSORY, True),
        ('CASE', RelationKind.ACCESSORY, True),
        ('OLD', RelationKind.ALTERNATIVE, False),
        ('DRILL-3', RelationKind.ALTERNATIVE, True),
    ]


def test_an_out_of_stock_product_suggests_its_in_stock_alternatives(accounts, made) -> None:
    # DRILL-3 has no stock, OLD is hidden: only DRILL-2; the in-stock DRILL-2's own alternative (DRILL) has none
    assert suggested(accounts.alice, [made['DRILL'], made['DRILL-2'], made['BIT']]) == {made['DRILL']: ['DRILL-2']}


def test_a_hidden_product_never_appears_through_a_link(accounts, made) -> None:
    """Bob's selection holds the drill and the case only: the in-stock DRILL-2 is not his to see or be suggested."""
    with db.write_session() as s:
        catalogue.set_catalogue_mode(s, actor=accounts.admin, customer_id=accounts.customer_b.id, mode='selection')
        catalogue.add_to_selection(
            s, actor=accounts.admin, customer_id=accounts.customer_b.id, product_ids=[made['DRILL'], made['CASE']]
        )
    assert read(accounts.bob, made['DRILL']) == ([], ['CASE'])
    assert suggested(accounts.bob, [made['DRILL']]) == {}
    with pytest.raises(NotFound):  # the related products of a product he may not see: as if there were none
        read(accounts.bob, made['DRILL-2'])


def test_linking_again_changes_the_kind_and_unlinking_works_from_either_end(accounts, made) -> None:
    link(accounts, made['DRILL-2'], made['DRILL'], 'accessory')  # the pair's one link, now DRILL-2 -> DRILL
    assert read(accounts.alice, made['DRILL'])[0] == ['DRILL-3']
    assert read(accounts.alice, made['DRILL-2']) == ([], ['DRILL'])
    with db.write_session() as s:
        related.unlink(s, actor=accounts.admin, product_id=made['DRILL'], related_id=made['DRILL-2'])
    assert read(accounts.alice, made['DRILL-2']) == ([], [])
    with db.write_session() as s, pytest.raises(NotFound):
        related.unlink(s, actor=accounts.admin, product_id=made['DRILL'], related_id=made['DRILL-2'])


@pytest.mark.parametrize(
    ('related_id', 'kind', 'message'),
    [
        ('self', 'alternative', 'A product cannot be related to itself.'),
        ('BIT', 'spare part', 'Choose alternative or accessory.'),
        ('1', 'alternative', 'Choose a product from the list.'),
    ],
)
def test_bad_links_are_refused_and_change_nothing(accounts, made, related_id, kind, message) -> None:
    target = {'self': made['DRILL'], 'BIT': made['BIT']}.get(related_id, related_id)
    with db.write_session() as s, pytest.raises(ValidationError) as refused:
        related.link(s, actor=accounts.admin, product_id=made['DRILL'], related_id=target, kind=kind)
    assert refused.value.message == message
    assert read(accounts.alice, made['DRILL']) == (['DRILL-2', 'DRILL-3'], ['BIT', 'CASE'])


def test_a_link_to_a_product_that_does_not_exist_is_not_found(accounts, made) -> None:
    with db.write_session() as s, pytest.raises(NotFound):
        related.link(s, actor=accounts.admin, product_id=made['DRILL'], related_id=10**9, kind='accessory')


def test_only_the_supplier_links_products(accounts, made) -> None:
    with db.write_session() as s:
        for attempt in (
            lambda: related.link(
                s, actor=accounts.alice, product_id=made['BIT'], related_id=made['CASE'], kind='accessory'
            ),
            lambda: related.unlink(s, actor=accounts.alice, product_id=made['DRILL'], related_id=made['BIT']),
            lambda: related.links_of(s, actor=accounts.alice, product_id=made['DRILL']),
        ):
            with pytest.raises(AccessDenied):
                attempt()


def test_names_are_read_in_the_customers_language(accounts, made) -> None:
    from app.catalogue import translations
    from app.core import i18n

    with db.write_session() as s:
        translations.set_product_translation(
            s, actor=accounts.admin, product_id=made['BIT'], language='nl', name='Boortje', description=''
        )
    with i18n.speaking('nl'), db.read_session() as s:
        assert [c.name for c in related.related_for(s, actor=accounts.alice, product_id=made['DRILL']).accessories] == [
            'Boortje',
            'Product CASE',
        ]
