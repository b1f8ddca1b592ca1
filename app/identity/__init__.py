"""Who is acting: signing in and out, server-side sessions and throttling, passwords, access checks, and the
customers with their addresses and portal users. Imports `app.core` and `app.models`; `accounts` may use the
catalogue's selections.
"""
