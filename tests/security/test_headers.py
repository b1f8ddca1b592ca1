"""Security headers on every response: pages, redirects, images, errors and NiceGUI's own files.

That the pages still work under this Content-Security-Policy is proven by the browser tests, which fail on
any JavaScript error (a CSP violation is one) and click through the portal under it.
"""

from __future__ import annotations

import httpx
from nicegui import app as nicegui_app
from nicegui.testing import User

from components import guard
from tests.security.support import victim
from tests.security.test_access_matrix import ADMIN, CUSTOMER, MATRIX, own_ids, sign_in_http


def check(response: httpx.Response) -> list[str]:
    """What is missing or too weak in one response's headers."""
    problems = []
    policy = response.headers.get('content-security-policy', '')
    directives = {part.strip().split(' ')[0]: part.strip() for part in policy.split(';') if part.strip()}
    for wanted in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"]:
        if directives.get(wanted.split(' ')[0]) != wanted:
            problems.append(f'CSP lacks {wanted}')
    if response.headers.get('x-content-type-options') != 'nosniff':
        problems.append('no nosniff')
    if response.headers.get('referrer-policy') not in {'same-origin', 'no-referrer', 'strict-origin-when-cross-origin'}:
        problems.append('no Referrer-Policy')
    return problems


async def test_every_response_carries_csp_nosniff_and_referrer_policy(user: User) -> None:
    """ASVS 3.4.3 (CSP with object-src 'none' and base-uri 'none'), 3.4.4 (nosniff), 3.4.5 (Referrer-Policy), 3.4.6
    (frame-ancestors): for every route as anonymous visitor, customer and supplier, and for the rest too."""
    v, own = victim(), own_ids()
    urls = [rule.sample(v, own) for rule in MATRIX.values()] + [
        rule.foreign(v) for rule in MATRIX.values() if rule.foreign
    ]
    static = next(r.path for r in nicegui_app.routes if getattr(r, 'path', '').startswith('/_nicegui/'))
    urls += ['/no-such-page', '/favicon.ico', static.split('{')[0] + 'nothing-here', '/_nicegui_ws/socket.io/?EIO=4']
    failures = []
    for who in [None, 'customer', 'supplier']:
        if who:
            sign_in_http(user, who)
        for url in urls:
            response = await user.http_client.get(url, follow_redirects=False)
            failures += [f'{who} {url} ({response.status_code}): {problem}' for problem in check(response)]
    assert failures == []


async def test_signed_in_pages_are_never_cached(user: User) -> None:
    """ASVS 14.3.2: after signing out, the back button cannot bring portal content back from a cache."""
    v, own = victim(), own_ids()
    for who, audience in [('customer', CUSTOMER), ('supplier', ADMIN)]:
        sign_in_http(user, who)
        for rule in MATRIX.values():
            if rule.audience == audience:
                response = await user.http_client.get(rule.sample(v, own), follow_redirects=False)
                assert response.status_code == 200
                assert 'no-store' in response.headers['cache-control']
    image = await user.http_client.get(f'/media/images/{v.visible_image_id}')
    assert image.headers['cache-control'].startswith('private')  # never in a shared cache
    assert user.http_client.cookies.get(guard.COOKIE_NAME, domain='test.local')
