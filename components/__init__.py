"""Reusable NiceGUI pieces. Components import `app`, never `pages`."""
