"""A customers file's rows: a customer by its code, its name, language, default address, catalogue and selection."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlmodel import Session, col, select

from app.catalogue import catalogue
from app.core.i18n import N_
from app.identity import accounts
from app.identity.auth import Identity
from app.models import AddressCreate, CatalogueMode, Customer, CustomerCreate, Product
from app.transfer.import_report import Outcome, refuse
from app.transfer.tables import Row, Table
from app.transfer.words import LANGUAGE_NAMES

# Column names each field is known by, besides its own (compared without case, spaces or punctuation).
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
ADDRESS_FIELDS = ('recipient', 'street', 'postal_code', 'city', 'country')

CATALOGUE_WORDS = {
    'all': CatalogueMode.ALL, 'alle': CatalogueMode.ALL, 'alles': CatalogueMode.ALL, 'everything': CatalogueMode.ALL,
    'selection': CatalogueMode.SELECTION, 'selectie': CatalogueMode.SELECTION, 'auswahl': CatalogueMode.SELECTION,
    'keuze': CatalogueMode.SELECTION,
}  # fmt: skip
CODE_SEPARATORS = re.compile(r'[|;,\s]+')


def customer_row(session: Session, actor: Identity, row: Row, table: Table) -> Outcome:
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
        raise refuse(table, 'products', N_('No product has the code {code}.'), code=missing[0])
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
