"""Stockfront's domain: models, database, services and rules. Imports no NiceGUI.

Grouped by sub-domain; a rule lives in the package that owns it:

- `app.core`      settings, the database and its migrations, events, clock, errors, text, money, backups
- `app.identity`  signing in, sessions, passwords, who may do what, customers and their portal users
- `app.catalogue` products, what each customer sees of them, search, images
- `app.orders`    the current order, placing, orders, deliveries, stock, backorders and the stock invariant
- `app.models`    the tables of every sub-domain, in one module so the schema reads (and migrates) as one
- `app.cli`       the operator's command `stockfront` (serve, migrate, backup, restore, check); `app.health` its checks

Arrows point one way: identity, catalogue and orders import core and models; orders may import catalogue
and identity; catalogue may import identity; core imports only models. Nothing here imports pages or
components.
"""
