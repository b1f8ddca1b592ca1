"""From current order to delivery: the current order, placing, checking and cancelling, deliveries, stock and
backorders, the supplier's overview, and the stock invariant. Imports `app.core`, `app.identity`,
`app.catalogue` and `app.models`.
"""
