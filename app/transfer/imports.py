"""Imports: what a file of products, stock, customers, portal users or price lists would do (the preview) and
doing it.

Every row goes through the same rules as the admin forms (app.catalogue.products, app.orders.stock,
app.identity.accounts, app.catalogue.catalogue, app.pricing): one set of rules, not two.

Products and stock (the large files) go the bulk way (app/transfer/bulk.py, stock_bulk.py): the rows are checked
in memory against what the database has, read once, with the forms' and the stock services' pure checks, so a
preview takes no write lock at all (a large file is checked in a process of its own, app/transfer/checking.py), and
applying writes in a few statements in one transaction. The other kinds run row by row through the services,
inside a savepoint per row (a refused row leaves nothing behind) and a savepoint for the whole, rolled back for a
preview.
With one refused row nothing at all is kept unless the supplier chose `valid_only` ("apply the valid rows").
Either way the database is never half-imported, also when the process is killed midway: an applied import is one
transaction. `import_file` is what the admin page and the command call: it runs the import in transactions of its
own, reports progress, and writes the import history (app/transfer/history.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.catalogue import catalogue
from app.core import db, money, portal_settings
from app.core.errors import Message, NotFound, ValidationError
from app.core.i18n import N_, ngettext
from app.identity import accounts
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import (
    AddressCreate,
    CatalogueMode,
    Customer,
    CustomerCreate,
    PortalUser,
    PortalUserCreate,
    PriceList,
    PriceListCreate,
    PriceListItem,
    Product,
    Role,
    VatClass,
)
from app.pricing import prices, rules, terms
from app.transfer import bulk, checking, history, stock_bulk, tables
from app.transfer.tables import Row, Table, repeated_code


class Kind(StrEnum):
    PRODUCTS = 'products'
    STOCK = 'stock'
    CUSTOMERS = 'customers'
    USERS = 'users'
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
    'images': (
        'image', 'images', 'pictures', 'photos', 'image files', 'afbeelding', 'afbeeldingen', 'foto', "foto's",
        'bild', 'bilder', 'fotos',
    ),
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
    'category': (
        'categories', 'product group', 'group', 'categorie', 'categorieën', 'productgroep', 'artikelgroep', 'groep',
        'kategorie', 'kategorien', 'warengruppe', 'produktgruppe', 'artikelgruppe',
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
    'catalogue': (
        'catalog',
        'catalogue mode',
        'sees',
        'assortment',
        'catalogus',
        'assortiment',
        'katalog',
        'sortiment',
    ),
    'products': (
        'selection',
        'products shown',
        'product codes',
        'selectie',
        'producten',
        'artikelen',
        'auswahl',
        'produkte',
        'artikel',
    ),
}
USER_COLUMNS = {
    'username': (
        'user name',
        'user',
        'login',
        'gebruikersnaam',
        'gebruiker',
        'benutzername',
        'benutzer',
        'anmeldename',
    ),
    'full_name': ('name', 'full name', 'naam', 'volledige naam', 'vollständiger name', 'name des benutzers'),
    'email': ('e-mail', 'email address', 'e-mail address', 'mail', 'e-mailadres', 'e-mail-adresse'),
    'language': ('taal', 'sprache', 'locale'),
    'active': ('enabled', 'actief', 'aktiv'),
    'customer': (*CUSTOMER_COLUMNS['code'], 'customer code'),
    'role': ('rol', 'rolle'),
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
CATALOGUE_WORDS = {
    'all': CatalogueMode.ALL, 'alle': CatalogueMode.ALL, 'alles': CatalogueMode.ALL, 'everything': CatalogueMode.ALL,
    'selection': CatalogueMode.SELECTION, 'selectie': CatalogueMode.SELECTION, 'auswahl': CatalogueMode.SELECTION,
    'keuze': CatalogueMode.SELECTION,
}  # fmt: skip
ROLE_WORDS = {
    'customer': Role.CUSTOMER, 'klant': Role.CUSTOMER, 'kunde': Role.CUSTOMER, 'admin': Role.ADMIN,
    'beheerder': Role.ADMIN, 'administrator': Role.ADMIN,
}  # fmt: skip
CODE_SEPARATORS = re.compile(r'[|;,\s]+')


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
    notes: list[str] = field(default_factory=list)  # what the supplier should know besides the rows
    record_id: int | None = None  # its entry in the import history

    @property
    def rows(self) -> int:
        return len(self.new) + len(self.changed) + len(self.unchanged) + len({r.row for r in self.refused})


Outcome = tuple[str, tuple[str, ...]]  # ('new' | 'changed' | 'unchanged', the changed fields)
RowHandler = Callable[[Session, Identity, Row, Table], Outcome]


Progress = bulk.Progress


def columns_of(session: Session, kind: Kind) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The fields a kind of file is read into (field -> the column names it is known by) and those required."""
    columns, required, _handler = _KINDS[kind]
    if kind == Kind.PRODUCTS:  # the translations' columns, for each language besides the default one
        columns = {**columns, **bulk.translation_columns(portal_settings.default_language(session))}
    return columns, required


