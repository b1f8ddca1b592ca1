"""Imports: what a file of products, stock, customers or price lists would do (the preview) and doing it.

Every row goes through the same services as the admin forms (app.catalogue.products, app.orders.stock,
app.identity.accounts, app.pricing): one set of rules, not two. The preview is the import itself, run in the caller's
write transaction inside a savepoint that is rolled back; applying runs it again and keeps it. Each row has a savepoint
of its own, so a refused row leaves nothing behind; with one refused row nothing at all is kept unless the supplier
chose `valid_only` ("apply the valid rows"). Either way the database is never half-imported, also when the process
is killed midway: the whole import is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.catalogue import products
from app.core import money
from app.core.errors import Message, NotFound, ValidationError
from app.core.i18n import N_
from app.identity import accounts
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import (
    AddressCreate,
    Customer,
    CustomerCreate,
    PriceList,
    PriceListCreate,
    PriceListItem,
    Product,
    ProductCreate,
    VatClass,
)
from app.orders import stock
from app.pricing import prices, rules, terms
from app.transfer import tables
from app.transfer.tables import Row, Table


class Kind(StrEnum):
    PRODUCTS = 'products'
    STOCK = 'stock'
    CUSTOMERS = 'customers'
    PRICE_LISTS = 'price_lists'


# Column names each field is known by, besides its own (compared without case, spaces or punctuation).
PRODUCT_COLUMNS = {
    'code': (
        'product code',
        'sku',
        'item code',
        'item number',
        'article number',
        'productcode',
        'artikelcode',
        'artikelnummer',
        'artikelnr',
        'art nr',
        'artikel',
        'code artikel',
        'produktcode',
        'artikel nr',
    ),
    'name': (
        'product name',
        'title',
        'naam',
        'productnaam',
        'artikelnaam',
        'benaming',
        'bezeichnung',
        'artikelbezeichnung',
        'produktname',
        'name des artikels',
    ),
    'description': (
        'beschrijving',
        'omschrijving',
        'productomschrijving',
        'beschreibung',
        'produktbeschreibung',
        'artikelbeschreibung',
        'long description',
    ),
    'barcode': ('ean', 'ean13', 'ean code', 'gtin', 'upc', 'streepjescode', 'strichcode'),
    'unit': ('uom', 'unit of measure', 'eenheid', 'verkoopeenheid', 'einheit', 'mengeneinheit', 'verkaufseinheit'),
    'price': (
        'unit price',
        'list price',
        'sales price',
        'price excl vat',
        'prijs',
        'verkoopprijs',
        'stuksprijs',
        'prijs excl btw',
        'preis',
        'verkaufspreis',
        'stückpreis',
        'listenpreis',
        'preis netto',
    ),
    'active': ('enabled', 'visible', 'actief', 'zichtbaar', 'aktiv', 'sichtbar'),
    'vat_class': (
        'vat', 'vat rate', 'tax class', 'btw', 'btw klasse', 'btw tarief', 'btw-tarief', 'mwst', 'mwst satz',
        'mehrwertsteuer', 'ust', 'umsatzsteuer', 'steuerklasse',
    ),
    'min_quantity': (
        'minimum', 'minimum quantity', 'minimum order quantity', 'min qty', 'moq', 'minimum order',
        'minimale afname', 'minimum afname', 'minimumaantal', 'min aantal', 'mindestmenge', 'mindestbestellmenge',
        'mindestabnahme',
    ),
    'order_multiple': (
        'pack size', 'pack', 'case size', 'multiple', 'order multiple', 'verpakkingseenheid', 'verpakking', 'colli',
        'veelvoud', 'bestelveelvoud', 'verpackungseinheit', 'packungsgröße', 'vpe', 'gebinde',
    ),
    'backorders': (
        'backorder', 'allow backorders', 'nabestellen', 'nabestelling', 'nabestellingen', 'backorders toegestaan',
        'nachlieferung', 'rückstand', 'rückstände',
    ),
}  # fmt: skip
STOCK_COLUMNS = {
    'code': PRODUCT_COLUMNS['code'],
    'on_hand': (
        'on hand',
        'stock',
        'in stock',
        'counted',
        'count',
        'quantity on hand',
        'voorraad',
        'op voorraad',
        'geteld',
        'telling',
        'bestand',
        'lagerbestand',
        'gezählt',
        'zählung',
    ),
    'received': (
        'receipt',
        'received quantity',
        'ontvangen',
        'ontvangst',
        'binnengekomen',
        'geleverd',
        'eingang',
        'wareneingang',
        'erhalten',
        'geliefert',
    ),
    'note': ('comment', 'opmerking', 'notitie', 'notiz', 'bemerkung', 'kommentar'),
}
CUSTOMER_COLUMNS = {
    'code': (
        'customer code',
        'customer number',
        'account number',
        'debtor number',
        'klantcode',
        'klantnummer',
        'debiteurnummer',
        'debiteur',
        'kundennummer',
        'kundencode',
        'debitorennummer',
        'kunde',
    ),
    'name': (
        'customer name',
        'company',
        'company name',
        'naam',
        'klantnaam',
        'bedrijfsnaam',
        'bedrijf',
        'firma',
        'firmenname',
        'kundenname',
        'unternehmen',
    ),
    'language': ('taal', 'sprache', 'locale'),
    'recipient': (
        'attention',
        'attn',
        'contact',
        'ontvanger',
        'tav',
        'ter attentie van',
        'empfänger',
        'zu händen',
        'ansprechpartner',
    ),
    'street': (
        'address',
        'street and number',
        'adres',
        'straat',
        'straat en huisnummer',
        'straße',
        'strasse',
        'anschrift',
        'straße und hausnummer',
    ),
    'postal_code': ('postcode', 'zip', 'zip code', 'post code', 'plz', 'postleitzahl'),
    'city': ('town', 'plaats', 'woonplaats', 'stad', 'vestigingsplaats', 'ort', 'stadt'),
    'country': ('land', 'staat'),
}
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
ADDRESS_FIELDS = ('recipient', 'street', 'postal_code', 'city', 'country')

YES = {'1', 'yes', 'y', 'true', 'x', 'ja', 'j', 'waar', 'wahr', 'active', 'actief', 'aktiv'}
NO = {'0', 'no', 'n', 'false', 'nee', 'nein', 'onwaar', 'falsch', 'inactive', 'inactief', 'inaktiv'}
PORTAL = {'portal', 'portaal', 'default', 'standaard', 'standard', 'auto'}  # a backorders override: none
VAT_CLASS_NAMES = {
    'standard': VatClass.STANDARD, 'high': VatClass.STANDARD, 'standaard': VatClass.STANDARD, 'hoog': VatClass.STANDARD,
    'normal': VatClass.STANDARD, 'regelsatz': VatClass.STANDARD, 'reduced': VatClass.REDUCED, 'low': VatClass.REDUCED,
    'verlaagd': VatClass.REDUCED, 'laag': VatClass.REDUCED, 'ermäßigt': VatClass.REDUCED, 'ermässigt': VatClass.REDUCED,
    'zero': VatClass.ZERO, 'nul': VatClass.ZERO, 'null': VatClass.ZERO, '0': VatClass.ZERO,
}  # fmt: skip
LANGUAGE_NAMES = {
    'english': 'en', 'engels': 'en', 'englisch': 'en', 'dutch': 'nl', 'nederlands': 'nl', 'niederländisch': 'nl',
    'german': 'de', 'duits': 'de', 'deutsch': 'de',
}  # fmt: skip


@dataclass(frozen=True)
class Refusal:
    row: int
    column: str  # the column's name as the file writes it; '' when the reason is about the whole row
    reason: str


@dataclass(frozen=True)
class Change:
    row: int
    key: str  # the product or customer code
    fields: tuple[str, ...] = ()  # of a changed row: the fields it changes


@dataclass
class Report:
    kind: Kind
    new: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()
    applied: bool = False  # whether the changes were committed

    @property
    def rows(self) -> int:
        return len(self.new) + len(self.changed) + len(self.unchanged) + len({r.row for r in self.refused})


class _Refused(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = column, reason


Outcome = tuple[str, tuple[str, ...]]  # ('new' | 'changed' | 'unchanged', the changed fields)
RowHandler = Callable[[Session, Identity, Row, Table], Outcome]


def run_import(
    session: Session,
    *,
    actor: Identity,
    kind: Kind | str,
    content: bytes,
    filename: str,
    apply: bool = False,
    valid_only: bool = False,
) -> Report:
    """What the file would do (apply=False: nothing is changed), or do it (apply=True), in the caller's write
    transaction (db.write_session).

    With refused rows, applying changes nothing unless valid_only: then the valid rows are kept. A file that cannot
    be read as a table raises tables.FileRefused.
    """
    ensure_admin(actor)
    kind = Kind(kind)
    columns, required, handler = _KINDS[kind]
    table = tables.read_table(content, filename, columns=columns, required=required)
    report = Report(kind=kind, ignored_columns=table.ignored)
    announced = set(session.info.get('pending_events', ()))
    everything = session.begin_nested()
    if kind == Kind.PRICE_LISTS:
        _run_price_lists(session, actor, table, report)
    else:
        _run_rows(session, actor, table, handler, report)
    if not apply or (report.refused and not valid_only):
        everything.rollback()
        session.info['pending_events'] = announced  # what was rolled back is announced to no page
    else:
        everything.commit()
        report.applied = True
    return report


def _run_rows(session: Session, actor: Identity, table: Table, handler: RowHandler, report: Report) -> None:
    duplicates = _duplicates(table)
    for row in table.rows:
        key = row.values.get('code', '').upper()
        if row.number in duplicates:
            first, second = duplicates[row.number]
            reason = Message('The code {code} is in rows {first} and {second}.', code=key, first=first, second=second)
            report.refused.append(Refusal(row.number, table.headers['code'], reason.message))
            continue
        savepoint = session.begin_nested()
        try:
            outcome, fields = handler(session, actor, row, table)
            savepoint.commit()
        except _Refused as refused:
            savepoint.rollback()
            report.refused.append(Refusal(row.number, refused.column, refused.reason))
            continue
        except (ValidationError, NotFound) as error:
            savepoint.rollback()
            column = _column_of(getattr(error, 'field', None), table)
            report.refused.append(Refusal(row.number, column, error.message))
            continue
        {'new': report.new, 'changed': report.changed, 'unchanged': report.unchanged}[outcome].append(
            Change(row.number, key, fields)
        )


def _duplicates(table: Table) -> dict[int, tuple[int, int]]:
    """Rows whose code another row has too: row number -> (the first row, the other row) of each pair."""
    first_row: dict[str, int] = {}
    found: dict[int, tuple[int, int]] = {}
    for row in table.rows:
        key = row.values.get('code', '').strip().upper()
        if not key:
            continue
        if key in first_row:
            found[row.number] = (first_row[key], row.number)
            found.setdefault(first_row[key], (first_row[key], row.number))
        else:
            first_row[key] = row.number
    return found


# A service's field name -> the import's column
_FIELD_COLUMNS = {'price_cents': 'price', 'counted': 'on_hand', 'quantity': 'received'}


def _column_of(service_field: str | None, table: Table) -> str:
    name = _FIELD_COLUMNS.get(service_field or '', service_field or '')
    return table.headers.get(name, '')


def _refuse(table: Table, column: str, text: str, **params: object) -> _Refused:
    return _Refused(table.headers.get(column, ''), Message(text, **params).message)


def _flag(raw: str, table: Table, column: str) -> bool:
    word = raw.strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    return _raise(_refuse(table, column, N_('Write yes or no (or 1 or 0), not {value}.'), value=raw))


def _raise(error: Exception) -> bool:
    raise error


# --- products -------------------------------------------------------------------------------------

PRODUCT_FIELDS = ('code', 'name', 'description', 'barcode', 'unit', 'price_cents', 'active')


def _product_row(session: Session, actor: Identity, row: Row, table: Table) -> Outcome:
    values = row.values
    code = values.get('code', '').strip().upper()
    existing = session.exec(select(Product).where(Product.code == code)).first() if code else None
    data = {name: getattr(existing, name) for name in PRODUCT_FIELDS} if existing else {'unit': 'piece', 'active': True}
    for name in ('code', 'name', 'description', 'barcode', 'unit'):
        if name in values:
            data[name] = values[name]
    if 'price' in values:
        data['price_cents'] = money.parse_price(values['price'], field='price_cents')  # the product form's parser
    if 'active' in values and values['active'].strip():
        data['active'] = _flag(values['active'], table, 'active')
    typed = ProductCreate.model_construct(**data)
    clean = products.validate(typed)
    if existing is None:
        created = products.create_product(session, actor=actor, data=typed)
        _product_terms(session, actor, created, values, table)
        return 'new', ()
    fields = tuple(_column_name(name) for name in PRODUCT_FIELDS if getattr(clean, name) != getattr(existing, name))
    if fields:
        products.update_product(session, actor=actor, product_id=existing.id, data=typed)
    fields += _product_terms(session, actor, existing, values, table)
    return ('changed', fields) if fields else ('unchanged', ())


TERM_FIELDS = ('vat_class', 'min_quantity', 'order_multiple', 'backorders')


def _product_terms(
    session: Session, actor: Identity, product: Product, values: Mapping[str, str], table: Table
) -> tuple[str, ...]:
    """The VAT class and ordering rules the row gives (an empty cell keeps what the product has), set through
    the product page's own service (rules.set_product_terms); the fields that changed."""
    before = {name: getattr(product, name) for name in TERM_FIELDS}
    wanted = dict(before)
    if values.get('vat_class', '').strip():
        word = values['vat_class'].strip().casefold()
        wanted['vat_class'] = VAT_CLASS_NAMES.get(word, word)  # an unknown class: the service refuses it
    for name in ('min_quantity', 'order_multiple'):
        if values.get(name, '').strip():
            raw = values[name].strip()
            wanted[name] = int(raw) if raw.isascii() and raw.isdigit() else raw  # text: the service refuses it
    if values.get('backorders', '').strip():
        raw = values['backorders'].strip()
        if raw.casefold() not in YES | NO | PORTAL:
            raise _refuse(
                table, 'backorders', N_("Write yes, no or portal (the portal's setting), not {value}."), value=raw
            )
        wanted['backorders'] = None if raw.casefold() in PORTAL else _flag(raw, table, 'backorders')
    if wanted == before:
        return ()
    rules.set_product_terms(session, actor=actor, product_id=product.id, **wanted)
    return tuple(name for name in TERM_FIELDS if getattr(product, name) != before[name])


