"""The products import in bulk: every row checked by the product form's own rules, then written in few statements.

`plan` reads what the database has once (products by code, their translations, images and price-list tiers) and
checks each row in memory with the services' pure checks (products.validate, money.parse_price, rules.clean_terms
and check_tiers, translations.clean_text, images.prepare for the ZIP's images): it writes nothing, so a preview
needs no write lock, and applying does the checking before it takes the lock. `write` then inserts the new
products and updates the changed ones with executemany in chunks; the search index follows through the table's
triggers (FTS5 on SQLite, the trigram GIN index on PostgreSQL is kept by PostgreSQL itself). All in the caller's
transaction: all or nothing.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import Select, bindparam, delete, insert, update
from sqlmodel import Session, col, select

from app.catalogue import categories, images, products, translations
from app.catalogue.translations import ProductText
from app.core import clock, config, events, i18n, money, portal_settings
from app.core.errors import Message, ValidationError
from app.core.i18n import N_
from app.core.migrations import search_index
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import (
    PriceList,
    PriceListItem,
    Product,
    ProductCategory,
    ProductCreate,
    ProductImage,
    ProductTranslation,
    VatClass,
)
from app.pricing import rules
from app.transfer.tables import Table, repeated_code
from app.transfer.words import NO, PORTAL, VAT_CLASS_NAMES, YES

CHUNK = 2000
INDEX_IN_BULK_FROM = 1000  # rows written: from so many the search index is written in bulk (_SearchIndexInBulk)
MAX_ZIP_BYTES = 1024 * 1024 * 1024  # what a ZIP of images may unpack to
IMAGE_SEPARATORS = ('|', ';', ',', '\n')
PRODUCT_FIELDS = ('code', 'name', 'description', 'barcode', 'unit', 'price_cents', 'active')
TERM_FIELDS = ('vat_class', 'min_quantity', 'order_multiple', 'backorders')
Progress = Callable[[str, int, int], None]  # (what is being done, rows done, rows in all)


class Refused(Exception):
    """A row refused: the column (its header as the file names it) and why."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = column, reason


@dataclass
class Planned:
    """What a products file would do."""

    new: list[dict] = field(default_factory=list)  # the columns of each new product
    changed: list[dict] = field(default_factory=list)  # the columns of each changed product, with its id as 'b_id'
    texts: dict[str, dict[str, ProductText]] = field(default_factory=dict)  # code -> language -> texts wanted
    images: dict[str, list[str | images.PreparedImage]] = field(default_factory=dict)  # code -> the images wanted
    categories: dict[str, list[int]] = field(default_factory=dict)  # code -> the categories wanted (ids)
    seen: dict[str, datetime] = field(default_factory=dict)  # code -> updated_at, of the products the file changes
    outcomes: list[tuple[int, str, str, tuple[str, ...]]] = field(default_factory=list)  # row, outcome, code, fields
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # row, column, reason


def translation_columns(default_language: str) -> dict[str, tuple[str, ...]]:
    """name_nl, description_de, ...: a column per field and language besides the default one (whose texts are the
    product's own name and description), known also by the Dutch and German words for name and description."""
    found: dict[str, tuple[str, ...]] = {}
    for language in i18n.LANGUAGES:
        if language == default_language:
            continue
        found[f'name_{language}'] = tuple(f'{word} {language}' for word in ('naam', 'bezeichnung', 'produktname'))
        found[f'description_{language}'] = tuple(
            f'{word} {language}' for word in ('beschrijving', 'omschrijving', 'beschreibung')
        )
    return found


