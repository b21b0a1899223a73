"""Persistence shared by every app: rate-limit counters."""

from django.db import models


class RateLimitBucket(models.Model):
    """How many attempts one (scope, key) made in the fixed window starting at `window_start`.

    Kept in the database so that every app process counts in the same place (no new moving part);
    incremented with one INSERT … ON CONFLICT DO UPDATE (core.rate_limit). Old windows are purged by
    the worker. `key` is a hash: e-mail addresses and IPs are not stored in clear.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window_start"], name="rate_limit_bucket_unique"),
        ]
        indexes = [models.Index(fields=["window_start"], name="rate_limit_window_idx")]
