"""The current order at a glance (lines, units, total), kept per user until it changes.

Every customer page's menu shows it, so every page opened read the whole current order again: its lines, which
of them the customer may still order and their prices (five queries, about a third of a page's database time).
What it shows changes only with the user's current order (('current_order', user_id)) or with what the customer
sees and pays (('catalogue',): products, prices, price lists, the customer's terms, VAT); both are published
after every such commit, and the open menus already follow them. A summary worked out while one came is not kept;
SUMMARY_TTL_S is the safety net for changes made by another process (the `stockfront` command).
"""

from __future__ import annotations

from collections.abc import Callable

from app.core import db, events, kept
from app.core.events import Topic
from app.identity.auth import Identity
from app.orders import current_order
from app.orders.current_order import Summary

SUMMARY_TTL_S = 30.0
MAX_KEPT = 20_000  # users (a summary is a few hundred bytes)


class _Summaries(kept.Kept[int, tuple[int, int], Summary]):
    """Summaries per user."""

    def start_over(self) -> None:
        self.catalogue = 0  # generations: of everything, and per user of their current order
        self.orders: dict[int, int] = {}

    def subscriptions(self) -> list[Callable[[], None]]:
        return [
            events.subscribe(('catalogue',), self._catalogue_changed, first=True),
            events.subscribe_kind('current_order', self._order_changed, first=True),
        ]

    def _catalogue_changed(self, _topic: Topic) -> None:
        with self.lock:
            self.catalogue += 1
            self.entries.clear()

    def _order_changed(self, topic: Topic) -> None:
        if len(topic) < 2 or not isinstance(topic[1], int):
            return
        with self.lock:
            self.orders[topic[1]] = self.orders.get(topic[1], 0) + 1
            self.entries.pop(topic[1], None)

    def _stamp(self, user_id: int) -> tuple[int, int]:
        return self.catalogue, self.orders.get(user_id, 0)

    def summary(self, actor: Identity) -> Summary:
        user_id = actor.user_id
        with self.lock:
            self.ready()
            stamp = self._stamp(user_id)
            hit = self.fresh(user_id, stamp)
            if hit is not None:
                return hit[2]
        with db.read_session() as session:
            value = current_order.summary(session, actor=actor)
        with self.lock:
            if self.engine is db.get_engine() and stamp == self._stamp(user_id):  # nothing changed meanwhile
                self.keep(user_id, stamp, value, seconds=SUMMARY_TTL_S, most=MAX_KEPT)
        return value


_kept = _Summaries()


def summary(*, actor: Identity) -> Summary:
    """The summary of `actor`'s current order (current_order.summary), read again only after it may have changed."""
    return _kept.summary(actor)


def forget() -> None:
    """Drop every kept summary (tests, and after changes made behind the services' back)."""
    _kept.clear()
