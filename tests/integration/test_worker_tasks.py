"""The worker runs every time-based sweep: a sweep missing from the list would silently never run."""

from comptoir.worker.tasks import SWEEP_TASKS


def test_every_sweep_is_scheduled():
    names = {task.__name__ for task in SWEEP_TASKS}
    assert names == {
        "expire_payment_steps", "collect_due_charges", "issue_pending_invoices", "refund_due_returns",
        "refund_returned_parcels", "expire_cards", "send_back_in_stock_alerts", "deliver_gateway_webhooks",
        "purge_rate_limit_buckets", "send_tier_welcomes", "reward_referrals", "purge_assistant_logs",
    }