def read_zip(content: bytes | None) -> dict[str, bytes]:
    """The files of a ZIP of images by their name (folders left out, compared without case), or ValidationError."""
    if not content:
        return {}
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError('The images file is not a ZIP file that can be read.', 'images') from error
    if sum(info.file_size for info in infos) > MAX_ZIP_BYTES:
        raise ValidationError('The ZIP file unpacks to more than {limit} MB.', 'images', limit=MAX_ZIP_BYTES >> 20)
    limit = config.get().max_upload_bytes
    found: dict[str, bytes] = {}
    for info in infos:
        name = PurePosixPath(info.filename.replace('\\', '/')).name
        if not name or name.startswith('.'):
            continue
        # a file larger than an upload may be is kept unread: prepare() refuses it by its size, not after reading it
        found[name.casefold()] = archive.read(info) if info.file_size <= limit else b'\0' * (limit + 1)
    return found


def plan(
    session: Session, table: Table, *, zip_files: Mapping[str, bytes], progress: Progress | None = None
) -> Planned:
    """Check every row against what the database has (read once); nothing is written."""
    planned = Planned()
    headers = table.headers
    default_language = portal_settings.default_language(session)
    languages = sorted({name.split('_', 1)[1] for name in headers if name.startswith(('name_', 'description_'))})
    codes = {row.values.get('code', '').strip().upper() for row in table.rows}
    existing = _existing(session, codes)
    ids = [product.id for product in existing.values()]
    texts = _texts(session, ids, languages) if languages else {}
    stored_images = _images(session, ids) if 'images' in headers else {}
    tiers = _tiers(session, ids) if any(name in headers for name in ('min_quantity', 'order_multiple')) else {}
    paths = category_paths(categories.read_tree(session, language=None)) if 'category' in headers else {}
    placed = _placed(session, ids) if 'category' in headers else {}
    duplicates = table.repeated()
    now = clock.now()
    total = len(table.rows)
    for index, row in enumerate(table.rows):
        if progress and index % 500 == 0:
            progress(N_('Checking the rows'), index, total)
        code = row.values.get('code', '').strip().upper()
        if row.number in duplicates:
            planned.refused.append((row.number, headers['code'], repeated_code(code, duplicates[row.number])))
            continue
        product = existing.get(code)
        try:
            outcome, fields = _row(
                planned, row.values, product, table, texts, stored_images, tiers, zip_files, default_language, now,
                paths, placed,
            )  # fmt: skip
        except Refused as refused:
            planned.refused.append((row.number, refused.column, refused.reason))
            continue
        except ValidationError as error:
            planned.refused.append((row.number, _column_of(error.field, table), error.message))
            continue
        planned.outcomes.append((row.number, outcome, code, fields))
        if product is not None and outcome == 'changed':
            planned.seen[code] = product.updated_at
    if progress:
        progress(N_('Checking the rows'), total, total)
    return planned


def _row(
    planned: Planned,
    values: Mapping[str, str],
    product: Product | None,
    table: Table,
    texts: Mapping[int, dict[str, ProductText]],
    stored_images: Mapping[int, list[ProductImage]],
    tiers: Mapping[int, list[tuple[str, int]]],
    zip_files: Mapping[str, bytes],
    default_language: str,
    now: datetime,
    paths: Mapping[tuple[str, ...], int],
    placed: Mapping[int, set[int]],
) -> tuple[str, tuple[str, ...]]:
    data: dict = (
        {name: getattr(product, name) for name in PRODUCT_FIELDS}
        if product is not None
        else {'description': '', 'barcode': '', 'unit': 'piece', 'price_cents': None, 'active': True}
    )
    for name in ('code', 'name', 'description', 'barcode', 'unit'):
        if name in values:
            data[name] = values[name]
    if 'price' in values:
        data['price_cents'] = money.parse_price(values['price'], field='price_cents')  # the product form's parser
    if values.get('active', '').strip():
        data['active'] = flag(values['active'], table, 'active')
    clean = products.validate(ProductCreate.model_construct(**data)).model_dump()
    fields = [_name(name) for name in PRODUCT_FIELDS if product is not None and clean[name] != getattr(product, name)]
    term_values, term_fields = _terms(values, product, table, tiers)
    fields += term_fields
    wanted_texts, text_fields = _translations(values, product, texts, table.headers)
    fields += text_fields
    wanted_images = _wanted_images(values, product, table, stored_images, zip_files)
    if wanted_images is not None:
        fields.append('images')
    wanted_categories = _wanted_categories(values, product, table, paths, placed)
    if wanted_categories is not None and product is not None:
        fields.append('category')
    columns = {**clean, **term_values}
    if product is None:
        planned.new.append({**columns, 'on_hand': 0, 'allocated': 0, 'created_at': now, 'updated_at': now})
    elif fields:
        planned.changed.append({**columns, 'b_id': product.id, 'updated_at': now})
    code = clean['code']
    if wanted_texts is not None and (product is None or text_fields):
        planned.texts[code] = wanted_texts
    if wanted_images is not None:
        planned.images[code] = wanted_images
    if wanted_categories is not None:
        planned.categories[code] = wanted_categories
    if product is None:
        return 'new', ()
    return ('changed', tuple(dict.fromkeys(fields))) if fields else ('unchanged', ())


