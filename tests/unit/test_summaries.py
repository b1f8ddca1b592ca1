"""The current order at a glance, kept per user (app/orders/summaries.py): read again only after it may have
changed, never kept when it changed while it was worked out, and forgotten before any page is told."""

import pytest
from sqlalchemy import event

from app.catalogue import products
from app.core import db, events
from app.models import ProductCreate
from app.orders import current_order, summaries
from app.pricing import prices


@pytest.fixture
def hammer(accounts) -> int:
    with db.write_session() as s:
        product = products.create_product(
            s, actor=accounts.admin, data=ProductCreate(code='HAM', name='Hammer', price_cents=1000, unit='piece')
        )
        product.on_hand = 100
        return product.id


def add(who, product_id: int, quantity: int) -> None:
    with db.write_session() as s:
        current_order.add(s, actor=who, product_id=product_id, quantity=quantity)


def fresh(who):
    with db.read_session() as s:
        return current_order.summary(s, actor=who)


class Statements:
    """Counts the SQL statements the portal's engine runs."""

    def __init__(self) -> None:
        self.count = 0

    def __enter__(self) -> 'Statements':
        event.listen(db.get_engine(), 'before_cursor_execute', self._seen)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(db.get_engine(), 'before_cursor_execute', self._seen)

    def _seen(self, *_: object) -> None:
        self.count += 1


def test_a_kept_summary_is_the_current_orders_and_is_not_read_again(accounts, hammer):
    add(accounts.alice, hammer, 3)
    first = summaries.summary(actor=accounts.alice)
    assert first == fresh(accounts.alice)
    assert (first.lines, first.units, first.subtotal_cents) == (1, 3, 3000)
    with Statements() as seen:
        again = summaries.summary(actor=accounts.alice)
    assert again == first
    assert seen.count == 0


def test_a_change_of_the_current_order_is_shown_at_once(accounts, hammer):
    assert summaries.summary(actor=accounts.alice).units == 0
    add(accounts.alice, hammer, 2)
    assert summaries.summary(actor=accounts.alice).units == 2
    with db.write_session() as s:
        current_order.clear(s, actor=accounts.alice)
    assert summaries.summary(actor=accounts.alice).lines == 0


def test_each_user_has_their_own(accounts, hammer):
    add(accounts.alice, hammer, 4)
    assert summaries.summary(actor=accounts.bob).units == 0
    assert summaries.summary(actor=accounts.alice).units == 4
    add(accounts.bob, hammer, 1)  # bob's change leaves alice's kept summary as it is
    with Statements() as seen:
        assert summaries.summary(actor=accounts.alice).units == 4
    assert seen.count == 0
    assert summaries.summary(actor=accounts.bob).units == 1


def test_a_price_change_is_shown_at_once(accounts, hammer):
    add(accounts.alice, hammer, 2)
    assert summaries.summary(actor=accounts.alice).subtotal_cents == 2000
    with db.write_session() as s:
        products.update_product(
            s,
            actor=accounts.admin,
            product_id=hammer,
            data=ProductCreate(code='HAM', name='Hammer', price_cents=1500, unit='piece'),
        )
    assert summaries.summary(actor=accounts.alice).subtotal_cents == 3000


def test_the_customers_terms_are_shown_at_once(accounts, hammer):
    add(accounts.alice, hammer, 1)
    assert summaries.summary(actor=accounts.alice).vat_cents > 0
    with db.write_session() as s:
        prices.set_customer_terms(
            s,
            actor=accounts.admin,
            customer_id=accounts.alice.customer_id,
            price_list_id=None,
            discount_bp=0,
            vat_exempt_reason='Intra-community supply',
            minimum_order_cents=None,
        )
    assert summaries.summary(actor=accounts.alice).vat_cents == 0


def test_a_summary_worked_out_while_the_order_changed_is_not_kept(accounts, hammer, monkeypatch):
    worked_out = current_order.summary

    def changed_meanwhile(session, *, actor):
        value = worked_out(session, actor=actor)
        add(accounts.alice, hammer, 5)  # committed (and published) after the read, before it would be kept
        return value

    monkeypatch.setattr(current_order, 'summary', changed_meanwhile)
    assert summaries.summary(actor=accounts.alice).units == 0
    monkeypatch.setattr(current_order, 'summary', worked_out)
    assert summaries.summary(actor=accounts.alice).units == 5


def test_a_kept_summary_is_read_again_after_its_time(accounts, hammer, monkeypatch):
    summaries.summary(actor=accounts.alice)
    monkeypatch.setattr(summaries, 'SUMMARY_TTL_S', -1.0)  # (what another process changed shows after at most this)
    summaries.forget()
    summaries.summary(actor=accounts.alice)
    with Statements() as seen:
        summaries.summary(actor=accounts.alice)
    assert seen.count > 0


def test_what_keeps_values_is_told_before_the_pages():
    told: list[str] = []
    stops = [
        events.subscribe(('probe', 1), lambda _topic: told.append('page')),
        events.subscribe_kind('probe', lambda _topic: told.append('kept counts'), first=True),
        events.subscribe(('probe', 1), lambda _topic: told.append('kept summary'), first=True),
    ]
    try:
        events.publish(('probe', 1))
    finally:
        for stop in stops:
            stop()
    assert told == ['kept summary', 'kept counts', 'page']
    events.publish(('probe', 1))  # stopped: nobody is told
    assert len(told) == 3
