"""Mail: owns the outbox and sending.

A mail that reports a change is written to the outbox (app/models.OutboxMail) in the same transaction as the
change (`outbox.write`), so a committed change always has its mail and a rolled-back one never does; the sender
(`sender.send_due`, run by the portal process every few seconds off the event loop) delivers it over SMTP
afterwards, with retries, and marks it sent. May import app.core, app.identity and app.models; app.orders
imports it to write its mails (`order_mails`).
"""
