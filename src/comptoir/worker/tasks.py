"""The sweeps the worker runs each round; each takes `now` and returns how much it did.

Each is idempotent: running it twice at the same `now` does nothing more the second time.
"""

from comptoir.care.services import purge_assistant_logs
from comptoir.consent.stock_alerts import send_back_in_stock_alerts
from comptoir.core.rate_limit import purge_rate_limit_buckets
from comptoir.giftcards.services import expire_cards
from comptoir.invoices.services import issue_pending_invoices
from comptoir.loyalty.referrals import reward_referrals
from comptoir.loyalty.tiers import send_tier_welcomes
from comptoir.orders.services import expire_payment_steps
from comptoir.payments.schedule import collect_due_charges
from comptoir.psp_sandbox.delivery import deliver_gateway_webhooks
from comptoir.returns.parcels import refund_returned_parcels
from comptoir.returns.reception import refund_due_returns

SWEEP_TASKS = [
    expire_payment_steps,  # abandoned 3-D Secure / PayPal steps and unpaid transfers free their stock
    collect_due_charges,  # instalments and deferred payments (AL-PAY-01, AL-PAY-04)
    issue_pending_invoices,  # OG-ORD-06
    refund_due_returns,  # refunds fall due after inspection (OG-RFD-01, AA-RFD-01)
    refund_returned_parcels,  # AL-SHP-09
    expire_cards,  # gift cards and credit notes past their date
    send_back_in_stock_alerts,  # AL-STK-03
    send_tier_welcomes,  # AL-LOY-04: a welcome e-mail when a loyalty status is reached, once
    reward_referrals,  # AL-RAF-01: the member's voucher once the friend's order is finalised
    deliver_gateway_webhooks,  # the sandbox PSP posting its events
    purge_rate_limit_buckets,  # rate-limit windows long over
    purge_assistant_logs,  # the assistant's audit trail past ASSISTANT_LOG_RETENTION_DAYS
]

# The sweeps whose deadlines are counted in hours or days: a worker looks again every SLOW_SWEEP_SECONDS
# rather than every round (rounds follow each other every poll interval, or at once through a backlog).
SLOW_SWEEP_SECONDS = 60
SLOW_SWEEPS = {task: SLOW_SWEEP_SECONDS for task in (
    collect_due_charges, refund_due_returns, refund_returned_parcels, expire_cards, send_back_in_stock_alerts,
    send_tier_welcomes, reward_referrals, purge_rate_limit_buckets, purge_assistant_logs,
)}
