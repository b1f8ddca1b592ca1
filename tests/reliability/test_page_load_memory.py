"""Memory per page load is bounded: a page GET builds a NiceGUI client (a whole element tree) that waits for its
browser's socket. Loads whose socket never comes (a script, a crawler, a burst of reloads) are let go within
seconds, and one session never holds more than MAX_PAGES_PER_SESSION pages (components/session_binding.py).
Measured on the real portal, served in this process: its clients are counted directly."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from nicegui import Client

from components import guard, session_binding
from tests.served import (
    Served,
    eventually,
    served_fixture,  # noqa: F401 - the fixture `served`
    sign_in,
)

pytestmark = pytest.mark.slow
LOADS = 150  # the outside test's burst: 150 loads of /products by one customer added ~190 MB
RSS_GROWTH_LIMIT_MB = 80  # about 1.3 MB per page: 150 pages held at once would be ~190 MB


def rss_mb() -> float:
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
    raise AssertionError('no VmRSS')


def pages_of(token: str) -> list[Client]:
    """The live pages (NiceGUI clients) opened with this session token."""
    return [c for c in list(Client.instances.values()) if guard.token_of(c._request) == token]


async def test_a_burst_of_page_loads_without_a_socket_holds_few_pages_and_frees_them_within_seconds(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert session_binding.CONNECT_WINDOW_S <= 15, 'a page whose socket never comes is let go within seconds'
    monkeypatch.setattr(session_binding, 'CONNECT_WINDOW_S', 3.0, raising=False)  # the same sweep, sooner
    token = sign_in('customer')
    browser = served.browser(token)
    async with browser.http.get(served.base_url + '/products') as response:  # warm: first imports, caches
        await response.read()
    before = rss_mb()
    most = 0
    for _ in range(LOADS):
        async with browser.http.get(served.base_url + '/products') as response:
            assert response.status == 200
            await response.read()
        most = max(most, len(pages_of(token)))
    grown = rss_mb() - before

    assert most <= session_binding.MAX_PAGES_PER_SESSION + 1  # (the newest is counted once it is served)
    assert grown < RSS_GROWTH_LIMIT_MB, f'{LOADS} page loads grew the server by {grown:.0f} MB'
    await eventually(lambda: not pages_of(token), within_s=30)


async def test_a_session_with_too_many_open_pages_closes_its_oldest(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A connected page beyond the limit is told so and its socket closed; the newer pages stay live."""
    monkeypatch.setattr(session_binding, 'MAX_PAGES_PER_SESSION', 2, raising=False)
    token = sign_in('customer')
    oldest = await served.tab('/products', token)
    told = oldest.expect(lambda name, data: name == 'run_javascript' and 'This page was closed' in data['code'])
    newer = [await served.tab('/orders', token), await served.tab('/', token)]
    await asyncio.wait_for(told, 15)
    await eventually(lambda: oldest.dropped)
    assert not any(tab.dropped for tab in newer)
    assert {c.id for c in pages_of(token) if c.has_socket_connection} == {tab.client_id for tab in newer}
