"""Prices, VAT and ordering rules: what a customer pays for what it may order, and how much of it at once.

- prices.py: price lists (a discount off the list price, fixed prices and quantity tiers per product), each
  customer's price list and own extra discount, VAT exemption and minimum order value, and `decide_price`, the
  one function that decides a customer's unit price for a product and a quantity.
- vat.py: VAT per rate and the totals of an order or a current order, in integer cents.
- rules.py: a product's VAT class, minimum order quantity, order multiple (pack size) and backorder override,
  and the refusals, worded with what would be accepted, that every path changing an order raises.
- terms.py: the portal's settings for all of this: the VAT rates, what the catalogue shows of stock and
  prices, whether backorders are allowed, the portal-wide minimum order value.

May import app.core, app.identity, app.models and app.catalogue (what a customer may see); app.orders imports
this package, never the other way round. Money is integer cents; percentages are integer hundredths of a
percent ("bp": 1000 = 10 %).
"""
