"""Live updates: a page listens for domain events of its own topics and refreshes just its pieces.

Services publish from whatever thread ran them; this hands the event to the page's event loop,
folds bursts into one refresh, and stops listening when the page's client is gone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from nicegui import background_tasks, ui

from app import events
from app.events import Topic


def listen(topics: list[Topic], refresh: Callable[[], Any]) -> Callable[[], None]:
    """Call `refresh` (in this page's context) after any of `topics` is published; returns unsubscribe."""
    client = ui.context.client
    loop = asyncio.get_running_loop()
    pending = False

    async def run_refresh() -> None:
        nonlocal pending
        await asyncio.sleep(0.02)  # fold a burst of events into one refresh
        pending = False
        if client.is_deleted:
            return
        with client:
            result = refresh()
            if asyncio.iscoroutine(result):
                await result

    def schedule() -> None:
        nonlocal pending
        if pending or client.is_deleted:
            return
        pending = True
        background_tasks.create(run_refresh(), name='live refresh')

    def on_event(_topic: Topic) -> None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            schedule()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(schedule)

    unsubscribers = [events.subscribe(topic, on_event) for topic in topics]

    def unsubscribe() -> None:
        for stop in unsubscribers:
            stop()

    client.on_delete(unsubscribe)
    return unsubscribe