def run_import(
    session: Session,
    *,
    actor: Identity,
    kind: Kind | str,
    content: bytes,
    filename: str,
    apply: bool = False,
    valid_only: bool = False,
    images: bytes | None = None,
    progress: Progress | None = None,
) -> Report:
    """What the file would do (apply=False: nothing is changed), or do it (apply=True), in the caller's
    transaction (for apply=True a db.write_session).

    With refused rows, applying changes nothing unless valid_only: then the valid rows are kept. A file that cannot
    be read as a table raises tables.FileRefused. `images`: a ZIP of the images a products file names.
    """
    ensure_admin(actor)
    kind = Kind(kind)
    table = _read(session, kind, content, filename)
    if kind in BULK_KINDS:
        planned = _plan(session, kind, table, _zip_files(kind, images), progress)
        report = _bulk_report(kind, planned, table)
        if apply and (not report.refused or valid_only):
            _write(session, kind, actor, planned, progress)
            report.applied = True
        return report
    return _run_in_savepoint(session, actor, kind, table, apply=apply, valid_only=valid_only, progress=progress)


def import_file(
    actor: Identity,
    /,
    *,
    kind: Kind | str,
    content: bytes,
    filename: str,
    apply: bool = False,
    valid_only: bool = False,
    images: bytes | None = None,
    images_filename: str = '',
    source: str = 'admin',
    progress: Progress | None = None,
) -> Report:
    """The import as the admin page and the command run it, in transactions of its own, recorded in the import
    history. Products and stock are checked in a read-only session (no write lock; the images decoded there too),
    a large file in a process of its own (checking.py: the portal's event loop keeps the GIL), and written in one
    short write transaction, checked again there only when its products changed meanwhile; the other kinds run in
    one write transaction."""
    ensure_admin(actor)
    kind = Kind(kind)
    started = time.perf_counter()
    if progress:
        progress(N_('Reading the file'), 0, 0)

    def recorded(session: Session, report: Report) -> Report:
        entry = history.record(
            session,
            actor=actor,
            report=report,
            filename=filename,
            images_filename=images_filename,
            source=source,
            dry_run=not apply,
            seconds=time.perf_counter() - started,
        )
        report.record_id = entry.id
        return report

    if kind not in BULK_KINDS:
        with db.write_session() as session:
            table = _read(session, kind, content, filename)
            report = _run_in_savepoint(
                session, actor, kind, table, apply=apply, valid_only=valid_only, progress=progress
            )
            return recorded(session, report)
    checked = None
    if len(content) >= checking.IN_PROCESS_BYTES:  # a large file: checked in a process of its own
        checked = checking.check(kind=kind, content=content, filename=filename, images=images, progress=progress)
    if checked is None:
        checked = check_rows(kind=kind, content=content, filename=filename, images=images, progress=progress)
    table, planned = checked
    report = _bulk_report(kind, planned, table)
    if not apply or (report.refused and not valid_only):
        with db.write_session() as session:
            return recorded(session, report)
    with db.write_session() as session:  # the one transaction: a stopped import leaves nothing behind
        unchanged = (bulk.unchanged_since if kind == Kind.PRODUCTS else stock_bulk.unchanged_since)(session, planned)
        if not unchanged:  # changed meanwhile: checked again, under the lock
            zip_files = _zip_files(kind, images)
            table = table if table.rows else _read(session, kind, content, filename)  # checked in another process
            planned = _plan(session, kind, table, zip_files, None)
            report = _bulk_report(kind, planned, table)
        if not report.refused or valid_only:
            _write(session, kind, actor, planned, progress)
            report.applied = True
        return recorded(session, report)


