"""Load benchmark: many customers on one running portal, over loopback, talking to it the way browsers do.

Run: .venv/bin/python bench/load.py [--levels 10,50,100,200] [--arrivals-per-s 2] [--startup-products 100000]

For each level N it copies a prepared portal (the demo catalogue and its users, plus N load-test customers
with one portal user and one delivery address each, plus three products whose stock is short: half as many
units as there are customers) into a fresh temporary data directory, starts `python main.py` on a free
loopback port, and then:

1. Customers arrive, `--arrivals-per-s` of them per second, and open /products (page 1): the page's
   HTML, then NiceGUI's socket.io websocket with the implicit handshake. Page-open time ends when the
   socket is live. Like a browser on a first visit each then loads the page's product thumbnails
   (untimed); the framework's versioned static files count as cached.
2. Each keeps its page live (answers pings, acknowledges messages as nicegui.js does) and, after a
   think time, clicks a card's Add button by sending the socket.io 'event' message a browser sends (the
   card's 'act': add, with the field's default 1). Click-to-update is the time until the server pushes the update
   that shows that card's check mark with the new '<n> in order'. The first two clicks are on scarce
   products.
3. With all N connected and idle, the server's resident memory (VmRSS in /proc) is read. Its growth
   over the warmed-up server, divided by N, is the memory per connected customer.
4. Every customer leaves for /current-order, and all press 'Place order' at the same moment (the
   button's click event). An order counts when the server sends that tab on to the new order's page.
   Orders per second = orders / time from the presses to the last order. Afterwards the database must
   hold exactly those orders and pass the stock invariant (app.invariants.check_stock): no unit oversold.

Sign-in: the session cookies are made in this process with app.auth.sign_in (the service the login page
calls) on the copied database, not through the login form. The fixture users' passwords are hashed with
STOCKFRONT_BCRYPT_ROUNDS=4 so that making 200 of them is quick; nothing measured depends on it.

Then the cost of one page, and the limit beside it: on a fresh copy of the portal, one customer (the demo
customer, with eight lines in the current order) opens /products and /current-order `--cost-pages` times each,
one after another (HTML and live socket, then leaves), and the server's CPU time per page is read from /proc
(its idle ticking subtracted, the deletion of the left pages included). Then the framework's floor: the same portal
with one more page that shows one label (bench/floor_page.py), opened as often, live. Then bench/bare_products.py, a
bare Starlette route with the same reads as the products page and its frame, serves the products page as plain HTML
(no socket) on the same database, opened as often, and our page's open time and CPU per page are printed as a
ratio to that limit's.

Finally it times `python main.py` until /login is served, on an existing database of 100,000 products
(filled with bench/catalogue.py's generator).

Everything runs on 127.0.0.1 in temporary directories, every wait has a time limit, and each level's
server is stopped at its end. Exit status 1 when a target is missed at the largest level.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import aiohttp
from _browser import Browser, Card, PageError, Tab
from sqlmodel import col, func, select

import demo
from app.catalogue import products
from app.core import config, db
from app.identity import accounts, auth
from app.identity.access import SYSTEM
from app.models import (
    AddressCreate,
    CustomerCreate,
    Order,
    OrderLine,
    PortalUser,
    PortalUserCreate,
    Product,
    ProductCreate,
)
from app.orders import invariants, stock

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = 'load-test-password'  # noqa: S105 - throw-away users in a temporary database
SCARCE_CODES = ['LOAD-1', 'LOAD-2', 'LOAD-3']
RECONNECT_TIMEOUT_S = 3.0  # NiceGUI's default: a left page's client is deleted this long after its socket closed
MAIN = ['main.py']  # what the server's `python` runs; --main swaps in a wrapper (a profiler's) for investigations

TARGET_CLICK_P95_MS = 100
TARGET_OPEN_P95_MS = 500
TARGET_MB_PER_CUSTOMER = 1.2
TARGET_ORDERS_PER_S = 50
TARGET_START_S = 3.0
TARGET_PAGE_CPU_MS = 12.0  # server CPU to build the products page, and the current-order page
TARGET_BURST_N = 200  # at this level: every customer opens the current order in the same second
TARGET_BURST_P95_S = 2.0
TARGET_LIMIT_RATIO = 3.0  # products page open time against the bare-HTML limit's
BARE = ['bench/bare_products.py']
FLOOR = ['bench/floor_page.py']  # the portal with one more page: /floor, one label (NiceGUI's own cost per page)


# --- the portal under test --------------------------------------------------------------------------------------------


def set_env(data_dir: Path, *, demo_data: bool) -> dict[str, str]:
    env = {
        'STOCKFRONT_DATA_DIR': str(data_dir),
        'STOCKFRONT_DEMO_DATA': 'true' if demo_data else 'false',
        'STOCKFRONT_BCRYPT_ROUNDS': '4',  # the fixture users only
        'STOCKFRONT_HOST': '127.0.0.1',
    }
    os.environ.update(env)
    return env


def use_database(data_dir: Path, *, demo_data: bool = True) -> None:
    """Point this process's services at the portal's database in data_dir."""
    set_env(data_dir, demo_data=demo_data)
    config.set_settings(config.load())
    db.configure(config.get().database_url)


def prepare_template(data_dir: Path, customers: int) -> None:
    """The demo portal plus `customers` load-test customers with a user and an address each, and scarce products."""
    use_database(data_dir)
    demo.seed()
    with db.write_session() as s:
        for n, code in enumerate(SCARCE_CODES, start=1):
            data = ProductCreate.model_construct(  # 'A1 ...' sorts first: on page 1 of every customer's catalogue
                code=code,
                name=f'A1 Anchor bolt M{8 + 2 * n}, box of 50 (load test)',
                description='Scarce: there is never enough for every customer.',
                barcode='',
                unit='box',
                price_cents=1250 * n,
                active=True,
            )
            products.create_product(s, actor=SYSTEM, data=data)
    for start in range(0, customers, 50):
        with db.write_session() as s:
            for i in range(start, min(start + 50, customers)):
                name = f'Load Customer {i:03d}'
                customer = accounts.create_customer(
                    s, actor=SYSTEM, data=CustomerCreate(name=name, code=f'LOAD{i:03d}')
                )
                address = AddressCreate(
                    label='Store', recipient=name, street='Test Street 1', postal_code='1000', city='Testville'
                )
                accounts.add_address(s, actor=SYSTEM, customer_id=customer.id, data=address)
                user = PortalUserCreate(username=f'load{i:03d}', password=PASSWORD, customer_id=customer.id)
                accounts.create_user(s, actor=SYSTEM, data=user)
    db.dispose()  # checkpoints the WAL, so the files can be copied


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f'http://127.0.0.1:{self.port}'

    def status(self, key: str) -> int:
        """A kB figure from /proc/<pid>/status (VmRSS, VmHWM)."""
        for line in Path(f'/proc/{self.process.pid}/status').read_text().splitlines():
            if line.startswith(key + ':'):
                return int(line.split()[1])
        raise KeyError(key)

    def cpu_s(self) -> float:
        fields = Path(f'/proc/{self.process.pid}/stat').read_text().rsplit(')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')

    def logged_errors(self) -> list[str]:
        """Each logged error: its message line, and for a traceback the exception it ends with."""
        lines = self.log_path.read_text(errors='replace').splitlines()
        found = []
        for i, line in enumerate(lines):
            if line.startswith('Traceback'):
                end = next(
                    (j for j in range(i + 1, len(lines)) if lines[j] and not lines[j].startswith((' ', 'Traceback'))),
                    len(lines) - 1,
                )
                where = next(
                    (lines[j].strip() for j in range(end - 1, i, -1) if lines[j].strip().startswith('File')), ''
                )
                found.append(f'{lines[end]} ({where})')
            elif 'ERROR' in line or line.startswith('WARNING'):
                found.append(line)
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_server(
    data_dir: Path, *, demo_data: bool = True, timeout: float = 60.0, main: list[str] | None = None
) -> tuple[Server, float]:
    """`python main.py` (or `main`) on a free loopback port; returns the server and the seconds until /login was
    served."""
    port = free_port()
    env = {**os.environ, **set_env(data_dir, demo_data=demo_data), 'STOCKFRONT_PORT': str(port)}
    log_path = data_dir / 'server.log'
    started = time.perf_counter()
    with log_path.open('w') as log:
        process = subprocess.Popen(
            [sys.executable, *(main or MAIN)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    server = Server(process, port, log_path)
    while True:
        if process.poll() is not None:
            raise RuntimeError(f'the server stopped (exit {process.returncode}):\n{log_path.read_text()[-3000:]}')
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f'{server.base_url}/login', timeout=5) as response,  # noqa: S310 - loopback
        ):
            if response.status == 200:
                return server, time.perf_counter() - started
        if time.perf_counter() - started > timeout:
            server.stop()
            raise RuntimeError(f'no /login within {timeout:.0f} s')
        time.sleep(0.01)


# --- the simulated customers ------------------------------------------------------------------------------------------


@dataclass
class Results:
    page_open: list[float] = field(default_factory=list)  # /products
    order_page_open: list[float] = field(default_factory=list)  # /current-order, all at once before placing
    clicks: list[float] = field(default_factory=list)
    placed: list[float] = field(default_factory=list)  # seconds from the presses to each order shown
    errors: list[str] = field(default_factory=list)
    tabs: list[Tab] = field(default_factory=list)

    @property
    def dropped(self) -> int:
        return sum(tab.dropped for tab in self.tabs)

    def error(self, who: str, what: object) -> None:
        self.errors.append(f'{who}: {what}')


def browser(base_url: str, token: str) -> Browser:
    return Browser(base_url, {'stockfront_session': token})


async def load_images(tab: Tab, results: Results, who: str) -> None:
    async def one(url: str) -> None:
        try:
            async with tab.browser.http.get(tab.browser.base_url + url) as response:
                await response.read()
                if response.status != 200:
                    results.error(who, f'image {url}: HTTP {response.status}')
        except (aiohttp.ClientError, TimeoutError) as e:
            results.error(who, f'image {url}: {e!r}')

    await asyncio.gather(*(one(url) for url in tab.image_urls))


ADDED = 'Added to your current order'  # Add's own message: a warning when part of it will go on backorder


def notification_errors(tab: Tab) -> list[str]:
    return [
        f'message shown: {n.get("message")}'
        for n in tab.notifications
        if n.get('type') in {'negative', 'warning'} and not str(n.get('message', '')).startswith(ADDED)
    ]


async def click_add(tab: Tab, card: Card, timeout: float) -> float:
    """Press a card's Add and wait for the update that shows the new check mark; returns the seconds."""
    target = f'{tab.in_order(card) + 1:,} in order'

    def shows_mark(name: str, data: object) -> bool:
        if name != 'update' or not isinstance(data, dict):
            return False
        ids = {card.mark_id} | {str(c) for c in (data.get(card.card_id) or {}).get('children', [])}  # or a new mark
        return any((data.get(eid) or {}).get('text') == target for eid in ids if eid)

    arrived = tab.expect(shows_mark)
    start = time.perf_counter()
    await tab.add(card)
    return await asyncio.wait_for(arrived, timeout) - start