def _terms(
    values: Mapping[str, str], product: Product | None, table: Table, tiers: Mapping[int, list[tuple[str, int]]]
) -> tuple[dict, list[str]]:
    """The VAT class and ordering rules the row gives (an empty cell keeps what the product has), checked by the
    product page's own rules; the stored values and the fields that change."""

    before = {
        name: getattr(product, name) if product is not None else default
        for name, default in zip(TERM_FIELDS, (VatClass.STANDARD, 1, 1, None), strict=True)
    }
    wanted = dict(before)
    if values.get('vat_class', '').strip():
        word = values['vat_class'].strip().casefold()
        wanted['vat_class'] = VAT_CLASS_NAMES.get(word, word)  # an unknown class: the rules refuse it
    for name in ('min_quantity', 'order_multiple'):
        if values.get(name, '').strip():
            raw = values[name].strip()
            wanted[name] = int(raw) if raw.isascii() and raw.isdigit() else raw  # text: the rules refuse it
    if values.get('backorders', '').strip():
        raw = values['backorders'].strip()
        if raw.casefold() not in YES | NO | PORTAL:
            raise Refused(
                table.headers.get('backorders', ''),
                Message("Write yes, no or portal (the portal's setting), not {value}.", value=raw).message,
            )
        wanted['backorders'] = None if raw.casefold() in PORTAL else flag(raw, table, 'backorders')
    if wanted == before:
        return before, []
    vat_class, minimum, multiple, backorders = rules.clean_terms(**wanted)
    if product is not None:
        rules.check_tiers(rules.OrderingRules(minimum=minimum, multiple=multiple), tiers.get(product.id, ()))
    after = {'vat_class': vat_class, 'min_quantity': minimum, 'order_multiple': multiple, 'backorders': backorders}
    return after, [name for name in TERM_FIELDS if product is not None and after[name] != before[name]]


def _translations(
    values: Mapping[str, str],
    product: Product | None,
    texts: Mapping[int, dict[str, ProductText]],
    values_columns: Mapping[str, str],
) -> tuple[dict[str, ProductText] | None, list[str]]:
    """The texts per language the row's name_xx and description_xx columns give (both empty: none), and the
    columns that change. A language without its columns in the file keeps what the product has."""
    languages = sorted({name.split('_', 1)[1] for name in values if name.startswith(('name_', 'description_'))})
    if not languages:
        return None, []
    had = texts.get(product.id, {}) if product is not None else {}
    wanted: dict[str, ProductText] = {}
    changed: list[str] = []
    for language in languages:
        before = had.get(language, ProductText())
        name = values.get(f'name_{language}', before.name)
        description = values.get(f'description_{language}', before.description)
        try:
            clean = translations.clean_text(name, description)
        except ValidationError as error:
            column = values_columns.get(f'{error.field}_{language}', '')
            raise Refused(column, error.message) from error
        wanted[language] = clean
        changed += [
            f'{part}_{language}' for part in ('name', 'description') if getattr(clean, part) != getattr(before, part)
        ]
    return wanted, changed


