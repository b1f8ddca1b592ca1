"""Quick order: product codes with quantities, typed, pasted from a spreadsheet or read from a file, previewed
line by line and then put in the current order at once; and the rules every such batch follows (order again and
saved lists put their lines in through `assess` and `put_in` too).

What a line may hold: a product code and a quantity separated by a tab (Excel), a semicolon, a comma or spaces;
quotes around a cell are taken off. A first line that names its columns (Code, Quantity, Artikel, Aantal, Menge
...) is a header: it says which column is which and is not a line to order. Without one the code comes first and
the quantity second; a line without a quantity asks for the least the product is sold in.

Codes are matched as written, else case-insensitively without separators ('sg1001', 'SG 1001' and 'SG-1001' are
one code); separators are space, '-', '.', '/' and '_'. Only codes of products in the customer's catalogue are
found; a code of a product it may not order (inactive, or outside its selection) is 'not in your catalogue',
shown with nothing of the product but that (a buyer pasting last month's sheet learns the supplier has it, to
ask about; never its name, price or stock).

Every line is judged as Add would judge it, against what the current order holds already: a quantity off the
pack size goes up to the next pack (and says so), one below the minimum is refused, and so is more than is free
of a product that may not be backordered. `put_in` adds the valid lines through current_order.add, in one
transaction under the key of the page that sent them: the same key again adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.catalogue import catalogue, translations
from app.core import clock
from app.core.errors import Message, ValidationError
from app.identity.access import customer_of
from app.identity.auth import Identity
from app.models import CurrentOrder, CurrentOrderBatch, Product
from app.orders import current_order
from app.pricing import prices, rules, terms
from app.transfer import tables
from app.transfer.tables import header_key

MAX_LINES = 2000  # lines in the box at once
MAX_TEXT_CHARS = 200_000
MAX_CODE_CHARS = 60
MAX_KEY_CHARS = 64
ID_CHUNK = 500
CODE_SEPARATORS = ' -./_'  # taken out of a code for matching (SQLite and PostgreSQL alike, see _code_key_sql)
_NUMBER_LIKE = re.compile(r'[0-9][0-9.,\s]*')

CODE_HEADERS = {
    header_key(name)
    for name in (
        'code', 'product code', 'product', 'product number', 'sku', 'item', 'item code', 'item number', 'article',
        'article number', 'part number', 'part no', 'art nr', 'artikel', 'artikelnummer', 'artikelnr', 'artikelcode',
        'productcode', 'productnummer', 'artnr',
    )
}  # fmt: skip
QUANTITY_HEADERS = {
    header_key(name)
    for name in ('quantity', 'qty', 'amount', 'count', 'units', 'pcs', 'aantal', 'stuks', 'menge', 'anzahl', 'stück')
}


class Status(StrEnum):
    FOUND = 'found'
    ADJUSTED = 'adjusted'  # found; the quantity was changed to fit the pack size (or none was given)
    UNKNOWN = 'unknown'  # no product has this code
    NOT_IN_CATALOGUE = 'not_in_catalogue'  # a product the customer may not order
    AMBIGUOUS = 'ambiguous'  # several of the customer's products match without separators
    BELOW_MINIMUM = 'below_minimum'
    BAD_QUANTITY = 'bad_quantity'  # not a whole number from 1 to the maximum
    REFUSED = 'refused'  # another rule: not enough stock of a product that cannot be backordered, too many

    @property
    def valid(self) -> bool:
        return self in {Status.FOUND, Status.ADJUSTED}


@dataclass(frozen=True)
class TypedLine:
    number: int  # the line's number in the box (the header, if any, counts)
    text: str  # the line as it was, to put back in the box when it has a problem
    code: str
    quantity: str  # as typed; '' when none was given


@dataclass(frozen=True)
class Parsed:
    lines: list[TypedLine]
    header: str = ''  # the header line, when the first line named the columns


@dataclass(frozen=True)
class Wanted:
    """A line to judge: a product of the customer's and a quantity (None: the least it is sold in)."""

    number: int
    product_id: int
    quantity: int | None


@dataclass(frozen=True)
class Judged:
    """A line as it would go into the current order (quantity 0 and a note when it cannot)."""

    number: int
    product_id: int
    status: Status
    quantity: int  # what is added; 0 when it has a problem
    asked: int | None  # the quantity asked for
    note: Message | None = None  # what changed, or what is wrong
    code: str = ''
    name: str = ''
    unit: str = ''
    unit_price_cents: int = 0  # the customer's price at the line's new quantity in the current order
    list_price_cents: int = 0
    ships_now: int = 0  # of `quantity`, what the free stock covers after what the current order holds already
    to_backorder: int = 0

    @property
    def line_total_cents(self) -> int:
        return self.unit_price_cents * self.quantity