async def customer(
    index: int,
    this: Browser,
    args: argparse.Namespace,
    results: Results,
    scarce_ids: list[int],
    arrive_at: float,
    one_unit_ids: set[int],
) -> Tab | None:
    """Arrive, open the products page, click Add a few times; returns the still open tab."""
    who = f'load{index:03d}'
    rng = random.Random(index)
    await asyncio.sleep(max(0.0, arrive_at - time.perf_counter()))
    tab = Tab(this)
    results.tabs.append(tab)
    try:
        await tab.open('/products', timeout=args.timeout)
    except (PageError, aiohttp.ClientError, TimeoutError) as e:
        results.error(who, f'opening /products: {e!r}')
        return None
    results.page_open.append(tab.open_s)
    images = asyncio.create_task(load_images(tab, results, who))
    cards = tab.product_cards()
    missing = [pid for pid in scarce_ids if pid not in cards]
    if not cards or missing:
        results.error(who, f'products page without the expected cards (missing {missing})')
        return tab
    # (Add puts the field's default in: the product's minimum. The others clicked take any one unit, also on backorder)
    others = [c for pid, c in cards.items() if pid not in scarce_ids and pid in one_unit_ids]
    for n in range(args.clicks):
        await asyncio.sleep(rng.uniform(args.think_min, args.think_max))
        card = cards[rng.choice(scarce_ids)] if n < 2 else rng.choice(others)
        try:
            results.clicks.append(await click_add(tab, card, args.timeout))
        except (PageError, TimeoutError) as e:
            results.error(who, f'click Add on product {card.product_id}: {e!r}')
            if tab.dropped:
                break
    await images
    for problem in notification_errors(tab):
        results.error(who, problem)
    return tab


