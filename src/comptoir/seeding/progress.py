"""A one-line progress bar on standard error: done / total, rate and time left."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    """Redraws at most every `interval` seconds; `finish` prints the final line and returns the elapsed time."""

    def __init__(self, total: int, unit: str, *, stream=None, width: int = 30, interval: float = 0.25):
        self.total, self.unit, self.width, self.interval = total, unit, width, interval
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.done = 0

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.drawn_at >= self.interval or self.done >= self.total:
            self.drawn_at = now
            self._draw(now)

    def finish(self) -> float:
        elapsed = time.monotonic() - self.started
        if self.drawn_at == 0.0:
            self._draw(time.monotonic())
        self.stream.write("\n")
        self.stream.flush()
        return elapsed

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        share = self.done / self.total if self.total else 1.0
        filled = int(share * self.width)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else float("inf")
        eta = _duration(left) if left != float("inf") else "?"
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self.done:,}/{self.total:,} "
                          f"{self.unit} {share:6.1%}  {rate:,.0f} {self.unit}/s  elapsed {_duration(elapsed)}  "
                          f"ETA {eta} ")
        self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"