def _wanted_images(
    values: Mapping[str, str],
    product: Product | None,
    table: Table,
    stored: Mapping[int, list[ProductImage]],
    zip_files: Mapping[str, bytes],
) -> list[str | images.PreparedImage] | None:
    """The product's images as the row names them, in order: a stored image's file name (as the export writes it)
    keeps that image, a file of the ZIP is checked like an upload (images.prepare); None: no change. An empty cell
    keeps the images."""
    raw = values.get('images', '').strip()
    if not raw:
        return None
    for separator in IMAGE_SEPARATORS[1:]:
        raw = raw.replace(separator, IMAGE_SEPARATORS[0])
    names = [name.strip() for name in raw.split(IMAGE_SEPARATORS[0]) if name.strip()]
    had = stored.get(product.id, []) if product is not None else []
    by_name = {image.filename.casefold(): image for image in had}
    column = table.headers.get('images', '')
    wanted: list[str | images.PreparedImage] = []
    for name in names:
        folded = PurePosixPath(name.replace('\\', '/')).name.casefold()
        if folded in by_name:
            wanted.append(by_name[folded].filename)
            continue
        if folded not in zip_files:
            reason = Message('The ZIP file has no image {name}.', name=name).message
            raise Refused(column, reason)
        try:
            prepared = images.prepare(zip_files[folded])
        except ValidationError as error:
            raise Refused(column, f'{name}: {error.message}') from error
        same = _same_stored(prepared, had)
        wanted.append(same.filename if same is not None else prepared)
    if len(wanted) > images.MAX_IMAGES_PER_PRODUCT:
        reason = Message('A product can have at most {limit} images.', limit=images.MAX_IMAGES_PER_PRODUCT).message
        raise Refused(column, reason)
    if [w for w in wanted] == [image.filename for image in had]:
        return None
    return wanted


def category_paths(tree: categories.CategoryTree) -> dict[tuple[str, ...], int]:
    """Each category by its path of names, compared without case: ('fasteners', 'screws') -> its id."""
    return {tuple(node.own_name.casefold() for node in tree.path(node.id)): node.id for node in tree.walk()}


def category_cell(tree: categories.CategoryTree, category_ids: Iterable[int]) -> str:
    """A product's categories as the import reads them: 'Fasteners > Screws | Tools', in the tree's order."""
    wanted = set(category_ids)
    return ' | '.join(' > '.join(n.own_name for n in tree.path(node.id)) for node in tree.walk() if node.id in wanted)


def _wanted_categories(
    values: Mapping[str, str],
    product: Product | None,
    table: Table,
    paths: Mapping[tuple[str, ...], int],
    placed: Mapping[int, set[int]],
) -> list[int] | None:
    """The categories the row's category cell names (each a path 'Fasteners > Screws', several separated by |),
    as the product page's category picker would set them; None: no change (an empty cell keeps them). A path no
    category has is refused, not made: a typing error would otherwise grow the tree."""
    raw = values.get('category', '').strip()
    if not raw:
        return None
    column = table.headers.get('category', '')
    wanted: list[int] = []
    for part in raw.split('|'):
        names = tuple(name.strip().casefold() for name in part.replace('›', '>').split('>'))
        if not any(names):
            continue
        if names not in paths:
            shown = ' > '.join(name.strip() for name in part.replace('›', '>').split('>'))
            raise Refused(column, Message('There is no category {path}.', path=shown).message)
        wanted.append(paths[names])
    wanted = sorted(set(wanted))
    if len(wanted) > categories.MAX_CATEGORIES_PER_PRODUCT:
        reason = Message(
            'A product sits in at most {limit} categories.', limit=categories.MAX_CATEGORIES_PER_PRODUCT
        ).message
        raise Refused(column, reason)
    had = placed.get(product.id, set()) if product is not None else set()
    if set(wanted) == had and (product is not None or not wanted):
        return None
    return wanted