async def place_all(tabs: dict[int, Tab], browsers: dict[int, Browser], args, results: Results) -> float:
    """Everyone leaves the products page for /current-order, then all press 'Place order' at the same moment.

    Returns the seconds from the presses to the last order shown.
    """

    async def go_to_current_order(index: int) -> Tab | None:
        await tabs[index].close()
        tab = Tab(browsers[index])
        results.tabs.append(tab)
        try:
            await tab.open('/current-order', timeout=args.timeout)
            tab.button('Place order')
        except (PageError, aiohttp.ClientError, TimeoutError) as e:
            results.error(f'load{index:03d}', f'opening /current-order: {e!r}')
            return None
        results.order_page_open.append(tab.open_s)
        return tab

    opened = await asyncio.gather(*(go_to_current_order(i) for i in tabs))
    order_tabs = {i: tab for i, tab in zip(tabs, opened, strict=True) if tab is not None}
    await asyncio.sleep(RECONNECT_TIMEOUT_S + 1)  # the products pages left behind are gone, as after a navigation

    def shows_order(name: str, data: object) -> bool:
        return name == 'open' and isinstance(data, dict) and str(data.get('path', '')).startswith('/orders/')

    waits = {i: tab.expect(shows_order) for i, tab in order_tabs.items()}
    start = time.perf_counter()
    await asyncio.gather(*(tab.click(*tab.button('Place order')) for tab in order_tabs.values()))
    done = await asyncio.gather(*(asyncio.wait_for(w, args.timeout) for w in waits.values()), return_exceptions=True)
    last = start
    for i, result in zip(waits, done, strict=True):
        if isinstance(result, BaseException):
            results.error(f'load{i:03d}', f'place order: {result!r}')
        else:
            results.placed.append(result - start)
            last = max(last, result)
    for i, tab in order_tabs.items():
        for problem in notification_errors(tab):
            results.error(f'load{i:03d}', problem)
    await asyncio.gather(*(tab.close() for tab in order_tabs.values()))
    return last - start


