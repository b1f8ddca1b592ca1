"""The supplier's products: administration, what each customer may see of them, search and images.
Imports `app.core`, `app.identity` (for the acting identity) and `app.models`.
"""
