"""Prometheus metrics at GET /metrics: requests by route and status with a latency histogram, and a
few database figures (outbox backlog, orders by status).

Request counters live in each process (no new moving part): with several gunicorn workers a scrape
sees the worker that answered it, so dashboards should `sum()` over a label such as `instance`, or run
one worker per scraped port. Counters restart at 0 with the process, which Prometheus' `rate()` handles.
The database figures are cached per process for METRICS_CACHE_SECONDS so that scraping costs little.
"""

from __future__ import annotations

import logging
import threading
import time
from bisect import bisect_left
from collections import defaultdict

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count

from comptoir.core.timed_cache import TimedCache

# Seconds; chosen around the placement target (p99 under 250 ms).
logger = logging.getLogger("comptoir.metrics")
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class RequestStats:
    """Counts and latency histograms keyed by (method, route, status); thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[tuple, int] = defaultdict(int)
        self._histograms: dict[tuple, list] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, str(status))
        with self._lock:
            self._counts[key] += 1
            histogram = self._histograms.setdefault((method, route), [0] * (len(BUCKETS) + 1) + [0.0])
            histogram[bisect_left(BUCKETS, seconds)] += 1
            histogram[-1] += seconds

    def render(self) -> list[str]:
        with self._lock:
            counts = dict(self._counts)
            histograms = {key: list(value) for key, value in self._histograms.items()}
        lines = ["# HELP comptoir_http_requests_total HTTP requests answered, by route and status.",
                 "# TYPE comptoir_http_requests_total counter"]
        for (method, route, status), count in sorted(counts.items()):
            lines.append(f'comptoir_http_requests_total{{method="{method}",route="{_escape(route)}",'
                         f'status="{status}"}} {count}')
        lines += ["# HELP comptoir_http_request_duration_seconds Time to answer, by route.",
                  "# TYPE comptoir_http_request_duration_seconds histogram"]
        for (method, route), histogram in sorted(histograms.items()):
            labels = f'method="{method}",route="{_escape(route)}"'
            cumulative = 0
            for bound, count in zip([*map(str, BUCKETS), "+Inf"], histogram[:-1]):
                cumulative += count
                lines.append(f'comptoir_http_request_duration_seconds_bucket{{{labels},le="{bound}"}} {cumulative}')
            lines.append(f"comptoir_http_request_duration_seconds_sum{{{labels}}} {histogram[-1]:.6f}")
            lines.append(f"comptoir_http_request_duration_seconds_count{{{labels}}} {cumulative}")
        return lines


REQUESTS = RequestStats()
_database_figures = TimedCache(lambda: settings.METRICS_CACHE_SECONDS, max_entries=1)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _route(request) -> str:
    """The URL pattern, not the path: /api/brands/<slug>/orders/<number>, a bounded set of labels."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return "/" + match.route if match.route else match.view_name or "unmatched"


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        REQUESTS.observe(request.method if request.method in _METHODS else "OTHER", _route(request),
                         response.status_code, time.perf_counter() - started)
        return response


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def database_figures() -> list[str]:
    """Outbox messages waiting and orders by status (two grouped counts, cached per process)."""
    cached = _database_figures.get("figures")
    if cached is not None:
        return cached
    from comptoir.notifications.models import OutboxMessage
    from comptoir.orders.models import Order

    lines = ["# HELP comptoir_outbox_messages Outbox messages by status (pending is the backlog).",
             "# TYPE comptoir_outbox_messages gauge"]
    outbox = dict(OutboxMessage.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    for status in ("pending", "sent", "failed"):
        lines.append(f'comptoir_outbox_messages{{status="{status}"}} {outbox.get(status, 0)}')
    lines += ["# HELP comptoir_orders Orders by brand and status.", "# TYPE comptoir_orders gauge"]
    rows = Order.objects.values_list("brand__slug", "status").annotate(n=Count("id")).order_by()
    for brand, status, count in sorted(rows):
        lines.append(f'comptoir_orders{{brand="{_escape(brand)}",status="{_escape(status)}"}} {count}')
    _database_figures.put("figures", lines)
    return lines


def render_metrics() -> str:
    """Every figure; without a database, the request figures and `comptoir_database_up 0`."""
    try:
        figures, up = database_figures(), 1
    except DatabaseError as error:
        logger.warning("metrics without database figures: %s", error)
        figures, up = [], 0
    database = ["# HELP comptoir_database_up Whether the database answered this scrape.",
                "# TYPE comptoir_database_up gauge", f"comptoir_database_up {up}"]
    return "\n".join([*REQUESTS.render(), *database, *figures]) + "\n"
