"""Order again: the lines of one of the customer's orders put in its current order, as they were ordered.

The quantities are the ordered ones (cancelled units too: the buyer asked for them), added to what the current
order holds, through the rules of every batch (app/orders/quick_order.py: pack size, minimum, stock of a product
that may not be backordered, once per key). Each line that does not go in as it was gets a note: a product no
longer available to the customer, a quantity changed or refused by today's rules, a unit price that is not the
one the order was placed at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sqlmodel import Session, col, select

from app.core.errors import Message
from app.identity.auth import Identity
from app.models import OrderLine
from app.orders import orders, quick_order
from app.orders.quick_order import Judged, Wanted


class NoteKind(StrEnum):
    UNAVAILABLE = 'unavailable'  # not added: no longer in the customer's catalogue
    REFUSED = 'refused'  # not added: today's rules refuse the quantity (`message` says why)
    CHANGED = 'changed'  # added with another quantity (`message` says how)
    PRICE = 'price'  # added; its price today is not the one it was ordered at


@dataclass(frozen=True)
class Note:
    kind: NoteKind
    code: str = ''  # empty for a product the customer may no longer see (a saved list's)
    name: str = ''
    message: Message | None = None
    old_cents: int = 0  # PRICE: the price it was ordered (or saved) at
    new_cents: int = 0  # PRICE: the price today at the new quantity


@dataclass(frozen=True)
class Outcome:
    lines: int  # lines put in the current order
    units: int
    notes: list[Note] = field(default_factory=list)
    repeated: bool = False  # the key was used already: nothing was added this time


def order_again(session: Session, *, actor: Identity, number: str, key: str) -> Outcome:
    """Put the lines of the customer's order `number` in the current order (someone else's order: NotFound)."""
    order = orders.own_order(session, actor=actor, number=number)
    lines = session.exec(select(OrderLine).where(OrderLine.order_id == order.id).order_by(col(OrderLine.id))).all()
    wanted = [Wanted(number=n, product_id=line.product_id, quantity=line.quantity) for n, line in enumerate(lines)]
    return put_lines_in(
        session,
        actor=actor,
        wanted=wanted,
        key=key,
        known={n: (line.product_code, line.product_name, line.unit_price_cents) for n, line in enumerate(lines)},
    )


def put_lines_in(
    session: Session, *, actor: Identity, wanted: list[Wanted], key: str, known: dict[int, tuple[str, str, int | None]]
) -> Outcome:
    """Judge `wanted`, put the valid lines in under `key` and note the rest. `known`: per line, the code and name
    the customer knows it by (its own order's line; empty for a product it may no longer see) and the price it
    was ordered at (None: no price to compare)."""
    judged, added = quick_order.judge_and_put_in(session, actor=actor, wanted=wanted, key=key)
    if added.repeated:
        return Outcome(lines=0, units=0, repeated=True)
    notes = [note for item in judged for note in _notes(item, *known.get(item.number, ('', '', None)))]
    return Outcome(lines=added.lines, units=added.units, notes=notes)


def _notes(item: Judged, code: str, name: str, old_cents: int | None) -> list[Note]:
    if item.status == quick_order.Status.NOT_IN_CATALOGUE:
        return [Note(NoteKind.UNAVAILABLE, code=code, name=name)]
    code, name = item.code or code, item.name or name
    if not item.status.valid:
        return [Note(NoteKind.REFUSED, code=code, name=name, message=item.note)]
    notes = [Note(NoteKind.CHANGED, code=code, name=name, message=item.note)] if item.note else []
    if old_cents is not None and old_cents != item.unit_price_cents:
        notes.append(Note(NoteKind.PRICE, code=code, name=name, old_cents=old_cents, new_cents=item.unit_price_cents))
    return notes
