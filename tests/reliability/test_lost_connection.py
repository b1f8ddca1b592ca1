"""A lost connection during placing: the browser sends the same placement again (a retry after reconnecting, a
double click, a second tab). The placement key makes that one order, never two, and never an error."""

from __future__ import annotations

import threading

from nicegui.testing import User
from sqlmodel import select

from app.core import db
from app.models import Order, Product
from app.orders import current_order, invariants, ordering
from tests.rows import count
from tests.security.support import current_order_of, identity
from tests.ui.conftest import signed_in


def place(username: str, key: str) -> str:
    with db.write_session() as s:
        return ordering.place_current_order(s, actor=identity(username), placement_key=key).number


def test_the_same_placement_sent_again_gives_the_same_single_order() -> None:
    """ASVS 2.3.3 / 2.3.4 (no double booking): a retry returns the first result."""
    key, _ = current_order_of('customer')
    before = count(Order)
    first = place('customer', key)
    assert place('customer', key) == first
    assert count(Order) == before + 1


def test_two_copies_of_the_placement_at_the_same_moment_give_one_order() -> None:
    """ASVS 15.4.2 (check and act atomically): two requests racing with one key (a retry overtaking the original)
    place once."""
    with db.write_session() as s:  # customer2 starts with an empty current order
        hammer = s.exec(select(Product.id).where(Product.code == 'HT-1001')).one()
        current_order.add(s, actor=identity('customer2'), product_id=hammer, quantity=2)
    key, _ = current_order_of('customer2')
    before = count(Order)
    start, numbers = threading.Barrier(2), []

    def attempt() -> None:
        start.wait()
        numbers.append(place('customer2', key))

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(numbers) == 2 and numbers[0] == numbers[1]
    assert count(Order) == before + 1
    invariants.assert_stock_ok()


async def test_the_page_placing_again_after_a_lost_answer_shows_the_one_order(user: User) -> None:
    """The first click reached the server but its answer was lost; the page, still showing the current order,
    places again: the customer lands on the order that was placed, and there is still exactly one."""
    await signed_in(user, at='/current-order')
    await user.should_see(marker='place-order')
    key, _ = current_order_of('customer')
    before = count(Order)
    number = place('customer', key)  # what the lost first click did on the server

    user.find(marker='place-order').click()  # the page still shows the order: the customer clicks again
    user.find(marker='place-order').click()  # and once more, impatiently
    await user.should_see(f'Thank you — order {number} is placed.', retries=50)
    assert count(Order) == before + 1
    invariants.assert_stock_ok()
