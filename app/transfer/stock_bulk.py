"""The stock import in bulk: counts and receipts checked in memory, then written in few statements.

`plan` reads the file's products once (code, id, on hand, reserved) and checks each row with the stock services'
own checks (stock.clean_count, clean_receipt, clean_note): it writes nothing, so a preview takes no write lock.
`write` (in the caller's write transaction, all or nothing) sets what is on hand with one executemany, records a
stock movement per product as the admin's own count or receipt does, and then, for the few products that need
it, goes through the stock services as the admin's count does (stock.settle_stock): a count below what is reserved
takes reservations back newest order first, and free stock goes to open backorders oldest order first (with its
mails), only for the products that have open backorders.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, insert, update
from sqlmodel import Session, col, select

from app.core import clock, events
from app.core.errors import Message, ValidationError
from app.core.i18n import N_
from app.identity.access import ensure_admin, user_ref
from app.identity.auth import Identity
from app.models import Order, OrderLine, Product, StockMovement
from app.orders import stock
from app.transfer.bulk import Progress, rows_with
from app.transfer.tables import Table, repeated_code

CHUNK = 2000
_COLUMNS = {'counted': 'on_hand', 'quantity': 'received', 'note': 'note'}  # a service's field -> the column


@dataclass(frozen=True)
class StockRow:
    product_id: int
    kind: str  # 'count' or 'receipt'
    quantity: int  # counted, or received
    note: str


@dataclass
class StockPlan:
    """What a stock file would do."""

    rows: list[StockRow] = field(default_factory=list)  # the counts that change something and every receipt
    outcomes: list[tuple[int, str, str, tuple[str, ...]]] = field(default_factory=list)  # row, outcome, code, fields
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # row, column, reason
    seen: dict[int, int] = field(default_factory=dict)  # product id -> on hand, of the products the rows name


def plan(session: Session, table: Table, *, progress: Progress | None = None) -> StockPlan:
    """Check every row against the products the database has (read once); nothing is written."""
    planned = StockPlan()
    headers = table.headers
    codes = {row.values.get('code', '').strip().upper() for row in table.rows}
    products = _products(session, codes)
    duplicates = table.repeated()
    total = len(table.rows)
    for index, row in enumerate(table.rows):
        if progress and index % 2000 == 0:
            progress(N_('Checking the rows'), index, total)
        values = row.values
        code = values.get('code', '').strip().upper()
        if row.number in duplicates:
            planned.refused.append((row.number, headers['code'], repeated_code(code, duplicates[row.number])))
            continue
        product = products.get(code)
        if product is None:
            reason = Message('No product has the code {code}.', code=code)
            planned.refused.append((row.number, headers['code'], reason.message))
            continue
        product_id, on_hand = product
        planned.seen[product_id] = on_hand
        counted, received = values.get('on_hand', ''), values.get('received', '')
        try:
            if counted and received:
                reason = Message('A row has an on-hand count or a received quantity, not both.')
                planned.refused.append((row.number, headers.get('received', ''), reason.message))
                continue
            if not counted and not received:
                column = headers.get('on_hand') or headers.get('received', '')
                planned.refused.append((row.number, column, Message('This row has no quantity.').message))
                continue
            note = stock.clean_note(values.get('note', ''))
            if counted:
                quantity = stock.clean_count(counted)
                if quantity == on_hand:
                    planned.outcomes.append((row.number, 'unchanged', code, ()))
                    continue
                planned.rows.append(StockRow(product_id, 'count', quantity, note))
                planned.outcomes.append((row.number, 'changed', code, ('on_hand',)))
            else:
                planned.rows.append(StockRow(product_id, 'receipt', stock.clean_receipt(received), note))
                planned.outcomes.append((row.number, 'changed', code, ('received',)))
        except ValidationError as error:
            column = headers.get(_COLUMNS.get(error.field or '', ''), '')
            planned.refused.append((row.number, column, error.message))
    if progress:
        progress(N_('Checking the rows'), total, total)
    return planned


def write(session: Session, *, actor: Identity, planned: StockPlan, progress: Progress | None = None) -> None:
    """Record the counts and receipts in the caller's write transaction (planned under the same lock: what is on
    hand is read again there by `plan`)."""
    ensure_admin(actor)
    if not planned.rows:
        return
    now = clock.now()
    user_id = user_ref(actor)
    ids = [row.product_id for row in planned.rows]
    state = _state(session, ids)  # id -> (on hand, reserved)
    products: list[dict] = []
    moves: list[dict] = []
    for row in planned.rows:
        on_hand, _allocated = state[row.product_id]
        after = row.quantity if row.kind == 'count' else on_hand + row.quantity
        products.append({'b_id': row.product_id, 'on_hand': after, 'updated_at': now})
        moves.append({
            'product_id': row.product_id, 'change': after - on_hand, 'on_hand_after': after, 'kind': row.kind,
            'note': row.note, 'user_id': user_id, 'created_at': now,
        })  # fmt: skip
    table = Product.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam('b_id'))
        .values(on_hand=bindparam('on_hand'), updated_at=bindparam('updated_at'))
    )
    connection = session.connection()
    total, done = len(products), 0
    for start in range(0, total, CHUNK):
        connection.execute(statement, products[start : start + CHUNK])
        session.execute(insert(StockMovement), moves[start : start + CHUNK])
        done = min(total, start + CHUNK)
        if progress:
            progress(N_('Writing'), done, total)
    after = {entry['b_id']: entry['on_hand'] for entry in products}
    over = [pid for pid in ids if state[pid][1] > after[pid]]  # counted below what is reserved
    waiting = _with_backorders(session, ids)
    touched = sorted({*over, *waiting})
    if touched:
        for product in stock.lock_products(session, touched).values():
            stock.settle_stock(session, product=product)
    events.queue(session, *(('stock', pid) for pid in ids))
    session.flush()


def unchanged_since(session: Session, planned: StockPlan) -> bool:
    """Whether what is on hand of the file's products is as it was when the plan was made (read under the write
    lock before writing; otherwise the plan is made again there)."""
    return {pid: on_hand for pid, (on_hand, _allocated) in _state(session, list(planned.seen)).items()} == planned.seen


def _products(session: Session, codes: set[str]) -> dict[str, tuple[int, int]]:
    """code -> (id, on hand) of the products with these codes (read all at once when the file names many)."""
    query = select(Product.code, Product.id, Product.on_hand)
    return {code: (pid, on_hand) for code, pid, on_hand in rows_with(session, query, Product.code, codes)}


def _state(session: Session, ids: list[int]) -> dict[int, tuple[int, int]]:
    query = select(Product.id, Product.on_hand, Product.allocated)
    return {pid: (on_hand, allocated) for pid, on_hand, allocated in rows_with(session, query, Product.id, set(ids))}


def _with_backorders(session: Session, ids: Iterable[int]) -> set[int]:
    """Those of the products that have open backorders (few: read them all and keep the file's)."""
    waiting = set(
        session.exec(
            select(OrderLine.product_id)
            .join(Order, col(Order.id) == OrderLine.order_id)
            .where(col(OrderLine.backorder) > 0, col(Order.status).in_(stock.OPEN_STATUSES))
            .distinct()
        ).all()
    )
    return waiting & set(ids)
