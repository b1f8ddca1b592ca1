"""The limit beside us: the products page as plain server-rendered HTML from a bare Starlette route (no NiceGUI, no
socket), reading what the portal's products page reads, for bench/load.py to compare our page with.

Run by bench/load.py on the portal's database: STOCKFRONT_DATA_DIR=... STOCKFRONT_PORT=... python bench/bare_products.py

GET /products (page 1 of the catalogue sorted by name, 24 cards, as the customer's products page opens) with the
portal's session cookie does the same reads as that page and its frame: the session (auth.resolve), the supplier's
name, currency and brand colour, the customer, the current order's summary, the portal's terms, the customer's list
or grid choice, the category tree, the page of products (browsing.browse), the quantities in the current order and
the customer's prices. It writes them out as one HTML document with the same texts: header, menu, the current
order's card, 24 cards each with its image, name, code, price, free stock, check mark and an Add form. Everything
shown is escaped. GET /login answers 'ok' (bench/load.py waits for it).
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route

from app.catalogue import browsing
from app.core import config, db, i18n, portal_settings
from app.identity import auth
from app.models import Customer
from app.orders import current_order
from app.pricing import prices, terms

COOKIE = 'stockfront_session'
MENU = [('Dashboard', '/'), ('Products', '/products'), ('Orders', '/orders'), ('Backorders', '/backorders')]


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


def products(request: Request) -> HTMLResponse | RedirectResponse:
    who = auth.resolve(request.cookies.get(COOKIE))
    if who is None:
        return RedirectResponse('/login', status_code=303)
    i18n.use(who.language)
    with db.read_session() as session:
        supplier = portal_settings.supplier_name(session)
        currency = portal_settings.currency(session)
        colour = portal_settings.brand_colour(session)
        customer = session.get(Customer, who.customer_id)
        summary = current_order.summary(session, actor=who)
        portal = terms.portal_terms(session)
        browsing.catalogue_view(session, actor=who)
        shown = browsing.browse_tree(session, actor=who)
        page = browsing.browse(session, actor=who, sort='name', page=1, page_size=24, shown=shown)
        ids = [p.id for p in page.items]
        in_order = current_order.quantities(session, actor=who, product_ids=ids)
        shown_prices = prices.shown_prices(session, actor=who, product_ids=ids)
    cards = []
    for p in page.items:
        price = shown_prices[p.id].price
        amount = i18n.money(price.unit_cents, currency) if price and portal.prices_shown else ''
        mark = f'<span class="mark">{e(i18n.number(in_order[p.id]))} in order</span>' if p.id in in_order else ''
        image = f'<img src="/media/images/{p.image_id}?size=thumb" alt="">' if p.image_id else '<div></div>'
        cards.append(
            f'<article class="card">{image}<a href="/products/{p.id}">{e(p.name)}</a><small>{e(p.code)}</small>'
            f'<b>{e(amount)}</b><span>{e(i18n.number(p.free))} {e(p.unit)} free</span>{mark}'
            f'<form method="post" action="/current-order/add"><input type="hidden" name="product" value="{p.id}">'
            f'<input name="quantity" value="{shown_prices[p.id].rules.minimum}" inputmode="numeric">'
            '<button>Add</button></form></article>'
        )
    menu = ''.join(f'<a href="{path}">{e(label)}</a>' for label, path in MENU)
    body = (
        f'<!doctype html><html lang="{e(who.language)}"><head><meta charset="utf-8"><title>Products · {e(supplier)}'
        f'</title><style>:root{{--primary:{e(colour)}}}</style></head><body><header><h1>Products</h1>'
        f'<span>{e(who.display_name)}</span><span>{e(customer.name if customer else supplier)}</span></header>'
        f'<nav><strong>{e(supplier)}</strong>{menu}<a href="/current-order">Current order: {summary.lines} lines, '
        f'{summary.units} units, {e(i18n.money(summary.total_cents, currency))}</a></nav>'
        f'<main><form><input name="q" placeholder="Search products"></form><section>{"".join(cards)}</section>'
        f'<p>{e(i18n.number(page.total))} products, page {page.page} of {page.pages}</p></main></body></html>'
    )
    return HTMLResponse(body)


def login(_request: Request) -> PlainTextResponse:
    return PlainTextResponse('ok')


app = Starlette(routes=[Route('/products', products), Route('/login', login)])

if __name__ == '__main__':
    settings = config.load()
    config.set_settings(settings)
    db.configure(settings.database_url)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level='warning', access_log=False)
