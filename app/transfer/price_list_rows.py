"""A price lists file's rows: a list by its name with its discount, and a product's fixed price and tiers in it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.core import money
from app.core.errors import Message, ValidationError
from app.core.i18n import N_
from app.identity.auth import Identity
from app.models import PriceList, PriceListCreate, PriceListItem, Product
from app.pricing import prices, rules, terms
from app.transfer.import_report import Change, Refusal, Report
from app.transfer.product_columns import PRODUCT_COLUMNS
from app.transfer.tables import Row, Table

# Column names each field is known by, besides its own (compared without case, spaces or punctuation).
PRICE_LIST_COLUMNS = {
    'price_list': (
        'price list', 'pricelist', 'price list name', 'list', 'list name', 'prijslijst', 'prijslijstnaam',
        'naam prijslijst', 'preisliste', 'preislistenname', 'name der preisliste',
    ),
    'code': PRODUCT_COLUMNS['code'],
    'from_quantity': (
        'from', 'from qty', 'quantity', 'qty', 'tier', 'quantity break', 'break', 'vanaf', 'vanaf aantal', 'aantal',
        'staffel', 'ab', 'ab menge', 'menge', 'staffelmenge',
    ),
    'price': (
        *PRODUCT_COLUMNS['price'], 'fixed price', 'net price', 'tier price', 'vaste prijs', 'nettoprijs',
        'staffelprijs', 'festpreis', 'nettopreis', 'staffelpreis',
    ),
    'discount': ('list discount', 'discount percentage', 'korting', 'kortingspercentage', 'rabatt', 'nachlass'),
}  # fmt: skip


GROUP_REFUSED = N_("Not imported, as row {row} is refused: a product's prices in one price list go together.")


@dataclass
class _PriceRow:
    row: Row
    from_quantity: int | str | None = None  # None: the product's minimum (its fixed price)
    cents: int | None = None


def run_price_lists(session: Session, actor: Identity, table: Table, report: Report) -> None:
    """Rows of (price list, product code, from quantity, price) and a list's discount. The rows of one product in
    one list are its fixed price and tiers in that list, all of them: they replace what it had there
    (prices.set_product_prices: overlapping tiers, a tier below the minimum or off the pack size are refused as on
    the Price lists page). A row without a product code only names a list and its discount; a list is made when no
    list has its name. A refused row refuses the other rows of its product in that list too (kept alone, they
    would drop its price)."""
    outcomes: dict[int, tuple[str, tuple[str, ...], str]] = {}  # row number -> outcome, fields, key
    refused: dict[int, Refusal] = {}

    def refuse(row: Row, column: str, reason: str) -> None:
        refused.setdefault(row.number, Refusal(row.number, table.headers.get(column, ''), reason))

    lists: dict[str, list[Row]] = {}
    names: dict[str, str] = {}
    for row in table.rows:
        name = row.values.get('price_list', '').strip()
        if not name:
            refuse(row, 'price_list', Message('Give the price list a name.').message)
            continue
        lists.setdefault(name.casefold(), []).append(row)
        names.setdefault(name.casefold(), name)
    for folded, rows_of_list in lists.items():
        price_list, list_outcome = _price_list_of(session, actor, names[folded], rows_of_list, table, refuse)
        if price_list is None:
            continue
        groups: dict[str, list[_PriceRow]] = {}
        for row in rows_of_list:
            code = row.values.get('code', '').strip().upper()
            if not code:
                if row.values.get('price', '').strip() or row.values.get('from_quantity', '').strip():
                    refuse(row, 'code', Message('A price needs the product code it is for.').message)
                elif row.number not in refused:
                    outcomes[row.number] = (*list_outcome, price_list.name)
                continue
            groups.setdefault(code, []).append(_price_row(row, refuse))
        for code, group in groups.items():
            _product_group(session, actor, price_list, code, group, refused, refuse, outcomes)
        if list_outcome[0] == 'changed':  # the rows that give the new discount change it
            for row in rows_of_list:
                if row.number in outcomes and row.values.get('discount', '').strip():
                    _outcome, fields, key = outcomes[row.number]
                    outcomes[row.number] = ('changed', tuple(dict.fromkeys(('discount', *fields))), key)
    for row in table.rows:
        if row.number in refused:
            report.refused.append(refused[row.number])
        elif row.number in outcomes:
            outcome, fields, key = outcomes[row.number]
            {'new': report.new, 'changed': report.changed, 'unchanged': report.unchanged}[outcome].append(
                Change(row.number, key, fields)
            )


def _price_list_of(
    session: Session, actor: Identity, name: str, rows: list[Row], table: Table, refuse: Callable
) -> tuple[PriceList | None, tuple[str, tuple[str, ...]]]:
    """The list of that name (made when there is none) with the discount its rows give, and what that did."""
    discount: int | None = None
    first: Row | None = None
    for row in rows:
        raw = row.values.get('discount', '').strip()
        if not raw:
            continue
        try:
            value = terms.parse_percent(raw, label=N_("The list's discount"))
        except ValidationError as error:
            refuse(row, 'discount', error.message)
            continue
        if discount is None:
            discount, first = value, row
        elif value != discount:
            reason = Message(
                'Price list {name} has another discount in row {row}.', name=name, row=first.number
            ).message
            refuse(row, 'discount', reason)
    existing = session.exec(select(PriceList).where(func.lower(PriceList.name) == name.lower())).first()
    savepoint = session.begin_nested()
    try:
        if existing is None:
            made = prices.create_price_list(
                session, actor=actor, data=PriceListCreate.model_construct(name=name, discount_bp=discount or 0)
            )
            savepoint.commit()
            return made, ('new', ())
        if discount is not None and discount != existing.discount_bp:
            prices.update_price_list(
                session,
                actor=actor,
                price_list_id=existing.id,
                data=PriceListCreate.model_construct(name=existing.name, discount_bp=discount),
            )
            savepoint.commit()
            return existing, ('changed', ('discount',))
        savepoint.commit()
        return existing, ('unchanged', ())
    except ValidationError as error:
        savepoint.rollback()
        column = 'discount' if error.field == 'discount' else 'price_list'
        for row in rows:
            refuse(row, column, error.message)
        return None, ('unchanged', ())


def _price_row(row: Row, refuse: Callable) -> _PriceRow:
    found = _PriceRow(row)
    raw = row.values.get('from_quantity', '').strip()
    if raw:
        found.from_quantity = int(raw) if raw.isascii() and raw.isdigit() else raw  # text: the service refuses it
    try:
        found.cents = money.parse_price(row.values.get('price', ''), field='price')
    except ValidationError as error:
        refuse(row, 'price', error.message)
    return found


def _product_group(
    session: Session,
    actor: Identity,
    price_list: PriceList,
    code: str,
    group: list[_PriceRow],
    refused: Mapping[int, Refusal],
    refuse: Callable,
    outcomes: dict[int, tuple[str, tuple[str, ...], str]],
) -> None:
    key = f'{price_list.name} / {code}'
    product = session.exec(select(Product).where(Product.code == code)).first()
    if product is None:
        for entry in group:
            refuse(entry.row, 'code', Message('No product has the code {code}.', code=code).message)
        return
    bad = [entry.row.number for entry in group if entry.row.number in refused]
    if bad:
        for entry in group:
            reason = Message(
                GROUP_REFUSED,
                row=bad[0],
            )
            refuse(entry.row, 'code', reason.message)
        return
    minimum = rules.rules_of(product, terms.portal_terms(session)).minimum
    entries = [(minimum if e.from_quantity is None else e.from_quantity, e.cents) for e in group]
    had = tuple(
        session.exec(
            select(PriceListItem.min_quantity, PriceListItem.price_cents)
            .where(PriceListItem.price_list_id == price_list.id, PriceListItem.product_id == product.id)
            .order_by(col(PriceListItem.min_quantity))
        ).all()
    )
    if tuple(sorted(entries, key=lambda e: e[0] if isinstance(e[0], int) else -1)) == had:
        for entry in group:
            outcomes[entry.row.number] = ('unchanged', (), key)
        return
    try:
        with session.begin_nested():
            prices.set_product_prices(
                session, actor=actor, price_list_id=price_list.id, product_id=product.id, entries=entries
            )
    except ValidationError as error:
        culprit = _first_refused(session, actor, price_list, product, entries)
        for index, entry in enumerate(group):
            if index == culprit:  # the prices were read already: the service refuses a quantity
                refuse(entry.row, 'from_quantity', error.message)
            else:
                reason = Message(
                    GROUP_REFUSED,
                    row=group[culprit].row.number,
                )
                refuse(entry.row, 'code', reason.message)
        return
    if not had:
        outcome, fields = 'new', ()
    elif [q for q, _ in had] == sorted(q for q, _ in entries):
        outcome, fields = 'changed', ('price',)
    else:
        outcome, fields = 'changed', ('from_quantity', 'price')
    for entry in group:
        outcomes[entry.row.number] = (outcome, fields, key)


def _first_refused(
    session: Session, actor: Identity, price_list: PriceList, product: Product, entries: list[tuple]
) -> int:
    """The index of the first entry the service refuses: the rows before it are accepted together."""
    for end in range(1, len(entries) + 1):
        savepoint = session.begin_nested()
        try:
            prices.set_product_prices(
                session, actor=actor, price_list_id=price_list.id, product_id=product.id, entries=entries[:end]
            )
        except ValidationError:
            return end - 1
        finally:
            savepoint.rollback()
    return 0
