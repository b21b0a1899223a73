"""The background worker: sweeps of what is due, then the outbox drain. A plain package, not an app."""
