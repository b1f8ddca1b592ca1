"""The supplier\x27s admin area: every page here is for supplier admins only."""
