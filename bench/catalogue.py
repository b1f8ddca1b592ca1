"""Catalogue benchmark: search and the products page at 1,000 / 10,000 / 100,000 products.

Run: .venv/bin/python bench/catalogue.py [--sizes 1000,10000] [--runs 200] [--database-url URL]

Each size gets its own temporary SQLite database (never the portal's), or with --database-url a
PostgreSQL database that is emptied first (all its tables are dropped: use a throw-away one), filled in bulk with varied
products, some images, one customer with a portal user and a few current-order lines, on a price list
(10 % off) with 10,000 fixed prices and quantity tiers (PRICE_LIST_ENTRIES, spread over the catalogue). Then
it times (a) a search through catalogue.search_products and (b) building the products page: a page of the
catalogue without a query, the check marks for its cards and the current-order summary (whose lines are priced
for the customer), without and with the customer's prices for the cards (app/pricing.shown_prices). All include
opening the read session, as a page does. Targets at 100,000: search p95 <= 20 ms, page p95 <= 100 ms (with
prices).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from app.catalogue import catalogue
from app.core import config, db
from app.identity import accounts
from app.identity.access import SYSTEM
from app.identity.auth import Identity
from app.models import (
    CustomerCreate,
    PortalUserCreate,
    PriceList,
    PriceListItem,
    Product,
    ProductCreate,
    ProductImage,
    Role,
)
from app.orders import current_order
from app.pricing import prices

TARGET_SEARCH_P95_MS = 20
TARGET_PAGE_P95_MS = 100
PRICE_LIST_ENTRIES = 10_000  # fixed prices and tiers in the bench customer's price list (fewer for small catalogues)

# fmt: off
# Words to make products from, as a supplier of fixings, tools and safety wear might list them.
KINDS = [
    ('BLT', 'hex bolt'), ('SCR', 'wood screw'), ('SCR', 'machine screw'), ('NUT', 'lock nut'), ('WSH', 'washer'),
    ('ANC', 'wall anchor'), ('NAL', 'nail'), ('RIV', 'blind rivet'), ('HNG', 'door hinge'), ('HDL', 'door handle'),
    ('LCK', 'padlock'), ('GLV', 'work gloves'), ('GLS', 'safety glasses'), ('HLM', 'safety helmet'),
    ('EAR', 'ear defenders'), ('BOT', 'safety boots'), ('JKT', 'high-visibility jacket'), ('HAM', 'claw hammer'),
    ('SAW', 'hand saw'), ('CHS', 'wood chisel'), ('SDR', 'screwdriver'), ('WRN', 'spanner'), ('PLR', 'pliers'),
    ('TAP', 'tape measure'), ('LVL', 'spirit level'), ('KNF', 'utility knife'), ('DRL', 'drill bit'),
    ('BLD', 'saw blade'), ('SND', 'sanding paper'), ('BRS', 'paint brush'), ('ROL', 'paint roller'),
    ('PNT', 'wall paint'), ('SIL', 'silicone sealant'), ('GLU', 'wood glue'), ('TPE', 'duct tape'),
    ('CBL', 'cable ties'), ('WIR', 'electrical wire'), ('SOC', 'wall socket'), ('SWT', 'light switch'),
    ('LMP', 'led bulb'), ('BAT', 'battery'), ('EXT', 'extension lead'), ('HOS', 'garden hose'), ('BKT', 'bucket'),
    ('BRM', 'broom'), ('SPG', 'cleaning sponge'), ('BIN', 'storage box'), ('SHL', 'shelf bracket'),
    ('LDR', 'step ladder'), ('TRL', 'wheelbarrow'),
]
MATERIALS = ['stainless steel', 'galvanised', 'zinc plated', 'brass', 'aluminium', 'nylon', 'rubber', 'oak', 'pine',
             'black', 'white', 'red', 'blue', 'heavy duty', 'professional', 'compact', 'premium', 'economy']
SIZES = ['M4', 'M5', 'M6', 'M8', 'M10', 'M12', '3 mm', '5 mm', '10 mm', '25 mm', '50 mm', '100 mm', '250 ml',
         '500 ml', '1 l', '5 l', 'size 8', 'size 9', 'size 10', 'XL', '2 m', '5 m', '10 m', '25 m']
PACKS = ['', '', '', 'pack of 10', 'pack of 50', 'box of 100', 'box of 200', 'set of 3']
UNITS = ['piece', 'piece', 'piece', 'box', 'pack', 'pair', 'roll', 'set']
BRANDS = ['Hartwell', 'Nordfix', 'Kraftline', 'Alder', 'Brightman', 'Solvo', 'Tegra', 'Ironbay', 'Quayside',
          'Fenwick', 'Marlow', 'Orbis', 'Pellham', 'Redcliff', 'Stanway', 'Vireo', 'Wexford', 'Yardley', 'Zenda',
          'Castell']
SENTENCES = [
    'Suitable for indoor and outdoor use.', 'Made to last in a busy workshop.', 'Meets EN 166.', 'Meets EN 388.',
    'Corrosion resistant finish.', 'Ideal for carpentry and repairs.', 'Sold per unit shown.',
    'Delivered in recyclable packaging.', 'Ergonomic grip reduces fatigue.', 'Certified for professional use.',
    'Fits standard fixings.', 'Tested to twice the rated load.', 'Easy to clean and store.', 'Frost resistant.',
    'Weatherproof to IP65.', 'Food safe coating.', 'Low odour formula.', 'Quick drying.', 'Anti-slip texture.',
    'Magnetic tip.', 'Hardened and tempered.', 'Colour coded for quick identification.', 'Refill available.',
    'Spare parts stocked for ten years.', 'Approved for use on scaffolding.', 'Lightweight design.',
    'Comes with a wall mount.', 'Includes a storage case.', 'Reusable and washable.', 'UV stabilised.',
    'Cut resistant level C.', 'Chemical resistant.', 'Suitable for hardwood and softwood.', 'For masonry and stone.',
    'Heat resistant up to 250 degrees.', 'Tamper proof.', 'Compatible with most power tools.',
    'Bulk pack for site use.', 'Individually labelled.', 'Assembled in Europe.',
]
# What customers type: kinds, sizes, brands, codes, a few broad words and odd input (plus, per catalogue size,
# a whole code and the start of a barcode).
SEARCH_TERMS = [
    'bolt', 'hex bolt m8', 'gloves', 'safety glasses', 'BLT-0001', 'wood screw 5 mm', 'cable ties', 'led bulb',
    'brass hinge', 'wall paint 5 l', 'ladder', 'xyzzy', 'nordfix drill bit', 'sealant 500', 'hartwell', 'ha', 'glo',
    'galvanised nail', 'EN 388', 'corrosion', 'spanner 10', 'tape measure', 'stainless steel', 'box of 100',
    'hammer', 'screwdriver magnetic', '"M8" OR *', 'safety',
]
# fmt: on


def make_products(count: int, rng: random.Random) -> list[dict]:
    rows = []
    for i in range(1, count + 1):
        prefix, kind = rng.choice(KINDS)
        material, size, pack = rng.choice(MATERIALS), rng.choice(SIZES), rng.choice(PACKS)
        name = ' '.join(part for part in (material.capitalize(), kind, size, pack and f'({pack})') if part)
        description = f'{rng.choice(BRANDS)} {kind} in {material}, {size}. ' + ' '.join(rng.sample(SENTENCES, 2))
        on_hand = rng.choice([0, 0, 2, 4, rng.randint(5, 500), rng.randint(5, 5000)])
        rows.append(
            {
                'code': f'{prefix}-{i:06d}',
                'name': name,
                'description': description,
                'barcode': f'871{i:010d}',
                'unit': rng.choice(UNITS),
                'price_cents': rng.randint(15, 250_000),
                'active': rng.random() > 0.03,
                'on_hand': on_hand,
                'allocated': rng.randint(0, on_hand),
            }
        )
    return rows


def fill(count: int, rng: random.Random) -> Identity:
    engine = db.get_engine()
    products = make_products(count, rng)
    with engine.begin() as conn:
        for start in range(0, count, 5000):
            conn.execute(insert(Product), products[start : start + 5000])
        images = [
            {'product_id': pid, 'filename': f'{pid}-{n}.webp', 'thumb_filename': f'{pid}-{n}-t.webp', 'position': n}
            for pid in range(1, count + 1)
            if rng.random() < 0.7
            for n in range(rng.randint(1, 3))
        ]
        for start in range(0, len(images), 5000):
            conn.execute(insert(ProductImage), images[start : start + 5000])
    entries = []  # a fixed price for most listed products, tiers from 10 and 50 for every fourth
    for product_id in rng.sample(range(1, count + 1), min(count, PRICE_LIST_ENTRIES * 2 // 3)):
        price = products[product_id - 1]['price_cents']
        entries.append(
            {'price_list_id': 1, 'product_id': product_id, 'min_quantity': 1, 'price_cents': price * 9 // 10}
        )
        if product_id % 4 == 0 and len(entries) < PRICE_LIST_ENTRIES - 1:
            entries.append(
                {'price_list_id': 1, 'product_id': product_id, 'min_quantity': 10, 'price_cents': price * 4 // 5}
            )
            entries.append(
                {'price_list_id': 1, 'product_id': product_id, 'min_quantity': 50, 'price_cents': price * 3 // 4}
            )
        if len(entries) >= min(PRICE_LIST_ENTRIES, count):
            break
    with engine.begin() as conn:
        conn.execute(insert(PriceList), [{'id': 1, 'name': 'Bench trade', 'discount_bp': 1000}])
        for start in range(0, len(entries), 5000):
            conn.execute(insert(PriceListItem), entries[start : start + 5000])
    with db.write_session() as s:
        customer = accounts.create_customer(s, actor=SYSTEM, data=CustomerCreate(name='Bench Retail', code='BENCH'))
        customer.price_list_id = 1
        user = accounts.create_user(
            s,
            actor=SYSTEM,
            data=PortalUserCreate(username='bench', password=secrets.token_urlsafe(12), customer_id=customer.id),
        )
        who = Identity(
            user_id=user.id,
            username=user.username,
            full_name='',
            role=Role.CUSTOMER,
            customer_id=customer.id,
            session_id=0,
        )
    with db.write_session() as s:
        for product_id in rng.sample(range(1, count + 1), 8):
            if catalogue.can_order(s, customer_id=who.customer_id, product_id=product_id):
                current_order.add(s, actor=who, product_id=product_id, quantity=rng.randint(1, 20))
    return who


def timed(runs: int, action: Callable[[int], object]) -> list[float]:
    for run in range(5):  # warm the caches as a running portal has them
        action(run)
    times = []
    for run in range(runs):
        start = time.perf_counter()
        action(run)
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method='inclusive')[-1]


@contextlib.contextmanager
def bench_database(database_url: str = '') -> Iterator[None]:
    """A portal of its own for a benchmark: its files in a temporary folder, its database a SQLite file there (or
    the emptied one at `database_url`); the engine and the settings dropped afterwards."""
    with tempfile.TemporaryDirectory(prefix='stockfront-bench-') as tmp:
        os.environ.update(
            {'STOCKFRONT_DATA_DIR': tmp, 'STOCKFRONT_BCRYPT_ROUNDS': '4', 'STOCKFRONT_DEMO_DATA': 'false'}
        )
        config.set_settings(config.load())
        if database_url:
            from tests.conftest import empty_database

            empty_database(database_url)
        db.configure(database_url or f'sqlite:///{Path(tmp) / "bench.db"}')
        try:
            yield
        finally:
            db.dispose()
            config.set_settings(None)


def measure(size: int, runs: int, database_url: str = '') -> tuple[list[float], list[float], list[float]]:
    rng = random.Random(size)
    with bench_database(database_url):
        started = time.perf_counter()
        who = fill(size, rng)
        print(f'  {size:,} products filled in {time.perf_counter() - started:.1f} s', flush=True)
        with db.read_session() as s:
            pages = catalogue.search_products(s, actor=who).pages
            one = s.get(Product, size // 2)
            terms = [*SEARCH_TERMS, one.code, one.barcode[:9]]  # a whole code, the start of a barcode
        sorts = list(catalogue.SORTS)

        def search(run: int) -> None:
            with db.read_session() as s:
                catalogue.search_products(s, actor=who, query=terms[run % len(terms)], sort=sorts[run % len(sorts)])

        def products_page(run: int, *, with_prices: bool = False) -> None:
            page = 1 if run % 4 == 0 else rng.randint(1, pages)
            with db.read_session() as s:
                result = catalogue.search_products(s, actor=who, sort=sorts[run % len(sorts)], page=page)
                ids = [p.id for p in result.items]
                current_order.quantities(s, actor=who, product_ids=ids)
                if with_prices:
                    prices.shown_prices(s, actor=who, product_ids=ids)
                current_order.summary(s, actor=who)

        with db.read_session() as s:
            priced = prices.shown_prices(s, actor=who, product_ids=range(1, min(size, 2000) + 1)).values()
            assert any(p.tiers for p in priced), 'the price list has tiers to show'
        return (
            timed(runs, search),
            timed(runs, products_page),
            timed(runs, lambda run: products_page(run, with_prices=True)),
        )


# --- browsing by category (issue 15): --browsing --------------------------------------------------------------

CATEGORY_TOPS, CATEGORY_SUBS, CATEGORY_LEAVES = 20, 4, 5  # 20 + 80 + 400 = 500 categories, three levels
TARGET_BROWSE_P95_MS = 50
ATTRIBUTE_VALUES = {'Material': MATERIALS, 'Size': SIZES, 'Colour': ['black', 'white', 'red', 'blue', 'grey', 'green']}


def fill_categories(count: int, rng: random.Random) -> list[int]:
    """500 categories in three levels, each product in one leaf (a tenth in a second one too), with a material,
    a size and (for half) a colour; the top level lists the attributes. Returns the category ids."""
    from app.models import Category, CategoryAttribute, ProductAttribute, ProductCategory

    engine = db.get_engine()
    rows, leaves, next_id = [], [], 1
    for top in range(CATEGORY_TOPS):
        top_id = next_id
        rows.append({'id': top_id, 'parent_id': None, 'name': f'Range {top + 1}', 'position': top})
        next_id += 1
        for sub in range(CATEGORY_SUBS):
            sub_id = next_id
            rows.append({'id': sub_id, 'parent_id': top_id, 'name': f'Group {sub + 1}', 'position': sub})
            next_id += 1
            for leaf in range(CATEGORY_LEAVES):
                rows.append({'id': next_id, 'parent_id': sub_id, 'name': f'Line {leaf + 1}', 'position': leaf})
                leaves.append(next_id)
                next_id += 1
    links, values = set(), []
    for product_id in range(1, count + 1):
        links.add((rng.choice(leaves), product_id))
        if rng.random() < 0.1:
            links.add((rng.choice(leaves), product_id))
        for name, choices in ATTRIBUTE_VALUES.items():
            if name != 'Colour' or rng.random() < 0.5:
                values.append({'product_id': product_id, 'name': name, 'value': rng.choice(choices)})
    with engine.begin() as conn:
        conn.execute(insert(Category), rows)
        conn.execute(
            insert(CategoryAttribute),
            [{'category_id': r['id'], 'name': n, 'position': i} for r in rows if r['parent_id'] is None
             for i, n in enumerate(ATTRIBUTE_VALUES)],
        )  # fmt: skip
        links_rows = [{'category_id': c, 'product_id': p} for c, p in sorted(links)]
        for start in range(0, len(links_rows), 5000):
            conn.execute(insert(ProductCategory), links_rows[start : start + 5000])
        for start in range(0, len(values), 5000):
            conn.execute(insert(ProductAttribute), values[start : start + 5000])
    return [r['id'] for r in rows]


CHANGES = 10  # times the first page after a change is timed, per kind of change


def measure_browsing(size: int, runs: int) -> tuple[list[float], ...]:
    """(category pages, filtered pages, [the counts worked out afresh once], the first top-level category page
    after a product is saved, after a product's attributes are saved, after a product is put in other categories)
    in ms; each page as /products builds it: the tree
    and its counts, the category's attribute facets, a page of 24 products in the category (subcategories
    included) with check marks and prices."""
    from app.catalogue import browsing, categories, products
    from app.catalogue.browsing import Filters
    from app.identity.access import SYSTEM

    rng = random.Random(size + 15)
    with bench_database():
        started = time.perf_counter()
        who = fill(size, rng)
        category_ids = fill_categories(size, rng)
        print(f'  {size:,} products in {len(category_ids)} categories in {time.perf_counter() - started:.1f} s')
        browsing.forget_counts()
        started = time.perf_counter()
        with db.read_session() as s:
            shown = browsing.browse_tree(s, actor=who)
        cold = (time.perf_counter() - started) * 1000
        tops = [node.id for node in shown.roots]
        sorts = list(catalogue.SORTS)

        def page(filters: Filters, run: int) -> None:
            with db.read_session() as s:
                shown = browsing.browse_tree(s, actor=who)
                browsing.attribute_facets(s, actor=who, category_id=filters.category_id, shown=shown)
                result = browsing.browse(s, actor=who, sort=sorts[run % len(sorts)], filters=filters, shown=shown)
                ids = [p.id for p in result.items]
                current_order.quantities(s, actor=who, product_ids=ids)
                prices.shown_prices(s, actor=who, product_ids=ids)

        def category_page(run: int) -> None:
            page(Filters(category_id=rng.choice(category_ids)), run)

        def filtered_page(run: int) -> None:
            attribute = rng.choice(list(ATTRIBUTE_VALUES))
            value = rng.choice(ATTRIBUTE_VALUES[attribute])
            chosen = rng.choice(tops)
            page(Filters(category_id=chosen, in_stock=True, attributes=((attribute, value),)), run)

        def after(change: Callable[[int], None]) -> list[float]:
            """The first page of a top-level category right after `change` (committed, its events out)."""
            times = []
            for run in range(CHANGES):
                change(run)
                start = time.perf_counter()
                page(Filters(category_id=tops[run % len(tops)]), run)
                times.append((time.perf_counter() - start) * 1000)
            return times

        def save_product(run: int) -> None:  # the supplier saves a product: active one time, inactive the next
            with db.write_session() as s:
                product = s.get(Product, size // 3 + run)
                data = ProductCreate.model_validate({**product.model_dump(), 'active': run % 2 == 1})
                products.update_product(s, actor=SYSTEM, product_id=product.id, data=data)

        def save_attributes(run: int) -> None:  # ... or a product's attributes (a value it did not have)
            with db.write_session() as s:
                values = {'Colour': f'Shade {run}'}
                categories.set_product_attributes(s, actor=SYSTEM, product_id=size // 3 + run, values=values)

        def move_product(run: int) -> None:  # ... or puts a product in two other categories
            with db.write_session() as s:
                where = [category_ids[-1 - run], category_ids[-20 - run]]  # (leaves)
                categories.set_product_categories(s, actor=SYSTEM, product_id=size // 2 + run, category_ids=where)

        browsed = timed(runs, category_page), timed(runs, filtered_page)
        return *browsed, [cold], after(save_product), after(save_attributes), after(move_product)


def main_browsing(sizes: list[int], runs: int) -> int:
    results = [(size, *measure_browsing(size, runs)) for size in sizes]
    print(
        f'\n{"products":>10} | {"category median":>15} {"p95":>7} | {"filtered median":>15} {"p95":>7} | '
        f'{"counts afresh":>13} | {"after a save":>12} {"max":>6} | {"after attributes":>16} {"max":>6} | '
        f'{"after a move":>12} {"max":>6}  (ms)'
    )
    print('-' * 146)
    missed = False
    for size, category_times, filtered_times, (cold,), saved, attributes, moved in results:
        print(
            f'{size:>10,} | {statistics.median(category_times):>15.2f} {p95(category_times):>7.2f} | '
            f'{statistics.median(filtered_times):>15.2f} {p95(filtered_times):>7.2f} | {cold:>13.1f} | '
            f'{statistics.median(saved):>12.1f} {max(saved):>6.1f} | '
            f'{statistics.median(attributes):>16.1f} {max(attributes):>6.1f} | '
            f'{statistics.median(moved):>12.1f} {max(moved):>6.1f}'
        )
        if size >= 100_000:
            missed |= max(p95(category_times), p95(filtered_times)) > TARGET_BROWSE_P95_MS
    print(
        f'\n500 categories in three levels; facet counts included (kept until the catalogue changes): "counts afresh" '
        f'is the tree\'s counts with nothing kept; "after a save" the first page of a top-level category after the '
        f'supplier saves a product (it goes inactive or active), "after attributes" after it gives a product a new '
        f'value, "after a move" after it puts a product in other categories ({CHANGES} of each); target at 100,000: '
        f'p95 <= {TARGET_BROWSE_P95_MS} ms'
    )
    return 1 if missed else 0


# --- typo-tolerant search (issue 15): --typos ------------------------------------------------------------------

TARGET_TYPOS_P95_MS = 50
# (typed, a word the corrected search must use): one letter wrong, missing, extra or two swapped, in one word or two
TYPOS = [
    ('hamer', 'hammer'), ('screwdiver', 'screwdriver'), ('spaner', 'spanner'), ('plires', 'pliers'),
    ('wheelbarow', 'wheelbarrow'), ('silicne sealant', 'silicone'), ('ladder stpe', 'step'), ('padlok', 'padlock'),
    ('glovse', 'gloves'), ('helmt', 'helmet'), ('bukcet', 'bucket'), ('extnsion lead', 'extension'),
    ('galvanized nail', 'galvanised'), ('stainlss steel', 'stainless'),
]  # fmt: skip


def measure_typos(size: int, runs: int, database_url: str = '') -> tuple[list[float], list[float], int]:
    """(mistyped searches, codes and barcodes typed without or with other separators) in ms, each as the products
    page runs it (close_matches.find_products: the exact search, then the corrections), and how many typos were
    corrected to the word meant."""
    from app.catalogue import close_matches

    rng = random.Random(size + 7)
    with bench_database(database_url):
        who = fill(size, rng)
        with db.read_session() as s:
            picked = [s.get(Product, rng.randint(1, size)) for _ in range(12)]
        codes = []
        for product in picked:
            prefix, number = product.code.split('-')
            codes += [f'{prefix}{number}'.lower(), f'{prefix} {number}', f'{prefix}.{number}']
            codes.append(f'{product.barcode[:3]} {product.barcode[3:8]} {product.barcode[8:]}')

        def find(typed: str) -> close_matches.Found:
            with db.read_session() as s:
                return close_matches.find_products(s, actor=who, query=typed)

        corrected = sum(
            1 for typed, meant in TYPOS if (found := find(typed)).close and meant in found.suggestion.split()
        )
        typos = timed(runs, lambda run: find(TYPOS[run % len(TYPOS)][0]))
        separators = timed(runs, lambda run: find(codes[run % len(codes)]))
        return typos, separators, corrected


def main_typos(sizes: list[int], runs: int, database_url: str = '') -> int:
    print(f'\n{"products":>10} | {"typos median":>12} {"p95":>7} | {"codes median":>12} {"p95":>7} | corrected  (ms)')
    print('-' * 72)
    missed = False
    for size in sizes:
        typos, separators, corrected = measure_typos(size, runs, database_url)
        print(
            f'{size:>10,} | {statistics.median(typos):>12.2f} {p95(typos):>7.2f} | '
            f'{statistics.median(separators):>12.2f} {p95(separators):>7.2f} | {corrected} of {len(TYPOS)}'
        )
        if size >= 100_000:
            missed |= max(p95(typos), p95(separators)) > TARGET_TYPOS_P95_MS
    print(
        '\nA typo: one letter wrong, missing, extra or two swapped; codes typed without their dash or with a space '
        f'or a dot, barcodes in groups; target at 100,000: p95 <= {TARGET_TYPOS_P95_MS} ms'
    )
    return 1 if missed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--sizes', default='1000,10000,100000', help='comma-separated catalogue sizes')
    parser.add_argument('--runs', type=int, default=200, help='timed runs per measurement')
    parser.add_argument('--database-url', default='', help='a throw-away PostgreSQL database (emptied!)')
    parser.add_argument('--browsing', action='store_true', help='time category and filtered pages instead')
    parser.add_argument('--typos', action='store_true', help='time mistyped searches and codes without separators')
    args = parser.parse_args()
    sizes = [int(s.replace('_', '')) for s in args.sizes.split(',') if s.strip()]
    if args.browsing:
        return main_browsing(sizes, args.runs)
    if args.typos:
        return main_typos(sizes, args.runs, args.database_url)

    results = [(size, *measure(size, args.runs, args.database_url)) for size in sizes]
    print(
        f'\n{"products":>10} | {"search median":>13} {"search p95":>10} | {"page median":>11} {"page p95":>9} | '
        f'{"with prices median":>18} {"p95":>7}  (ms)'
    )
    print('-' * 94)
    missed = False
    for size, search_times, page_times, priced_times in results:
        print(
            f'{size:>10,} | {statistics.median(search_times):>13.2f} {p95(search_times):>10.2f} | '
            f'{statistics.median(page_times):>11.2f} {p95(page_times):>9.2f} | '
            f'{statistics.median(priced_times):>18.2f} {p95(priced_times):>7.2f}'
        )
        if size >= 100_000:
            missed |= p95(search_times) > TARGET_SEARCH_P95_MS or p95(priced_times) > TARGET_PAGE_P95_MS
    print(
        f'\nprice list: {PRICE_LIST_ENTRIES:,} fixed prices and tiers (10 % off the rest); targets at 100,000: '
        f'search p95 <= {TARGET_SEARCH_P95_MS} ms, page with prices p95 <= {TARGET_PAGE_P95_MS} ms'
    )
    return 1 if missed else 0


if __name__ == '__main__':
    sys.exit(main())
