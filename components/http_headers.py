"""Security headers on every response, and no caching of signed-in pages (the back button after
signing out must not show portal content)."""

from __future__ import annotations

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

# NiceGUI renders with Vue templates compiled in the browser, so scripts need 'unsafe-eval' and
# inline bootstrapping; everything else is locked to this origin.
CONTENT_SECURITY_POLICY = '; '.join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


class SecurityHeaders(BaseHTTPMiddleware):
    def __init__(self, app, https_only: bool = False) -> None:
        super().__init__(app)
        self.https_only = https_only

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        headers = response.headers
        headers.setdefault('Content-Security-Policy', CONTENT_SECURITY_POLICY)
        headers.setdefault('X-Content-Type-Options', 'nosniff')
        headers.setdefault('Referrer-Policy', 'same-origin')
        headers.setdefault('X-Frame-Options', 'DENY')
        if self.https_only:
            headers.setdefault('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
        if not request.url.path.startswith('/_nicegui/'):
            headers.setdefault('Cache-Control', 'no-store')
        return response