async def warm_up(server: Server, token: str, timeout: float) -> None:
    """One customer (the demo user) opens both pages and clicks once, so the server is warm."""
    this = browser(server.base_url, token)
    try:
        tab = Tab(this)
        await tab.open('/products', timeout=timeout)
        await click_add(tab, next(iter(tab.product_cards().values())), timeout)
        await tab.close()
        tab = Tab(this)
        await tab.open('/current-order', timeout=timeout)
        await tab.close()
    finally:
        await this.close()
    await asyncio.sleep(RECONNECT_TIMEOUT_S + 1.5)  # the warm-up pages' clients are deleted


@dataclass
class Level:
    n: int
    results: Results
    rss_base_kb: int = 0
    rss_connected_kb: int = 0
    rss_peak_kb: int = 0
    place_s: float = 0.0
    orders_in_db: int = 0
    stock_problems: list[str] = field(default_factory=list)
    scarce: list[tuple[str, int, int, int]] = field(default_factory=list)  # code, on hand, allocated, backordered
    server_errors: list[str] = field(default_factory=list)
    cpu_s: float = 0.0  # the server's CPU time from the first customer to the end
    bench_cpu_s: float = 0.0
    load_avg: tuple[float, float] = (0.0, 0.0)  # the machine's 1-minute load average before and after

    @property
    def placed(self) -> int:
        return len(self.results.placed)

    @property
    def mb_per_customer(self) -> float:
        return (self.rss_connected_kb - self.rss_base_kb) / 1024 / self.n

    @property
    def orders_per_s(self) -> float:
        return self.placed / self.place_s if self.place_s > 0 else 0.0

    @property
    def orders_ok(self) -> bool:
        return self.placed == self.n == self.orders_in_db and not self.stock_problems


async def drive(
    level: Level,
    server: Server,
    tokens: list[str],
    warm_token: str,
    scarce_ids: list[int],
    one_unit_ids: set[int],
    args: argparse.Namespace,
) -> None:
    n = len(tokens)
    await warm_up(server, warm_token, args.timeout)
    level.rss_base_kb = server.status('VmRSS')
    cpu_start, bench_start, load_before = server.cpu_s(), time.process_time(), os.getloadavg()[0]
    browsers = {i: browser(server.base_url, token) for i, token in enumerate(tokens)}
    try:
        ramp = n / args.arrivals_per_s
        start = time.perf_counter()
        tabs = await asyncio.gather(
            *(
                customer(i, browsers[i], args, level.results, scarce_ids, start + ramp * i / n, one_unit_ids)
                for i in range(n)
            )
        )
        await asyncio.sleep(1.0)
        level.rss_connected_kb = server.status('VmRSS')
        live = {i: tab for i, tab in enumerate(tabs) if tab is not None and not tab.dropped}
        level.place_s = await place_all(live, browsers, args, level.results)
    finally:
        await asyncio.gather(*(b.close() for b in browsers.values()))
    level.rss_peak_kb = server.status('VmHWM')
    level.cpu_s = server.cpu_s() - cpu_start
    level.bench_cpu_s = time.process_time() - bench_start
    level.load_avg = (load_before, os.getloadavg()[0])


