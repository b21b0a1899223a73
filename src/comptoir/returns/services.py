"""The return use cases, one import for every face (API, admin, CLI). They live by concept in
declaration.py (declare, add items, approve, reject, cancel), reception.py (receive, inspect, refund,
the refund sweep) and parcels.py (parcels returned to sender, AL-SHP-09)."""

from comptoir.returns.declaration import (  # noqa: F401
    ItemRequest, add_items, approve_return, cancel_return, check_guest_may_declare, declare_return,
    find_order_for_guest, reject_return,
)
from comptoir.returns.parcels import mark_returned_to_sender, refund_returned_parcels  # noqa: F401
from comptoir.returns.reception import (  # noqa: F401
    ItemInspection, inspect_items, receive_return, refund_due_returns, refund_return,
)
