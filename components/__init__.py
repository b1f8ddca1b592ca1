"""Reusable NiceGUI pieces. Components import `app`, never `pages`."""

from components import nicegui_tuning as _nicegui_tuning  # noqa: F401 - speeds up NiceGUI for every page
