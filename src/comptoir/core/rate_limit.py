"""Rate limiting without a new moving part: fixed-window counters in the database.

Each attempt runs one statement, `INSERT … ON CONFLICT (scope, key, window_start) DO UPDATE SET
count = count + 1 RETURNING count`, on the `RateLimitBucket` table: atomic on PostgreSQL and on SQLite
(≥ 3.35), and shared by every gunicorn process and machine that uses the same database, which an
in-process or local-memory counter would not be. A fixed window lets a burst of twice the limit
straddle a boundary; acceptable for slowing down guessing, which is all this is for.

Limits are `settings.RATE_LIMITS = {scope: (attempts, window_seconds)}`; a scope absent or set to
0 attempts is not limited. Keys are hashed before they are stored (e-mail addresses, IPs).
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta, timezone

from django.conf import settings
from django.db import connection

from comptoir.core.errors import RateLimited
from comptoir.core.models import RateLimitBucket

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# Buckets older than this are purged by the worker; longer than any sane window.
KEEP_BUCKETS = timedelta(days=2)


def client_ip(request) -> str:
    """The caller's address: REMOTE_ADDR, or the address `RATE_LIMIT_TRUSTED_PROXIES` hops back in
    X-Forwarded-For when the app runs behind that many proxies of our own (never trusted otherwise:
    a client can write anything in that header)."""
    hops = settings.RATE_LIMIT_TRUSTED_PROXIES
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops][:64]
    return request.META.get("REMOTE_ADDR", "")[:64] or "unknown"


def window_start(now: datetime, seconds: int) -> datetime:
    elapsed = (now - EPOCH).total_seconds()
    return EPOCH + timedelta(seconds=math.floor(elapsed / seconds) * seconds)


def count_attempt(scope: str, key: str, now: datetime) -> tuple[int, datetime]:
    """Add one attempt to the current window of (scope, key); return the window's count and its end."""
    attempts, seconds = settings.RATE_LIMITS[scope]
    start = window_start(now, seconds)
    table = connection.ops.quote_name(RateLimitBucket._meta.db_table)
    digest = hashlib.sha256(f"{scope}\x1f{key}".encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, key, window_start, count) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (scope, key, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [scope, digest, connection.ops.adapt_datetimefield_value(start)],
        )
        (count,) = cursor.fetchone()
    return count, start + timedelta(seconds=seconds)


def check_rate_limit(scope: str, key: str, now: datetime) -> None:
    """Count one attempt; past the scope's limit in this window, refuse with HTTP 429 and the seconds
    until the window ends (Retry-After). Refused attempts count too: hammering does not shorten it."""
    attempts, _ = settings.RATE_LIMITS.get(scope, (0, 0))
    if attempts <= 0:
        return
    count, ends = count_attempt(scope, key, now)
    if count > attempts:
        raise RateLimited("rate_limited", retry_after=max(1, math.ceil((ends - now).total_seconds())))


def limit_by_ip(request, scope: str) -> None:
    """The common case at the edge: count one attempt of `scope` for the caller's address."""
    check_rate_limit(scope, client_ip(request), request.now)


def purge_rate_limit_buckets(now: datetime) -> int:
    """Worker sweep: drop windows long over (they no longer limit anything)."""
    deleted, _ = RateLimitBucket.objects.filter(window_start__lt=now - KEEP_BUCKETS).delete()
    return deleted
