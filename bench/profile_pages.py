"""Where a page's server time goes: every customer page and the main admin pages, built many times in-process.

Run: .venv/bin/python bench/profile_pages.py [--builds 30] [--pages products,current-order] [--memory 10]
(or `make profile`)

It starts the portal the way the page tests do (NiceGUI's simulated user running main.py on a fresh demo portal in
a temporary folder, no socket: the request goes through the whole ASGI app, the handshake is simulated), puts eight
lines in the demo customer's current order, and for each page:

1. builds it `--builds` times (after two warm-up builds) and prints the CPU time per build (time.process_time,
   median and p95: the page's request, the page function, rendering the HTML, the handshake) and the elements the
   page holds;
2. builds it `--builds` times again under cProfile and prints the time per part: the session check, the frame
   (theme, header, menu, language switch, current-order glance), the page body and, under it, the page's own
   functions (order lines, cards, forms, dialogs...) by their cumulative time, each as ms per build (its share of
   the profiled build times the unprofiled median) — so parts add up to about the build;
3. with `--memory N`, keeps N builds of the page open and prints what each holds (tracemalloc, KiB per page).

Figures are CPU time of this one process, so a busy machine stretches them less than wall time; they still vary
by some percent from run to run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import functools
import gc
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FuncKey = tuple[str, int, str]  # pstats: file, line, function name


@dataclass
class Page:
    name: str
    path: str
    admin: bool = False


@dataclass
class Figures:
    page: Page
    cpu_ms: list[float] = field(default_factory=list)
    elements: int = 0
    parts: list[tuple[int, str, float]] = field(default_factory=list)  # depth, label, ms per build
    kib_per_page: float | None = None


# --- the named parts: (label, file under the project, function); a part absent from a page is not printed -------------

FRAME_PARTS = [
    ('session check (guard.page_identity)', 'components/guard.py', 'page_identity'),
    ('language (language.speak)', 'components/language.py', 'speak'),
    ('frame (all of it)', 'components/frame.py', 'frame'),
]
IN_FRAME = [
    ('theme.apply', 'components/theme.py', 'apply'),
    ('menu', 'components/frame.py', '_menu'),
    ('language switch', 'components/language.py', 'switch'),
    ('glance: header cart', 'components/current_order_glance.py', 'header_cart'),
    ('glance: menu card', 'components/current_order_glance.py', 'menu_card'),
    ('glance: summary read and shown', 'components/current_order_glance.py', 'follow'),
]
NICEGUI_PARTS = [
    ('render the HTML (Client.build_response)', 'nicegui/client.py', 'build_response'),
    ('handshake (simulated socket connect)', 'nicegui/nicegui.py', '_on_handshake'),
]


SHARED = ('contextlib.py', 'functools.py', 'threading.py')


def _ours(filename: str) -> bool:
    """Our code, not NiceGUI's (nor our patches of NiceGUI, which count as NiceGUI's)."""
    return (
        filename.startswith(str(ROOT))
        and '/.venv/' not in filename
        and '/bench/' not in filename
        and not filename.endswith('nicegui_tuning.py')
    )


@functools.cache
def _source(filename: str) -> list[str]:
    return Path(filename).read_text().splitlines()


def _short(key: FuncKey) -> str:
    """module.function, or module.Class.method (the class found above the method's line)."""
    filename, line, name = key
    module = str(Path(filename).relative_to(ROOT).with_suffix('')).replace('/', '.')
    lines = _source(filename)
    indent = len(lines[line - 1]) - len(lines[line - 1].lstrip()) if 0 < line <= len(lines) else 0
    for text in reversed(lines[: max(0, line - 1)]):
        if indent and text.startswith('class ') and not text.startswith(' '):
            return f'{module}.{text[6:].split("(")[0].split(":")[0]}.{name}'
        if text and not text.startswith((' ', '#', '@', ')')):
            break
    return f'{module}.{name}'


class Profile:
    """cProfile's figures for `builds` builds of one page, read as ms per build of the unprofiled median."""

    def __init__(self, stats: pstats.Stats, builds: int, scale: float) -> None:
        self.stats: dict[FuncKey, tuple] = stats.stats  # type: ignore[attr-defined]
        self.builds = builds
        self.scale = scale  # unprofiled ms per profiled s per build

    def find(self, file: str, function: str) -> list[FuncKey]:
        return [k for k in self.stats if k[2] == function and k[0].endswith(file)]

    def ms(self, keys: list[FuncKey]) -> float:
        return sum(self.stats[k][3] for k in keys) / self.builds * self.scale

    def within(self, key: FuncKey, ancestor: FuncKey, through: set[FuncKey] | None = None) -> bool:
        """Whether `key` is called, directly or through other functions, from `ancestor`."""
        seen, todo = set(), [key]
        while todo:
            current = todo.pop()
            for caller in self.stats.get(current, (0, 0, 0, 0, {}))[4]:
                if caller == ancestor:
                    return True
                if caller[0] == '~' or caller[0].endswith(SHARED):  # built-ins, everyone's `with`: no path through
                    continue
                if caller not in seen and (through is None or caller in through or not _ours(caller[0])):
                    seen.add(caller)
                    todo.append(caller)
        return False

    def callees(self, caller: FuncKey) -> list[tuple[FuncKey, float]]:
        """Our functions called by `caller`, with the time spent in them from there (ms per build)."""
        found = []
        for key, (_cc, _nc, _tt, _ct, callers) in self.stats.items():
            if caller in callers and _ours(key[0]):
                found.append((key, callers[caller][3] / self.builds * self.scale))
        return sorted(found, key=lambda item: -item[1])


def page_function(profile: Profile, page: Page) -> FuncKey | None:
    """The page's own function: the one components/page.py's wrapper calls (ours, not the frame)."""
    wrappers = profile.find('components/page.py', 'page')
    for wrapper in wrappers:
        for key, _ms in profile.callees(wrapper):
            if key[0].endswith(('components/guard.py', 'components/language.py', 'components/frame.py')):
                continue
            if key[0].startswith(str(ROOT / 'pages')):
                return key
    return None


def parts_of(profile: Profile, page: Page, *, min_ms: float, max_parts: int = 14) -> list[tuple[int, str, float]]:
    rows: list[tuple[int, str, float]] = []
    for label, file, function in FRAME_PARTS:
        keys = profile.find(file, function)
        if keys:
            ms = profile.ms(keys)
            rows.append((0, label, ms))
            if function == 'frame':
                for sub_label, sub_file, sub_function in IN_FRAME:
                    sub = profile.find(sub_file, sub_function)
                    if sub:
                        rows.append((1, sub_label, profile.ms(sub)))
    body = page_function(profile, page)
    if body is not None:
        body_ms = profile.ms([body])
        rows.append((0, f'page body ({_short(body)})', body_ms))
        # our functions under the body however they are reached (a refreshable's call goes through NiceGUI), by
        # cumulative time; a part called from another shown part is indented under it
        framed = ('components/frame.py', 'components/current_order_glance.py', 'components/language.py', 'theme.py')
        under = [
            (key, profile.ms([key]))
            for key in profile.stats
            if _ours(key[0]) and key != body and not key[0].endswith(framed) and profile.within(key, body)
        ]
        under = sorted((item for item in under if item[1] >= min_ms), key=lambda item: -item[1])[:max_parts]
        ms_of = dict(under)

        # each shown part under the closest (cheapest) shown part it is called from, else under the body
        def parent_of(key: FuncKey) -> FuncKey:
            direct = [o for o in profile.stats[key][4] if o in ms_of and o != key]
            if direct:
                return max(direct, key=lambda o: profile.stats[key][4][o][3])
            around = [o for o in ms_of if o != key and ms_of[o] >= ms_of[key] and profile.within(key, o)]
            return min(around, key=lambda o: ms_of[o], default=body)

        parent = {key: parent_of(key) for key in ms_of}

        def show(node: FuncKey, depth: int) -> None:
            for key in sorted((k for k in ms_of if parent[k] == node), key=lambda k: -ms_of[k]):
                rows.append((depth, _short(key), ms_of[key]))
                show(key, min(depth + 1, 4))

        show(body, 1)
    for label, file, function in NICEGUI_PARTS:
        keys = profile.find(file, function)
        if keys:
            rows.append((0, label, profile.ms(keys)))
    return rows


# --- the portal and its pages -----------------------------------------------------------------------------------------


def prepare_environment(data_dir: Path) -> None:
    os.environ.update(
        STOCKFRONT_DATA_DIR=str(data_dir),
        STOCKFRONT_DEMO_DATA='true',  # main.py seeds the demo portal into the empty folder
        STOCKFRONT_BCRYPT_ROUNDS='4',
        STOCKFRONT_STORAGE_SECRET='profile-secret-' + 'x' * 40,
        STOCKFRONT_HOST='127.0.0.1',
    )
    os.environ.pop('STOCKFRONT_DATABASE_URL', None)
    # NiceGUI's simulated user is made for pytest: outside it, resetting the globals would start a script-mode page
    os.environ.setdefault('PYTEST_CURRENT_TEST', 'bench/profile_pages.py::profile (call)')


def fill_current_order() -> None:
    """Eight lines in the demo customer's current order (the demo has one)."""
    from sqlmodel import col, select

    from app.core import db
    from app.core.errors import ValidationError
    from app.identity.auth import Identity
    from app.models import PortalUser, Product
    from app.orders import current_order

    with db.write_session() as s:
        who = Identity.of(s.exec(select(PortalUser).where(PortalUser.username == 'customer')).one())
        products = s.exec(select(Product).where(col(Product.active)).order_by(Product.code).limit(40)).all()
        have = set(current_order.quantities(s, actor=who, product_ids=[p.id for p in products]))
        added = len(have)
        for product in products:
            if added >= 8:
                break
            if product.id in have:
                continue
            try:
                with s.begin_nested():
                    current_order.add(s, actor=who, product_id=product.id, quantity=product.min_quantity)
                added += 1
            except ValidationError:  # a product this customer may not order: take the next
                pass


def pages_to_build(routes: set[str]) -> list[Page]:
    from sqlmodel import col, select

    from app.core import db
    from app.models import Customer, Order, PortalUser, Product

    with db.read_session() as s:
        user = s.exec(select(PortalUser).where(PortalUser.username == 'customer')).one()
        order = s.exec(
            select(Order).where(Order.customer_id == user.customer_id).order_by(col(Order.id).desc())
        ).first()
        product_id = s.exec(select(Product.id).where(col(Product.active)).order_by(Product.code)).first()
        customer_id = user.customer_id
        any_customer = s.exec(select(Customer.id).where(Customer.id == customer_id)).one()
    pages = [
        Page('dashboard', '/'),
        Page('products', '/products'),
        Page('product', f'/products/{product_id}'),
        Page('current-order', '/current-order'),
        Page('orders', '/orders'),
        Page('order', f'/orders/{order.number}' if order else '/orders'),
        Page('backorders', '/backorders'),
        Page('quick-order', '/quick-order'),
        Page('lists', '/lists'),
        Page('admin', '/admin', admin=True),
        Page('admin-orders', '/admin/orders', admin=True),
        Page('admin-order', f'/admin/orders/{order.id}' if order else '/admin/orders', admin=True),
        Page('admin-products', '/admin/products', admin=True),
        Page('admin-customer', f'/admin/customers/{any_customer}', admin=True),
    ]
    static = {p for p in routes if '{' not in p}
    return [p for p in pages if p.path.split('?')[0] in static or _matches(p.path, routes)]


def _matches(path: str, routes: set[str]) -> bool:
    parts = path.strip('/').split('/')
    for route in routes:
        pattern = route.strip('/').split('/')
        if len(pattern) == len(parts) and all(a == b or a.startswith('{') for a, b in zip(pattern, parts, strict=True)):
            return True
    return False


# --- building ---------------------------------------------------------------------------------------------------------


async def build(user, path: str):
    """One page build, the client deleted afterwards (as when its tab is closed); returns (CPU s, elements)."""
    gc.collect()
    started = time.process_time()
    client = await user.open(path)
    took = time.process_time() - started
    elements = len(client.elements)
    client.delete()
    return took, elements


async def measure(user, page: Page, args: argparse.Namespace) -> Figures:
    figures = Figures(page)
    for _ in range(2):
        await build(user, page.path)
    for _ in range(args.builds):
        took, figures.elements = await build(user, page.path)
        figures.cpu_ms.append(took * 1000)
    profiler = cProfile.Profile(time.process_time)  # CPU time, as measured unprofiled (the machine is shared)
    profiled = 0.0
    for _ in range(args.builds):
        gc.collect()
        started = time.process_time()
        profiler.enable()
        client = await user.open(page.path)
        profiler.disable()
        profiled += time.process_time() - started
        client.delete()
    if args.stats:  # the raw profile, for pstats or snakeviz: one file per page
        profiler.dump_stats(f'{args.stats}.{page.name}.prof')
    median = statistics.median(figures.cpu_ms)
    profile = Profile(pstats.Stats(profiler), args.builds, median / (profiled / args.builds))
    figures.parts = parts_of(profile, page, min_ms=args.min_ms)
    if args.memory:
        figures.kib_per_page = await held_per_page(user, page, args.memory)
    return figures


async def held_per_page(user, page: Page, count: int) -> float:
    """KiB that one open page of this kind holds: `count` kept open, measured with tracemalloc."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    clients = [await user.open(page.path) for _ in range(count)]
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    for client in clients:
        with contextlib.suppress(Exception):
            client.delete()
    return held / count / 1024


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method='inclusive')[q - 1] if len(values) > 1 else values[0]


def report(all_figures: list[Figures]) -> None:
    print()
    head = f'{"page":<16} {"path":<24} {"CPU ms":>7} {"p95":>6} {"elements":>8} {"KiB held":>8}'
    print(head)
    print('-' * len(head))
    for f in all_figures:
        kib = f'{f.kib_per_page:.0f}' if f.kib_per_page is not None else '-'
        print(
            f'{f.page.name:<16} {f.page.path[:24]:<24} {statistics.median(f.cpu_ms):>7.1f} {pct(f.cpu_ms, 95):>6.1f} '
            f'{f.elements:>8} {kib:>8}'
        )
    print('CPU ms = one build (request, page function, HTML, handshake) in this process, median and p95;')
    print('elements = what the built page holds; KiB held = memory one open page keeps (tracemalloc, --memory)')
    for f in all_figures:
        print(f'\n== {f.page.name} {f.page.path}: {statistics.median(f.cpu_ms):.1f} ms, {f.elements} elements')
        for depth, label, ms in f.parts:
            print(f'  {"  " * depth}{label:<{66 - 2 * depth}} {ms:>6.2f} ms')


async def run(args: argparse.Namespace) -> list[Figures]:
    import httpx
    from nicegui import core
    from nicegui.testing.user import User
    from nicegui.testing.user_simulation import user_simulation

    async with user_simulation(main_file=ROOT / 'main.py') as customer:
        from app.identity import auth
        from components import guard

        fill_current_order()
        routes = {getattr(r, 'path', '') for r in core.app.routes}
        customer.http_client.cookies.set(
            guard.cookie_name(),
            auth.sign_in(username='customer', password='customer-demo', client_address='127.0.0.1'),  # noqa: S106
        )
        supplier = User(httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://test'))
        supplier.http_client.cookies.set(
            guard.cookie_name(),
            auth.sign_in(username='supplier', password='supplier-demo', client_address='127.0.0.1'),  # noqa: S106
        )
        wanted = set(args.pages.split(',')) if args.pages else None
        results = []
        for page in pages_to_build(routes):
            if wanted and page.name not in wanted:
                continue
            print(f'building {page.name} ({page.path}) ...', flush=True)
            results.append(await measure(supplier if page.admin else customer, page, args))
        await supplier.http_client.aclose()
        return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--builds', type=int, default=30, help='builds per page (and as many again profiled)')
    parser.add_argument('--pages', default='', help='only these, comma-separated (names as printed)')
    parser.add_argument('--memory', type=int, default=0, help='keep this many of each page open to measure memory')
    parser.add_argument('--min-ms', type=float, default=0.3, help='page-body parts below this are not printed')
    parser.add_argument('--stats', default='', help="also write each page's raw profile to STATS.<page>.prof")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix='stockfront-profile-'))
    prepare_environment(work / 'data')
    (work / 'data').mkdir()
    print(f'load average {os.getloadavg()[0]:.2f}', flush=True)
    try:
        results = asyncio.run(run(args))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(results)
    return 0


if __name__ == '__main__':
    sys.exit(main())