def _same_stored(prepared: images.PreparedImage, had: Iterable[ProductImage]) -> ProductImage | None:
    """The product's stored image with the same content (the same file imported again), if any."""
    digest = hashlib.sha256(prepared.image).digest()
    folder = config.get().upload_dir
    for image in had:
        try:
            if hashlib.sha256((folder / image.filename).read_bytes()).digest() == digest:
                return image
        except OSError:
            continue
    return None


def flag(raw: str, table: Table, column: str) -> bool:
    """A yes or no column read (in the words of app/transfer/words.py), else the row refused."""

    word = raw.strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise Refused(
        table.headers.get(column, ''), Message('Write yes or no (or 1 or 0), not {value}.', value=raw).message
    )


_FIELD_COLUMNS = {'price_cents': 'price'}


def _name(service_field: str) -> str:
    return _FIELD_COLUMNS.get(service_field, service_field)


def _column_of(service_field: str | None, table: Table) -> str:
    return table.headers.get(_name(service_field or ''), '')


def _chunks(items: list, size: int = 0) -> Iterable[list]:
    size = size or CHUNK
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rows_with(session: Session, query: Select, column: Any, wanted: set) -> Iterator[Any]:
    """The rows of `query` whose `column` is one of `wanted`: read in chunks of 500, or, when a file names more
    than 5,000, every row read once and the wanted ones kept (one pass beats many lookups)."""
    if len(wanted) > 5000:
        yield from (row for row in session.exec(query) if getattr(row, column.key) in wanted)
        return
    for chunk in _chunks(sorted(wanted), 500):
        yield from session.exec(query.where(col(column).in_(chunk)))


def _existing(session: Session, codes: set[str]) -> dict[str, Product]:
    """The products with these codes, read once: only the columns the check compares, as rows read by name like a
    Product (no ORM objects: a third of the check's time at 100,000)."""
    columns = [getattr(Product, name) for name in ('id', 'updated_at', *PRODUCT_FIELDS, *TERM_FIELDS)]
    return {product.code: product for product in rows_with(session, select(*columns), Product.code, codes)}


def _texts(session: Session, ids: list[int], languages: list[str]) -> dict[int, dict[str, ProductText]]:
    found: dict[int, dict[str, ProductText]] = {}
    for chunk in _chunks(ids, 500):
        rows = session.exec(
            select(ProductTranslation.product_id, ProductTranslation.language, ProductTranslation.name,
                   ProductTranslation.description)
            .where(col(ProductTranslation.product_id).in_(chunk), col(ProductTranslation.language).in_(languages))
        )  # fmt: skip
        for product_id, language, name, description in rows:
            found.setdefault(product_id, {})[language] = ProductText(name, description)
    return found


def _images(session: Session, ids: list[int]) -> dict[int, list[ProductImage]]:
    found: dict[int, list[ProductImage]] = {}
    for chunk in _chunks(ids, 500):
        rows = session.exec(
            select(ProductImage)
            .where(col(ProductImage.product_id).in_(chunk))
            .order_by(col(ProductImage.product_id), col(ProductImage.position), col(ProductImage.id))
        )
        for image in rows:
            found.setdefault(image.product_id, []).append(image)
    session.expunge_all()
    return found