@dataclass(frozen=True)
class PreviewLine:
    typed: TypedLine
    status: Status
    note: Message | None = None
    judged: Judged | None = None  # for a found product

    @property
    def valid(self) -> bool:
        return self.status.valid


@dataclass(frozen=True)
class Preview:
    lines: list[PreviewLine]
    header: str = ''

    @property
    def valid(self) -> list[PreviewLine]:
        return [line for line in self.lines if line.valid]

    @property
    def problems(self) -> list[PreviewLine]:
        return [line for line in self.lines if not line.valid]

    @property
    def total_cents(self) -> int:
        return sum(line.judged.line_total_cents for line in self.valid if line.judged)

    def problem_text(self) -> str:
        """The box as it stays after adding: the header (if any) and the lines with a problem."""
        kept = [line.typed.text for line in self.problems]
        return '\n'.join(([self.header] if self.header and kept else []) + kept)


@dataclass(frozen=True)
class Added:
    lines: int  # lines put in the current order
    units: int
    repeated: bool = False  # the key was used already: nothing was added this time
    problems: list[PreviewLine] = field(default_factory=list)


# --- reading what was typed -----------------------------------------------------------------------------------


def parse_text(raw: object) -> Parsed:
    """The lines of the box: code and quantity per line, the header recognised; empty lines skipped."""
    if raw is None:
        raw = ''
    if not isinstance(raw, str):
        raise ValidationError('Type or paste product codes with quantities.', 'lines')
    if len(raw) > MAX_TEXT_CHARS:
        raise ValidationError('At most {limit} characters at once, please.', 'lines', limit=MAX_TEXT_CHARS)
    rows = [(number, line) for number, line in enumerate(raw.replace('\r\n', '\n').split('\n'), 1) if line.strip()]
    if len(rows) > MAX_LINES:
        raise ValidationError('At most {limit} lines at once, please.', 'lines', limit=MAX_LINES)
    return typed_lines([(number, line, split_line(line)) for number, line in rows])


def file_text(content: bytes, filename: str) -> str:
    """A CSV or XLSX file's rows as lines for the box, cells joined by tabs (read as the imports read files:
    app/transfer/tables.py, any encoding and separator Excel writes)."""
    rows = tables.read_cells(content, filename, max_rows=MAX_LINES + 1)  # a header too
    return '\n'.join('\t'.join(' '.join(cell.split()) for cell in row).rstrip('\t') for row in rows)


def split_line(line: str) -> list[str]:
    """A line's cells: split at tabs, else semicolons, else spaces before a number at its end, else commas."""
    line = line.strip().removeprefix('\ufeff')
    if '\t' in line:
        cells = line.split('\t')
    elif ';' in line:
        cells = line.split(';')
    else:
        tokens = line.split()
        if len(tokens) >= 2 and _NUMBER_LIKE.fullmatch(tokens[-1]):
            # 'SG-1001 1,000', 'SG 1001 5', 'SG-1001, 5': the number is the quantity, the rest the code
            cells = [' '.join(tokens[:-1]).rstrip(','), tokens[-1]]
        elif len(tokens) >= 2 and _NUMBER_LIKE.fullmatch(tokens[0].rstrip(',')):
            cells = [tokens[0].rstrip(','), ' '.join(tokens[1:])]  # '5 SG-1001': the quantity first
        elif ',' not in line and _is_header(tokens):
            cells = tokens  # 'Code Qty'
        elif ',' in line:
            code, _comma, rest = line.partition(',')
            cells = [code, *rest.split(',')] if _is_header(line.split(',')) else [code, rest]
        else:
            cells = [line]
    return [_unquoted(cell) for cell in cells]


