"""The demo portal: a supplier, customers with users, a catalogue with pictures and orders in every state.
Built through the same services as the pages, so it never holds data the app could not make itself.
"""

from demo.portal import seed, seed_if_empty

__all__ = ['seed', 'seed_if_empty']