def _placed(session: Session, ids: list[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for chunk in _chunks(ids, 500):
        rows = session.exec(
            select(ProductCategory.product_id, ProductCategory.category_id).where(
                col(ProductCategory.product_id).in_(chunk)
            )
        )
        for product_id, category_id in rows:
            found.setdefault(product_id, set()).add(category_id)
    return found


def _tiers(session: Session, ids: list[int]) -> dict[int, list[tuple[str, int]]]:
    found: dict[int, list[tuple[str, int]]] = {}
    for chunk in _chunks(ids, 500):
        rows = session.exec(
            select(PriceListItem.product_id, PriceList.name, PriceListItem.min_quantity)
            .join(PriceList, col(PriceList.id) == PriceListItem.price_list_id)
            .where(col(PriceListItem.product_id).in_(chunk))
            .order_by(col(PriceList.name), col(PriceListItem.min_quantity))
        )
        for product_id, name, from_quantity in rows:
            found.setdefault(product_id, []).append((name, from_quantity))
    return found


def unchanged_since(session: Session, planned: Planned) -> bool:
    """Whether the products the plan changes or creates are as they were when it was made (read under the
    write lock before writing; otherwise the plan is made again there)."""
    codes = sorted({*planned.seen, *(row['code'] for row in planned.new)})
    now: dict[str, datetime] = {}
    for chunk in _chunks(codes, 500):
        now.update(session.exec(select(Product.code, Product.updated_at).where(col(Product.code).in_(chunk))).all())
    return all(code not in now for code in (row['code'] for row in planned.new)) and all(
        now.get(code) == seen for code, seen in planned.seen.items()
    )


def write(session: Session, *, actor: Identity, planned: Planned, progress: Progress | None = None) -> None:
    """Insert the new products and update the changed ones in chunks, then their translations and images; in the
    caller's transaction."""
    ensure_admin(actor)
    total = len(planned.new) + len(planned.changed)
    done = 0
    index = _SearchIndexInBulk.start(session, planned) if total >= INDEX_IN_BULK_FROM else None
    for chunk in _chunks(planned.new):
        session.execute(insert(Product), chunk)
        done += len(chunk)
        if progress:
            progress(N_('Writing'), done, total)
    if planned.changed:
        table = Product.__table__
        columns = [name for name in planned.changed[0] if name != 'b_id']
        statement = (
            update(table).where(table.c.id == bindparam('b_id')).values({name: bindparam(name) for name in columns})
        )
        connection = session.connection()
        for chunk in _chunks(planned.changed):
            connection.execute(statement, chunk)
            done += len(chunk)
            if progress:
                progress(N_('Writing'), done, total)
    if index is not None:
        index.finish()
    ids = _ids(session, sorted({*planned.texts, *planned.images, *planned.categories}))
    _write_texts(session, planned.texts, ids)
    _write_categories(session, planned.categories, ids)
    for code, wanted in planned.images.items():
        _write_images(session, actor, ids[code], wanted)
    if total or planned.texts or planned.images or planned.categories:
        events.queue(session, ('catalogue',), *(('stock', ids[code]) for code in planned.images))
    if planned.categories:
        events.queue(session, ('categories',), *(('product', ids[code]) for code in planned.categories))


class _SearchIndexInBulk:
    """SQLite's full-text index of many products written at once: the product triggers dropped for the bulk and the
    index rows written in one INSERT ... SELECT each at the end (about half the write lock's hold at 100,000 rows,
    measured: 5.6 s with a trigger per row, 2.8 s so), then the triggers made again from their own stored text. All
    inside the caller's transaction (SQLite's DDL is transactional): another connection never sees the triggers
    gone, and a stopped import leaves them as they were. Only when the triggers are those of
    search_index.PRODUCT_TRIGGERS_0010, whose expression PRODUCT_FTS_FILL_0010 repeats (a later revision with other
    triggers: the rows go through the triggers, slower but right)."""

    def __init__(self, session: Session, triggers: list[tuple[str, str]], first_new_id: int, changed: list[int]):
        self.connection = session.connection()
        self.triggers, self.first_new_id, self.changed = triggers, first_new_id, changed

    @classmethod
    def start(cls, session: Session, planned: Planned) -> _SearchIndexInBulk | None:
        if session.get_bind().dialect.name != 'sqlite':
            return None  # PostgreSQL keeps its trigram index itself
        connection = session.connection()
        triggers = [
            (name, sql)
            for name, sql in connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'product' "
                "AND name LIKE 'product_fts_%' ORDER BY name"
            )
        ]
        if sorted(_words(sql) for _name, sql in triggers) != sorted(
            _words(sql) for sql in search_index.PRODUCT_TRIGGERS_0010
        ):
            return None
        changed = [row['b_id'] for row in planned.changed]
        for chunk in _chunks(changed, 500):  # the old words out of the index, read before the rows change
            connection.exec_driver_sql(_FTS_DELETE + f' WHERE id IN ({",".join(str(int(i)) for i in chunk)})')
        first_new_id = connection.exec_driver_sql('SELECT coalesce(max(id), 0) FROM product').scalar()
        for name, _sql in triggers:
            connection.exec_driver_sql(f'DROP TRIGGER {name}')
        return cls(session, triggers, first_new_id, changed)

    def finish(self) -> None:
        self.connection.exec_driver_sql(search_index.PRODUCT_FTS_FILL_0010 + f' WHERE id > {int(self.first_new_id)}')
        for chunk in _chunks(self.changed, 500):
            self.connection.exec_driver_sql(
                search_index.PRODUCT_FTS_FILL_0010 + f' WHERE id IN ({",".join(str(int(i)) for i in chunk)})'
            )
        for _name, sql in self.triggers:
            self.connection.exec_driver_sql(sql)


def _words(sql: str) -> str:
    return ' '.join(sql.split())


# the fill's rows as 'delete' commands (a contentless index is told the old words to take out)
_FTS_DELETE = search_index.PRODUCT_FTS_FILL_0010.replace(
    'INSERT INTO product_fts(rowid,', 'INSERT INTO product_fts(product_fts, rowid,', 1
).replace('SELECT id,', "SELECT 'delete', id,", 1)


def _ids(session: Session, codes: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(codes, 500):
        found.update(session.exec(select(Product.code, Product.id).where(col(Product.code).in_(chunk))).all())
    return found


def _write_texts(session: Session, wanted: Mapping[str, Mapping[str, ProductText]], ids: Mapping[str, int]) -> None:
    pairs = [(ids[code], language) for code, texts in wanted.items() for language in texts]
    for chunk in _chunks(pairs, 400):
        for language in {language for _pid, language in chunk}:
            session.execute(
                delete(ProductTranslation).where(
                    col(ProductTranslation.language) == language,
                    col(ProductTranslation.product_id).in_([pid for pid, lang in chunk if lang == language]),
                )
            )
    rows = [
        {'product_id': ids[code], 'language': language, 'name': text.name, 'description': text.description}
        for code, texts in wanted.items()
        for language, text in texts.items()
        if text.name or text.description  # neither: no translation (the product's own texts are read)
    ]
    for chunk in _chunks(rows):
        session.execute(insert(ProductTranslation), chunk)


def _write_categories(session: Session, wanted: Mapping[str, list[int]], ids: Mapping[str, int]) -> None:
    """Each product in exactly the categories wanted (as categories.set_product_categories puts it there)."""
    product_ids = [ids[code] for code in wanted]
    for chunk in _chunks(product_ids, 500):
        session.execute(delete(ProductCategory).where(col(ProductCategory.product_id).in_(chunk)))
    rows = [{'category_id': c, 'product_id': ids[code]} for code, chosen in wanted.items() for c in chosen]
    for chunk in _chunks(rows):
        session.execute(insert(ProductCategory), chunk)


def _write_images(session: Session, actor: Identity, product_id: int, wanted: list) -> None:
    """Make the product's images those wanted, in their order: stored ones kept, the others deleted, new ones
    added through images.add_image (already prepared: no decoding under the lock)."""
    had = images.list_images(session, product_id=product_id)
    keep = {name for name in wanted if isinstance(name, str)}
    for image in had:
        if image.filename not in keep:
            images.delete_image(session, actor=actor, image_id=image.id)
    by_name = {image.filename: image for image in had}
    ordered: list[ProductImage] = []
    for entry in wanted:
        if isinstance(entry, str):
            ordered.append(by_name[entry])
        else:
            ordered.append(images.add_image(session, actor=actor, product_id=product_id, content=entry))
    for position, image in enumerate(ordered):
        if image.position != position:
            image.position = position
            session.add(image)
    session.flush()
