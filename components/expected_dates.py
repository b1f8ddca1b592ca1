"""When a backorder is expected, in the customer's words: 'Expected around 12 Dec', 'Overdue: was expected 12 Dec'.

The dates come from app/orders/expected.py (expected deliveries given to backorders oldest order first); a date that
has passed without the stock is always said as overdue, never as if it were still to come.
"""

from __future__ import annotations

from nicegui import ui
from sqlmodel import Session

from app.core import db, i18n
from app.core.i18n import _, ngettext
from app.identity.auth import Identity
from app.models import OrderLine, Product
from app.orders import expected
from app.orders.expected import Arrival, Expectation

TONES = {'due': 'text-blue-9', 'overdue': 'text-negative', 'none': 'text-grey-7'}


def arrival_text(arrival: Arrival) -> str:
    if arrival.overdue:
        return _('Overdue: was expected {day}').format(day=i18n.day_month(arrival.expected_on))
    return _('Expected around {day}').format(day=i18n.day_month(arrival.expected_on))


def expectation_text(expectation: Expectation | None) -> tuple[str, str]:
    """What a backorder line's waiting units can expect, and its tone (due, overdue, none)."""
    if expectation is None or not expectation.arrivals:
        return _('No delivery date yet'), 'none'
    overdue = next((arrival for arrival in expectation.arrivals if arrival.overdue), None)
    shown = arrival_text(overdue or expectation.arrivals[-1])
    if expectation.not_expected:
        rest = ngettext('{n} more without a date yet', '{n} more without a date yet', expectation.not_expected)
        shown = _('{expected}; {without_date}').format(expected=shown, without_date=rest)
    return shown, 'overdue' if overdue else 'due'


def expectation_label(expectation: Expectation | None, *, mark: str, classes: str = 'text-body2') -> ui.label:
    text, tone = expectation_text(expectation)
    icon = {'due': 'event', 'overdue': 'event_busy', 'none': 'event_note'}[tone]
    with ui.row().classes('items-center gap-1 no-wrap') as row:
        ui.icon(icon, size='18px').classes(TONES[tone])
        label = ui.label(text).classes(f'{classes} {TONES[tone]}').mark(mark)
    row.mark(f'{mark}-row')
    return label


def order_line_notes(session: Session, *, who: Identity, lines: list[OrderLine]) -> dict[int, str]:
    """For an order's lines on backorder, when they are expected (order line id -> text), for the lines table."""
    waiting = [line for line in lines if line.backorder > 0]
    if not waiting:
        return {}
    dates = expected.customer_expectations(session, actor=who, product_ids={line.product_id for line in waiting})
    return {line.id: expectation_text(dates.lines.get(line.id))[0] for line in waiting}


def added_message(added: str, *, product_id: int, in_order: int) -> tuple[str, str]:
    """The Add message, saying how many of the line will go on backorder if it were placed now, and the message's
    type (a warning when some will)."""
    with db.read_session() as session:
        product = session.get(Product, product_id)
    waiting = max(in_order - product.free, 0) if product is not None else 0
    if not waiting:
        return added, 'positive'
    later = ngettext('{n} will go on backorder.', '{n} will go on backorder.', waiting)
    return _('{added} — {going_on_backorder}').format(added=added, going_on_backorder=later), 'warning'