BULK_KINDS = (Kind.PRODUCTS, Kind.STOCK)  # checked in memory and written in few statements


def check_rows(
    *, kind: Kind | str, content: bytes, filename: str, images: bytes | None = None, progress: Progress | None = None
) -> tuple[Table, bulk.Planned | stock_bulk.StockPlan]:
    """Read a products or stock file and check its rows in a read session (no write lock); nothing is written."""
    kind = Kind(kind)
    zip_files = _zip_files(kind, images)
    with db.read_session() as session:
        table = _read(session, kind, content, filename)
        return table, _plan(session, kind, table, zip_files, progress)


def _zip_files(kind: Kind, images: bytes | None) -> dict[str, bytes]:
    """The images of a products file (name -> content); the other kinds name none."""
    return bulk.read_zip(images) if kind == Kind.PRODUCTS else {}


def _plan(
    session: Session, kind: Kind, table: Table, zip_files: Mapping[str, bytes], progress: Progress | None
) -> bulk.Planned | stock_bulk.StockPlan:
    if kind == Kind.PRODUCTS:
        return bulk.plan(session, table, zip_files=zip_files, progress=progress)
    return stock_bulk.plan(session, table, progress=progress)


def _write(session: Session, kind: Kind, actor: Identity, planned: object, progress: Progress | None) -> None:
    if kind == Kind.PRODUCTS:
        bulk.write(session, actor=actor, planned=planned, progress=progress)
    else:
        stock_bulk.write(session, actor=actor, planned=planned, progress=progress)


def _read(session: Session, kind: Kind, content: bytes, filename: str) -> Table:
    columns, required = columns_of(session, kind)
    return tables.read_table(content, filename, columns=columns, required=required)


def _bulk_report(kind: Kind, planned: bulk.Planned | stock_bulk.StockPlan, table: Table) -> Report:
    report = Report(kind=kind, ignored_columns=table.ignored)
    lists = {'new': report.new, 'changed': report.changed, 'unchanged': report.unchanged}
    for number, outcome, code, fields in planned.outcomes:
        lists[outcome].append(Change(number, code, fields))
    report.refused = [Refusal(number, column, reason) for number, column, reason in sorted(planned.refused)]
    return report


def _run_in_savepoint(
    session: Session,
    actor: Identity,
    kind: Kind,
    table: Table,
    *,
    apply: bool,
    valid_only: bool,
    progress: Progress | None = None,
) -> Report:
    report = Report(kind=kind, ignored_columns=table.ignored)
    announced = set(session.info.get('pending_events', ()))
    everything = session.begin_nested()
    if kind == Kind.PRICE_LISTS:
        _run_price_lists(session, actor, table, report)
    else:
        _run_rows(session, actor, table, _KINDS[kind][2], report, progress)
    if not apply or (report.refused and not valid_only):
        everything.rollback()
        session.info['pending_events'] = announced  # what was rolled back is announced to no page
    else:
        everything.commit()
        report.applied = True
    if kind == Kind.USERS:
        without = session.info.pop('users_without_password', 0)
        if without:
            report.notes.append(ngettext(
                "{n} new portal user has no password until you give it one on its customer's page (Reset password): "
                'files never carry passwords.',
                "{n} new portal users have no password until you give them one on their customer's page (Reset "
                'password): files never carry passwords.',
                without,
            ))  # fmt: skip
    return report


