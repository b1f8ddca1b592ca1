"""The real portal (main.py) served on a loopback port in this process, for tests that talk to it the way browsers
do: page HTML, then NiceGUI's socket.io websocket (bench/_browser.py speaks that protocol, as the load benchmark
uses it). In this process, so a test can call the services (a supplier's change, a sign-out) and look at NiceGUI's
clients directly.

Use it with `from tests.served import served_fixture  # noqa: F401` (the fixture `served`) in a suite whose
autouse `portal` fixture makes a fresh copy of the demo portal (tests/security, tests/reliability).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import runpy
import threading
import time
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from nicegui import helpers
from nicegui.server import Server

from app.identity import auth
from bench._browser import Browser, Tab

MAIN = Path(__file__).resolve().parents[1] / 'main.py'


@dataclass
class Served:
    base_url: str
    browsers: list[Browser] = field(default_factory=list)

    def browser(self, token: str | None = None) -> Browser:
        """A browser with this session cookie (or none); closed at the end of the test."""
        browser = Browser(self.base_url, {'stockfront_session': token} if token else {})
        self.browsers.append(browser)
        return browser

    async def tab(self, path: str, token: str | None) -> Tab:
        """A live page: its HTML, then its socket with the implicit handshake, in a browser of its own."""
        tab = Tab(self.browser(token))
        await tab.open(path, timeout=15)
        return tab


def sign_in(username: str) -> str:
    """A session token for a demo user, as the sign-in form gets it."""
    return auth.sign_in(username=username, password=f'{username}-demo', client_address='203.0.113.9')


@pytest.fixture(name='served')
async def served_fixture(
    nicegui_reset_globals, portal: Path, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Served]:
    port = helpers.find_free_port()
    os.environ['NICEGUI_SCREEN_TEST_PORT'] = str(port)  # what ui.run listens on under pytest
    thread = threading.Thread(target=runpy.run_path, args=(str(MAIN),), kwargs={'run_name': '__main__'}, daemon=True)
    thread.start()
    base_url = f'http://127.0.0.1:{port}'
    await asyncio.to_thread(_wait_until_serving, base_url, thread)
    result = Served(base_url)
    try:
        yield result
    finally:
        for browser in result.browsers:
            with contextlib.suppress(Exception):
                await browser.close()
        Server.instance.should_exit = True
        await asyncio.to_thread(thread.join, 30)
        os.environ.pop('NICEGUI_SCREEN_TEST_PORT', None)
    records = caplog.get_records('call') + caplog.get_records('teardown')
    errors = [r.getMessage() for r in records if r.levelname == 'ERROR']
    assert not errors, f'the portal logged errors: {errors}'


def _wait_until_serving(base_url: str, thread: threading.Thread) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert thread.is_alive(), 'the portal stopped while starting'
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f'{base_url}/login', timeout=5) as response,  # noqa: S310 - loopback
        ):
            if response.status == 200:
                return
        time.sleep(0.05)
    raise AssertionError('the portal did not serve /login within 60 s')


async def eventually(condition: Callable[[], bool], *, within_s: float = 10.0) -> None:
    """Wait for what the server does by itself (a push, a sweep); the limit only stops a broken run."""
    deadline = time.monotonic() + within_s
    while not condition():
        assert time.monotonic() < deadline, 'the condition did not come true'
        await asyncio.sleep(0.02)


@contextlib.contextmanager
def messages_to(tab: Tab) -> Iterator[list[str]]:
    """The names of the messages the server pushes to `tab` from now on (until its socket ends)."""
    seen: list[str] = []
    never = tab.expect(lambda name, _data: seen.append(name) or False)
    never.add_done_callback(lambda f: f.cancelled() or f.exception())  # it only ends with the socket
    yield seen
