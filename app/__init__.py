"""Stockfront's domain: models, database, services and rules. Imports no NiceGUI."""
