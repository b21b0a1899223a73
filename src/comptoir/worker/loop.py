"""The worker loop: each round reads the clock once, runs the sweeps, then drains the outbox.

The worker is an edge (design principle 1): it is the one place that reads the wall clock and
passes `now` down. Django must be set up before this module is imported (the CLI does it).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from time import monotonic

from django.db import DatabaseError, close_old_connections, connections

from comptoir.notifications.services import drain_outbox

logger = logging.getLogger(__name__)

Task = Callable[[datetime], int]


# A round that handled this many items (a sweep's full batch) leaves more waiting: no pause before the next.
BACKLOG_ROUND = 100


def run_worker(*, tasks: list[Task], once: bool, fixed_now: datetime | None,
               poll_seconds: float = 1.0, stop: threading.Event | None = None,
               log: Callable[[str], None] = print, every: dict[Task, float] | None = None) -> int:
    """Run rounds until stopped (or one round with `once`) and return how many rounds ran.

    A failing task is logged and the loop goes on; SIGTERM and SIGINT stop it after the current
    round. `fixed_now` pins the clock (demo and tests); otherwise each round reads the wall clock.
    A round that found a backlog starts the next one at once; otherwise the worker waits `poll_seconds`,
    so that under a steady trickle of orders it does not run every sweep for one or two items.
    `every` holds the sweeps that need not run every round: each runs again once that many seconds
    have passed since its last run (the first round runs them all).
    """
    stop = stop or threading.Event()
    restore_signals = _stop_on_signals(stop, log)
    every = every or {}
    last_run: dict[Task, float] = {}
    rounds = 0
    try:
        while not stop.is_set():
            now = fixed_now or datetime.now(timezone.utc)
            clock = monotonic()
            due = [task for task in tasks if task not in last_run or clock - last_run[task] >= every.get(task, 0)]
            last_run.update((task, clock) for task in due)
            done = run_round(tasks=due, now=now, log=log)
            rounds += 1
            if once:
                break
            if done < BACKLOG_ROUND:
                stop.wait(poll_seconds)
    finally:
        restore_signals()
    return rounds


def run_round(*, tasks: list[Task], now: datetime, log: Callable[[str], None] = print) -> int:
    """Run every sweep task with `now`, then drain the outbox until nothing is left to handle."""
    _recycle_connections()
    done = 0
    for task in tasks:
        done += _guarded(_task_name(task), lambda task=task: task(now), log)
    while True:
        handled = _guarded("drain_outbox", lambda: drain_outbox(now=now).handled, log)
        if handled == 0:
            break
        done += handled
    return done


def _guarded(name: str, work: Callable[[], int], log: Callable[[str], None]) -> int:
    """Run one unit of work; log its failure and count it as nothing done."""
    try:
        return int(work() or 0)
    except DatabaseError as error:
        log(f"worker: {name} failed with a database error, retrying next round: {error!r}")
        logger.exception("worker task %s failed", name)
        _recycle_connections()
        return 0
    except Exception as error:
        log(f"worker: {name} failed: {error!r}")
        logger.exception("worker task %s failed", name)
        return 0


def _recycle_connections() -> None:
    """Drop broken or expired connections, as Django does between requests.

    Never while a connection is inside a transaction (a caller's atomic block, as in tests):
    closing it there would break that transaction.
    """
    if not any(connection.in_atomic_block for connection in connections.all(initialized_only=True)):
        close_old_connections()


def _task_name(task: Task) -> str:
    return getattr(task, "__qualname__", None) or getattr(task, "__name__", None) or repr(task)


def _stop_on_signals(stop: threading.Event, log: Callable[[str], None]) -> Callable[[], None]:
    """Make SIGTERM and SIGINT set `stop`; return a function restoring the previous handlers.

    Signal handlers can only be installed from the main thread; elsewhere `stop` is the only way out.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def request_stop(signum, frame):
        log(f"worker: {signal.Signals(signum).name} received, stopping after this round")
        stop.set()

    previous = {signum: signal.signal(signum, request_stop) for signum in (signal.SIGTERM, signal.SIGINT)}

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    return restore
