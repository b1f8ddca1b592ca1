"""What every sub-domain stands on: settings, the database engine and migrations, domain events, the clock,
errors meant for the screen, text and money, and backups. Imports only `app.models`, never another sub-domain.
"""