def _run_rows(
    session: Session, actor: Identity, table: Table, handler: RowHandler, report: Report, progress: Progress | None
) -> None:
    key_field = 'username' if report.kind == Kind.USERS else 'code'
    duplicates = table.repeated(key_field)
    for index, row in enumerate(table.rows):
        if progress and index % 200 == 0:
            progress(N_('Checking the rows'), index, len(table.rows))
        key = row.values.get(key_field, '').upper()
        if row.number in duplicates:
            if key_field == 'username':
                first, second = duplicates[row.number]
                reason = Message(
                    'The user name {username} is in rows {first} and {second}.',
                    username=key.lower(),
                    first=first,
                    second=second,
                ).message
            else:
                reason = repeated_code(key, duplicates[row.number])
            report.refused.append(Refusal(row.number, table.headers[key_field], reason))
            continue
        savepoint = session.begin_nested()
        try:
            outcome, fields = handler(session, actor, row, table)
            savepoint.commit()
        except bulk.Refused as refused:
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


# A service's field name -> the import's column
_FIELD_COLUMNS = {
    'price_cents': 'price', 'counted': 'on_hand', 'quantity': 'received', 'catalogue_mode': 'catalogue',
    'customer_id': 'customer',
}  # fmt: skip


def _column_of(service_field: str | None, table: Table) -> str:
    name = _FIELD_COLUMNS.get(service_field or '', service_field or '')
    return table.headers.get(name, '')


def _refuse(table: Table, column: str, text: str, **params: object) -> bulk.Refused:
    return bulk.Refused(table.headers.get(column, ''), Message(text, **params).message)


# --- customers ------------------------------------------------------------------------------------


def _customer_row(session: Session, actor: Identity, row: Row, table: Table) -> Outcome:
    values = row.values
    code = values.get('code', '').strip().upper()
    existing = session.exec(select(Customer).where(Customer.code == code)).first() if code else None
    language = _language(values.get('language', ''), existing)
    raw_mode = values.get('catalogue', '').strip()
    mode = CATALOGUE_WORDS.get(raw_mode.casefold(), raw_mode) if raw_mode else None  # unknown: the service refuses
    selection = _selection(session, values, table)
    typed = CustomerCreate.model_construct(
        name=values.get('name', existing.name if existing else ''),
        code=values.get('code', ''),
        language=language,
        catalogue_mode=mode or (existing.catalogue_mode if existing else 'all'),
    )
    if existing is None:
        customer = accounts.create_customer(session, actor=actor, data=typed)
        if any(values.get(name) for name in ADDRESS_FIELDS):
            accounts.add_address(session, actor=actor, customer_id=customer.id, data=_address(values, None))
        if selection:
            catalogue.add_to_selection(session, actor=actor, customer_id=customer.id, product_ids=sorted(selection))
        return 'new', ()
    fields = [name for name in ('name', 'language') if getattr(typed, name) != getattr(existing, name)]
    if fields:
        accounts.update_customer(session, actor=actor, customer_id=existing.id, data=typed)
    if mode is not None and mode != existing.catalogue_mode:
        catalogue.set_catalogue_mode(session, actor=actor, customer_id=existing.id, mode=mode)
        fields.append('catalogue')
    if selection is not None:
        had = catalogue.selection_ids(session, actor=actor, customer_id=existing.id)
        if selection != had:
            catalogue.add_to_selection(
                session, actor=actor, customer_id=existing.id, product_ids=sorted(selection - had)
            )
            catalogue.remove_from_selection(
                session, actor=actor, customer_id=existing.id, product_ids=sorted(had - selection)
            )
            fields.append('products')
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


def _selection(session: Session, values: Mapping[str, str], table: Table) -> set[int] | None:
    """The products a customer's selection is to hold, by the codes of the row's products cell (the whole
    selection); an empty cell or no column keeps it."""
    codes = [code.upper() for code in CODE_SEPARATORS.split(values.get('products', '').strip()) if code]
    if not codes:
        return None
    found = dict(session.exec(select(Product.code, Product.id).where(col(Product.code).in_(codes))).all())
    missing = [code for code in codes if code not in found]
    if missing:
        raise _refuse(table, 'products', N_('No product has the code {code}.'), code=missing[0])
    return set(found.values())


def _language(raw: str, existing: Customer | None) -> str:
    word = raw.strip().casefold()
    if not word:
        return existing.language if existing else 'en'
    return LANGUAGE_NAMES.get(word, word)


def _address(values: Mapping[str, str], default: object | None) -> AddressCreate:
    kept = {name: getattr(default, name) for name in (*ADDRESS_FIELDS, 'label')} if default is not None else {}
    chosen = {name: values[name] for name in ADDRESS_FIELDS if name in values}
    return AddressCreate.model_construct(**{'label': '', 'country': '', **kept, **chosen})


