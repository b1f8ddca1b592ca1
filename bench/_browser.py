"""One browser tab as the load benchmark drives it: a NiceGUI page's HTML, then the page's live connection.

NiceGUI 3 sends the page as HTML with the element tree as JSON and the socket.io query (client id,
next message id, implicit handshake) inline. The browser then opens the socket.io websocket at
/_nicegui_ws/socket.io with that query plus a document id and a tab id; with the implicit handshake
the server attaches the socket to the page's client while accepting the connection, so the
namespace's CONNECT answer ('40{...}') means the page is live. From then on the server pushes
'update' (element id -> element dict), 'notify', 'open' and 'run_javascript' messages, each with a
running '_id'; the browser answers engine.io pings, acknowledges the message ids every 3 s and sends
'event' messages {id, client_id, listener_id, args} for clicks and input changes.

This speaks that protocol (engine.io 4 / socket.io 5 over a websocket, text frames only) with aiohttp,
like the browser's socket.io client does, and keeps the element tree up to date.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from yarl import URL

ELEMENTS_START = 'parseElements(String.raw`'
QUERY = re.compile(r"query: \{'client_id': '([0-9a-f-]+)', 'next_message_id': (\d+)")
UNESCAPE = [('&#36;', '$'), ('&#96;', '`'), ('&gt;', '>'), ('&lt;', '<'), ('&amp;', '&')]
ACK_INTERVAL_S = 3.0  # as nicegui.js

Waiter = tuple[Callable[[str, Any], bool], asyncio.Future]


class PageError(Exception):
    """The page did not open or did not answer as a browser would expect."""


@dataclass
class Card:
    """A product card of the products page, as found in the element tree."""

    product_id: int
    card_id: str
    add_id: str  # the element that sends the card's 'act' event (the card itself)
    add_listener: str  # its 'act' listener
    mark_id: str | None  # the chip '<n> in order'; the grid makes it only once the product is in the order
    quantity: str = '1'  # what its quantity field holds


class Browser:
    """One customer's browser: its cookies, up to 6 keep-alive connections for pages and images, and a connection
    of its own for every websocket, as browsers open them.

    (Upgrading a pooled keep-alive connection right after a response, as aiohttp would, can lose a race in uvicorn
    0.54: the finished response arms its keep-alive timer after the upgrade, and 5 s later that timer closes the
    websocket's transport.)
    """

    def __init__(self, base_url: str, cookies: dict[str, str]) -> None:
        self.base_url = base_url
        jar = aiohttp.CookieJar(unsafe=True)  # unsafe: cookies for an IP address
        jar.update_cookies(cookies, URL(base_url))
        headers = {'User-Agent': 'stockfront-load-bench'}
        self.http = aiohttp.ClientSession(
            cookie_jar=jar,
            connector=aiohttp.TCPConnector(limit=6),
            timeout=aiohttp.ClientTimeout(total=60),
            headers=headers,
        )
        self.ws = aiohttp.ClientSession(
            cookie_jar=jar, connector=aiohttp.TCPConnector(force_close=True), headers=headers
        )

    async def close(self) -> None:
        await self.http.close()
        await self.ws.close()


@dataclass
class Tab:
    """A browser tab: `open` a page, `click` buttons, `expect` what the server pushes, `close`."""

    browser: Browser
    elements: dict[str, dict] = field(default_factory=dict)
    client_id: str = ''
    notifications: list[dict] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)  # paths the server navigated to
    dropped: bool = False
    drop_reason: str = ''
    html_s: float = 0.0  # time to the page's HTML
    open_s: float = 0.0  # time to a live page (HTML, websocket, handshake)
    image_urls: list[str] = field(default_factory=list)
    _ws: aiohttp.ClientWebSocketResponse | None = None
    _reader: asyncio.Task | None = None
    _acker: asyncio.Task | None = None
    _next_message_id: int = 0
    _acked_id: int = -1
    _closing: bool = False
    _waiters: list[Waiter] = field(default_factory=list)
    _connected: asyncio.Future | None = None
    _sending: set[asyncio.Task] = field(default_factory=set)

    async def open(self, path: str, *, timeout: float = 30.0) -> None:
        """GET the page and make it live, as the browser does; sets html_s and open_s."""
        start = time.perf_counter()
        async with self.browser.http.get(self.browser.base_url + path, allow_redirects=False) as response:
            html = await response.text()
            if response.status != 200:
                raise PageError(f'GET {path}: HTTP {response.status} {response.headers.get("location", "")}')
        self.html_s = time.perf_counter() - start
        self._parse(html)
        await self.connect(timeout=timeout)
        self.open_s = time.perf_counter() - start

    async def fetch(self, path: str, *, timeout: float = 30.0) -> None:
        """GET a plain HTML page (no NiceGUI, no socket: bench/bare_products.py); sets html_s and open_s."""
        start = time.perf_counter()
        async with asyncio.timeout(timeout), self.browser.http.get(self.browser.base_url + path) as response:
            await response.text()
            if response.status != 200:
                raise PageError(f'GET {path}: HTTP {response.status}')
        self.html_s = self.open_s = time.perf_counter() - start

    async def connect(self, client_id: str = '', *, implicit_handshake: bool = True, timeout: float = 30.0) -> None:
        """Open the socket.io websocket for the page's client (or for `client_id`, as a forger would), with the
        implicit handshake as nicegui.js does, or without one (a bare socket.io connection)."""
        self.client_id = client_id or self.client_id
        query = {
            'client_id': self.client_id,
            'next_message_id': str(self._next_message_id),
            'document_id': str(uuid.uuid4()),
            'tab_id': str(uuid.uuid4()),
            'EIO': '4',
            'transport': 'websocket',
        }
        if implicit_handshake:
            query['implicit_handshake'] = 'true'
        ws_url = self.browser.base_url.replace('http://', 'ws://') + '/_nicegui_ws/socket.io/'
        self._connected = asyncio.get_running_loop().create_future()
        self._ws = await asyncio.wait_for(
            self.browser.ws.ws_connect(ws_url, params=query, autoping=True, max_msg_size=0), timeout
        )
        self._reader = asyncio.create_task(self._read())
        try:
            await asyncio.wait_for(asyncio.shield(self._connected), timeout)
        except TimeoutError as e:
            raise PageError(f'{self.client_id}: no socket.io CONNECT within {timeout:.0f} s') from e
        self._acker = asyncio.create_task(self._ack_loop())

    def _parse(self, html: str) -> None:
        match = QUERY.search(html)
        begin = html.find(ELEMENTS_START)
        if match is None or begin < 0:
            raise PageError('no NiceGUI page (client id or elements missing)')
        self.client_id, self._next_message_id = match.group(1), int(match.group(2))
        begin += len(ELEMENTS_START)
        raw = html[begin : html.index('`)', begin)]
        for escaped, plain in UNESCAPE:
            raw = raw.replace(escaped, plain)
        self.elements = json.loads(raw)
        self.image_urls = [  # ui.image's source; a catalogue card's picture
            url
            for e in self.elements.values()
            if (url := e.get('props', {}).get('src' if e['tag'] == 'nicegui-image' else 'image'))
            and isinstance(url, str)
        ]

    # --- the element tree -------------------------------------------------------------------------

    def descendants(self, element_id: str) -> list[tuple[str, dict]]:
        found, stack = [], [element_id]
        while stack:
            eid = stack.pop()
            element = self.elements.get(eid)
            if element is None:
                continue
            found.append((eid, element))
            children = [str(c) for c in element.get('children', [])]
            for slot in element.get('slots', {}).values():
                children += [str(c) for c in slot.get('ids', [])]
            stack.extend(reversed(children))
        return found

    def button(self, label: str) -> tuple[str, str]:
        """The element id and click listener id of the (first) button with this label."""
        for eid, element in self.elements.items():
            if element['tag'] == 'q-btn' and element.get('props', {}).get('label') == label:
                for listener in element.get('events', []):
                    if listener['type'] == 'click':
                        return eid, listener['listener_id']
        raise PageError(f'no button {label!r} on the page')

    def product_cards(self) -> dict[int, Card]:
        """The products page's cards (components/catalogue_card.py, one element each): the product (from the
        card's link), its 'act' listener (Add and Enter send it with the field's quantity) and check mark."""
        cards = {}
        for card_id, card in self.elements.items():
            props = card.get('props', {})
            add_listener = next((ev['listener_id'] for ev in card.get('events', []) if ev['type'] == 'act'), None)
            href = props.get('href') or ''
            if add_listener is None or not href.startswith('/products/'):
                continue
            product_id = int(href.split('?', 1)[0].rsplit('/', 1)[1])
            mark_id = next(
                (eid for eid, e in self.descendants(card_id) if (e.get('text') or '').endswith(' in order')), None
            )
            cards[product_id] = Card(product_id, card_id, card_id, add_listener, mark_id, props.get('value') or '1')
        return cards

    def in_order(self, card: Card) -> int:
        """What the card's check mark says is in the order (0 without a mark)."""
        for eid, element in self.descendants(card.card_id):
            text = element.get('text') or ''
            if text.endswith(' in order'):
                card.mark_id = eid
                return int(text.split(' ')[0].replace(',', ''))
        return 0

    def text_of(self, element_id: str) -> str:
        return self.elements.get(element_id, {}).get('text') or ''

    # --- talking to the server --------------------------------------------------------------------

    async def click(self, element_id: str, listener_id: str, *args: object) -> None:
        """The event a browser sends for a listener (a button's click: no arguments; a card's add: the quantity)."""
        sent = [json.dumps(arg, separators=(',', ':')) for arg in args]
        await self.emit(
            'event', {'id': int(element_id), 'client_id': self.client_id, 'listener_id': listener_id, 'args': sent}
        )

    async def add(self, card: Card) -> None:
        """Press a catalogue card's Add (its 'act' event with what its quantity field holds), as the browser does."""
        await self.click(card.add_id, card.add_listener, {'do': 'add', 'quantity': card.quantity})

    async def emit(self, name: str, data: dict) -> None:
        if self._ws is None or self._ws.closed:
            raise PageError('the socket is closed')
        await self._ws.send_str('42' + json.dumps([name, data], separators=(',', ':')))

    def expect(self, predicate: Callable[[str, Any], bool]) -> asyncio.Future:
        """A future for the perf_counter time of the first pushed message that matches predicate(name, data)."""
        future = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, future))
        return future

    async def _read(self) -> None:
        assert self._ws is not None
        opened = time.perf_counter()
        reason = 'the websocket ended'
        try:
            async for message in self._ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    reason = f'websocket message {message.type.name} {message.data!r}'
                    break
                self._handle(message.data)
        except (aiohttp.ClientError, ConnectionError) as e:
            reason = repr(e)
        finally:
            if not self._closing:
                self.dropped = True
                self.drop_reason = (
                    f'{reason} (close code {self._ws.close_code}, {self._ws.exception()!r}) '
                    f'after {time.perf_counter() - opened:.1f} s'
                )
                self._fail(PageError('the server closed the connection'))

    def _handle(self, packet: str) -> None:
        kind = packet[:1]
        if kind == '0':  # engine.io open: connect to the default namespace, which does the implicit handshake
            self._send_soon('40')
        elif kind == '2':  # engine.io ping
            self._send_soon('3')
        elif kind == '1':  # engine.io close
            if not self._closing:
                self.dropped = True
                self.drop_reason = 'engine.io close packet'
        elif kind == '4':  # engine.io message: a socket.io packet
            sio = packet[1:2]
            if sio == '0':
                if self._connected and not self._connected.done():
                    self._connected.set_result(time.perf_counter())
            elif sio == '4':
                if self._connected and not self._connected.done():
                    self._connected.set_exception(PageError(f'connection refused: {packet[2:]}'))
            elif sio == '1':
                if not self._closing:
                    self.dropped = True
                    self.drop_reason = 'socket.io disconnect packet'
            elif sio == '2':
                name, *args = json.loads(packet[2:])
                data = args[0] if args else None
                self._on_event(name, data)

    def _on_event(self, name: str, data: Any) -> None:
        now = time.perf_counter()
        if isinstance(data, dict) and '_id' in data:
            message_id = data.pop('_id')
            if message_id < self._next_message_id:
                return
            self._next_message_id = message_id + 1
        if name == 'update':
            for eid, element in data.items():
                if element is None:
                    self.elements.pop(eid, None)
                else:
                    self.elements[eid] = element
        elif name == 'notify':
            self.notifications.append(data)
        elif name == 'open':
            self.opened.append(data.get('path', ''))
        for waiter in list(self._waiters):
            predicate, future = waiter
            if future.done():
                self._waiters.remove(waiter)
            elif predicate(name, data):
                future.set_result(now)
                self._waiters.remove(waiter)

    def _fail(self, error: Exception) -> None:
        for _, future in self._waiters:
            if not future.done():
                future.set_exception(error)
        self._waiters.clear()
        if self._connected and not self._connected.done():
            self._connected.set_exception(error)

    def _send_soon(self, packet: str) -> None:
        task = asyncio.ensure_future(self._send_raw(packet))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send_raw(self, packet: str) -> None:
        with contextlib.suppress(Exception):
            if self._ws is not None and not self._ws.closed:
                await self._ws.send_str(packet)

    async def _ack_loop(self) -> None:
        while not self._closing:
            await asyncio.sleep(ACK_INTERVAL_S)
            if self._next_message_id > self._acked_id:
                await self._send_raw(
                    '42' + json.dumps(['ack', {'client_id': self.client_id, 'next_message_id': self._next_message_id}])
                )
                self._acked_id = self._next_message_id

    async def close(self) -> None:
        """Leave the page, as navigating away does: the websocket closes."""
        self._closing = True
        for task in (self._acker, self._reader):
            if task is not None and task is not asyncio.current_task():
                task.cancel()
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        for task in (self._acker, self._reader):
            if task is not None:
                with contextlib.suppress(BaseException):
                    await task
