"""A test-only fault hook: `point(name)` does nothing unless STOCKFRONT_FAULT names that point.

The reliability tests set STOCKFRONT_FAULT=crash_in_placement in a child process to kill it (SIGKILL,
as a power cut or the OOM killer would) in the middle of writing an order, then check that nothing of
the half-written order survives; STOCKFRONT_FAULT=crash_before_sending kills a portal whose sender has just read
the committed mails it is about to send (the mail must still go out, once, after the restart).
"""

from __future__ import annotations

import os
import signal

CRASH_IN_PLACEMENT = 'crash_in_placement'
CRASH_BEFORE_SENDING = 'crash_before_sending'  # the sender has read due mails from the outbox, sent none yet


def point(name: str) -> None:
    if os.environ.get('STOCKFRONT_FAULT') == name:
        os.kill(os.getpid(), signal.SIGKILL)
