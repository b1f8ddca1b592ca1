"""Data in and out: importing and exporting products, stock, customers, users, orders and price lists as CSV and XLSX.

Owns reading files as people make them (tables.py: encodings, separators, column names in English, Dutch or
German, decimal commas, duplicate keys), the imports (imports.py: a preview of what a file would do and applying
it in one transaction; import_report.py what it reports; the rows of each kind in bulk.py and stock_bulk.py for
products and stock, customer_rows.py, user_rows.py and price_list_rows.py for the others; product_columns.py and
words.py the names and words files use) and the exports (exports.py: streamed rows, CSV injection escaped).

May import app.core, app.models and the services of the other sub-domains (app.catalogue.products,
app.orders.stock, app.identity.accounts, app.pricing): an import changes data only through them, so a row obeys the same
rules as the admin forms. Nothing else imports this package but the pages and the `stockfront` command.
"""