# --- portal users ---------------------------------------------------------------------------------


USER_FIELDS = ('full_name', 'email', 'language', 'active', 'customer', 'role')


def _user_row(session: Session, actor: Identity, row: Row, table: Table) -> Outcome:
    """A portal user by user name: its name, e-mail address, language, whether active, its customer (by code) and
    role. Never a password: a new user gets none (the supplier gives it one, or invites it)."""
    values = row.values
    username = values.get('username', '').strip().casefold()
    existing = session.exec(select(PortalUser).where(PortalUser.username == username)).first() if username else None
    customer_id = existing.customer_id if existing else None
    customer_code = values.get('customer', '').strip().upper()
    if 'customer' in values:
        customer_id = None
        if customer_code:
            customer_id = session.exec(select(Customer.id).where(Customer.code == customer_code)).first()
            if customer_id is None:
                raise _refuse(table, 'customer', N_('No customer has the code {code}.'), code=customer_code)
    role = existing.role if existing else (Role.CUSTOMER if customer_id or not values.get('role') else None)
    if values.get('role', '').strip():
        word = values['role'].strip().casefold()
        role = ROLE_WORDS.get(word)
        if role is None:
            raise _refuse(table, 'role', N_('Write customer or admin, not {value}.'), value=values['role'].strip())
    language = existing.language if existing else None
    if 'language' in values:
        word = values['language'].strip().casefold()
        language = LANGUAGE_NAMES.get(word, word) or None
        if language is not None and language not in accounts.LANGUAGES:
            raise _refuse(table, 'language', N_('Choose one of the offered languages.'))
    email = accounts.clean_email(values['email']) if 'email' in values else (existing.email if existing else None)
    active = existing.active if existing else True
    if values.get('active', '').strip():
        active = bulk.flag(values['active'], table, 'active')
    full_name = values.get('full_name', existing.full_name if existing else '')
    if existing is None:
        user = accounts.create_user(
            session,
            actor=actor,
            data=PortalUserCreate.model_construct(
                username=username, full_name=full_name, role=role, customer_id=customer_id, email=email, password=''
            ),
            without_password=True,
        )
        if language is not None:
            accounts.set_user_details(
                session, actor=actor, user_id=user.id, full_name=user.full_name, language=language
            )
        if not active:
            accounts.set_active(session, actor=actor, user_id=user.id, active=False)
        session.flush()
        session.info['users_without_password'] = session.info.get('users_without_password', 0) + 1
        return 'new', ()
    if role != existing.role or (role == Role.CUSTOMER and customer_id != existing.customer_id):
        raise _refuse(
            table,
            'customer' if 'customer' in values else 'role',
            N_("A user's customer and role are not changed by an import: make a new user instead."),
        )
    clean_name = accounts.clean_full_name(full_name)
    fields = [
        name
        for name, changed in (
            ('full_name', clean_name != existing.full_name),
            ('email', email != existing.email),
            ('language', language != existing.language),
            ('active', active != existing.active),
        )
        if changed
    ]
    if 'full_name' in fields or 'language' in fields:
        accounts.set_user_details(session, actor=actor, user_id=existing.id, full_name=clean_name, language=language)
    if 'email' in fields:
        accounts.set_email(session, actor=actor, user_id=existing.id, email=email)
    if 'active' in fields:
        accounts.set_active(session, actor=actor, user_id=existing.id, active=active)
    session.flush()
    return ('changed', tuple(fields)) if fields else ('unchanged', ())


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
    Kind.PRODUCTS: (PRODUCT_COLUMNS, ('code',), None),  # the bulk way: app/transfer/bulk.py
    Kind.STOCK: (STOCK_COLUMNS, ('code',), None),  # the bulk way: app/transfer/stock_bulk.py
    Kind.CUSTOMERS: (CUSTOMER_COLUMNS, ('code',), _customer_row),
    Kind.USERS: (USER_COLUMNS, ('username',), _user_row),
    Kind.PRICE_LISTS: (PRICE_LIST_COLUMNS, ('price_list',), None),
}