def _column_name(service_field: str) -> str:
    return _FIELD_COLUMNS.get(service_field, service_field)


# --- stock ----------------------------------------------------------------------------------------


def _stock_row(session: Session, actor: Identity, row: Row, table: Table) -> Outcome:
    values = row.values
    code = values.get('code', '').strip().upper()
    product = session.exec(select(Product).where(Product.code == code)).first() if code else None
    if product is None:
        raise _refuse(table, 'code', N_('No product has the code {code}.'), code=code)
    counted, received = values.get('on_hand', ''), values.get('received', '')
    if counted and received:
        raise _refuse(table, 'received', N_('A row has an on-hand count or a received quantity, not both.'))
    note = values.get('note', '')
    if counted:
        if counted.isdigit() and int(counted) == product.on_hand:
            return 'unchanged', ()
        stock.count_stock(session, actor=actor, product_id=product.id, counted=counted, note=note)
        return 'changed', ('on_hand',)
    if received:
        stock.receive_stock(session, actor=actor, product_id=product.id, quantity=received, note=note)
        return 'changed', ('received',)
    raise _refuse(table, 'on_hand' if 'on_hand' in table.headers else 'received', N_('This row has no quantity.'))


# --- customers ------------------------------------------------------------------------------------


def _customer_row(session: Session, actor: Identity, row: Row, table: Table) -> Outcome:
    values = row.values
    code = values.get('code', '').strip().upper()
    existing = session.exec(select(Customer).where(Customer.code == code)).first() if code else None
    language = _language(values.get('language', ''), existing)
    typed = CustomerCreate.model_construct(
        name=values.get('name', existing.name if existing else ''),
        code=values.get('code', ''),
        language=language,
        catalogue_mode=existing.catalogue_mode if existing else 'all',
    )
    if existing is None:
        customer = accounts.create_customer(session, actor=actor, data=typed)
        if any(values.get(name) for name in ADDRESS_FIELDS):
            accounts.add_address(session, actor=actor, customer_id=customer.id, data=_address(values, None))
        return 'new', ()
    fields = [name for name in ('name', 'language') if getattr(typed, name) != getattr(existing, name)]
    if fields:
        accounts.update_customer(session, actor=actor, customer_id=existing.id, data=typed)
    if any(values.get(name) for name in ADDRESS_FIELDS):
        addresses = accounts.list_addresses(session, actor=actor, customer_id=existing.id)
        default = addresses[0] if addresses else None  # the default address comes first
        address = _address(values, default)
        if default is None:
            accounts.add_address(session, actor=actor, customer_id=existing.id, data=address)
            fields.extend(name for name in ADDRESS_FIELDS if values.get(name))
        else:
            clean = accounts.validate_address(address)
            moved = [name for name in ADDRESS_FIELDS if getattr(clean, name) != getattr(default, name)]
            if moved:
                accounts.update_address(session, actor=actor, address_id=default.id, data=address)
                fields.extend(moved)
    return ('changed', tuple(fields)) if fields else ('unchanged', ())