def typed_lines(rows: Sequence[tuple[int, str, list[str]]]) -> Parsed:
    """(number, text, cells) rows as lines to order, the first one taken as the header when it names columns."""
    header = ''
    code_at, quantity_at = 0, 1
    if rows and _is_header(rows[0][2]):
        keys = [header_key(cell) for cell in rows[0][2]]
        code_at = next((i for i, key in enumerate(keys) if key in CODE_HEADERS), 0)
        quantity_at = next((i for i, key in enumerate(keys) if key in QUANTITY_HEADERS), code_at + 1)
        if not any(separator in rows[0][1] for separator in '\t;,'):  # 'Product code Qty': lines hold two cells
            code_at, quantity_at = (0, 1) if code_at < quantity_at else (1, 0)
        header, rows = rows[0][1].strip(), rows[1:]
    lines = []
    for number, text, cells in rows:
        code = cells[code_at] if code_at < len(cells) else ''
        quantity = cells[quantity_at] if quantity_at < len(cells) else ''
        if not header and _NUMBER_LIKE.fullmatch(code) and quantity and not _NUMBER_LIKE.fullmatch(quantity):
            code, quantity = quantity, code  # '5;SG-1001' without a header: the quantity came first
        lines.append(TypedLine(number=number, text=text.strip(), code=' '.join(code.split()), quantity=quantity))
    return Parsed(lines=lines, header=header)


def code_key(code: str) -> str:
    """A code as it is matched: lower case, without separators."""
    return ''.join(ch for ch in code.lower() if ch not in CODE_SEPARATORS)


def _is_header(cells: Sequence[str]) -> bool:
    keys = [header_key(cell) for cell in cells if cell.strip()]
    return any(key in CODE_HEADERS or key in QUANTITY_HEADERS for key in keys) and not any(
        _NUMBER_LIKE.fullmatch(cell.strip()) for cell in cells
    )


def _unquoted(cell: str) -> str:
    cell = cell.strip()
    if len(cell) >= 2 and cell[0] == cell[-1] and cell[0] in '"\'':
        cell = cell[1:-1].strip()
    return cell


def _code_key_sql(column: Any) -> Any:  # a SQL expression
    expression = func.lower(column)
    for separator in CODE_SEPARATORS:
        expression = func.replace(expression, separator, '')
    return expression


# --- judging lines ------------------------------------------------------------------------------------------------


def preview(session: Session, *, actor: Identity, text: object) -> Preview:
    """Each line of the box as it would go in: found (with price and stock) or what is wrong. A read: every
    product, price and rule is read at once for all lines, not line by line."""
    customer_id = customer_of(actor)
    parsed = parse_text(text)
    found = _find_codes(session, customer_id, [line.code for line in parsed.lines])
    wanted, early = [], {}
    for line in parsed.lines:
        match = found.get(line.code)
        if not line.code:
            early[line.number] = (Status.UNKNOWN, ValidationError('No product code on this line.'))
        elif match is None:
            early[line.number] = (Status.UNKNOWN, ValidationError('No product has the code {code}.', code=line.code))
        elif isinstance(match, Status):
            early[line.number] = (match, _code_note(match, line.code))
        elif not line.quantity:
            wanted.append(Wanted(number=line.number, product_id=match, quantity=None))
        else:
            try:
                wanted.append(
                    Wanted(number=line.number, product_id=match, quantity=current_order.parse_quantity(line.quantity))
                )
            except ValidationError as error:
                early[line.number] = (Status.BAD_QUANTITY, error)
    judged = {item.number: item for item in assess(session, actor=actor, wanted=wanted)}
    lines = []
    for line in parsed.lines:
        if line.number in early:
            status, note = early[line.number]
            lines.append(PreviewLine(typed=line, status=status, note=note))
        else:
            item = judged[line.number]
            lines.append(PreviewLine(typed=line, status=item.status, note=item.note, judged=item))
    return Preview(lines=lines, header=parsed.header)


def assess(session: Session, *, actor: Identity, wanted: Sequence[Wanted]) -> list[Judged]:
    """Lines of the customer's products judged as Add judges them, in order, each against what the current order
    holds already plus the valid lines before it; products it may not order are NOT_IN_CATALOGUE."""
    customer_id = customer_of(actor)
    ids = list(dict.fromkeys(item.product_id for item in wanted))
    products: dict[int, Product] = {}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        products.update({p.id: p for p in session.exec(select(Product).where(col(Product.id).in_(chunk)))})
    orderable = catalogue.orderable_ids(session, customer_id=customer_id, product_ids=ids)
    visible = [products[i] for i in ids if i in orderable and i in products]
    names = translations.names_for(session, actor, visible)
    book = prices.price_book(session, customer_id=customer_id, product_ids=[p.id for p in visible])
    portal = terms.portal_terms(session)
    held = dict(current_order.quantities(session, actor=actor, product_ids=[p.id for p in visible]))
    result = []
    for item in wanted:
        product = products.get(item.product_id)
        if product is None or item.product_id not in orderable:
            result.append(
                Judged(
                    number=item.number,
                    product_id=item.product_id,
                    status=Status.NOT_IN_CATALOGUE,
                    quantity=0,
                    asked=item.quantity,
                    note=_code_note(Status.NOT_IN_CATALOGUE, ''),
                )
            )
            continue
        judged = _judge(item, product, rules.rules_of(product, portal), held.get(product.id, 0), book)
        judged = replace(judged, code=product.code, name=names.get(product.id, product.name), unit=product.unit)
        if judged.status.valid:
            held[product.id] = held.get(product.id, 0) + judged.quantity
        result.append(judged)
    return result


