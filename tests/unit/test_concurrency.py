"""Many customers placing at the same moment, on the file database, each thread with its own sessions."""

import threading

import pytest
from sqlmodel import func, select

from app.core import db
from app.identity import accounts as account_service
from app.identity.access import SYSTEM
from app.models import Order, OrderLine, PortalUserCreate
from app.orders import ordering
from tests.conftest import identity_of

pytestmark = pytest.mark.usefixtures('stock_invariant')


def at_once(count, work):
    """Run work(i) in `count` threads released together; returns (results, errors) by thread index."""
    barrier = threading.Barrier(count)
    results, errors = {}, {}

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as e:  # every failure, DatabaseBusy included, is reported
            errors[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def place(who, key):
    with db.write_session() as s:
        return ordering.place_current_order(s, actor=who, placement_key=key).number


def test_twenty_customers_ordering_the_last_five_units(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    with db.write_session() as s:
        users = [
            account_service.create_user(
                s,
                actor=SYSTEM,
                data=PortalUserCreate(
                    username=f'buyer{i:02d}', password='buyer-password', customer_id=accounts.customer_a.id
                ),
            ).id
            for i in range(20)
        ]
    buyers = [identity_of(user_id) for user_id in users]
    keys = [shop.fill(who, {hammer: 1}) for who in buyers]

    results, errors = at_once(20, lambda i: place(buyers[i], keys[i]))

    assert errors == {}
    assert len(set(results.values())) == 20
    with db.read_session() as s:
        reserved, backordered = s.exec(select(func.sum(OrderLine.allocated), func.sum(OrderLine.backorder))).one()
    assert (reserved, backordered) == (5, 15)
    assert shop.stock_of(hammer) == (5, 5)


def test_the_same_current_order_placed_from_ten_tabs_at_once_is_one_order(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    key = shop.fill(accounts.alice, {hammer: 2})

    results, errors = at_once(10, lambda _: place(accounts.alice, key))

    assert errors == {}
    assert len(results) == 10
    assert len(set(results.values())) == 1
    with db.read_session() as s:
        assert s.exec(select(func.count()).select_from(Order)).one() == 1
    assert shop.stock_of(hammer) == (5, 2)