def _language(raw: str, existing: Customer | None) -> str:
    word = raw.strip().casefold()
    if not word:
        return existing.language if existing else 'en'
    return LANGUAGE_NAMES.get(word, word)


def _address(values: Mapping[str, str], default: object | None) -> AddressCreate:
    kept = {name: getattr(default, name) for name in (*ADDRESS_FIELDS, 'label')} if default is not None else {}
    chosen = {name: values[name] for name in ADDRESS_FIELDS if name in values}
    return AddressCreate.model_construct(**{'label': '', 'country': '', **kept, **chosen})


# --- price lists ----------------------------------------------------------------------------------


GROUP_REFUSED = N_("Not imported, as row {row} is refused: a product's prices in one price list go together.")


@dataclass
class _PriceRow:
    row: Row
    from_quantity: int | str | None = None  # None: the product's minimum (its fixed price)
    cents: int | None = None


def _run_price_lists(session: Session, actor: Identity, table: Table, report: Report) -> None:
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


_KINDS: dict[Kind, tuple[dict[str, tuple[str, ...]], tuple[str, ...], RowHandler | None]] = {
    Kind.PRODUCTS: (PRODUCT_COLUMNS, ('code',), _product_row),
    Kind.STOCK: (STOCK_COLUMNS, ('code',), _stock_row),
    Kind.CUSTOMERS: (CUSTOMER_COLUMNS, ('code',), _customer_row),
    Kind.PRICE_LISTS: (PRICE_LIST_COLUMNS, ('price_list',), None),
}