def _judge(
    item: Wanted, product: Product, product_rules: rules.OrderingRules, had: int, book: prices.PriceBook
) -> Judged:
    base = {'number': item.number, 'product_id': item.product_id, 'asked': item.quantity}
    asked = item.quantity
    note: Message | None = None
    if asked is None:
        asked = product_rules.minimum if not had else product_rules.multiple
        note = Message('No quantity given: {quantity}, the least it is sold in.', quantity=asked)
    total = had + asked
    if total > current_order.MAX_QUANTITY:
        return Judged(
            **base,
            status=Status.REFUSED,
            quantity=0,
            note=_too_many(had),
        )
    if total < product_rules.minimum and product_rules.minimum > product_rules.multiple:
        try:
            rules.check_quantity(total, product_rules, had=had)
        except ValidationError as error:
            return Judged(**base, status=Status.BELOW_MINIMUM, quantity=0, note=error)
    status = Status.ADJUSTED if note else Status.FOUND
    if total % product_rules.multiple or total < product_rules.minimum:
        fitted = max(-(-total // product_rules.multiple) * product_rules.multiple, product_rules.minimum)
        note = Message(
            'Sold per {multiple}: {asked} became {quantity}.',
            multiple=product_rules.multiple,
            asked=asked,
            quantity=fitted - had,
        )
        status, total = Status.ADJUSTED, fitted
    try:
        rules.check_quantity(total, product_rules, had=had)
        if total > current_order.MAX_QUANTITY:
            raise _too_many(had)
        rules.check_stock(total, product.free, product_rules, had=had)
    except ValidationError as error:
        return Judged(**base, status=Status.REFUSED, quantity=0, note=error)
    quantity = total - had
    ships_now = min(total, product.free) - min(had, product.free)
    return Judged(
        **base,
        status=status,
        quantity=quantity,
        note=note,
        unit_price_cents=book.price(product.id, product.price_cents, total).unit_cents,
        list_price_cents=product.price_cents,
        ships_now=ships_now,
        to_backorder=quantity - ships_now,
    )


def _too_many(had: int) -> ValidationError:
    if had:
        return ValidationError(
            'Your current order already has {had} of this product; one line can hold at most {max}.',
            'quantity',
            had=had,
            max=current_order.MAX_QUANTITY,
        )
    return ValidationError(current_order.QUANTITY_MESSAGE, 'quantity', minimum=1, maximum=current_order.MAX_QUANTITY)


def _code_note(status: Status, code: str) -> Message:
    if status == Status.AMBIGUOUS:
        return ValidationError(
            'Several of your products match {code}: type the code as the catalogue writes it.', code=code
        )
    return ValidationError('Not in your catalogue: ask us about it.')


def _find_codes(session: Session, customer_id: int, codes: Iterable[str]) -> dict[str, int | Status]:
    """Each typed code's product id (one the customer may order), NOT_IN_CATALOGUE or AMBIGUOUS; unknown codes
    are left out. Exact codes through the unique index; the rest by their key without separators, in bulk."""
    typed = {code for code in codes if code and len(code) <= MAX_CODE_CHARS}
    candidates: dict[str, list[tuple[int, str]]] = {}
    for chunk in _chunks(sorted(typed)):
        for pid, code in session.exec(select(Product.id, Product.code).where(col(Product.code).in_(chunk))):
            candidates.setdefault(code, []).append((pid, code))
    by_key: dict[str, set[str]] = {}
    for code in typed - set(candidates):
        if key := code_key(code):
            by_key.setdefault(key, set()).add(code)
    for chunk in _chunks(sorted(by_key)):
        rows = session.exec(select(Product.id, Product.code).where(_code_key_sql(col(Product.code)).in_(chunk)))
        for pid, code in rows:
            for typed_code in by_key.get(code_key(code), ()):
                candidates.setdefault(typed_code, []).append((pid, code))
    ids = {pid for found in candidates.values() for pid, _code in found}
    orderable = catalogue.orderable_ids(session, customer_id=customer_id, product_ids=ids)
    result: dict[str, int | Status] = {}
    for typed_code, found in candidates.items():
        mine = [(pid, code) for pid, code in found if pid in orderable]
        exact = [pid for pid, code in mine if code.lower() == typed_code.lower()]
        if len(exact) == 1:
            result[typed_code] = exact[0]
        elif len(mine) == 1:
            result[typed_code] = mine[0][0]
        elif mine:
            result[typed_code] = Status.AMBIGUOUS
        else:
            result[typed_code] = Status.NOT_IN_CATALOGUE
    return result


def _chunks(values: Sequence) -> Iterable[list]:
    values = list(values)
    for start in range(0, len(values), ID_CHUNK):
        yield values[start : start + ID_CHUNK]


# --- putting lines in the current order ---------------------------------------------------------------------------


def add_valid_lines(session: Session, *, actor: Identity, text: object, key: str) -> tuple[Added, Preview]:
    """Put the valid lines of the box in the current order in this one transaction (judged again under the write
    lock, so what goes in is what the rules accept now); the preview says which lines stay in the box."""
    customer_of(actor)
    checked = _lock(session, actor, key)
    shown = preview(session, actor=actor, text=text)
    if _used(session, checked):
        return Added(lines=0, units=0, repeated=True, problems=shown.problems), shown
    wanted = [(line.judged.product_id, line.judged.quantity) for line in shown.valid if line.judged]
    added = put_in(session, actor=actor, lines=wanted, key=checked)
    return Added(lines=added.lines, units=added.units, problems=shown.problems), shown


def judge_and_put_in(
    session: Session, *, actor: Identity, wanted: Sequence[Wanted], key: str
) -> tuple[list[Judged], Added]:
    """Judge lines (order again, a saved list) under the write lock and put the valid ones in, once per key (a key
    used before: nothing judged, nothing added)."""
    customer_of(actor)
    checked = _lock(session, actor, key)
    if _used(session, checked):
        return [], Added(lines=0, units=0, repeated=True)
    judged = assess(session, actor=actor, wanted=wanted)
    valid = [(item.product_id, item.quantity) for item in judged if item.status.valid]
    return judged, put_in(session, actor=actor, lines=valid, key=checked)


def put_in(session: Session, *, actor: Identity, lines: Sequence[tuple[int, int]], key: str) -> Added:
    """Add (product id, quantity) lines to the current order through current_order.add, once per key: a key used
    before (a double click, a retry after a lost answer) adds nothing. All or nothing: one refused line (the rules
    changed since they were judged) refuses the batch."""
    customer_of(actor)
    checked = _lock(session, actor, key)
    if _used(session, checked):
        return Added(lines=0, units=0, repeated=True)
    for product_id, quantity in lines:
        current_order.add(session, actor=actor, product_id=product_id, quantity=str(quantity))
    session.add(CurrentOrderBatch(key=checked, user_id=actor.user_id, lines=len(lines), created_at=clock.now()))
    session.flush()
    return Added(lines=len({product_id for product_id, _q in lines}), units=sum(q for _p, q in lines))


def suggest_codes(session: Session, *, actor: Identity, typed: object, limit: int = 8) -> list[tuple[str, str]]:
    """(code, name) of the customer's products matching what is typed in a code field, by code."""
    if not isinstance(typed, str) or not typed.strip() or len(typed) > MAX_CODE_CHARS:
        customer_of(actor)
        return []
    found = catalogue.search_products(session, actor=actor, query=typed, sort='code', page_size=max(1, min(limit, 20)))
    return [(card.code, card.name) for card in found.items]


def _used(session: Session, key: str) -> bool:
    return session.get(CurrentOrderBatch, key) is not None


def _lock(session: Session, actor: Identity, key: object) -> str:
    """The key, checked; and the user's current order locked, so two batches of one user at once (PostgreSQL runs
    them side by side) run one after the other: the second then sees the first one's key."""
    if not isinstance(key, str) or not 8 <= len(key) <= MAX_KEY_CHARS:
        raise ValidationError('This page is out of date: please reload it.')
    current_order.get_or_create(session, actor=actor)
    session.exec(select(CurrentOrder).where(CurrentOrder.user_id == actor.user_id).with_for_update()).first()
    return key
