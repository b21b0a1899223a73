"""The sweeps the worker runs each round; each takes `now` and returns how much it did."""

from comptoir.consent.stock_alerts import send_back_in_stock_alerts
from comptoir.orders.services import expire_payment_steps
from comptoir.psp_sandbox.delivery import deliver_gateway_webhooks
from comptoir.returns.parcels import refund_returned_parcels
from comptoir.returns.reception import refund_due_returns

SWEEP_TASKS = [expire_payment_steps, deliver_gateway_webhooks, refund_due_returns, refund_returned_parcels,
               send_back_in_stock_alerts]