def run_level(n: int, template: Path, work: Path, args: argparse.Namespace) -> Level:
    data_dir = work / f'level-{n}'
    shutil.copytree(template, data_dir)
    use_database(data_dir)
    with db.write_session() as s:
        scarce_ids = list(s.exec(select(Product.id).where(col(Product.code).in_(SCARCE_CODES)).order_by(Product.id)))
        for product_id in scarce_ids:  # half as many units as there are customers: never enough for everyone
            stock.receive_stock(s, actor=SYSTEM, product_id=product_id, quantity=max(1, n // 2), note='load test')
        one_unit = select(Product.id).where(
            Product.min_quantity == 1, Product.order_multiple == 1, col(Product.backorders).is_not(False)
        )
        one_unit_ids = set(s.exec(one_unit))
    tokens = [auth.sign_in(username=f'load{i:03d}', password=PASSWORD, client_address='127.0.0.1') for i in range(n)]
    warm_token = auth.sign_in(username='customer', password='customer-demo', client_address='127.0.0.1')  # noqa: S106
    db.dispose()

    level = Level(n, Results())
    server, _ = start_server(data_dir)
    try:
        asyncio.run(
            asyncio.wait_for(drive(level, server, tokens, warm_token, scarce_ids, one_unit_ids, args), args.level_limit)
        )
    finally:
        server.stop()
        level.server_errors = server.logged_errors()

    use_database(data_dir)
    with db.read_session() as s:
        level.stock_problems = invariants.check_stock(s)
        load_users = select(PortalUser.id).where(col(PortalUser.username).like('load%'))
        orders = select(func.count()).select_from(Order).where(col(Order.placed_by_user_id).in_(load_users))
        level.orders_in_db = s.exec(orders).one()
        for product in s.exec(select(Product).where(col(Product.code).in_(SCARCE_CODES)).order_by(Product.id)):
            waiting = s.exec(
                select(func.coalesce(func.sum(OrderLine.backorder), 0)).where(OrderLine.product_id == product.id)
            )
            level.scarce.append((product.code, product.on_hand, product.allocated, waiting.one()))
    db.dispose()
    return level


# --- the cost of one page, and the limit beside it --------------------------------------------------------------------


@dataclass
class Cost:
    what: str
    open_s: list[float] = field(default_factory=list)
    cpu_ms_per_page: float = 0.0
    errors: list[str] = field(default_factory=list)


def fill_current_order(token_user: str, lines: int = 8) -> None:
    """`lines` lines in the user's current order, the first products it may order."""
    from app.core.errors import ValidationError
    from app.identity.auth import Identity
    from app.orders import current_order

    with db.write_session() as s:
        who = Identity.of(s.exec(select(PortalUser).where(PortalUser.username == token_user)).one())
        candidates = s.exec(select(Product).where(col(Product.active)).order_by(Product.code).limit(40)).all()
        have = set(current_order.quantities(s, actor=who, product_ids=[p.id for p in candidates]))
        for product in candidates:
            if len(have) >= lines:
                break
            if product.id not in have:
                try:
                    with s.begin_nested():
                        current_order.add(s, actor=who, product_id=product.id, quantity=product.min_quantity)
                    have.add(product.id)
                except ValidationError:  # not for this customer: the next one
                    pass


def idle_cpu_rate(server: Server, seconds: float = 2.0) -> float:
    """The server's CPU seconds per second while nobody uses it (its timers)."""
    before = server.cpu_s()
    time.sleep(seconds)
    return (server.cpu_s() - before) / seconds


async def cost_of(server: Server, token: str, path: str, pages: int, *, live: bool, timeout: float) -> Cost:
    """Open `path` `pages` times one after another (with the socket when `live`); CPU per page from /proc."""
    cost = Cost(path)
    idle = await asyncio.to_thread(idle_cpu_rate, server)
    this = browser(server.base_url, token)
    try:
        for _ in range(2):  # warm
            tab = Tab(this)
            if live:
                await tab.open(path, timeout=timeout)
            else:
                await tab.fetch(path, timeout=timeout)
            await tab.close()
        await asyncio.sleep(RECONNECT_TIMEOUT_S + 1 if live else 0.2)
        cpu_start, started = server.cpu_s(), time.perf_counter()
        for _ in range(pages):
            tab = Tab(this)
            try:
                if live:
                    await tab.open(path, timeout=timeout)
                else:
                    await tab.fetch(path, timeout=timeout)
                cost.open_s.append(tab.open_s)
            except (PageError, aiohttp.ClientError, TimeoutError) as e:
                cost.errors.append(f'{path}: {e!r}')
            await tab.close()
        await asyncio.sleep(RECONNECT_TIMEOUT_S + 1.5 if live else 0.2)  # the left pages' clients are deleted
        spent = server.cpu_s() - cpu_start - idle * (time.perf_counter() - started)
        cost.cpu_ms_per_page = max(spent, 0.0) / pages * 1000
    finally:
        await this.close()
    return cost


def page_costs(template: Path, work: Path, args: argparse.Namespace) -> list[Cost]:
    """Our products and current-order pages, an empty NiceGUI page (with the socket) on the same set-up, then the
    bare-HTML products page, on one copy of the portal."""
    data_dir = work / 'costs'
    shutil.copytree(template, data_dir)
    use_database(data_dir)
    fill_current_order('customer')
    token = auth.sign_in(username='customer', password='customer-demo', client_address='127.0.0.1')  # noqa: S106
    db.dispose()
    costs = []
    for main, path, live, what in (
        (MAIN, '/products', True, '/products'),
        (MAIN, '/current-order', True, '/current-order'),
        (FLOOR, '/floor', True, 'an empty NiceGUI page'),
        (BARE, '/products', False, '/products as bare HTML'),
    ):
        server, _ = start_server(data_dir, main=main)  # (a server of its own for each: the same start for all)
        try:
            cost = asyncio.run(cost_of(server, token, path, args.cost_pages, live=live, timeout=args.timeout))
        finally:
            server.stop()
        cost.what = what
        costs.append(cost)
    db.dispose()
    return costs


def print_costs(costs: list[Cost]) -> None:
    limit = costs[-1]
    for cost in costs:
        line = f'  {cost.what:<24} open median {ms(cost.open_s):>4} ms, p95 {ms(cost.open_s, 95):>4} ms; '
        line += f'server CPU {cost.cpu_ms_per_page:5.1f} ms per page'
        if cost.what == '/products' and limit.open_s and limit.cpu_ms_per_page:
            line += (
                f"  = {statistics.median(cost.open_s) / statistics.median(limit.open_s):.1f}x the limit's open time, "
                f'{cost.cpu_ms_per_page / limit.cpu_ms_per_page:.1f}x its CPU'
            )
        print(line + (f'; {len(cost.errors)} errors: {cost.errors[:2]}' if cost.errors else ''), flush=True)
    floor = next((c for c in costs if c.what == 'an empty NiceGUI page'), None)
    if floor is not None and floor.cpu_ms_per_page:
        print(
            f'  ({TARGET_BURST_N} pages opened at once cost at least {TARGET_BURST_N} x the empty page: '
            f'{TARGET_BURST_N * floor.cpu_ms_per_page / 1000:.1f} s of CPU in one process, before any page code)',
            flush=True,
        )


# --- start-up time on a large catalogue -------------------------------------------------------------------------------


def startup_times(products_count: int, runs: int, work: Path) -> list[float]:
    spec = importlib.util.spec_from_file_location('bench_catalogue', ROOT / 'bench' / 'catalogue.py')
    assert spec is not None and spec.loader is not None
    filler = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(filler)
    data_dir = work / 'startup'
    use_database(data_dir, demo_data=False)
    started = time.perf_counter()
    filler.fill(products_count, random.Random(products_count))
    db.dispose()
    print(f'  {products_count:,} products filled in {time.perf_counter() - started:.1f} s', flush=True)
    times = []
    for _ in range(runs):
        server, seconds = start_server(data_dir, demo_data=False)
        server.stop()
        times.append(seconds)
    return times


# --- the report -------------------------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float('nan')
    return statistics.quantiles(values, n=100, method='inclusive')[max(0, min(98, round(q) - 1))]


def ms(values: list[float], q: float | None = None) -> str:
    if not values:
        return '-'
    return f'{(statistics.median(values) if q is None else pct(values, q)) * 1000:.0f}'


def machine() -> str:
    cpuinfo = Path('/proc/cpuinfo').read_text().splitlines()
    model = next((line.split(':', 1)[1].strip() for line in cpuinfo if line.startswith('model name')), '?')
    mem_kb = next(int(line.split()[1]) for line in Path('/proc/meminfo').read_text().splitlines() if 'MemTotal' in line)
    return (
        f'{os.cpu_count()} CPUs ({model}), {mem_kb / 1024 / 1024:.0f} GB RAM, Linux {platform.release()}, '
        f'Python {platform.python_version()}'
    )


def print_table(levels: list[Level]) -> None:
    head = (
        f'{"N":>4} | {"open ms":>7} {"p95":>5} | {"click ms":>8} {"p95":>5} {"clicks":>6} | {"errors":>6} '
        f'{"drops":>5} | {"RSS MB":>6} {"+N MB":>6} {"MB/cust":>7} | {"orders":>6} {"per s":>6} {"stock":>5} | '
        f'{"CPU s":>5}'
    )
    print(head)
    print('-' * len(head))
    for lv in levels:
        r = lv.results
        print(
            f'{lv.n:>4} | {ms(r.page_open):>7} {ms(r.page_open, 95):>5} | {ms(r.clicks):>8} {ms(r.clicks, 95):>5} '
            f'{len(r.clicks):>6} | {len(r.errors):>6} {r.dropped:>5} | {lv.rss_base_kb / 1024:>6.0f} '
            f'{lv.rss_connected_kb / 1024:>6.0f} {lv.mb_per_customer:>7.2f} | {lv.placed:>6} {lv.orders_per_s:>6.0f} '
            f'{"ok" if lv.orders_ok else "BAD":>5} | {lv.cpu_s:>5.1f}'
        )
    print(
        'open = /products HTML + live socket (median, p95); click = Add pressed -> check mark pushed (median, p95);\n'
        'RSS MB = warmed-up server, +N MB = with N customers connected; orders = placed at once, per s = orders /\n'
        'time to the last; stock ok = every order in the database, none oversold (check_stock); CPU s = server CPU'
    )


def verdicts(levels: list[Level], start: list[float], costs: list[Cost]) -> list[str]:
    checks: list[tuple[str, Callable[[], bool]]] = []
    if levels:
        top = max(levels, key=lambda lv: lv.n)
        r = top.results
        checks += [
            (f'{top.n} customers without errors or dropped connections', lambda: not r.errors and not r.dropped),
            (
                f'click-to-update p95 <= {TARGET_CLICK_P95_MS} ms',
                lambda: pct(r.clicks, 95) * 1000 <= TARGET_CLICK_P95_MS,
            ),
            (f'page open p95 <= {TARGET_OPEN_P95_MS} ms', lambda: pct(r.page_open, 95) * 1000 <= TARGET_OPEN_P95_MS),
            (
                f'<= {TARGET_MB_PER_CUSTOMER:g} MB per connected customer',
                lambda: top.mb_per_customer <= TARGET_MB_PER_CUSTOMER,
            ),
            (
                f'>= {TARGET_ORDERS_PER_S} orders/s, every order placed, none oversold',
                lambda: top.orders_per_s >= TARGET_ORDERS_PER_S and top.orders_ok,
            ),
        ]
        burst = next((lv for lv in levels if lv.n == TARGET_BURST_N), None)
        if burst is not None:
            checks.append(
                (
                    f'{TARGET_BURST_N} customers opening /current-order at once: p95 <= {TARGET_BURST_P95_S:g} s',
                    lambda: pct(burst.results.order_page_open, 95) <= TARGET_BURST_P95_S,
                )
            )
    if costs:
        ours, limit = {c.what: c for c in costs}, costs[-1]
        for path in ('/products', '/current-order'):
            if path in ours:
                checks.append(
                    (
                        f'server CPU for {path} <= {TARGET_PAGE_CPU_MS:g} ms per page',
                        lambda c=ours[path]: c.cpu_ms_per_page <= TARGET_PAGE_CPU_MS,
                    )
                )
        if '/products' in ours and limit.open_s:
            checks.append(
                (
                    f'/products open <= {TARGET_LIMIT_RATIO:g}x the bare-HTML limit (median)',
                    lambda: (
                        statistics.median(ours['/products'].open_s)
                        <= TARGET_LIMIT_RATIO * statistics.median(limit.open_s)
                    ),
                )
            )
    if start:
        checks.append((f'start to served login <= {TARGET_START_S:g} s', lambda: max(start) <= TARGET_START_S))
    missed = []
    for text, ok in checks:
        passed = ok()
        print(f'  {"met   " if passed else "MISSED"}  {text}')
        if not passed:
            missed.append(text)
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--levels', default='10,50,200,400', help='numbers of concurrent customers, comma-separated')
    parser.add_argument('--arrivals-per-s', type=float, default=2.0, help='customers opening the products page per s')
    parser.add_argument(
        '--clicks', type=int, default=5, help='Add clicks per customer (the first two: scarce products)'
    )
    parser.add_argument('--think-min', type=float, default=2.0, help='shortest pause before a click, s')
    parser.add_argument('--think-max', type=float, default=6.0, help='longest pause before a click, s')
    parser.add_argument('--timeout', type=float, default=15.0, help='longest wait for any one answer, s')
    parser.add_argument('--level-limit', type=float, default=400.0, help='longest time for one level, s')
    parser.add_argument('--startup-products', type=int, default=100_000, help='catalogue size for the start-up time')
    parser.add_argument('--startup-runs', type=int, default=3)
    parser.add_argument('--skip-startup', action='store_true')
    parser.add_argument('--cost-pages', type=int, default=60, help="pages opened one by one to measure a page's cost")
    parser.add_argument('--skip-costs', action='store_true')
    parser.add_argument('--keep', action='store_true', help='keep the temporary data directories (and server logs)')
    parser.add_argument('--main', default='main.py', help='the script the server runs (a profiling wrapper, say)')
    args = parser.parse_args()
    MAIN[:] = [args.main]
    wanted = [int(x) for x in args.levels.split(',') if x.strip()]

    print(f'Machine: {machine()}; load average {os.getloadavg()[0]:.2f}')
    print(
        f'Each customer: arrives ({args.arrivals_per_s:g} per s), opens /products with its thumbnails, then '
        f'{args.clicks} times thinks {args.think_min:g}-{args.think_max:g} s and clicks Add; at the end all place '
        'their orders at once.\n'
        'Sessions are made with app.auth.sign_in in this process; fixture users hashed with STOCKFRONT_BCRYPT_ROUNDS=4.'
    )
    work = Path(tempfile.mkdtemp(prefix='stockfront-load-'))
    levels: list[Level] = []
    start: list[float] = []
    costs: list[Cost] = []
    try:
        template = work / 'template'
        started = time.perf_counter()
        prepare_template(template, max(wanted, default=1))
        print(
            f'Prepared a portal with {max(wanted, default=1)} load-test customers in '
            f'{time.perf_counter() - started:.1f} s'
        )
        for n in wanted:
            print(f'\n== {n} customers', flush=True)
            level = run_level(n, template, work, args)
            levels.append(level)
            r = level.results
            print(
                f'  open p95 {ms(r.page_open, 95)} ms, click p95 {ms(r.clicks, 95)} ms, {len(r.errors)} errors, '
                f'{r.dropped} dropped, {level.mb_per_customer:.2f} MB per customer (peak RSS '
                f'{level.rss_peak_kb / 1024:.0f} MB); /current-order open p95 {ms(r.order_page_open, 95)} ms\n'
                f'  {level.placed} orders in {level.place_s:.2f} s (first {ms(r.placed, 1)} ms, median '
                f'{ms(r.placed)} ms), {level.orders_in_db} in the database; scarce products (on hand/allocated): '
                + ', '.join(
                    f'{c} {on_hand}/{allocated} ({waiting} on backorder)'
                    for c, on_hand, allocated, waiting in level.scarce
                )
                + f'; check_stock: {level.stock_problems[:3] or "[]"}\n'
                f'  CPU s: server {level.cpu_s:.1f}, bench {level.bench_cpu_s:.1f}; '
                f'load average {level.load_avg[0]:.2f} -> {level.load_avg[1]:.2f}',
                flush=True,
            )
            for error in r.errors[:10]:
                print(f'  error: {error}')
            for reason in sorted({tab.drop_reason for tab in r.tabs if tab.dropped})[:5]:
                print(f'  dropped: {reason}')
            for line in level.server_errors[:10]:
                print(f'  server log: {line}')
        if not args.skip_costs:
            print(f'\n== one page at a time, {args.cost_pages} times each, and the bare-HTML limit', flush=True)
            costs = page_costs(template, work, args)
            print_costs(costs)
        if not args.skip_startup:
            print(f'\n== start-up on {args.startup_products:,} products', flush=True)
            start = startup_times(args.startup_products, args.startup_runs, work)
            print('  python main.py -> /login served: ' + ', '.join(f'{s:.2f} s' for s in start))
    finally:
        db.dispose()
        if args.keep:
            print(f'kept {work}')
        else:
            shutil.rmtree(work, ignore_errors=True)

    print(f'\nMachine: {machine()}')
    print_table(levels)
    if start:
        print(
            f'start to served /login on {args.startup_products:,} products: ' + ', '.join(f'{s:.2f} s' for s in start)
        )
    if costs:
        print('One page at a time (server CPU per page, its idle ticking subtracted):')
        print_costs(costs)
    print('\nTargets (at the largest level):')
    return 1 if verdicts(levels, start, costs) else 0


if __name__ == '__main__':
    sys.exit(main())
