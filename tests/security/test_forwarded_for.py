"""The client's address for throttling: X-Forwarded-For is believed only from proxies named in
STOCKFRONT_TRUSTED_PROXIES (none by default), and the web server's own proxy-header handling, which would believe
it from 127.0.0.1, is off. ASVS 6.3.1 (throttling that cannot be sidestepped) / 13.2 (trusted proxies only)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import uvicorn
from nicegui.testing import User
from sqlmodel import select
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.core import config, db
from app.identity import auth
from app.models import LoginThrottle
from tests.ui.conftest import sign_in

ROOT = Path(__file__).resolve().parents[2]


async def fail_sign_in(user: User, forwarded_for: str) -> set[str]:
    """A wrong password on the sign-in form, sent with X-Forwarded-For; returns the throttle keys it counted on.
    (The test client's connection comes from 127.0.0.1, like a proxy on the same machine.)"""
    user.http_client.headers['X-Forwarded-For'] = forwarded_for
    await sign_in(user, 'customer', 'not-the-password')
    await user.should_see(auth.GENERIC_FAILURE)
    with db.read_session() as s:
        return set(s.exec(select(LoginThrottle.key)).all())


async def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(user: User) -> None:
    assert config.get().trusted_proxies == ()
    assert await fail_sign_in(user, '198.51.100.1') == {'user:customer', 'ip:127.0.0.1'}


@pytest.fixture
def behind_a_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reverse proxy on this machine, named in the setting before the `user` fixture starts main.py."""
    monkeypatch.setenv('STOCKFRONT_TRUSTED_PROXIES', '127.0.0.1')
    config.set_settings(config.load())


async def test_a_trusted_proxys_forwarded_for_gives_the_rightmost_untrusted_hop(behind_a_proxy: None, user: User):
    # the client sent 'X-Forwarded-For: 6.6.6.6' itself; the proxy appended the address it saw
    assert await fail_sign_in(user, '6.6.6.6, 198.51.100.9') == {'user:customer', 'ip:198.51.100.9'}


def proxy_headers_middleware(options: dict) -> ProxyHeadersMiddleware | None:
    """The ProxyHeadersMiddleware uvicorn wraps the app in with these options, if any."""

    async def app(scope, receive, send) -> None: ...

    server_config = uvicorn.Config(app, **options)
    server_config.load()
    layer = server_config.loaded_app
    while layer is not None:
        if isinstance(layer, ProxyHeadersMiddleware):
            return layer
        layer = getattr(layer, 'app', None)
    return None


def test_the_served_portal_switches_uvicorns_own_forwarded_for_handling_off(tmp_path: Path) -> None:
    """uvicorn rewrites the client address from X-Forwarded-For when the peer is 127.0.0.1 unless told not to; main.py
    tells it, so STOCKFRONT_TRUSTED_PROXIES is the only setting that decides."""
    assert '127.0.0.1' in proxy_headers_middleware({}).trusted_hosts  # uvicorn's default: the reason for this test
    script = textwrap.dedent(
        """
        import json, runpy
        from nicegui import ui

        def run(**options):
            chosen = {k: v for k, v in options.items() if k in {'proxy_headers', 'forwarded_allow_ips'}}
            print('UI.RUN ' + json.dumps(chosen))

        ui.run = run
        runpy.run_path('main.py', run_name='__main__')
        """
    )
    env = {
        **os.environ,
        'STOCKFRONT_DATA_DIR': str(tmp_path),
        'STOCKFRONT_DEMO_DATA': 'false',
        'STOCKFRONT_STORAGE_SECRET': 'test-secret-' + 'x' * 40,
    }
    env.pop('STOCKFRONT_DATABASE_URL', None)
    done = subprocess.run(
        [sys.executable, '-c', script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith('UI.RUN ')]
    assert lines, done.stderr[-2000:]
    options = json.loads(lines[0].removeprefix('UI.RUN '))
    assert proxy_headers_middleware(options) is None
