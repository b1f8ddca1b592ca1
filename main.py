"""Builds the Stockfront portal and runs it: python main.py"""

import importlib
import logging
import pkgutil
import sys
from pathlib import Path

from nicegui import app, run, ui

import demo
import pages
from app.core import config, db
from app.core.logging import configure_logging
from app.identity import auth
from app.mail import sender
from components import nicegui_tuning, session_binding
from components.http_headers import SecurityHeaders, compression

FAVICON = Path(__file__).parent / 'components' / 'favicon.svg'

configure_logging()  # readable lines, or JSON lines with STOCKFRONT_LOG_FORMAT=json (app/core/logging.py)
settings = config.load()
config.set_settings(settings)
try:
    db.configure(settings.database_url)
except db.DatabaseUnavailable as error:
    sys.exit(f'Stockfront cannot start: {error}')
if settings.demo_data:
    demo.seed_if_empty()

# importing a page module registers its routes: every module under pages/ is a page, or a section of the page
# whose package it is in (pages/admin/customer/)
for module in pkgutil.walk_packages(pages.__path__, 'pages.'):
    if module.name in sys.modules:  # tests start the app again in one process: register the routes again
        importlib.reload(sys.modules[module.name])
    else:
        importlib.import_module(module.name)

session_binding.install()  # a page's socket, clicks, uploads and pushes are only its own session's
app.add_middleware(SecurityHeaders, https_only=settings.https_only)  # outside it: its refusals get the headers too


async def purge_expired_sign_ins() -> None:
    await run.io_bound(auth.purge_expired)


app.timer(3600, purge_expired_sign_ins)  # at start, then hourly: ended sessions and stale sign-in failures


async def send_mail() -> None:
    await run.io_bound(sender.send_due)


app.timer(5, send_mail)  # the outbox over SMTP (nothing without STOCKFRONT_SMTP_HOST); a run skips while one runs
app.on_shutdown(db.dispose)

if __name__ in {'__main__', '__mp_main__'}:
    app.on_startup(nicegui_tuning.tune_collector)  # the served portal only; tests keep Python's defaults
    logging.getLogger('stockfront').info('serving on http://%s:%s', settings.host, settings.port)
    ui.run(
        title='Stockfront',
        host=settings.host,
        port=settings.port,
        storage_secret=settings.storage_secret,
        session_middleware_kwargs={'https_only': settings.https_only, 'same_site': 'lax'},
        favicon=FAVICON,  # a file the browser keeps (an emoji here was made into a data URL for every page)
        gzip_middleware_factory=compression,
        reload=False,
        show=False,
        log_config=None,  # uvicorn's lines go through the one logging set-up too
        # uvicorn would believe X-Forwarded-For from 127.0.0.1 (FORWARDED_ALLOW_IPS); the client's address is worked
        # out in one place instead, from STOCKFRONT_TRUSTED_PROXIES (app/identity/auth.client_address)
        proxy_headers=False,
    )
