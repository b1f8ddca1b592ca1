"""Expected deliveries (app/orders/expected.py) and the one reckoning of a backorder (orders.backorder_figures)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.catalogue import catalogue
from app.core import clock, db
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.models import CatalogueMode, ExpectedDelivery
from app.orders import expected, orders, stock

pytestmark = pytest.mark.usefixtures('stock_invariant')

TODAY = date(2030, 3, 10)


@pytest.fixture
def march(data_dir):
    """Today is 10 March 2030; each reading of the clock a minute later, so 'oldest first' is unambiguous."""
    start = datetime(2030, 3, 10, 8, 0, tzinfo=UTC)
    ticks = iter(range(100_000))
    clock.set_now(lambda: start + timedelta(minutes=next(ticks)))


def record(shop, product_id, quantity, on, note=''):
    return shop.run(
        expected.record_expected_delivery, product_id=product_id, quantity=quantity, expected_on=on, note=note
    )


def seen_by(who, product_ids):
    with db.read_session() as s:
        return expected.customer_expectations(s, actor=who, product_ids=product_ids)


def test_expected_units_go_to_backorders_oldest_order_first_earliest_delivery_first(accounts, shop, march):
    nails = shop.product('NAIL', on_hand=0)
    first = shop.place(accounts.alice, {nails: 30})
    second = shop.place(accounts.bob, {nails: 20})
    third = shop.place(accounts.alice, {nails: 15})
    record(shop, nails, 40, '2030-03-20')
    record(shop, nails, 10, date(2030, 3, 14))  # earlier, though recorded later

    mine = seen_by(accounts.alice, [nails])
    first_line, third_line = shop.line(first.id, nails).id, shop.line(third.id, nails).id
    assert set(mine.lines) == {first_line, third_line}  # Beta's line counts, but is never shown to Alpha
    assert [(a.expected_on, a.units) for a in mine.lines[first_line].arrivals] == [
        (date(2030, 3, 14), 10),
        (date(2030, 3, 20), 20),
    ]
    assert mine.lines[first_line].not_expected == 0
    # Beta's 20 take the next 20 of the 20 March delivery: nothing is left for Alpha's later order
    assert mine.lines[third_line].arrivals == () and mine.lines[third_line].not_expected == 15
    beta = seen_by(accounts.bob, [nails]).lines[shop.line(second.id, nails).id]
    assert [(a.expected_on, a.units) for a in beta.arrivals] == [(date(2030, 3, 20), 20)]
    assert nails not in mine.next_arrival  # nothing left over for a new order


def test_what_is_left_after_the_backorders_is_the_date_for_a_new_order(accounts, shop, march):
    nails = shop.product('NAIL', on_hand=0)
    shop.place(accounts.bob, {nails: 5})
    record(shop, nails, 8, '2030-03-12')
    record(shop, nails, 50, '2030-03-30')
    arrival = seen_by(accounts.alice, [nails]).next_arrival[nails]
    assert (arrival.expected_on, arrival.units, arrival.overdue) == (date(2030, 3, 12), 3, False)


def test_a_date_that_passes_without_the_stock_shows_as_overdue(accounts, shop, march):
    nails = shop.product('NAIL', on_hand=0)
    order = shop.place(accounts.alice, {nails: 4})
    record(shop, nails, 4, '2030-03-11')
    line_id = shop.line(order.id, nails).id
    assert seen_by(accounts.alice, [nails]).lines[line_id].overdue is False

    clock.set_now(lambda: datetime(2030, 3, 12, 9, 0, tzinfo=UTC))  # a day later, nothing arrived
    late = seen_by(accounts.alice, [nails]).lines[line_id]
    assert late.overdue is True and late.last.expected_on == date(2030, 3, 11)
    with db.read_session() as s:
        (listed,) = expected.open_expected_deliveries(s, actor=accounts.admin)
    assert listed.overdue and listed.for_backorders == 4


def test_receiving_an_expected_delivery_records_the_receipt_and_reduces_or_closes_it(accounts, shop, march):
    nails = shop.product('NAIL', on_hand=0)
    order = shop.place(accounts.alice, {nails: 6})
    coming = record(shop, nails, 10, '2030-03-15')

    served = shop.run(expected.receive_expected_delivery, expected_delivery_id=coming.id, quantity='4')
    assert served == 4
    assert shop.stock_of(nails) == (4, 4)
    line = shop.line(order.id, nails)
    assert (line.allocated, line.backorder) == (4, 2)
    with db.read_session() as s:
        still = s.get(ExpectedDelivery, coming.id)
        assert (still.quantity, still.received, still.closed_at) == (6, 4, None)
        assert stock.movements(s, actor=accounts.admin, product_id=nails)[0].note == 'Expected delivery of 2030-03-15'
    assert [a.units for a in seen_by(accounts.alice, [nails]).lines[line.id].arrivals] == [2]

    shop.run(expected.receive_expected_delivery, expected_delivery_id=coming.id, quantity=7)  # more than expected
    with db.read_session() as s:
        done = s.get(ExpectedDelivery, coming.id)
        assert (done.quantity, done.received) == (0, 11) and done.closed_at is not None
        assert expected.open_expected_deliveries(s, actor=accounts.admin) == []
    with pytest.raises(NotFound):  # closed: nothing more to receive against it
        shop.run(expected.receive_expected_delivery, expected_delivery_id=coming.id, quantity=1)
    assert shop.stock_of(nails) == (11, 6)


def test_changing_and_closing_an_expected_delivery(accounts, shop, march):
    nails = shop.product('NAIL', on_hand=0)
    order = shop.place(accounts.alice, {nails: 3})
    coming = record(shop, nails, 3, '2030-03-15')
    shop.run(expected.change_expected_delivery, expected_delivery_id=coming.id, quantity='5', expected_on='2030-04-01')
    (arrival,) = seen_by(accounts.alice, [nails]).lines[shop.line(order.id, nails).id].arrivals
    assert arrival.expected_on == date(2030, 4, 1)
    shop.run(expected.close_expected_delivery, expected_delivery_id=coming.id)
    assert seen_by(accounts.alice, [nails]).lines[shop.line(order.id, nails).id].arrivals == ()


@pytest.mark.parametrize(
    ('quantity', 'on', 'message'),
    [
        (0, '2030-03-15', 'Enter a whole number between 1 and 1,000,000.'),
        ('ten', '2030-03-15', 'Enter a whole number between 1 and 1,000,000.'),
        (5, '2030-03-09', 'The expected date cannot be in the past.'),
        (5, 'soon', 'Choose the date the delivery is expected.'),
        (5, None, 'Choose the date the delivery is expected.'),
        (5, '2033-01-01', 'The expected date can be at most two years ahead.'),
    ],
)
def test_bad_input_is_refused_and_records_nothing(accounts, shop, march, quantity, on, message):
    nails = shop.product('NAIL', on_hand=0)
    with pytest.raises(ValidationError) as refused:
        record(shop, nails, quantity, on)
    assert refused.value.message == message
    with db.read_session() as s:
        assert expected.open_expected_deliveries(s, actor=accounts.admin) == []


def test_only_the_supplier_records_and_customers_see_only_their_catalogue(accounts, shop, march):
    nails = shop.product('NAIL', on_hand=0)
    with pytest.raises(AccessDenied), db.write_session() as s:
        expected.record_expected_delivery(
            s, actor=accounts.alice, product_id=nails, quantity=5, expected_on='2030-03-15'
        )
    with pytest.raises(NotFound):
        record(shop, 999_999, 5, '2030-03-15')
    record(shop, nails, 5, '2030-03-15')
    with db.write_session() as s:
        catalogue.set_catalogue_mode(
            s, actor=accounts.admin, customer_id=accounts.customer_b.id, mode=CatalogueMode.SELECTION
        )
    assert nails in seen_by(accounts.alice, [nails]).next_arrival
    assert seen_by(accounts.bob, [nails]).next_arrival == {}  # not in Beta's catalogue: no date either
    with pytest.raises(AccessDenied), db.read_session() as s:
        expected.customer_expectations(s, actor=accounts.admin, product_ids=[nails])


def test_a_current_order_line_going_on_backorder_says_when_and_reads_the_catalogue_once(accounts, shop, march):
    from sqlalchemy import event

    from app.orders import current_order

    nails = shop.product('NAIL', on_hand=0)
    record(shop, nails, 5, '2030-03-15')
    with db.write_session() as s:
        current_order.add(s, actor=accounts.alice, product_id=nails, quantity=2)
    asked: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        asked.append(statement)

    event.listen(db.get_engine(), 'before_cursor_execute', seen)
    try:
        with db.read_session() as s:
            (line,) = current_order.contents(s, actor=accounts.alice).lines
    finally:
        event.remove(db.get_engine(), 'before_cursor_execute', seen)
    assert line.to_backorder == 2 and line.expected == seen_by(accounts.alice, [nails]).next_arrival[nails]
    orderable_reads = [q for q in asked if q.lstrip().startswith('SELECT product.id') and 'product.active' in q]
    assert len(orderable_reads) == 1  # which lines may be ordered: read once, also for the expected dates
    with db.read_session() as s:  # what the caller read as orderable is what counts; nothing is added to it
        assert expected.expectations_among(
            s, customer_id=accounts.alice.customer_id, product_ids={nails}, orderable=set()
        ) == expected.CustomerExpectations(lines={}, next_arrival={})


def test_the_backorders_page_and_the_order_page_read_the_same_figures(accounts, shop, march):
    """The lead's '198 on backorder' here and '148' there: the backorders list counted what was reserved since as
    still on backorder. One reckoning now serves both."""
    nails = shop.product('NAIL', on_hand=0)
    order = shop.place(accounts.alice, {nails: 198})
    shop.run(stock.receive_stock, product_id=nails, quantity=50)
    line = shop.line(order.id, nails)
    figures = orders.backorder_figures(line)
    assert (figures.waiting, figures.reserved_since, figures.outstanding) == (148, 50, 198)
    with db.read_session() as s:
        (listed,) = orders.list_backorders(s, actor=accounts.alice)
        view = orders.get_order(s, actor=accounts.alice, number=order.number)
    assert (listed.backorder, listed.allocated) == (figures.waiting, figures.reserved_since)
    assert orders.backorder_figures(view.lines[0]) == figures
    assert listed.line_id == line.id
